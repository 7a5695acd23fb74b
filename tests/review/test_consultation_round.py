"""A consultation round as a municipality meets it: sent to many parties at once with a
deadline, answered through a personal link without an account or under "Til mig",
reminded before the deadline, closed to new answers after it unless the editor admits one."""

from __future__ import annotations

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pathways.programs.models import AuditEntry, Membership, Organisation, ProgramStatus, Role
from pathways.review import rounds, services
from pathways.review.invitations import token_for
from pathways.review.models import Comment, PartyInvitation, ReviewRound, ReviewVerdict
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

NORDJYLLAND = "region:nordjylland"


def member(program, role):
    return Membership.objects.filter(program=program, role=role).first().user


def start_page(client, program):
    return BeautifulSoup(
        client.get(reverse("review:submit", args=[program.code])).content, "html.parser"
    )


def in_weeks(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(weeks=n)).isoformat()


def send(program, editor, *, organisations=(), days=14):
    return services.submit_for_review(
        program=program,
        user=editor,
        organisations=list(organisations),
        deadline=timezone.localdate() + datetime.timedelta(days=days),
        cover_letter="Se især overgangen til voksenlivet.",
    )


def link_in(message) -> str:
    (url,) = re.findall(r"https?://\S+/hoering/\S+/", message.body)
    return url


def path_of(url: str) -> str:
    return url[len(settings.SITE_URL) :]


def past_deadline(review_round, days_ago=1):
    ReviewRound.objects.filter(pk=review_round.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=days_ago)
    )


# Sending ------------------------------------------------------------------------------------


def test_a_whole_region_is_one_tick_and_each_contact_gets_a_personal_clickable_link(
    client, demo_program, party_contacts, django_capture_on_commit_callbacks
):
    editor = member(demo_program, Role.EDITOR)
    client.force_login(editor)
    page = start_page(client, demo_program)
    group = page.find("input", attrs={"name": "groups", "value": NORDJYLLAND})
    label = page.find("label", attrs={"for": group["id"]}).get_text()
    assert "Region Nordjylland (11 kommuner)" in label
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("review:submit", args=[demo_program.code]),
            {"groups": [NORDJYLLAND], "deadline": in_weeks(4), "cover_letter": "Kort brev"},
        )
    assert response.status_code == 302
    review_round = ReviewRound.objects.get(program=demo_program)
    parties = sorted(v.party_name for v in review_round.verdicts.all())
    assert len(parties) == 11 and "Læsø Kommune" in parties and "Aalborg Kommune" in parties
    # Aalborg answers through its invited member's account; the ten others through links.
    invited = {m.to[0]: m for m in mail.outbox if "/hoering/" in m.body}
    assert len(invited) == 10
    message = invited["hoering@laesoe.example.org"]
    assert "Kære Hanne Kristoffersen" in message.body and "Kort brev" in message.body
    url = link_in(message)
    assert url.startswith(settings.SITE_URL + "/hoering/")  # absolute: a mail client links it
    page = client.get(path_of(url))
    assert page.status_code == 200 and demo_program.title in page.content.decode()
    kommune = member(demo_program, Role.REVIEWER)
    told = [m for m in mail.outbox if m.to == [kommune.email]]
    assert told and reverse("consultation:inbox") in told[0].body


def test_refused_choices_are_said_at_their_field_and_nothing_typed_is_lost(client, demo_program):
    client.force_login(member(demo_program, Role.EDITOR))
    url = reverse("review:submit", args=[demo_program.code])
    no_contact = Organisation.objects.get(name="Læsø Kommune")  # no contacts loaded here
    response = client.post(
        url,
        {"organisations": [no_contact.pk], "deadline": in_weeks(3), "cover_letter": "Mit brev"},
    )
    page = BeautifulSoup(response.content, "html.parser")
    assert "Læsø Kommune" in page.find(id="organisations-error").get_text()
    assert page.find("textarea", attrs={"name": "cover_letter"}).get_text().strip() == "Mit brev"
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(url, {"deadline": yesterday, "cover_letter": "Mit brev"})
    assert "Svarfristen skal ligge efter i dag." in response.content.decode()
    assert demo_program.review_rounds.count() == 0


