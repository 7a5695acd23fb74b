"""A local item as the pages show it, in the reader's language."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pathways.derivation import local_items as li

# The actors step's own labels for these fields (same source strings, same translations).
ACTOR_FIELD_LABELS = {
    "name": gettext_lazy("Navn"),
    "unit": gettext_lazy("Afdeling eller enhed"),
    "contact_point": gettext_lazy("Kontaktpunkt"),
    "visitation_entry": gettext_lazy("Visitation og henvisning"),
    "delivered_from_2027_by": gettext_lazy("Leveres fra 1. januar 2027 af"),
}


@dataclass(frozen=True)
class ShownItem:
    key: str
    step_key: str
    label: str
    detail: str
    anchor: str


def shown(item: dict[str, Any]) -> ShownItem:
    kind, field = item["kind"], _(item["field"]) if item.get("field") else ""
    where = item.get("where", "")
    if kind == li.ACTOR:
        label = _("Aktør: %(name)s") % {"name": where or item["path"][-1]}
        detail = ", ".join(str(ACTOR_FIELD_LABELS[f]) for f in item.get("copied_fields", []))
    elif kind == li.WORKING_GROUP:
        label = field
        n = len(item["source"] or [])
        detail = ngettext("%(n)d medlem fra kilden", "%(n)d medlemmer fra kilden", n) % {"n": n}
    elif kind == li.CLEARED:
        label = field
        detail = _("Ikke kopieret; kilden havde: %(value)s") % {"value": _value(item["source"])}
    elif kind == li.MENTION:
        label = f"{where}: {field}" if where else field
        detail = _("Nævner %(places)s") % {"places": ", ".join(item.get("places", []))}
    else:
        label, detail = field, ""
    return ShownItem(li.key(item), item["path"][0], label, detail, item.get("anchor", ""))


def _value(value: Any) -> str:
    if isinstance(value, str):
        try:
            return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return str(value)
