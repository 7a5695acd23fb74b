"""The "Skal tilpasses lokalt" marker beside each open local item's field on a step page.

The marker is an attribute of the form field (`local_note`, and `local_confirm` on the one
field per item that carries the "Bekræft" button); templates/bootstrap5/field.html shows
them, as the list head of a row list (programs/steps/_row_list_head.html) does for a list.
Paths map to fields by the same naming as the program document (document.py).
"""

from __future__ import annotations

from typing import Any

from django import forms as djforms

from pathways.derivation import local_items as li
from pathways.derivation.presentation import ShownItem
from pathways.programs.document import DEPARTURES, GROUPS
from pathways.programs.step_kinds import StepForms, definition_of
from pathways.programs.step_kinds.departures import PREFIX as DEPARTURE_PREFIX
from pathways.programs.steps import Step


def _fields_by_path(step: Step, forms: StepForms) -> dict[tuple, Any]:
    lists = definition_of(step).lists
    found: dict[tuple, Any] = {}
    for form in forms.named.values():
        if isinstance(form, djforms.BaseFormSet):
            found[(lists.get(form.prefix, form.prefix),)] = form
        elif form.prefix == DEPARTURE_PREFIX:
            found.update({(DEPARTURES, name): f for name, f in form.fields.items()})
        else:
            found.update({(name,): f for name, f in form.fields.items()})
    groups = (
        ("criterion", forms.criteria, "key"),
        ("need", forms.needs, "key"),
        ("point", forms.points, "reference"),
        ("transition", forms.transitions, "key"),
    )
    for head, pairs, name_attr in groups:
        for entry, form in pairs:
            for name, f in form.fields.items():
                found[(GROUPS[head], getattr(entry, name_attr), name)] = f
    return found


def mark(
    step: Step,
    forms: StepForms,
    items: list[tuple[dict, ShownItem]],
    actor_refs: dict[int, str],
    note: str,
    may_confirm: bool,
) -> set[str]:
    """Mark the fields of this step's open `items` (raw item, as shown); the keys of the
    items whose field was found (the others get their button in the step's list)."""
    by_path = _fields_by_path(step, forms)
    marked = set()
    for item, view in items:
        path = tuple(item["path"][1:])
        confirm = {"key": view.key, "label": view.label} if may_confirm else None
        if item["kind"] == li.ACTOR:
            for row in getattr(by_path.get(path[:1]), "forms", []):
                if actor_refs.get(_row_id(row)) == path[-1]:
                    marked.add(view.key)
                    for i, name in enumerate(f for f in li.ACTOR_FIELDS if f in row.fields):
                        row.fields[name].local_note = note
                        row.fields[name].local_confirm = confirm if i == 0 else None
            continue
        target = by_path.get(path)
        if target is not None:
            marked.add(view.key)
            target.local_note = note
            target.local_confirm = confirm
    return marked


def _row_id(row: djforms.Form) -> int | None:
    value = row["id"].value() if "id" in row.fields else None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
