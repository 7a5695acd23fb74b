"""The admin keeps the audit append-only: read-only entries, no deleting a program with
history, and every membership staff add, change or remove is in the program's log."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.urls import reverse

from pathways.programs.models import (
    AuditAction,
    AuditEntry,
    Membership,
    Organisation,
    Program,
    Role,
)
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(admin_user):
    return admin_user


@pytest.fixture
def program(generic_model):
    return ProgramFactory(title="Sjældne bindevævssygdomme")


@pytest.fixture
def organisation(db):
    return Organisation.objects.get_or_create(name="Hjørring Kommune")[0]


def entries(program, action):
    return list(AuditEntry.objects.filter(program=program, action=action))


# Audit entries -----------------------------------------------------------------------------


def test_audit_entries_can_be_looked_up_but_not_added_changed_or_deleted(admin_client, program):
    entry = AuditEntry.objects.get(program=program)
    changelist = admin_client.get(reverse("admin:programs_auditentry_changelist"))
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    page = admin_client.get(reverse("admin:programs_auditentry_change", args=[entry.pk]))
    assert page.status_code == 200  # shown read-only
    html = page.content.decode()
    assert 'name="_save"' not in html
    assert reverse("admin:programs_auditentry_delete", args=[entry.pk]) not in html

    assert admin_client.get(reverse("admin:programs_auditentry_add")).status_code == 403
    changed = admin_client.post(
        reverse("admin:programs_auditentry_change", args=[entry.pk]),
        {"action": "status_changed", "step_key": "x", "before": "{}", "after": "{}"},
    )
    assert changed.status_code == 403
    deleted = admin_client.post(
        reverse("admin:programs_auditentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 403
    bulk = admin_client.post(
        reverse("admin:programs_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert AuditEntry.objects.get(pk=entry.pk).action == AuditAction.PROGRAM_CREATED


# Programs ----------------------------------------------------------------------------------


def test_a_program_with_history_cannot_be_deleted_in_the_admin_or_at_all(admin_client, program):
    page = admin_client.get(reverse("admin:programs_program_change", args=[program.pk]))
    assert page.status_code == 200
    assert reverse("admin:programs_program_delete", args=[program.pk]) not in page.content.decode()
    url = reverse("admin:programs_program_delete", args=[program.pk])
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    changelist = admin_client.get(reverse("admin:programs_program_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    admin_client.post(
        reverse("admin:programs_program_changelist"),
        {"action": "delete_selected", "_selected_action": [program.pk], "post": "yes"},
    )
    assert Program.objects.filter(pk=program.pk).exists()

    # Not through the ORM either: the log protects its program.
    with pytest.raises(ProtectedError):
        Program.objects.get(pk=program.pk).delete()
    assert AuditEntry.objects.filter(program=program).exists()


# Memberships -------------------------------------------------------------------------------


def test_staff_adding_a_member_is_logged_with_the_staff_user(
    admin_client, staff, program, organisation
):
    person = UserFactory(username="kommune-hj")
    response = admin_client.post(
        reverse("admin:programs_membership_add"),
        {
            "program": program.pk,
            "user": person.pk,
            "role": Role.REVIEWER,
            "organisation": organisation.pk,
            "_save": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.filter(program=program, user=person, role=Role.REVIEWER).exists()
    (entry,) = entries(program, AuditAction.MEMBER_ADDED)
    assert entry.user == staff
    assert entry.after == {
        "user": "kommune-hj",
        "role": "reviewer",
        "organisation": "Hjørring Kommune",
    }


def test_staff_changing_a_role_is_logged_and_an_unchanged_save_is_not(
    admin_client, staff, program, organisation
):
    person = UserFactory(username="godkender-x")
    membership = Membership.objects.create(program=program, user=person, role=Role.READER)
    url = reverse("admin:programs_membership_change", args=[membership.pk])

    response = admin_client.post(url, {"role": Role.APPROVER, "organisation": "", "_save": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    (entry,) = entries(program, AuditAction.MEMBER_ROLE_CHANGED)
    assert entry.user == staff
    assert entry.before == {"user": "godkender-x", "role": "reader", "organisation": ""}
    assert entry.after == {"user": "godkender-x", "role": "approver", "organisation": ""}

    admin_client.post(url, {"role": Role.APPROVER, "organisation": "", "_save": "1"})
    assert len(entries(program, AuditAction.MEMBER_ROLE_CHANGED)) == 1

    admin_client.post(url, {"role": Role.APPROVER, "organisation": organisation.pk, "_save": "1"})
    assert entries(program, AuditAction.MEMBER_ROLE_CHANGED)[0].after["organisation"] == (
        "Hjørring Kommune"
    )

    # Who and which program are fixed: a posted change of either is ignored.
    other = ProgramFactory()
    admin_client.post(
        url, {"program": other.pk, "user": staff.pk, "role": Role.APPROVER, "_save": "1"}
    )
    membership.refresh_from_db()
    assert (membership.program, membership.user) == (program, person)


def test_staff_removing_a_member_is_logged(admin_client, staff, program):
    one, two, three = (UserFactory(username=f"laeser{n}") for n in (1, 2, 3))
    first = Membership.objects.create(program=program, user=one, role=Role.READER)
    response = admin_client.post(
        reverse("admin:programs_membership_delete", args=[first.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    (entry,) = entries(program, AuditAction.MEMBER_REMOVED)
    assert entry.user == staff
    assert entry.before == {"user": "laeser1", "role": "reader", "organisation": ""}

    # The changelist's bulk delete too, one entry per membership.
    both = [
        Membership.objects.create(program=program, user=user, role=Role.READER).pk
        for user in (two, three)
    ]
    response = admin_client.post(
        reverse("admin:programs_membership_changelist"),
        {"action": "delete_selected", "_selected_action": both, "post": "yes"},
    )
    assert response.status_code == 302
    removed = sorted(e.before["user"] for e in entries(program, AuditAction.MEMBER_REMOVED))
    assert removed == ["laeser1", "laeser2", "laeser3"]
    assert not Membership.objects.filter(pk__in=both).exists()


def test_staff_deleting_a_user_logs_the_end_of_their_memberships(admin_client, staff, program):
    person = UserFactory(username="gammel")
    Membership.objects.create(program=program, user=person, role=Role.READER)
    other = ProgramFactory()
    Membership.objects.create(program=other, user=person, role=Role.READER)
    response = admin_client.post(
        reverse("admin:auth_user_delete", args=[person.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=person.pk).exists()
    for each in (program, other):
        (entry,) = entries(each, AuditAction.MEMBER_REMOVED)
        assert (entry.user, entry.before["user"]) == (staff, "gammel")
