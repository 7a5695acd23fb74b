"""Differences between two versions (or a version and the draft), per step and per field.

Word-level, for non-technical readers: deleted words in <del>, inserted words in <ins>.
Every piece of text is escaped before markup is added.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import override

from pathways.programs.data import ProgramData, load_program_data
from pathways.programs.models import Program
from pathways.programs.readable import StepReader, actor_names, flatten
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


def compare_documents(old: dict, new: dict, data: ProgramData) -> list[StepChanges]:
    """Changes between two program documents (document.py), labelled in the reader's
    language: the same fields count as changed whatever the language of either side."""
    old_names, new_names = actor_names(old), actor_names(new)
    changes = []
    for step in data.steps:
        before = flatten(old.get("content", {}).get(step.key, {}))
        after = flatten(new.get("content", {}).get(step.key, {}))
        changed = [p for p in dict.fromkeys([*before, *after]) if before.get(p) != after.get(p)]
        if not changed:
            continue
        reader = StepReader(step, data)
        fields = []
        for path in changed:
            old_text = reader.text(path, before.get(path), old_names)
            new_text = reader.text(path, after.get(path), new_names)
            if old_text != new_text:
                fields.append(FieldChange(reader.label(path), word_diff(old_text, new_text)))
        if fields:
            changes.append(StepChanges(step, fields))
    return changes
