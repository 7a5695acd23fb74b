"""Comments on steps, parts and single attention points: threads, resolve, reopen, e-mail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from pathways.programs.models import Membership, Role
from pathways.review.models import Comment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def user_with(program, role):
    return Membership.objects.filter(program=program, role=role).first().user


def test_a_reviewer_comments_on_one_attention_point_and_editors_are_told(
    client, demo_program, django_capture_on_commit_callbacks
):
    reviewer = user_with(demo_program, Role.REVIEWER)
    point = demo_program.model_version.sections.get(number="4.8").attention_points.first()
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review:comment_add", args=[demo_program.code, "del-4-8"]),
            {"target": point.pk, "body": "Hvem er <b>kontaktperson</b>?"},
        )
    comment = Comment.objects.get()
    assert response.url.endswith(f"#comment-{comment.pk}")
    assert comment.attention_point == point and comment.is_open

    html = client.get(reverse("programs:step", args=[demo_program.code, "del-4-8"])).content
    html = html.decode()
    assert f"om punkt {point.reference}" in html
    assert "Hvem er &lt;b&gt;kontaktperson&lt;/b&gt;?" in html  # escaped
    assert "1 åben kommentar" in html  # side menu count

    recipients = {address for m in mail.outbox for address in m.to}
    assert reviewer.email not in recipients
    assert user_with(demo_program, Role.EDITOR).email in recipients
    assert "Hvem er <b>kontaktperson</b>?" in mail.outbox[0].body  # plain text e-mail
    message = mail.outbox[0]
    assert message.content_subtype == "plain"  # no HTML part to inject into
    assert not getattr(message, "alternatives", None)


def test_replies_thread_and_comments_resolve_and_reopen(client, demo_program):
    reviewer = user_with(demo_program, Role.REVIEWER)
    editor = user_with(demo_program, Role.EDITOR)
    parent = Comment.objects.create(
        program=demo_program, step_key="grundlag", author=reviewer, body="Mangler kommunen?"
    )
    client.force_login(editor)
    client.post(
        reverse("review:comment_reply", args=[demo_program.code, parent.pk]),
        {"body": "Aalborg og Hjørring er med."},
    )
    client.post(reverse("review:comment_resolve", args=[demo_program.code, parent.pk]))
    parent.refresh_from_db()
    assert parent.replies.get().body == "Aalborg og Hjørring er med." and not parent.is_open
    client.force_login(reviewer)
    client.post(reverse("review:comment_reopen", args=[demo_program.code, parent.pk]))
    parent.refresh_from_db()
    assert parent.is_open


def test_a_point_of_another_step_or_an_empty_comment_is_refused(client, demo_program):
    reviewer = user_with(demo_program, Role.REVIEWER)
    other_point = demo_program.model_version.sections.get(number="4.2").attention_points.first()
    client.force_login(reviewer)
    url = reverse("review:comment_add", args=[demo_program.code, "del-4-8"])
    response = client.post(url, {"target": other_point.pk, "body": "x"}, follow=True)
    assert "Kommentaren er ikke gemt" in response.content.decode()
    response = client.post(url, {"body": ""}, follow=True)
    assert "Kommentaren er ikke gemt" in response.content.decode()
    assert not Comment.objects.exists()


def test_readers_read_comments_but_cannot_write_them(client, demo_program):
    reader = user_with(demo_program, Role.READER)
    client.force_login(reader)
    response = client.post(
        reverse("review:comment_add", args=[demo_program.code, "grundlag"]), {"body": "Må jeg?"}
    )
    assert response.status_code == 403
    html = client.get(reverse("programs:step", args=[demo_program.code, "grundlag"])).content
    assert b'id="new-comment"' not in html


def test_comment_ids_of_another_program_are_404(client, demo_program, generic_model):
    from tests.factories import ProgramFactory

    owner = UserFactory()
    other = ProgramFactory(owner=owner)
    foreign = Comment.objects.create(program=other, step_key="grundlag", author=owner, body="x")
    client.force_login(user_with(demo_program, Role.EDITOR))
    url = reverse("review:comment_resolve", args=[demo_program.code, foreign.pk])
    assert client.post(url).status_code == 404
