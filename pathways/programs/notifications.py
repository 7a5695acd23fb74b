"""Mail about a program's membership; the review workflow's mail is in review/notifications.py."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from pathways.mail import absolute_url, display_name, send_after_commit
from pathways.programs.models import Membership, Program, Role

NOTIFIED_ROLES = (Role.EDITOR, Role.REVIEWER, Role.APPROVER)


def recipients(
    program: Program,
    *,
    roles: Iterable[str] = NOTIFIED_ROLES,
    exclude: AbstractBaseUser | None = None,
) -> list[str]:
    members = program.memberships.filter(role__in=roles).select_related("user")
    return sorted(
        {
            m.user.email
            for m in members
            if m.user.email and (exclude is None or m.user.pk != exclude.pk)
        }
    )


def notify(
    program: Program,
    *,
    kind: str,
    context: dict,
    exclude: AbstractBaseUser | None = None,
    roles: Iterable[str] = NOTIFIED_ROLES,
) -> None:
    """Queue one message per recipient (no one sees the others' addresses) for after commit.

    The recipients are read now, inside the transaction that makes the change; the mail is
    rendered and sent once that transaction has committed (never, if it rolls back).
    """
    addresses = recipients(program, roles=roles, exclude=exclude)
    send_after_commit(kind, {"program": program, **context}, addresses)


def program_link(program: Program, name: str = "programs:detail") -> str:
    return absolute_url(reverse(name, args=[program.code]))


def member_added(*, membership: Membership, added_by: AbstractBaseUser) -> None:
    """Tell a person they were added to a program: by whom, as what, and how to leave."""
    if not membership.user.email:
        return
    program = membership.program
    send_after_commit(
        "member_added",
        {
            "program": program,
            "membership": membership,
            "who": display_name(added_by),
            "link": program_link(program),
            "members_link": program_link(program, "programs:members"),
        },
        [membership.user.email],
    )
