"""Approval needs a recorded reason whenever a reviewer's point was not settled by the
people responsible for the text: open comments, an objection in the current round, or a
comment resolved by someone other than its author or an editor."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import formats, timezone

from pathways.programs.models import (
    AuditEntry,
    Membership,
    Organisation,
    Program,
    ProgramStatus,
    Role,
)
from pathways.programs.services import ServiceError
from pathways.review import services
from pathways.review.models import Comment, ReviewRound
from pathways.versions.services import publish_version
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(demo_program):
    """The demo program in review, with its editor, reviewer and approver."""
    members = Membership.objects.filter(program=demo_program).exclude(user__username="medredaktoer")
    role = {m.role: m.user for m in members}
    editor, reviewer, approver = role[Role.EDITOR], role[Role.REVIEWER], role[Role.APPROVER]
    services.submit_for_review(program=demo_program, user=editor)
    return demo_program, editor, reviewer, approver


def status(program) -> str:
    return Program.objects.get(pk=program.pk).status


def approval_entry(program) -> AuditEntry:
    return AuditEntry.objects.filter(
        program=program, action="status_changed", after__status=ProgramStatus.APPROVED
    ).get()


def comment_by(program, author, body="En bemærkning") -> Comment:
    return services.add_comment(program=program, user=author, step_key="grundlag", body=body)


def test_an_objection_in_the_current_round_needs_a_reason(cast):
    program, _editor, reviewer, approver = cast
    services.give_verdict(program=program, user=reviewer, verdict="object", note="Mangler PPR")

    with pytest.raises(ServiceError, match="gør indsigelse") as refused:
        services.approve(program=program, user=approver)
    assert reviewer.get_full_name() in str(refused.value)
    assert "Aalborg Kommune" in str(refused.value)  # the organisation that objects
    assert status(program) == ProgramStatus.IN_REVIEW

    services.approve(program=program, user=approver, override_reason="PPR afklares i drift")
    assert status(program) == ProgramStatus.APPROVED
    entry = approval_entry(program)
    assert entry.user == approver
    assert entry.after["override_reason"] == "PPR afklares i drift"
    assert entry.after["override_conditions"] == "objection"
    round_ = ReviewRound.objects.get(program=program)
    assert round_.approval_override_conditions == ["objection"]


def test_only_the_latest_verdict_counts(cast):
    program, _editor, reviewer, approver = cast
    services.give_verdict(program=program, user=reviewer, verdict="agree", note="")
    services.give_verdict(program=program, user=reviewer, verdict="object", note="Alligevel ikke")
    with pytest.raises(ServiceError, match="gør indsigelse"):
        services.approve(program=program, user=approver)

    services.give_verdict(program=program, user=reviewer, verdict="agree", note="Nu er det fint")
    services.approve(program=program, user=approver)
    assert status(program) == ProgramStatus.APPROVED
    assert approval_entry(program).after["override_conditions"] == ""


def test_an_objection_in_an_earlier_round_does_not_count(cast):
    program, editor, reviewer, approver = cast
    services.give_verdict(program=program, user=reviewer, verdict="object", note="Mangler PPR")
    services.request_changes(program=program, user=approver, note="Tilføj PPR")
    services.submit_for_review(program=program, user=editor)  # round 2: not answered yet
    services.approve(program=program, user=approver)
    assert status(program) == ProgramStatus.APPROVED


def test_a_comment_resolved_by_the_approver_needs_a_reason(cast):
    program, _editor, reviewer, approver = cast
    comment = comment_by(program, reviewer)
    services.set_resolved(program=program, user=approver, comment=comment, resolved=True)

    with pytest.raises(ServiceError, match="løst af en anden end den, der skrev den"):
        services.approve(program=program, user=approver)
    assert status(program) == ProgramStatus.IN_REVIEW

    services.approve(program=program, user=approver, override_reason="Besvaret på mødet 3/9")
    entry = approval_entry(program)
    assert entry.after["override_reason"] == "Besvaret på mødet 3/9"
    assert entry.after["override_conditions"] == "resolved_by_others"


def test_a_comment_resolved_by_another_reviewer_needs_a_reason(cast):
    program, _editor, reviewer, approver = cast
    colleague = UserFactory()
    Membership.objects.create(
        program=program,
        user=colleague,
        role=Role.REVIEWER,
        organisation=Organisation.objects.get(name="Aalborg Kommune"),
    )
    comment = comment_by(program, reviewer)
    services.set_resolved(program=program, user=colleague, comment=comment, resolved=True)
    with pytest.raises(ServiceError, match="løst af en anden"):
        services.approve(program=program, user=approver)
    assert status(program) == ProgramStatus.IN_REVIEW


@pytest.mark.parametrize("resolver", ["author", "editor"])
def test_a_comment_resolved_by_its_author_or_an_editor_needs_no_reason(cast, resolver):
    program, editor, reviewer, approver = cast
    comment = comment_by(program, reviewer)
    user = reviewer if resolver == "author" else editor
    services.set_resolved(program=program, user=user, comment=comment, resolved=True)
    services.approve(program=program, user=approver)
    assert status(program) == ProgramStatus.APPROVED


def test_the_resolver_role_is_the_one_they_had_when_resolving(cast):
    """An editor's resolution stays an editor's, even if they later leave the program."""
    program, editor, reviewer, approver = cast
    comment = comment_by(program, reviewer)
    colleague = Membership.objects.get(program=program, user__username="medredaktoer").user
    services.set_resolved(program=program, user=colleague, comment=comment, resolved=True)
    Membership.objects.filter(program=program, user=colleague).update(role=Role.READER)
    services.approve(program=program, user=approver)
    assert status(program) == ProgramStatus.APPROVED


def test_resolving_twice_keeps_the_first_resolver(cast):
    program, editor, reviewer, approver = cast
    comment = comment_by(program, reviewer)
    services.set_resolved(program=program, user=editor, comment=comment, resolved=True)
    services.set_resolved(program=program, user=approver, comment=comment, resolved=True)
    comment.refresh_from_db()
    assert (comment.resolved_by, comment.resolved_by_role) == (editor, Role.EDITOR)
    services.approve(program=program, user=approver)  # the editor's resolution stands
    assert status(program) == ProgramStatus.APPROVED


def test_resolutions_covered_by_an_earlier_approval_do_not_count_again(cast):
    program, editor, reviewer, approver = cast
    comment = comment_by(program, reviewer)
    services.set_resolved(program=program, user=approver, comment=comment, resolved=True)
    services.approve(program=program, user=approver, override_reason="Afklaret")
    publish_version(
        program=Program.objects.get(pk=program.pk), user=approver, major=True, change_note="1.0"
    )
    services.start_revision(program=program, user=editor)
    services.submit_for_review(program=program, user=editor)
    services.approve(program=program, user=approver)
    assert status(program) == ProgramStatus.APPROVED


def test_the_refusal_names_every_condition_that_applies(cast):
    program, _editor, reviewer, approver = cast
    services.give_verdict(program=program, user=reviewer, verdict="object", note="")
    comment_by(program, reviewer, "Stadig åben")
    resolved = comment_by(program, reviewer, "Lukket af godkenderen")
    services.set_resolved(program=program, user=approver, comment=resolved, resolved=True)
    with pytest.raises(ServiceError) as refused:
        services.approve(program=program, user=approver, override_reason="   ")
    message = str(refused.value)
    assert "1 kommentar er ikke løst" in message
    assert "gør indsigelse" in message
    assert "løst af en anden" in message
    services.approve(program=program, user=approver, override_reason="Samlet vurdering")
    conditions = approval_entry(program).after["override_conditions"]
    assert conditions == "open_comments, objection, resolved_by_others"


def test_the_approve_page_refuses_without_a_reason_and_says_why(client, cast):
    program, _editor, reviewer, approver = cast
    services.give_verdict(program=program, user=reviewer, verdict="object", note="Nej")
    client.force_login(approver)
    url = reverse("review:approve", args=[program.code])

    html = client.post(url, {"note": ""}, follow=True).content.decode()
    assert "Godkendelsen kræver en begrundelse" in html and "gør indsigelse" in html
    assert status(program) == ProgramStatus.IN_REVIEW

    html = client.post(url, {"note": "Indsigelsen er uden betydning"}, follow=True)
    assert "Programmet er godkendt" in html.content.decode()
    assert status(program) == ProgramStatus.APPROVED
    assert approval_entry(program).after["override_reason"] == "Indsigelsen er uden betydning"


def test_a_refused_note_is_never_taken_for_an_empty_one(client, cast):
    """A note over the limit used to be dropped and changes requested without it."""
    program, _editor, _reviewer, approver = cast
    client.force_login(approver)
    url = reverse("review:request_changes", args=[program.code])
    html = client.post(url, {"note": "x" * 5001}, follow=True).content.decode()
    assert "Intet er ændret" in html
    assert status(program) == ProgramStatus.IN_REVIEW


def test_the_summary_says_who_resolved_what_and_what_approval_needs(client, cast):
    program, editor, reviewer, approver = cast
    by_editor = comment_by(program, reviewer, "Besvaret af redaktøren")
    by_approver = comment_by(program, reviewer, "Lukket af godkenderen")
    services.set_resolved(program=program, user=editor, comment=by_editor, resolved=True)
    services.set_resolved(program=program, user=approver, comment=by_approver, resolved=True)
    client.force_login(reviewer)
    html = client.get(reverse("review:summary", args=[program.code])).content.decode()

    soup = BeautifulSoup(html, "html.parser")
    first = soup.find(id=f"resolved-{by_editor.pk}").get_text(" ", strip=True)
    second = soup.find(id=f"resolved-{by_approver.pk}").get_text(" ", strip=True)
    assert f"Løst af {editor.get_full_name()} (redaktør)" in first
    assert "løst af en anden end forfatteren" not in first
    assert f"Løst af {approver.get_full_name()} (godkender)" in second
    assert "løst af en anden end forfatteren eller en redaktør" in second
    by_approver.refresh_from_db()
    when = formats.date_format(timezone.localtime(by_approver.resolved_at), "SHORT_DATETIME_FORMAT")
    assert when in second
    conditions = soup.find(id="approval-conditions").get_text(" ", strip=True)
    assert "1 kommentar er løst af en anden" in conditions

    services.approve(program=program, user=approver, override_reason="Drøftet med kommunen")
    html = client.get(reverse("review:summary", args=[program.code])).content.decode()
    assert "Godkendt trods kommentarer løst af andre" in html and "Drøftet med kommunen" in html
    assert 'id="approval-conditions"' not in html
