"""Where a catalogue row leads."""

from __future__ import annotations


def public_program_path(code: str) -> str:
    """The public page of a program's current published version. A literal path: the public
    page is its own app (`public:program`); once both are in place this is
    reverse("public:program", args=[code])."""
    return f"/p/{code}/"
