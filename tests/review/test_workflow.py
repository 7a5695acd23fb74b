"""Draft → in review → changes requested → in review → approved → published → revised."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from pathways.programs.models import AuditEntry, Membership, Program, ProgramStatus, Role
from pathways.programs.services import ServiceError
from pathways.review import services
from pathways.review.models import ReviewRound
from pathways.versions.models import ProgramVersion
from pathways.versions.services import publish_version
from tests.factories import ProgramFactory, UserFactory, approver_for
from tests.programs.helpers import form_fields, post_step

pytestmark = pytest.mark.django_db


def people(program):
    role = {
        m.role: m.user
        for m in Membership.objects.filter(program=program).exclude(user__username="medredaktoer")
    }
    return role[Role.EDITOR], role[Role.REVIEWER], role[Role.APPROVER]


def reload(program):
    return Program.objects.get(pk=program.pk)


def test_submitting_an_incomplete_program_is_refused_and_lists_the_gaps(client, generic_model):
    editor = UserFactory()
    program = ProgramFactory(owner=editor)
    client.force_login(editor)
    response = client.post(reverse("review:submit", args=[program.code]), follow=True)
    html = response.content.decode()
    assert "kan ikke sendes i høring, før intet mangler" in html
    assert 'id="missing-list"' in html and "#id_follow_up-next_review_date" in html
    assert reload(program).status == ProgramStatus.DRAFT


@pytest.mark.real_pdf
def test_the_whole_round_with_verdicts_changes_approval_and_versions(
    demo_program, django_capture_on_commit_callbacks
):
    program = demo_program
    editor, reviewer, approver = people(program)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.submit_for_review(program=program, user=editor)
    assert reload(program).status == ProgramStatus.IN_REVIEW
    # The reviewer's organisation is the round's one party.
    assert [v.organisation for v in first.verdicts.all()] == [
        Membership.objects.get(program=program, user=reviewer).organisation
    ]
    told = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Høring:"))
    assert told == sorted([reviewer.email, approver.email])

    with pytest.raises(ServiceError, match="kan ikke ændres"):
        from pathways.programs.services import require_editable

        require_editable(reload(program))

    services.give_verdict(program=program, user=reviewer, verdict="object", note="Mangler PPR")
    services.request_changes(program=program, user=approver, note="Tilføj PPR")
    assert reload(program).status == ProgramStatus.CHANGES_REQUESTED
    assert ReviewRound.objects.get(pk=first.pk).outcome == "changes_requested"

    second = services.submit_for_review(program=reload(program), user=editor)
    assert second.number == 2
    services.give_verdict(program=program, user=reviewer, verdict="agree", note="")
    comment = services.add_comment(
        program=program, user=reviewer, step_key="grundlag", body="En åben bemærkning"
    )
    with pytest.raises(ServiceError, match="1 kommentar er ikke løst"):
        services.approve(program=program, user=approver)
    services.approve(program=program, user=approver, override_reason="Afklares i drift")
    assert ReviewRound.objects.get(pk=second.pk).approval_override_reason == "Afklares i drift"
    comment.refresh_from_db()  # approving over an open comment leaves it open
    assert comment.is_open

    v1 = publish_version(program=reload(program), user=approver, major=True, change_note="1.0")
    assert (v1.number, reload(program).status) == ("1.0", ProgramStatus.PUBLISHED)

    services.start_revision(program=reload(program), user=editor)
    assert reload(program).status == ProgramStatus.DRAFT
    services.submit_for_review(program=reload(program), user=editor)
    services.approve(program=reload(program), user=approver, override_reason="Som før")
    v11 = publish_version(
        program=reload(program), user=approver, major=False, change_note="Rettelser"
    )
    assert v11.number == "1.1"
    assert ProgramVersion.objects.get(pk=v1.pk).pdf == v1.pdf  # earlier version untouched

    actions = list(AuditEntry.objects.filter(program=program).values_list("action", flat=True))
    assert actions.count("status_changed") >= 6 and "version_published" in actions
    assert "verdict_given" in actions and "comment_added" in actions


def test_only_invited_reviewers_give_verdicts_and_only_in_review(demo_program):
    editor, reviewer, _approver = people(demo_program)
    with pytest.raises(ServiceError):
        services.give_verdict(program=demo_program, user=reviewer, verdict="agree", note="")
    late = UserFactory()
    Membership.objects.create(program=demo_program, user=late, role=Role.REVIEWER)
    Membership.objects.filter(user=late).delete()
    services.submit_for_review(program=demo_program, user=editor)
    Membership.objects.create(program=demo_program, user=late, role=Role.REVIEWER)
    with pytest.raises(ServiceError, match="ikke inviteret"):
        services.give_verdict(program=demo_program, user=late, verdict="agree", note="")


def test_editors_cannot_change_content_while_in_review(client, demo_program):
    editor, *_ = people(demo_program)
    client.force_login(editor)
    url = reverse("programs:step", args=[demo_program.code, "grundlag"])

    def step_form() -> dict:
        data = form_fields(client.get(url).content.decode())
        # The step's own form (it carries the revision), not the comment form below it.
        assert {"revision", "basis-purpose"} <= data.keys()
        return data

    # Control: in draft, this very form saves, so a refusal below is the status's doing.
    client.post(url, {**step_form(), "basis-purpose": "Ændret i udkast", "save": "1"})
    assert reload(demo_program).purpose == "Ændret i udkast"

    # The editor has the step open when the program goes into review, then saves.
    loaded = step_form()
    services.submit_for_review(program=demo_program, user=editor)
    saves = AuditEntry.objects.filter(program=demo_program, action="step_saved").count()
    response = client.post(url, {**loaded, "basis-purpose": "Ændret under høring", "save": "1"})
    assert response.status_code < 500
    assert reload(demo_program).purpose == "Ændret i udkast"
    assert AuditEntry.objects.filter(program=demo_program, action="step_saved").count() == saves
    assert "Læsevisning" in client.get(url).content.decode()


def test_only_an_approved_program_is_published_and_only_by_the_approver(demo_program):
    editor, _reviewer, approver = people(demo_program)
    with pytest.raises(ServiceError, match="Kun et godkendt program"):
        publish_version(program=demo_program, user=approver, major=True, change_note="x")
    Program.objects.filter(pk=demo_program.pk).update(status=ProgramStatus.APPROVED)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        publish_version(program=demo_program, user=editor, major=True, change_note="x")


def test_consultation_summary_shows_who_said_what_and_open_comments(client, demo_program):
    editor, reviewer, _ = people(demo_program)
    services.submit_for_review(program=demo_program, user=editor)
    services.give_verdict(
        program=demo_program,
        user=reviewer,
        verdict="agree_with_comments",
        note="<b>Fint</b> med PPR",
    )
    services.add_comment(
        program=demo_program,
        user=reviewer,
        step_key="del-4-4",
        body="Hvem indkalder til netværksmødet?",
    )
    client.force_login(editor)
    html = client.get(reverse("review:summary", args=[demo_program.code])).content.decode()
    assert "Høringsrunde 1" in html and "Aalborg Kommune" in html
    assert "Enig med bemærkninger" in html and "&lt;b&gt;Fint&lt;/b&gt; med PPR" in html
    assert "Hvem indkalder til netværksmødet?" in html


def test_audit_log_shows_before_and_after_and_cannot_be_changed(client, demo_program):
    editor, reviewer, approver = people(demo_program)
    client.force_login(editor)
    post_step(
        client,
        reverse("programs:step", args=[demo_program.code, "grundlag"]),
        {"basis-purpose": "Nyt formål"},
    )
    html = client.get(reverse("review:audit", args=[demo_program.code])).content.decode()
    assert "step_saved" in html and "Nyt formål" in html
    entry = AuditEntry.objects.filter(program=demo_program).first()
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()
    client.force_login(reviewer)
    assert client.get(reverse("review:audit", args=[demo_program.code])).status_code == 403
    client.force_login(approver)
    assert client.get(reverse("review:audit", args=[demo_program.code])).status_code == 200


def test_diff_marks_inserted_and_deleted_words_and_escapes_them(client, demo_program):
    editor, _reviewer, approver = people(demo_program)
    Program.objects.filter(pk=demo_program.pk).update(status=ProgramStatus.APPROVED)
    publish_version(program=demo_program, user=approver, major=True, change_note="1.0")
    Program.objects.filter(pk=demo_program.pk).update(
        status=ProgramStatus.DRAFT, purpose="Et <i>helt</i> nyt formål"
    )
    client.force_login(editor)
    html = client.get(
        reverse("versions:diff", args=[demo_program.code]) + "?fra=1.0&til=udkast"
    ).content.decode()
    assert "1. Grundlag og arbejdsgruppe" in html
    # Rewritten wholesale: the old text deleted, the new one inserted, both escaped.
    assert "<ins>Et &lt;i&gt;helt&lt;/i&gt; nyt formål</ins>" in html
    assert "<del>Programmet skal give" in html
    assert "<i>helt" not in html


def test_word_diff_marks_only_the_changed_words():
    from pathways.text_diff import word_diff

    html = word_diff(
        "Henvisning inden 3 måneder efter diagnosen.",
        "Henvisning inden 2 måneder efter diagnosen <b>.</b>",
    )
    assert "<del>3</del><ins>2</ins>" in html
    assert html.startswith("Henvisning inden ")
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_editors_invite_reviewers_for_an_organisation(client, demo_program):
    editor, *_ = people(demo_program)
    colleague = UserFactory(username="hjoerring")
    org = Membership.objects.get(program=demo_program, role=Role.REVIEWER).organisation
    client.force_login(editor)
    url = reverse("programs:members", args=[demo_program.code])
    response = client.post(url, {"username": "hjoerring", "role": "reviewer"})
    assert "Angiv hvilken organisation" in response.content.decode()
    client.post(url, {"username": "hjoerring", "role": "reviewer", "organisation": org.pk})
    membership = Membership.objects.get(program=demo_program, user=colleague)
    assert (membership.role, membership.organisation) == (Role.REVIEWER, org)


def test_a_staff_appointed_approver_is_the_only_one_who_approves(demo_program):
    from django.core.exceptions import PermissionDenied

    editor, reviewer, _ = people(demo_program)
    services.submit_for_review(program=demo_program, user=editor)
    for someone_else in (editor, reviewer):
        with pytest.raises(PermissionDenied):
            services.approve(program=demo_program, user=someone_else, override_reason="x")
        assert reload(demo_program).status == ProgramStatus.IN_REVIEW
    other = approver_for(demo_program)
    services.approve(program=demo_program, user=other)
    assert reload(demo_program).status == ProgramStatus.APPROVED
