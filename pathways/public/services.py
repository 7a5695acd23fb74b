"""Storing a reader's feedback: the message, an entry in the program's log, mail to its editors."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from pathways.mail import absolute_url
from pathways.programs.models import AuditAction, Program, Role
from pathways.programs.notifications import notify, program_link
from pathways.programs.services import ServiceError, audit
from pathways.public.models import Feedback
from pathways.versions.models import ProgramVersion


@transaction.atomic
def give_feedback(
    *,
    program: Program,
    version: ProgramVersion | None,
    message: str,
    name: str = "",
    email: str = "",
    ip_hash: str = "",
) -> Feedback:
    """Store one reader's message about a published program and tell its editors (after
    commit). No account: the reader is anonymous unless they give a name or address."""
    if version is not None and version.program_id != program.pk:
        raise ServiceError("The version belongs to another program.")
    # Only a published program has readers: its versions are immutable, so one row says it.
    if not ProgramVersion.objects.filter(program=program).exists():
        raise ServiceError("The program has no published version.")
    feedback = Feedback.objects.create(
        program=program,
        version=version,
        name=name.strip(),
        email=email.strip(),
        message=message,
        ip_hash=ip_hash,
    )
    after = {"version": version.number if version else ""}
    if feedback.name:
        after["name"] = feedback.name
    audit(program=program, user=None, action=AuditAction.FEEDBACK_RECEIVED, after=after)
    notify(
        program,
        kind="feedback_received",
        roles=(Role.EDITOR,),
        context={
            "feedback": feedback,
            "version_number": version.number if version else "",
            "link": program_link(program),
            "public_link": absolute_url(reverse("public:program", args=[program.code])),
        },
    )
    return feedback