def test_a_contact_person_is_added_on_the_form_and_a_bad_address_is_refused(client, demo_program):
    client.force_login(member(demo_program, Role.EDITOR))
    url = reverse("review:add_contact", args=[demo_program.code])
    response = client.post(
        url, {"organisation_name": "Læsø Kommune", "name": "Ib", "email": "ikke-en-adresse"}
    )
    assert "gyldig e-mailadresse" in response.content.decode()
    client.post(url, {"organisation_name": "Læsø Kommune", "name": "Ib", "email": "ib@x.dk"})
    page = start_page(client, demo_program)
    assert "Ib" in page.find(id="reachable-parties").get_text()
    entry = AuditEntry.objects.filter(program=demo_program, action="party_contact_added").get()
    assert entry.after["organisation"] == "Læsø Kommune"


def test_only_an_editor_opens_a_round(client, demo_program):
    for role, status in ((Role.REVIEWER, 403), (Role.READER, 403)):
        client.force_login(member(demo_program, role))
        assert client.get(reverse("review:submit", args=[demo_program.code])).status_code == status
    client.force_login(UserFactory())
    assert client.get(reverse("review:submit", args=[demo_program.code])).status_code == 404


# The personal link ------------------------------------------------------------------------


@pytest.fixture
def linked(demo_program, party_contacts):
    """The demo sent to Læsø (a contact, no account) and Aalborg (its invited reviewer)."""
    editor = member(demo_program, Role.EDITOR)
    review_round = send(
        demo_program, editor, organisations=[Organisation.objects.get(name="Læsø Kommune")]
    )
    invitation = PartyInvitation.objects.get(party__round=review_round)
    return demo_program, editor, review_round, invitation


def test_the_link_reads_comments_beside_an_answer_and_answers_for_its_party(client, linked):
    program, _editor, review_round, invitation = linked
    token = token_for(invitation)
    page = BeautifulSoup(
        client.get(reverse("consultation:invited", args=[token])).content, "html.parser"
    )
    assert "Se især overgangen til voksenlivet." in page.find(id="cover-letter").get_text()
    answer = page.find(attrs={"data-field": "doc:purpose"})
    form = answer.find("form")
    client.post(
        form["action"],
        {"field": "doc:purpose", "body": "Nævn Læsø-færgen", "proposed_text": ""},
    )
    comment = Comment.objects.get(program=program, field_key="doc:purpose")
    assert comment.author is None and comment.author_name == "Hanne Kristoffersen"
    assert comment.party.organisation.name == "Læsø Kommune"
    client.post(
        reverse("consultation:invited_verdict", args=[token]),
        {"verdict": "agree_with_comments", "note": "Se kommentaren"},
    )
    party = ReviewVerdict.objects.get(round=review_round, organisation__name="Læsø Kommune")
    assert (party.verdict, party.given_by_name) == ("agree_with_comments", "Hanne Kristoffersen")
    entry = AuditEntry.objects.filter(program=program, action="verdict_given").get()
    assert entry.user is None and entry.after["by"] == "Hanne Kristoffersen"


def test_a_link_opens_nothing_of_another_program(client, linked, generic_model):
    _program, _editor, _round, invitation = linked
    other = ProgramFactory()
    services.add_comment(
        program=other, user=member(other, Role.EDITOR), step_key="grundlag", body="Intern"
    )
    foreign = Comment.objects.get(program=other)
    token = token_for(invitation)
    response = client.post(
        reverse("consultation:invited_comment_reply", args=[token, foreign.pk]), {"body": "Hej"}
    )
    assert response.status_code == 404
    assert foreign.replies.count() == 0
    # And a link names its invitation only through the signature: a forged one opens nothing.
    forged = token.replace(token[-4:], "AAAA" if token[-4:] != "AAAA" else "BBBB")
    assert client.get(reverse("consultation:invited", args=[forged])).status_code == 404


