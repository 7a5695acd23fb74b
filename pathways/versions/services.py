"""Publishing a version: numbered, immutable, with its PDF rendered once and stored (by the
task worker when one runs)."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from pathways.background.workers import worker_alive
from pathways.pdf.jobs import queue_version, render_version_now
from pathways.programs.access import Action, require
from pathways.programs.data import load_program_data
from pathways.programs.document import program_document
from pathways.programs.models import AuditAction, Program, ProgramStatus
from pathways.programs.services import ServiceError, audit
from pathways.versions.models import ProgramVersion


def next_number(program: Program, *, major: bool) -> tuple[int, int]:
    last = ProgramVersion.objects.filter(program=program).order_by("-major", "-minor").first()
    if last is None:
        return (1, 0)
    return (last.major + 1, 0) if major else (last.major, last.minor + 1)


def _published_as(program: Program, label: str) -> dict:
    return {
        "code": program.code,
        "status": ProgramStatus.PUBLISHED,
        "version": label,
        "is_example": program.is_example,
    }


@transaction.atomic
def publish_version(
    *, program: Program, user: AbstractBaseUser, major: bool, change_note: str
) -> ProgramVersion:
    require(user, program, Action.APPROVE)
    if not change_note.strip():
        raise ServiceError(_("Skriv en ændringsnote: hvad er nyt i denne version?"))
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.status != ProgramStatus.APPROVED:
        raise ServiceError(_("Kun et godkendt program kan offentliggøres."))
    number = next_number(program, major=major)
    label = f"{number[0]}.{number[1]}"
    data = load_program_data(program)
    document = {**program_document(data), "program": _published_as(program, label)}
    version = ProgramVersion.objects.create(
        program=program,
        major=number[0],
        minor=number[1],
        title=program.title,
        region=program.region,
        change_note=change_note,
        published_by=user,
        document=document,
        # Rendered below from the stored document (pdf/jobs.py), the same way whether the
        # task worker does it after the commit or, with no worker running, this transaction.
        pdf=b"",
        pdf_sha256="",
    )
    if worker_alive():
        queue_version(version)
    else:
        version.pdf = render_version_now(version)
        version.pdf_sha256 = hashlib.sha256(version.pdf).hexdigest()
    program.status = ProgramStatus.PUBLISHED
    program.save(update_fields=["status", "updated_at"])
    audit(
        program=program,
        user=user,
        action=AuditAction.VERSION_PUBLISHED,
        before={"status": ProgramStatus.APPROVED},
        after={"status": ProgramStatus.PUBLISHED, "version": label, "change_note": change_note},
    )
    return version
