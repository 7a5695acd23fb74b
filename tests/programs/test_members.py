"""The members page: who can be added, what the page tells about people, and leaving.

Adding a person must not be a way to learn who has an account or anyone's full name, must
never pull in an administrator, and the person added is told (with how to leave again).
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from pathways.programs import services
from pathways.programs.models import AuditEntry, Membership, Organisation, Program, Role
from tests.factories import ProgramFactory, UserFactory, approver_for
from tests.support.commit_hooks import mail_callbacks

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(generic_model):
    return UserFactory(username="redaktoer", first_name="Rikke", last_name="Redaktørsen")


@pytest.fixture
def program(editor):
    return ProgramFactory(owner=editor, title="Sjældne bindevævssygdomme")


@pytest.fixture
def organisation(db):
    return Organisation.objects.get_or_create(name="Hjørring Kommune")[0]


def members_url(program):
    return reverse("programs:members", args=[program.code])


def leave_url(program):
    return reverse("programs:leave", args=[program.code])


def add(client, program, identifier, role="reader", **extra):
    return client.post(members_url(program), {"username": identifier, "role": role, **extra})


def username_errors(response, identifier):
    """The messages at the username field, with the typed identifier taken out."""
    errors = response.context["form"].errors.get("username", [])
    return [e.replace(identifier, "<typed>") for e in errors]


# Finding people ---------------------------------------------------------------------------


def test_an_exact_username_or_email_in_any_case_finds_the_person(client, editor, program):
    by_name = UserFactory(username="kollega")
    by_mail = UserFactory(username="anden", email="Anden.Person@Example.org")
    client.force_login(editor)
    assert add(client, program, "KOLLEGA").status_code == 302
    assert add(client, program, "anden.person@example.ORG").status_code == 302
    assert set(program.memberships.values_list("user", flat=True)) == {
        editor.pk,
        by_name.pk,
        by_mail.pk,
    }


@pytest.mark.parametrize(
    "typed",
    [
        "kolleg",  # a prefix of the username
        "ollega",  # a suffix
        "kolleg_",  # SQL LIKE's one-character wildcard
        "%",  # SQL LIKE's any-text wildcard
        "kollega@",  # a prefix of the e-mail
        "%@example.org",
        "example.org",
        "kollega@example",
    ],
)
def test_partial_matches_and_wildcards_find_nobody(client, editor, program, typed):
    UserFactory(username="kollega", email="kollega@example.org")
    client.force_login(editor)
    response = add(client, program, typed)
    assert response.status_code == 200
    assert username_errors(response, typed) == [
        "Der findes ingen aktiv bruger med brugernavnet eller e-mailen '<typed>'."
    ]
    assert program.memberships.count() == 1


@pytest.mark.parametrize(
    "account",
    [
        {"is_staff": True},
        {"is_superuser": True},
        {"is_staff": True, "is_superuser": True},
        {"is_active": False},
    ],
    ids=["staff", "superuser", "staff-superuser", "inactive"],
)
@pytest.mark.parametrize("by", ["username", "email"])
def test_staff_superusers_and_inactive_accounts_read_exactly_like_no_account(
    client, editor, program, account, by
):
    # A name no page could contain by chance (a random "Per" is in "Personer").
    hidden = UserFactory(
        username="admin", email="admin@region.dk", first_name="Skjultadministrator", **account
    )
    client.force_login(editor)
    typed = getattr(hidden, by)
    response = add(client, program, typed)
    nobody = add(client, program, "ingen@region.dk")
    assert response.status_code == nobody.status_code == 200
    assert username_errors(response, typed) == username_errors(nobody, "ingen@region.dk")
    assert username_errors(response, typed)  # refused, with a message at the field
    assert hidden.first_name not in response.content.decode()
    assert not Membership.objects.filter(user=hidden).exists()


def test_the_service_refuses_staff_whatever_the_caller(editor, program):
    staff = UserFactory(username="drift", is_staff=True)
    with pytest.raises(services.ServiceError):
        services.add_member(program=program, user=editor, identifier="drift", role="reader")
    assert not Membership.objects.filter(user=staff).exists()


def test_an_empty_identifier_never_matches_accounts_without_email(editor, program):
    UserFactory(username="uden-mail", email="")
    with pytest.raises(services.ServiceError):
        services.add_member(program=program, user=editor, identifier="  ", role="reader")
    assert program.memberships.count() == 1


def test_an_email_shared_by_two_accounts_adds_neither(client, editor, program):
    UserFactory(username="a1", email="delt@region.dk")
    UserFactory(username="a2", email="delt@region.dk")
    client.force_login(editor)
    response = add(client, program, "delt@region.dk")
    assert username_errors(response, "delt@region.dk") == [
        "Der findes ingen aktiv bruger med brugernavnet eller e-mailen '<typed>'."
    ]
    assert program.memberships.count() == 1


def test_an_exact_username_wins_over_one_differing_only_in_case(editor, program):
    UserFactory(username="Bo")
    lower = UserFactory(username="bo")
    membership = services.add_member(program=program, user=editor, identifier="bo", role="reader")
    assert membership.user == lower


def test_a_reviewer_needs_an_organisation_and_is_told_at_that_field(client, editor, program):
    UserFactory(username="kommune")
    client.force_login(editor)
    response = add(client, program, "kommune", role="reviewer")
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"] == [
        "Angiv hvilken organisation høringsparten taler for."
    ]
    assert program.memberships.count() == 1


def test_only_reviewers_are_stored_with_an_organisation(client, editor, program, organisation):
    reader = UserFactory(username="laeser")
    client.force_login(editor)
    add(client, program, "laeser", role="reader", organisation=str(organisation.pk))
    assert Membership.objects.get(user=reader).organisation is None


# What the page shows ----------------------------------------------------------------------


def test_the_page_and_the_message_show_usernames_never_full_names(client, editor, program):
    colleague = UserFactory(username="kollega", first_name="Karen", last_name="Holmgaard")
    client.force_login(editor)
    response = add(client, program, "kollega@example.org", role="editor")
    page = client.get(response.url).content.decode()
    assert "kollega er tilføjet som redaktør og får besked pr. e-mail." in page
    assert "kollega" in page and "redaktoer" in page
    for name in (colleague.first_name, colleague.last_name, editor.first_name, editor.last_name):
        assert name not in page


# Telling the person added -----------------------------------------------------------------


def test_the_person_added_gets_one_mail_saying_who_what_where_and_how_to_leave(
    client, editor, program, organisation, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://forloeb.example.dk"
    person = UserFactory(username="kommune", email="kommune@hjoerring.dk")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = add(client, program, "kommune", role="reviewer", organisation=organisation.pk)
    assert response.status_code == 302 and len(mail_callbacks(callbacks)) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert message.subject == "Du er tilføjet til forløbsprogrammet »Sjældne bindevævssygdomme«"
    assert "Rikke Redaktørsen har tilføjet dig som høringspart for Hjørring Kommune" in message.body
    assert f"({program.code})" in message.body
    assert f"https://forloeb.example.dk/programmer/{program.code}/\n" in message.body
    assert "Forlad programmet" in message.body
    assert f"https://forloeb.example.dk/programmer/{program.code}/medlemmer/" in message.body
    assert not getattr(message, "alternatives", None)  # plain text only


def test_the_mail_is_sent_only_after_the_membership_is_committed(
    editor, program, django_capture_on_commit_callbacks
):
    UserFactory(username="kollega")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.add_member(program=program, user=editor, identifier="kollega", role="reader")
        assert mail.outbox == []  # nothing sent inside the transaction
    assert len(mail_callbacks(callbacks)) == 1


def test_a_refused_add_sends_nothing(client, editor, program, django_capture_on_commit_callbacks):
    UserFactory(username="kollega")
    client.force_login(editor)
    add(client, program, "kollega")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = add(client, program, "kollega")  # already a member
    assert response.status_code == 200 and callbacks == [] and mail.outbox == []
    assert username_errors(response, "kollega") == ["<typed> er allerede medlem af programmet."]


def test_a_title_with_a_line_break_still_gives_a_one_line_subject(
    client, editor, program, django_capture_on_commit_callbacks
):
    Program.objects.filter(pk=program.pk).update(title="Del 1\r\nBcc: alle@example.org")
    UserFactory(username="kollega")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert add(client, program, "kollega").status_code == 302
    message = mail.outbox[0]
    assert message.subject == "Du er tilføjet til forløbsprogrammet »Del 1 Bcc: alle@example.org«"
    assert message.message()["Bcc"] is None


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP is down")


def test_a_mail_server_failure_never_undoes_the_membership(
    client, editor, program, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    person = UserFactory(username="kollega")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = add(client, program, "kollega")
    assert response.status_code == 302
    assert Membership.objects.filter(program=program, user=person).exists()
    assert "SMTP is down" in caplog.text  # logged, not swallowed silently


def test_a_person_without_an_email_address_is_added_without_a_mail(
    client, editor, program, django_capture_on_commit_callbacks
):
    UserFactory(username="uden-mail", email="")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = add(client, program, "uden-mail")
    assert mail.outbox == []
    page = client.get(response.url).content.decode()
    assert "uden-mail er tilføjet som læser." in page


# Leaving ----------------------------------------------------------------------------------


def test_a_reader_leaves_from_the_members_page_and_loses_access(client, editor, program):
    reader = UserFactory(username="laeser")
    services.add_member(program=program, user=editor, identifier="laeser", role="reader")
    client.force_login(reader)
    page = client.get(members_url(program)).content.decode()
    assert f'action="{leave_url(program)}"' in page and "Forlad programmet" in page
    response = client.post(leave_url(program))
    assert response.status_code == 302 and response.url == reverse("programs:list")
    assert not Membership.objects.filter(program=program, user=reader).exists()
    entry = AuditEntry.objects.filter(program=program, action="member_left").get()
    assert entry.user == reader
    assert entry.before == {"user": "laeser", "role": "reader", "organisation": ""}
    listing = client.get(response.url).content.decode()
    assert "Du har forladt programmet" in listing
    assert client.get(reverse("programs:detail", args=[program.code])).status_code == 404


def test_an_editor_may_leave_when_another_editor_remains(client, editor, program):
    UserFactory(username="kollega")
    services.add_member(program=program, user=editor, identifier="kollega", role="editor")
    client.force_login(editor)
    assert client.post(leave_url(program)).status_code == 302
    assert list(program.memberships.values_list("user__username", flat=True)) == ["kollega"]


def test_the_last_editor_cannot_leave(client, editor, program):
    UserFactory(username="laeser")
    services.add_member(program=program, user=editor, identifier="laeser", role="reader")
    client.force_login(editor)
    response = client.post(leave_url(program), follow=True)
    assert response.redirect_chain[-1][0] == members_url(program)
    assert "eneste redaktør og kan ikke forlade det" in response.content.decode()
    assert program.memberships.filter(user=editor, role=Role.EDITOR).exists()
    assert not AuditEntry.objects.filter(action="member_left").exists()


def test_the_approver_cannot_leave_and_is_told_who_can_change_it(client, program):
    approver = approver_for(program)
    client.force_login(approver)
    page = client.get(members_url(program)).content.decode()
    assert f'action="{leave_url(program)}"' not in page
    assert "Godkenderen udpeges af administratoren" in page
    response = client.post(leave_url(program), follow=True)
    assert "Godkenderen kan ikke selv forlade programmet" in response.content.decode()
    assert program.memberships.filter(user=approver, role=Role.APPROVER).exists()


def test_leaving_answers_outsiders_404_anonymous_login_and_get_405(client, editor, program):
    assert client.post(leave_url(program)).url.startswith(reverse("login"))
    client.force_login(UserFactory())
    assert client.post(leave_url(program)).status_code == 404
    client.force_login(editor)
    assert client.get(leave_url(program)).status_code == 405
    assert program.memberships.count() == 1


@pytest.mark.django_db(transaction=True)
def test_leaving_is_one_transaction_so_a_failure_leaves_the_membership(generic_model, monkeypatch):
    """Committed rows, as in production: if the audit entry cannot be written, the member
    has not left (and on PostgreSQL the row lock needs the transaction at all)."""
    owner = UserFactory()
    program = ProgramFactory(owner=owner)
    reader = UserFactory(username="laeser")
    services.add_member(program=program, user=owner, identifier="laeser", role="reader")

    def broken_audit(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        services.leave_program(program=program, user=reader)
    assert Membership.objects.filter(program=program, user=reader).exists()
