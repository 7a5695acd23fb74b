"""A program document made readable: labels and values in the reader's language.

The document itself holds no labels (document.py). Here each field gets the label of the
form field it comes from, with its context (the attention point, the transition), and each
raw value the text a person chose: an actor ref becomes the actor's name as the document
lists it, a choice code its label, a list of rows one line a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms as djforms
from django.utils.translation import gettext as _

from pathways.generic_model.companions import entries_by_identifier
from pathways.programs.conflicts import display
from pathways.programs.data import ProgramData
from pathways.programs.document import (
    DEPARTURES,
    GROUPS,
    Names,
    Path,
    flatten,
    linkable_entries,
)
from pathways.programs.forms import TextAreaField
from pathways.programs.step_kinds import StepForms, build_step_forms, definition_of
from pathways.programs.step_kinds.departures import is_reason
from pathways.programs.steps import Step


@dataclass(frozen=True)
class Field:
    path: Path
    label: str
    text: str
    anchor: str = ""  # where the step page shows the field (e.g. "id_basis-title")
    # A long text written in the Markdown subset (formatted_text.py): shown formatted.
    formatted: bool = False
    # Typed text (not a choice or a reference): a comment may propose replacement text.
    takes_text: bool = False


class StepReader:
    """Labels and value texts for one step, from its forms (built once)."""

    def __init__(self, step: Step, data: ProgramData) -> None:
        self.step = step
        self.data = data
        self.kind = definition_of(step)
        self.forms: StepForms = build_step_forms(step, data)
        names = Names(data)
        self.value_key: dict[Path, str] = {}
        for key in self.forms.labels:
            self.value_key[self._path_of(key, names)] = key
        # What each kind of reference is called, by the identifier the document uses.
        self.entry_names = {
            "grouping": {g.key: g.title for g in data.groupings},
            "system": {c.key: c.name for c in data.code_systems},
            "actor_type": {a.key: a.name for a in data.actor_types},
            "companion": {e.identifier: e.label for e in linkable_entries(data)},
        }

    def _path_of(self, value_key: str, names: Names) -> Path:
        if value_key in self.kind.lists:
            return (self.kind.lists[value_key],)
        head, _sep, rest = value_key.partition("-")
        if head in GROUPS:
            pk, _sep, field = rest.partition("-")
            return (GROUPS[head], str(names.name(head, int(pk))), field)
        if is_reason(value_key):
            return (DEPARTURES, rest)
        return (rest,)

    def label(self, path: Path) -> str:
        key = self.value_key.get(path)
        if key is not None:
            return self.forms.labels[key]
        if path[0] == DEPARTURES:  # advice the program no longer gives, or not as loaded
            return _("Begrundelse for at gøre det anderledes end modellen anbefaler")
        return " ".join(path)

    def text(self, path: Path, value: Any, actor_names: dict[str, str]) -> str:
        field = path[-1]
        if value in (None, "", []):
            return ""
        if self.kind.refers_to(field):
            return self._reference(field, value, actor_names)
        if field in self.kind.yes_no_fields:
            value = "yes" if value else "no"
        if len(path) == 1 and path[0] in self.kind.lists.values():
            return "\n".join(self._row(path[0], row, actor_names) for row in value)
        key = self.value_key.get(path)
        return display(self.forms, key, value) if key else str(value)

    def _reference(self, field: str, value: Any, actor_names: dict[str, str]) -> str:
        kind = self.kind.refers_to(field)
        known = actor_names if kind == "actor" else self.entry_names.get(kind, {})
        found = value if isinstance(value, list) else [value]
        if kind == "companion":
            # A version may name an entry the program links no longer (an older companion).
            missing = {str(v) for v in found if v is not None and v not in known}
            if missing:
                known.update({i: e.label for i, e in entries_by_identifier(missing).items()})
        return ", ".join(known.get(v, str(v)) for v in found if v is not None)

    def _row(self, list_name: str, row: dict[str, Any], actor_names: dict[str, str]) -> str:
        prefix = next(k for k, v in self.kind.lists.items() if v == list_name)
        formset = self.forms.formset(prefix)
        fields = formset.empty_form.fields if formset is not None else {}
        # A row's form may show a value otherwise than it stores it (a code in two forms).
        display_row = getattr(formset.form, "display_row", None) if formset is not None else None
        if display_row is not None:
            row = display_row(row)
        parts = []
        for name, v in row.items():
            if name == "ref":
                continue
            if self.kind.refers_to(name):
                v = self._reference(name, v, actor_names)
            elif isinstance(fields.get(name), djforms.ChoiceField):
                v = dict((str(a), str(b)) for a, b in fields[name].choices).get(str(v), v)
            if v:
                parts.append(str(v))
        return " – ".join(parts)

    def is_long_text(self, path: Path) -> bool:
        key = self.value_key.get(path)
        return key is not None and isinstance(self.forms.field(key), TextAreaField)

    def takes_text(self, path: Path) -> bool:
        """Whether the answer at `path` is typed text (a choice or a reference is not)."""
        key = self.value_key.get(path)
        field = self.forms.field(key) if key is not None else None
        return isinstance(field, djforms.CharField) and not isinstance(field, djforms.ChoiceField)

    def fields(self, step_doc: dict[str, Any], actor_names: dict[str, str]) -> list[Field]:
        return [
            Field(
                path,
                self.label(path),
                self.text(path, value, actor_names),
                self.forms.anchors.get(self.value_key.get(path, ""), ""),
                self.is_long_text(path),
                self.takes_text(path),
            )
            for path, value in flatten(step_doc).items()
        ]

    def shown_fields(self, step_doc: dict[str, Any], actor_names: dict[str, str]) -> list[Field]:
        """The fields as a reader goes through them (review screen, read-only step): within
        an attention point, transition or criterion, empty fields after the first are left
        out (an unanswered point is one line, not four)."""
        shown = []
        for field in self.fields(step_doc, actor_names):
            grouped = len(field.path) == 3
            first = grouped and (not shown or shown[-1].path[:2] != field.path[:2])
            if field.text or not grouped or first:
                shown.append(field)
        return shown


def readable_document(
    document: dict[str, Any], data: ProgramData
) -> list[tuple[Step, list[Field]]]:
    """Every step of a document with its fields, for reading a version."""
    names = actor_names(document)
    sections = []
    for step in data.steps:
        step_doc = document.get("content", {}).get(step.key)
        if step_doc:
            sections.append((step, StepReader(step, data).fields(step_doc, names)))
    return sections


def step_fields(step: Step, data: ProgramData, document: dict[str, Any]) -> list[Field]:
    """One step of a program document, readable (review screen, read-only step page)."""
    step_doc = document.get("content", {}).get(step.key, {})
    return StepReader(step, data).shown_fields(step_doc, actor_names(document))


def actor_names(document: dict[str, Any]) -> dict[str, str]:
    """ref → name of the actors as the document lists them."""
    names = {}
    for step_doc in document.get("content", {}).values():
        rows = step_doc.get("actors", []) if isinstance(step_doc, dict) else []
        names.update({row.get("ref"): row.get("name", "") for row in rows if isinstance(row, dict)})
    return names
