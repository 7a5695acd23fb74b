"""The program's actors as FHIR Organizations, one per row of the document's actor list."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _

from pathways.pdf.document import ActorView

XHTML = "http://www.w3.org/1999/xhtml"


def resource_uuid(page: str, name: str) -> str:
    """A stable id for something the export of one version names: the same version always
    gives the same ids, another version (or another installation) other ones."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{page}#{name}"))


def narrative(paragraphs: list[str], *, status: str) -> dict[str, str]:
    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs if text)
    return {"status": status, "div": f'<div xmlns="{XHTML}">{body}</div>'}


def organization(ref: str, actor: ActorView, *, resource_id: str, system: str) -> dict[str, Any]:
    """An actor as an Organization. R4B's Organization has no description and its contacts
    want structured phone numbers and addresses, while the program describes the unit, how
    to get in touch and how to refer in words: those are the resource's narrative, marked
    "additional" (it says more than the structured elements)."""
    labelled = [
        (_("Afdeling eller enhed"), actor.unit),
        (_("Kontaktpunkt"), actor.contact_point),
        (_("Visitation og henvisning"), actor.visitation_entry),
    ]
    return {
        "resourceType": "Organization",
        "id": resource_id,
        "language": "da",
        "text": narrative(
            [actor.name, *(f"{label}: {value}" for label, value in labelled if value)],
            status="additional",
        ),
        # The ref the canonical JSON names the actor by, so the two exports can be joined.
        "identifier": [{"system": system, "value": ref}],
        "active": True,
        "type": [{"text": actor.actor_type}] if actor.actor_type else [],
        "name": actor.name,
    }
