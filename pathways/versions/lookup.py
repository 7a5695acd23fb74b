"""Finding a program, and optionally one of its published versions, for the command line."""

from __future__ import annotations

from django.core.management.base import CommandError

from pathways.programs.models import Program
from pathways.versions.models import ProgramVersion


def program_and_version(code: str, number: str | None) -> tuple[Program, ProgramVersion | None]:
    """The program with short code `code` and its published version `number` (None: the
    draft), or a CommandError that says which is missing."""
    program = Program.objects.filter(code=code).first()
    if program is None:
        raise CommandError(f"No program has the short code {code!r}.")
    if not number:
        return program, None
    version = ProgramVersion.numbered(program, number).first()
    if version is None:
        raise CommandError(f"{program.code} has no published version {number!r}.")
    return program, version
