"""Differences between two versions (or a version and the draft), per step and per field.

Word-level, for non-technical readers: deleted words in <del>, inserted words in <ins>.
Every piece of text is escaped before markup is added.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString

from pathways.programs.data import ProgramData
from pathways.programs.readable import StepReader, actor_names, flatten
from pathways.programs.steps import Step
from pathways.text_diff import word_diff


@dataclass(frozen=True)
class FieldChange:
    label: str
    html: SafeString


@dataclass(frozen=True)
class StepChanges:
    step: Step
    fields: list[FieldChange]


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
