"""Where a catalogue row leads."""

from __future__ import annotations

from django.urls import reverse


def public_program_path(code: str) -> str:
    """The public page of a program's current published version (/p/<code>/)."""
    return reverse("public:program", args=[code])
