"""What in a program belongs to the region it was written for: the one place that says so.

When a program is used as the starting point for another region, these items are copied
(dates and the approving body are cleared: they cannot be right for another region) and
listed as "skal tilpasses lokalt" until the new program's group confirms or changes them:

- the working group (one item: the whole group);
- every actor (one item per actor: its name, unit, contact point, referral route and who
  delivers a reformed task from 2027);
- the approving body, where the program is published, the agreements and forum behind it,
  its start date and the date of its next revision;
- every other text that names the source's region or one of its municipalities (read from
  the region data: fixtures/regions/), e.g. "Aalborg Universitetshospital".

An item is a dict (stored in Derivation.local_items): `path` is the document path from the
step key down ("aktoerer", "actors", "a3"), `kind`, `copied` (the value the new program got,
what "changed" is measured against), `source` (the source's value), and what the pages show:
`where` (the attention point or actor the field belongs to), `field` (the field's label as
its Danish source string, translated when shown), `anchor` (the field's id on the step page)
and `places` (the place names a text mentions).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from django.utils import translation

from pathways.programs.data import ProgramData
from pathways.programs.document import flatten, path_key
from pathways.programs.models import ApprovingBody
from pathways.programs.readable import StepReader
from pathways.programs.regions import region_name
from pathways.programs.steps import Step, StepKind

WORKING_GROUP = "working_group"
ACTOR = "actor"
FIELD = "field"  # copied as it is
CLEARED = "cleared"  # copied empty: the source's value cannot be right for another region
MENTION = "mention"

# Step kind → its local fields (by their name in the program document) and how each is copied.
LOCAL_FIELDS: dict[StepKind, dict[str, str]] = {
    StepKind.BASIS: {"working_group": WORKING_GROUP, "approving_body": CLEARED},
    StepKind.ACTORS: {"actors": ACTOR},
    StepKind.IMPLEMENTATION: {
        "agreements_forum": FIELD,
        "publication_place": FIELD,
        "start_date": CLEARED,
    },
    StepKind.FOLLOW_UP: {"next_review_date": CLEARED},
}
# An actor's fields that name or reach it locally (the type, level and companion entry are
# the model's and stay as they are).
ACTOR_FIELDS = ("name", "unit", "contact_point", "visitation_entry", "delivered_from_2027_by")
# Never a mention: set anew (title, region) or not text.
NOT_SCANNED = {"title", "region"}


def key(item: dict[str, Any]) -> str:
    """The item's identity in Derivation.decisions and in the confirm form."""
    return path_key(tuple(item["path"]))


def prepare(document: dict[str, Any], steps: list[Step]) -> dict[str, Any]:
    """A copy of `document` with the cleared fields emptied."""
    prepared = copy.deepcopy(document)
    for step in steps:
        step_doc = prepared["content"].get(step.key)
        for field, how in LOCAL_FIELDS.get(step.kind, {}).items():
            if how == CLEARED and step_doc is not None and field in step_doc:
                step_doc[field] = None if field.endswith("_date") else ""
    return prepared


def place_names(region: str) -> list[str]:
    """The region's name and its municipalities' (from every body that ever served it)."""
    names = [region_name(region)]
    for body in ApprovingBody.objects.filter(region__code=region):
        names.extend(m for m in body.municipalities if isinstance(m, str))
    return sorted({n for n in names if n.strip()}, key=lambda n: (-len(n), n))


def mentions(text: str, places: list[str]) -> list[str]:
    if not places or not isinstance(text, str):
        return []
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(p) for p in places) + r")(?!\w)")
    return sorted(set(pattern.findall(text)))


def find(
    source: dict[str, Any],
    copied: dict[str, Any],
    data: ProgramData,
    places: list[str],
) -> list[dict[str, Any]]:
    """The local items of a new program: `copied` is its document just after the copy,
    `source` the document it was copied from, `data` the new program loaded."""
    items: list[dict[str, Any]] = []
    for step in data.steps:
        source_doc = source["content"].get(step.key) or {}
        copied_doc = copied["content"].get(step.key) or {}
        local = LOCAL_FIELDS.get(step.kind, {})
        found: list[dict[str, Any]] = []
        for field, how in local.items():
            if how == ACTOR:
                for row in source_doc.get(field) or []:
                    if any(row.get(f) for f in ACTOR_FIELDS):
                        path = [step.key, field, row.get("ref")]
                        found.append(_item(path, how, _actor_value(copied_doc, path), row))
            elif source_doc.get(field) not in (None, "", []):
                found.append(
                    _item([step.key, field], how, copied_doc.get(field), source_doc.get(field))
                )
        flat_source = flatten(source_doc)
        for path, value in flatten(copied_doc).items():
            if path[0] in local or path[0] in NOT_SCANNED or not isinstance(value, str):
                continue
            named = mentions(value, places)
            if named:
                item = _item([step.key, *path], MENTION, value, flat_source.get(path, value))
                item["places"] = named
                found.append(item)
        if found:
            _describe(found, StepReader(step, data), copied_doc)
            items.extend(found)
    return items


def _item(path: list[str], kind: str, copied: Any, source: Any) -> dict[str, Any]:
    return {"path": path, "kind": kind, "copied": copied, "source": source}


def _describe(items: list[dict[str, Any]], reader: StepReader, step_doc: dict) -> None:
    """Labels (the Danish source strings, translated when shown) and anchors."""
    refs = [row.get("ref") for row in step_doc.get("actors") or []]
    forms = reader.forms
    with translation.override("da"):
        for item in items:
            path = tuple(item["path"][1:])
            if item["kind"] == ACTOR:
                ref = path[-1]
                index = refs.index(ref) if ref in refs else None
                item["where"] = (item["source"] or {}).get("name", "")
                item["field"] = ""
                item["anchor"] = f"id_actors-{index}-name" if index is not None else "actors"
                item["copied_fields"] = [f for f in ACTOR_FIELDS if (item["source"] or {}).get(f)]
                item["source"] = {f: (item["source"] or {}).get(f) for f in ACTOR_FIELDS}
                continue
            value_key = reader.value_key.get(path, "")
            field = forms.field(value_key)
            label = str(field.label) if field is not None and field.label else ""
            full = forms.labels.get(value_key, "")
            if not label:  # a list: its title
                label = full or reader.label(path)
            item["field"] = label
            item["where"] = full[: -len(label) - 2] if full.endswith(": " + label) else ""
            item["anchor"] = forms.anchors.get(value_key, "")


def _actor_value(step_doc: dict[str, Any], path: list[str]) -> dict[str, Any] | None:
    row = next((r for r in step_doc.get(path[1]) or [] if r.get("ref") == path[2]), None)
    return None if row is None else {f: row.get(f) for f in ACTOR_FIELDS}


def current_value(item: dict[str, Any], step_doc: dict[str, Any]) -> Any:
    """The item's value in a step's document now (compared with `copied`)."""
    if item["kind"] == ACTOR:
        return _actor_value(step_doc, item["path"])
    return flatten(step_doc).get(tuple(item["path"][1:]))
