"""A program's open local items, read once per request: the program page, the step pages and
"Send i høring" (review.services.review_requirements) all ask."""

from __future__ import annotations

from typing import Any

from pathways.derivation import local_items
from pathways.derivation.models import Derivation
from pathways.programs.models import Program

_UNREAD = object()


def derivation_of(program: Program) -> Derivation | None:
    """The program's origin, or None for a program not built on another (one query, kept on
    the program object for the rest of the request)."""
    found = program.__dict__.get("_derivation_found", _UNREAD)
    if found is _UNREAD:
        found = (
            Derivation.objects.select_related("source_program", "source_version")
            .defer("source_version__pdf", "source_version__document")
            .filter(program_id=program.pk)
            .first()
        )
        program.__dict__["_derivation_found"] = found
    return found


def open_items(derivation: Derivation | None) -> list[dict[str, Any]]:
    """The local items nobody has confirmed or changed yet, in the program's order."""
    if derivation is None:
        return []
    return [i for i in derivation.local_items if local_items.key(i) not in derivation.decisions]
