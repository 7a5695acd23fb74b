"""Differences between two versions (or a version and the draft), per step and per field.

Word-level, for non-technical readers: deleted words in <del>, inserted words in <ins>.
Every piece of text is escaped before markup is added.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import override

from pathways.programs.data import load_program_data
from pathways.programs.models import Program
from pathways.programs.snapshots import program_content
from pathways.programs.steps import Step

Content = dict[str, list[list[str]]]  # step key → [[label, value], ...]

_TOKENS = re.compile(r"\s+|[^\s]+")
REWRITE_RATIO = 0.4  # below this share of common words, show the field as replaced whole


def draft_content(program: Program) -> Content:
    # Versions store Danish labels (see publish_version); the draft must match to compare.
    with override("da"):
        return program_content(load_program_data(program))


@dataclass(frozen=True)
class FieldChange:
    label: str
    html: SafeString


@dataclass(frozen=True)
class StepChanges:
    step: Step
    fields: list[FieldChange]


def word_diff(old: str, new: str) -> SafeString:
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if a and b and matcher.ratio() < REWRITE_RATIO:
        # A rewritten text reads better as old-then-new than as a word-by-word patchwork.
        return mark_safe(f"<del>{escape(old)}</del> <ins>{escape(new)}</ins>")  # noqa: S308
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every text piece above is escaped


def compare(old: Content, new: Content, steps: list[Step]) -> list[StepChanges]:
    changes = []
    for step in steps:
        before = dict(map(tuple, old.get(step.key, [])))
        after = dict(map(tuple, new.get(step.key, [])))
        labels = list(dict.fromkeys([*after, *before]))
        fields = [
            FieldChange(label, word_diff(before.get(label, ""), after.get(label, "")))
            for label in labels
            if before.get(label, "") != after.get(label, "")
        ]
        if fields:
            changes.append(StepChanges(step, fields))
    return changes
