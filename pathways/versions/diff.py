"""Differences between two versions (or a version and the draft), per step and per field.

Word-level, for non-technical readers: deleted words in <del>, inserted words in <ins>.
Every piece of text is escaped before markup is added.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import override

from pathways.programs.data import load_program_data
from pathways.programs.models import Program
from pathways.programs.snapshots import program_content
from pathways.programs.steps import Step
from pathways.text_diff import word_diff

Content = dict[str, list[list[str]]]  # step key → [[label, value], ...]


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
