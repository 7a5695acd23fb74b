"""What the conflict page shows: each field both editors changed, readable, with a diff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms as djforms
from django.utils.safestring import SafeString

from pathways.programs.services import StepConflict
from pathways.programs.step_kinds import StepForms
from pathways.text_diff import word_diff

LONG = 80  # characters; longer texts get a word diff


@dataclass(frozen=True)
class ConflictField:
    key: str
    label: str
    theirs: str
    mine: str
    diff: SafeString | None


@dataclass(frozen=True)
class ConflictView:
    saved_by: str
    saved_at: datetime | None
    current_revision: int
    fields: list[ConflictField]


def conflict_view(error: StepConflict, forms: StepForms) -> ConflictView:
    fields = []
    for key in error.conflicts:
        theirs = display(forms, key, error.theirs.get(key))
        mine = display(forms, key, error.merged.get(key))
        long = max(len(theirs), len(mine)) > LONG
        fields.append(
            ConflictField(
                key=key,
                label=forms.labels.get(key, key),
                theirs=theirs,
                mine=mine,
                diff=word_diff(theirs, mine) if long and theirs and mine else None,
            )
        )
    return ConflictView(error.saved_by, error.saved_at, error.current_revision, fields)


def display(forms: StepForms, key: str, value: Any) -> str:
    """A value as the person saw it in the form: choices by their label, rows as lines."""
    formset = forms.formset(key)
    if formset is not None:
        row_fields = formset.empty_form.fields
        return "\n".join(
            " – ".join(
                text
                for name, v in row.items()
                if name in row_fields and name != "id"
                for text in [_field_text(row_fields[name], v)]
                if text
            )
            for row in value or []
        )
    field = forms.field(key)
    return _field_text(field, value) if field is not None else _plain(value)


def _field_text(field: djforms.Field, value: Any) -> str:
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = _choice_labels(choices)
        if isinstance(value, list):
            return ", ".join(labels.get(str(v), str(v)) for v in value)
        return "" if value in (None, "") else labels.get(str(value), str(value))
    return _plain(value)


def _choice_labels(choices) -> dict[str, str]:
    labels = {}
    for value, label in choices:
        if isinstance(label, list | tuple):  # an option group
            labels.update({str(v): str(lbl) for v, lbl in label})
        else:
            labels[str(value)] = str(label)
    return labels


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)
