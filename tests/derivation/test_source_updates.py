"""When the source publishes a new version, the derived program's editors are told and can
see what changed between the version they started from and the new one."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from pathways.programs import services
from pathways.programs.data import load_program_data
from pathways.programs.models import Membership, Program, ProgramStatus, Role, StepRevision
from pathways.programs.steps import find_step
from tests.derivation.helpers import derive, soup_of
from tests.factories import UserFactory, published_version

pytestmark = pytest.mark.django_db


def _revise_purpose(program: Program, text: str) -> None:
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.DRAFT)
    step = find_step(load_program_data(program).steps, "grundlag")
    services.save_step(
        program=program,
        user=program.created_by,
        step=step,
        values={"basis-purpose": text},
        loaded_revision=StepRevision.objects.get(program=program, step_key="grundlag").number,
    )


def test_the_derived_programs_editors_hear_of_a_new_source_version_and_see_the_diff(
    client, demo_program, django_capture_on_commit_callbacks
):
    planner = UserFactory(email="planner@example.org")
    derived = derive(demo_program, planner=planner)
    co_editor = UserFactory(email="co@example.org")
    Membership.objects.create(program=derived, user=co_editor, role=Role.EDITOR)
    reader = UserFactory(email="reader@example.org")
    Membership.objects.create(program=derived, user=reader, role=Role.READER)
    client.force_login(planner)
    page = soup_of(client.get(reverse("programs:detail", args=[derived.code])))
    assert page.select_one("#source-updated") is None

    _revise_purpose(demo_program, "Et revideret formål for hele målgruppen.")
    with django_capture_on_commit_callbacks(execute=True):
        published_version(demo_program, change_note="Formålet er revideret")

    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == ["co@example.org", "planner@example.org"]  # editors only
    message = mail.outbox[0]
    assert "Kilden har offentliggjort version 2.0" in message.subject
    diff = reverse("versions:diff", args=[demo_program.code]) + "?fra=1.0&til=2.0"
    assert diff in message.body
    assert reverse("programs:detail", args=[derived.code]) in message.body

    page = soup_of(client.get(reverse("programs:detail", args=[derived.code])))
    notice = page.select_one("#source-updated")
    assert "version 2.0" in notice.get_text()
    assert page.select_one("#source-diff-link")["href"] == diff
    # The planner is no member of the source, and still reads the changes.
    response = client.get(diff)
    assert response.status_code == 200
    assert "Et revideret formål" in response.content.decode()


def test_no_mail_when_a_program_that_is_nobodys_source_publishes(
    demo_program, django_capture_on_commit_callbacks
):
    derived = derive(demo_program)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        published_version(derived)  # the derived program publishes a version of its own
    assert mail.outbox == []
