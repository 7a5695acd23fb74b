"""Notification mail: sent after commit, from templates, with absolute links; a mail that
cannot be sent (or a hostile title) never loses or rolls back what it reports."""

from __future__ import annotations

import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse

from pathways.mail import one_line
from pathways.programs.models import Membership, Program, ProgramStatus, Role
from pathways.review import services
from pathways.review.models import Comment
from tests.support.commit_hooks import mail_callbacks
from tests.support.settings_probe import settings_with

pytestmark = pytest.mark.django_db

LOGGER = "pathways.mail"


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses everything."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def member(program, role):
    return (
        Membership.objects.filter(program=program, role=role)
        .exclude(user__username="medredaktoer")
        .get()
        .user
    )


def test_mail_waits_for_the_commit_and_links_are_absolute(
    client, demo_program, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://forloeb.example.dk"
    reviewer = member(demo_program, Role.REVIEWER)
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(
            reverse("review:comment_add", args=[demo_program.code, "grundlag"]),
            {"body": "Hvem indkalder?"},
        )
        assert mail.outbox == []  # nothing leaves before the change is committed
    assert len(mail_callbacks(callbacks)) == 1
    mail_callbacks(callbacks)[0]()

    comment = Comment.objects.get()
    link = (
        "https://forloeb.example.dk"
        + reverse("programs:step", args=[demo_program.code, "grundlag"])
        + f"#comment-{comment.pk}"
    )
    assert mail.outbox and all(link in m.body for m in mail.outbox)
    assert all(m.subject.startswith("Ny kommentar: Eksempel:") for m in mail.outbox)
    assert "Hvem indkalder?" in mail.outbox[0].body


def test_a_rolled_back_change_sends_nothing(demo_program, django_capture_on_commit_callbacks):
    reviewer = member(demo_program, Role.REVIEWER)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.add_comment(
            program=demo_program, user=reviewer, step_key="grundlag", body="Fortrudt"
        )
        raise RuntimeError("something later in the same transaction fails")
    assert callbacks == [] and mail.outbox == []
    assert not Comment.objects.exists()


def test_every_workflow_mail_links_absolutely_and_escapes_nothing(
    demo_program, settings, django_capture_on_commit_callbacks
):
    """Plain-text templates: no HTML escaping of titles or user text, every link absolute."""
    settings.SITE_URL = "https://forloeb.example.dk"
    Program.objects.filter(pk=demo_program.pk).update(title="Børn & unge <18")
    program = Program.objects.get(pk=demo_program.pk)
    editor, reviewer, approver = (
        member(program, r) for r in (Role.EDITOR, Role.REVIEWER, Role.APPROVER)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_for_review(program=program, user=editor)
        services.give_verdict(program=program, user=reviewer, verdict="object", note="A & B")
        comment = services.add_comment(
            program=program, user=reviewer, step_key="grundlag", body="<b>Hvem</b>?"
        )
        services.add_comment(
            program=program, user=editor, step_key="grundlag", body="Svar", parent=comment
        )
        services.set_resolved(program=program, user=editor, comment=comment, resolved=True)
        services.set_resolved(program=program, user=reviewer, comment=comment, resolved=False)
        services.request_changes(program=program, user=approver, note="Ret & send")
        services.submit_for_review(program=program, user=editor)
        services.approve(program=program, user=approver, override_reason="Fordi & derfor")

    prefixes = {m.subject.split(":")[0] for m in mail.outbox}
    assert prefixes == {
        "Høring",
        "Høringssvar",
        "Ny kommentar",
        "Nyt svar",
        "Kommentar løst",
        "Kommentar genåbnet",
        "Ændringer ønsket",
        "Godkendt",
    }
    for message in mail.outbox:
        assert message.subject.endswith("Børn & unge <18"), message.subject
        assert "&amp;" not in message.body and "&lt;" not in message.body, message.body
        assert "https://forloeb.example.dk/programmer/" in message.body, message.body
        assert " /programmer/" not in message.body and "\n/programmer/" not in message.body
    bodies = "\n".join(m.body for m in mail.outbox)
    assert "<b>Hvem</b>?" in bodies and "Fordi & derfor" in bodies and "A & B" in bodies


def test_a_failing_mail_server_loses_no_comment_and_is_logged(
    client, demo_program, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    reviewer = member(demo_program, Role.REVIEWER)
    client.force_login(reviewer)
    with (
        caplog.at_level(logging.ERROR, logger=LOGGER),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("review:comment_add", args=[demo_program.code, "grundlag"]),
            {"body": "Gemmes trods alt"},
        )
    assert response.status_code == 302
    assert Comment.objects.get().body == "Gemmes trods alt"
    failures = [r for r in caplog.records if r.name == LOGGER]
    assert failures and all(r.exc_info for r in failures)
    assert "comment_added" in failures[0].getMessage()


def test_a_failing_mail_server_does_not_roll_back_an_approval(
    demo_program, settings, caplog, django_capture_on_commit_callbacks
):
    editor, approver = member(demo_program, Role.EDITOR), member(demo_program, Role.APPROVER)
    services.submit_for_review(program=demo_program, user=editor)
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with (
        caplog.at_level(logging.ERROR, logger=LOGGER),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        services.approve(program=demo_program, user=approver)
    assert len(mail_callbacks(callbacks)) == 1
    assert Program.objects.get(pk=demo_program.pk).status == ProgramStatus.APPROVED
    assert any(r.name == LOGGER and r.exc_info for r in caplog.records)


def test_a_line_break_in_the_title_does_not_stop_comments(
    client, demo_program, django_capture_on_commit_callbacks
):
    """A title with CR LF (possible through a crafted POST) used to make every comment fail
    with BadHeaderError and lose the comment."""
    Program.objects.filter(pk=demo_program.pk).update(
        title="Forløb\r\nBcc: alle@example.org\x1b\u2028slut"  # (PostgreSQL refuses NUL)
    )
    reviewer = member(demo_program, Role.REVIEWER)
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review:comment_add", args=[demo_program.code, "grundlag"]),
            {"body": "Stadig muligt at kommentere"},
        )
    assert response.status_code == 302
    assert Comment.objects.get().body == "Stadig muligt at kommentere"
    assert mail.outbox
    for message in mail.outbox:
        assert message.subject == "Ny kommentar: Forløb Bcc: alle@example.org slut"
        assert "bcc" not in {k.lower() for k in message.message()}
        assert message.bcc == []


def test_one_line_collapses_control_characters_and_cuts_at_a_word():
    assert one_line("a\r\nb\tc\x0bd\x1fe\x7ff\x85g\u2028h\u2029i \x00 j") == "a b c d e f g h i j"
    long = "Ny kommentar: " + "forløbsprogram " * 30
    cut = one_line(long, limit=60)
    assert len(cut) <= 60 and cut.endswith("…")
    assert cut == "Ny kommentar: forløbsprogram forløbsprogram forløbsprogram…"
    assert one_line("x" * 200, limit=50) == "x" * 49 + "…"  # no space: cut hard


def test_site_url_comes_from_the_environment():
    def site_url(**env: str):
        return settings_with("settings.SITE_URL", **env)

    assert site_url().stdout.strip() == "http://127.0.0.1:8000"  # what `make start` serves
    result = site_url(DJANGO_SITE_URL="https://forloeb.example.dk/")
    assert result.stdout.strip() == "https://forloeb.example.dk"
    result = site_url(DJANGO_SITE_URL="forloeb.example.dk")
    assert result.returncode != 0 and "DJANGO_SITE_URL" in result.stderr


def test_the_member_added_mail_says_who_added_whom_as_what_and_how_to_leave(
    demo_program, settings, django_capture_on_commit_callbacks
):
    """Built here for programs.services to call, so all mail comes from one module."""
    from pathways.programs import notifications

    settings.SITE_URL = "https://forloeb.example.dk"
    editor = member(demo_program, Role.EDITOR)
    membership = Membership.objects.get(program=demo_program, role=Role.REVIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.member_added(membership=membership, added_by=editor)
    (message,) = mail.outbox
    assert message.to == [membership.user.email]
    assert message.subject == f"Du er tilføjet til forløbsprogrammet »{demo_program.title}«"
    assert f"{editor.get_full_name()} har tilføjet dig som høringspart for Aalborg Kommune" in (
        message.body
    )
    assert f"https://forloeb.example.dk/programmer/{demo_program.code}/medlemmer/" in message.body
