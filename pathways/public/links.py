"""Links to files other apps serve for a published version."""

from __future__ import annotations

from urllib.parse import quote


def fhir_url(code: str, number: str) -> str:
    """The version's FHIR PlanDefinition, which the FHIR export (pathways/fhir/) serves at
    this address; a literal path until both apps are merged, then a reverse()."""
    return f"/p/{quote(code, safe='')}/{quote(number, safe='')}/fhir.json"
