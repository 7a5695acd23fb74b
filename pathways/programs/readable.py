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

from pathways.programs.conflicts import display
from pathways.programs.data import ProgramData
from pathways.programs.document import ACTOR_FIELDS, GROUPS, LISTS, Names, Path, flatten
from pathways.programs.step_kinds import StepForms, build_step_forms
from pathways.programs.steps import Step


@dataclass(frozen=True)
class Field:
    path: Path
    label: str
    text: str
    anchor: str = ""  # where the step page shows the field (e.g. "id_basis-title")


class StepReader:
    """Labels and value texts for one step, from its forms (built once)."""

    def __init__(self, step: Step, data: ProgramData) -> None:
        self.step = step
        self.data = data
        self.forms: StepForms = build_step_forms(step, data)
        names = Names(data)
        self.value_key: dict[Path, str] = {}
        for key in self.forms.labels:
            self.value_key[_path_of(key, names)] = key
        groupings = {g.key: g.title for g in data.groupings}
        self.grouping_titles = groupings
        self.systems = {c.key: c.name for c in data.code_systems}
        self.actor_types = {a.key: a.name for a in data.actor_types}

    def label(self, path: Path) -> str:
        key = self.value_key.get(path)
        if key is not None:
            return self.forms.labels[key]
        return " ".join(path)

    def text(self, path: Path, value: Any, actor_names: dict[str, str]) -> str:
        field = path[-1]
        if value in (None, "", []):
            return ""
        if field in ACTOR_FIELDS:
            refs = value if isinstance(value, list) else [value]
            return ", ".join(actor_names.get(ref, ref) for ref in refs)
        if field == "grouping":
            return self.grouping_titles.get(value, str(value))
        if field == "applies":
            value = "yes" if value else "no"
        if path[0] in LISTS.values():
            return "\n".join(self._row(path[0], row) for row in value)
        key = self.value_key.get(path)
        return display(self.forms, key, value) if key else str(value)

    def _row(self, kind: str, row: dict[str, Any]) -> str:
        row = dict(row)
        if kind == "codes":
            row["system"] = self.systems.get(row.get("system"), row.get("system"))
        if kind == "actors":
            row.pop("ref", None)
            row["actor_type"] = self.actor_types.get(row.get("actor_type"), "")
        formset = self.forms.formset({v: k for k, v in LISTS.items()}[kind])
        fields = formset.empty_form.fields if formset is not None else {}
        parts = []
        for name, v in row.items():
            fld = fields.get(name)
            if isinstance(fld, djforms.ChoiceField) and name not in ("actor_type", "system"):
                v = dict((str(a), str(b)) for a, b in fld.choices).get(str(v), v)
            if v:
                parts.append(str(v))
        return " – ".join(parts)

    def fields(self, step_doc: dict[str, Any], actor_names: dict[str, str]) -> list[Field]:
        return [
            Field(
                path,
                self.label(path),
                self.text(path, value, actor_names),
                self.forms.anchors.get(self.value_key.get(path, ""), ""),
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
) -> list[tuple[Step, list[tuple[str, str]]]]:
    """Every step of a document as (step, [(label, text)]), for reading a version."""
    names = actor_names(document)
    sections = []
    for step in data.steps:
        step_doc = document.get("content", {}).get(step.key)
        if step_doc:
            fields = StepReader(step, data).fields(step_doc, names)
            sections.append((step, [(f.label, f.text) for f in fields]))
    return sections


def step_fields(step: Step, data: ProgramData, document: dict[str, Any]) -> list[Field]:
    """One step of a program document, readable (review screen, read-only step page)."""
    step_doc = document.get("content", {}).get(step.key, {})
    return StepReader(step, data).shown_fields(step_doc, actor_names(document))


def actor_names(document: dict[str, Any], actors_step_key: str = "aktoerer") -> dict[str, str]:
    """ref → name of the actors as the document lists them."""
    rows = document.get("content", {}).get(actors_step_key, {}).get("actors", [])
    return {row.get("ref"): row.get("name", "") for row in rows if isinstance(row, dict)}


def _path_of(value_key: str, names: Names) -> Path:
    from pathways.programs.document import LISTS as lists

    if value_key in lists:
        return (lists[value_key],)
    head, _sep, rest = value_key.partition("-")
    if head in GROUPS:
        pk, _sep, field = rest.partition("-")
        return (GROUPS[head], str(names.name(head, int(pk))), field)
    return (rest,)