def test_a_revoked_or_reissued_link_stops_working(client, linked):
    program, editor, _round, invitation = linked
    old = token_for(invitation)
    client.force_login(editor)
    client.post(reverse("review:revoke_invitation", args=[program.code, invitation.pk]))
    client.logout()
    assert client.get(reverse("consultation:invited", args=[old])).status_code == 404
    response = client.post(
        reverse("consultation:invited_verdict", args=[old]), {"verdict": "agree", "note": ""}
    )
    assert response.status_code == 404
    rounds.reissue_invitation(program=program, user=editor, invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert client.get(reverse("consultation:invited", args=[old])).status_code == 404
    new = token_for(invitation)
    assert client.get(reverse("consultation:invited", args=[new])).status_code == 200


def test_after_the_deadline_answers_need_the_editors_leave_and_the_link_expires(client, linked):
    program, editor, review_round, invitation = linked
    token = token_for(invitation)
    past_deadline(review_round)
    page = client.get(reverse("consultation:invited", args=[token])).content.decode()
    assert 'id="answering-closed"' in page and 'id="verdict-form"' not in page
    response = client.post(
        reverse("consultation:invited_verdict", args=[token]),
        {"verdict": "agree", "note": ""},
        follow=True,
    )
    assert "Svarfristen udløb" in response.content.decode()
    party = invitation.party
    party.refresh_from_db()
    assert party.verdict == ""
    rounds.admit_late_answer(program=program, user=editor, party_id=party.pk)
    client.post(
        reverse("consultation:invited_verdict", args=[token]), {"verdict": "agree", "note": ""}
    )
    party.refresh_from_db()
    assert party.verdict == "agree"
    # Past the deadline plus the grace period (and the admission): the link opens nothing.
    past_deadline(review_round, days_ago=settings.CONSULTATION_LINK_GRACE_DAYS + 10)
    ReviewVerdict.objects.filter(pk=party.pk).update(
        late_until=timezone.now() - datetime.timedelta(days=1)
    )
    assert client.get(reverse("consultation:invited", args=[token])).status_code == 404


def test_the_editor_closes_the_round_once_the_deadline_has_passed(client, linked):
    program, editor, review_round, _invitation = linked
    client.force_login(editor)
    page = client.get(reverse("review:round", args=[program.code])).content.decode()
    assert 'id="close-round"' not in page  # parties still have time
    response = client.post(reverse("review:close_round", args=[program.code]), follow=True)
    assert "når svarfristen er udløbet" in response.content.decode()
    past_deadline(review_round)
    page = client.get(reverse("review:round", args=[program.code])).content.decode()
    assert "Tillad svar efter fristen" in page
    client.post(reverse("review:close_round", args=[program.code]))
    program.refresh_from_db()
    assert program.status == ProgramStatus.CHANGES_REQUESTED


# "Til mig" and reminders -------------------------------------------------------------------


def test_til_mig_lists_what_awaits_me_with_days_left(client, linked):
    program, editor, _round, _invitation = linked
    kommune = member(program, Role.REVIEWER)
    client.force_login(kommune)
    page = BeautifulSoup(client.get(reverse("consultation:inbox")).content, "html.parser")
    awaiting = page.find(id="awaiting").get_text(" ")
    assert program.title in awaiting and "Aalborg Kommune" in awaiting
    assert "14 dage tilbage" in " ".join(awaiting.split())
    mine = services.add_comment(program=program, user=kommune, step_key="grundlag", body="Hvem?")
    services.give_verdict(program=program, user=kommune, verdict="agree", note="")
    services.add_comment(
        program=program, user=editor, step_key="grundlag", body="Regionen", parent=mine
    )
    page = BeautifulSoup(client.get(reverse("consultation:inbox")).content, "html.parser")
    assert program.title not in page.find(id="awaiting").get_text()
    assert "Regionen" in page.find(id="replies").get_text()
    client.force_login(editor)
    page = BeautifulSoup(client.get(reverse("consultation:inbox")).content, "html.parser")
    assert "1 åben kommentar" in " ".join(page.find(id="editing").get_text().split())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "For me" in client.get(reverse("consultation:inbox")).content.decode()


def test_reminders_go_once_to_parties_that_have_not_answered(
    linked, django_capture_on_commit_callbacks
):
    program, _editor, review_round, _invitation = linked
    kommune = member(program, Role.REVIEWER)
    services.give_verdict(program=program, user=kommune, verdict="agree", note="")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_consultation_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []  # 14 days left: not yet
    ReviewRound.objects.filter(pk=review_round.pk).update(
        deadline=timezone.localdate() + datetime.timedelta(days=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_consultation_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [m.to for m in mail.outbox] == [["hoering@laesoe.example.org"]]
    assert "/hoering/" in mail.outbox[0].body  # the person's own link again
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_consultation_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1


def test_the_round_page_is_for_members_and_shows_addresses_to_editors_only(client, linked):
    program, editor, _round, _invitation = linked
    client.force_login(member(program, Role.READER))
    page = client.get(reverse("review:round", args=[program.code])).content.decode()
    assert "Læsø Kommune" in page and "hoering@laesoe.example.org" not in page
    client.force_login(editor)
    page = client.get(reverse("review:round", args=[program.code])).content.decode()
    assert "hoering@laesoe.example.org" in page
    client.force_login(UserFactory())
    assert client.get(reverse("review:round", args=[program.code])).status_code == 404
