"""Mail to the editors of programs built on another when that program publishes a version."""

from __future__ import annotations

from django.urls import reverse

from pathways.derivation.models import Derivation
from pathways.mail import absolute_url
from pathways.programs.models import Role
from pathways.programs.notifications import notify, program_link
from pathways.versions.models import ProgramVersion


def diff_link(derivation: Derivation, version: ProgramVersion) -> str:
    """The source's changes from the version the program started from to `version`; the
    new version's page when it started from a draft (there is no version to compare)."""
    source = derivation.source_program
    if derivation.source_version_id is None:
        return reverse("versions:detail", args=[source.code, version.number])
    query = f"?fra={derivation.source_version.number}&til={version.number}"
    return reverse("versions:diff", args=[source.code]) + query


def source_published(version: ProgramVersion) -> None:
    """Sent after commit to each derived program's editors (never, if publishing fails)."""
    derived = (
        Derivation.objects.filter(source_program_id=version.program_id)
        .select_related("program", "source_program", "source_version")
        .defer("source_version__pdf", "source_version__document")
    )
    for derivation in derived:
        notify(
            derivation.program,
            kind="source_version_published",
            roles=(Role.EDITOR,),
            context={
                "derivation": derivation,
                "version": version,
                "source_title": version.title or derivation.source_title,
                "started_from": derivation.source_number,
                "diff_link": absolute_url(diff_link(derivation, version)),
                "link": program_link(derivation.program),
            },
        )
