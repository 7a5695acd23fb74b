"""Publishes the example program as version 1.0 through the real workflow.

The demo file's `publication` block (fixtures/demo/FORMAT.md) names the cover letter, each
invited reviewer's verdict, the approver and the change note. Sending for review, the
verdicts, approval and publishing go through the same services as the browser, so the
published demo is checked as any program is; no mail is sent (its people are made up).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from pathways import mail
from pathways.programs.demo import DemoDataError
from pathways.programs.models import Program, ProgramStatus
from pathways.review import services
from pathways.versions.models import ProgramVersion
from pathways.versions.services import publish_version


@transaction.atomic
def publish_demo_program(program: Program, publication: dict[str, Any]) -> ProgramVersion | None:
    """Version 1.0 of the loaded example; None if it has a published version already."""
    if program.versions.exists():
        return None
    users = {u.username: u for u in get_user_model().objects.all()}
    owner = program.created_by

    def user(name: str):
        if name not in users:
            raise DemoDataError(f"The demo's publication names an unknown account {name!r}.")
        return users[name]

    with mail.withheld():
        if program.status != ProgramStatus.IN_REVIEW:
            services.submit_for_review(
                program=program, user=owner, cover_letter=publication.get("cover_letter", "")
            )
        for verdict in publication.get("verdicts", []):
            services.give_verdict(
                program=program,
                user=user(verdict["reviewer"]),
                verdict=verdict["verdict"],
                note=verdict.get("note", ""),
            )
        approver = user(publication["approver"])
        services.approve(program=program, user=approver)
        return publish_version(
            program=program,
            user=approver,
            major=True,
            change_note=publication["change_note"],
        )
