"""Checking an export against the FHIR R4B resource models (fhir.resources), and finding
things in it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir_core.fhirabstractmodel import FHIRAbstractModel

EMPTY = (None, "", [], {})


def problems(data: dict[str, Any]) -> list[str]:
    """Everything the R4B models refuse or that FHIR JSON forbids, as messages ([] when
    valid). The models check structure and types; they do not check a required binding's
    codes, nor FHIR JSON's rule against empty values, so those are checked here."""
    try:
        bundle = Bundle.model_validate(data)
        for entry in data["entry"]:
            resource = entry["resource"]
            get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        return [str(error)]
    found = list(_codes_outside_binding(bundle, "Bundle"))
    found += [f"empty value at {path}" for path in _empty_values(data, "Bundle")]
    # Nothing the models did not know was silently dropped.
    if json.loads(bundle.model_dump_json(exclude_none=True)) != data:
        found.append("the models' reading differs from the export")
    return found


def _codes_outside_binding(model: FHIRAbstractModel, path: str) -> Iterator[str]:
    for name, field in type(model).model_fields.items():
        value = getattr(model, name, None)
        if value is None:
            continue
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        allowed = extra.get("enum_values")
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            if allowed and isinstance(item, str) and item not in allowed:
                yield f"{path}.{name}: {item!r} is none of {allowed}"
            if isinstance(item, FHIRAbstractModel):
                yield from _codes_outside_binding(item, f"{path}.{name}[{i}]")


def _empty_values(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if item in EMPTY:
                yield f"{path}.{key}"
            yield from _empty_values(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if item in EMPTY:
                yield f"{path}[{i}]"
            yield from _empty_values(item, f"{path}[{i}]")


def plan_definition(bundle: dict[str, Any]) -> dict[str, Any]:
    return bundle["entry"][0]["resource"]


def organizations(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """fullUrl → Organization."""
    return {
        e["fullUrl"]: e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Organization"
    }


def all_actions(actions: list[dict[str, Any]]) -> Iterator[tuple[dict, dict | None]]:
    """(action, its parent action) at every level."""
    stack = [(action, None) for action in reversed(actions)]
    while stack:
        action, parent = stack.pop()
        yield action, parent
        stack += [(child, action) for child in reversed(action.get("action", []))]


def action(bundle: dict[str, Any], action_id: str) -> dict[str, Any]:
    (found,) = [
        a for a, _p in all_actions(plan_definition(bundle)["action"]) if a["id"] == action_id
    ]
    return found


def parent_of(bundle: dict[str, Any], action_id: str) -> dict[str, Any] | None:
    (found,) = [
        p for a, p in all_actions(plan_definition(bundle)["action"]) if a["id"] == action_id
    ]
    return found


def participant_refs(action: dict[str, Any]) -> list[tuple[str, str]]:
    """(reference, role code) of the action's participants."""
    return [
        (
            next(e["valueReference"]["reference"] for e in p["extension"]),
            p["role"]["coding"][0]["code"],
        )
        for p in action.get("participant", [])
    ]
