"""E-mail to the people of a program. Plain text only, so user text cannot inject markup."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail

from pathways.programs.models import Program, Role

NOTIFIED_ROLES = (Role.EDITOR, Role.REVIEWER, Role.APPROVER)


def recipients(
    program: Program, *, roles=NOTIFIED_ROLES, exclude: AbstractBaseUser | None = None
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
    subject: str,
    body: str,
    exclude: AbstractBaseUser | None = None,
    roles=NOTIFIED_ROLES,
) -> int:
    """Send one message per recipient (no one sees the others' addresses)."""
    sent = 0
    for address in recipients(program, roles=roles, exclude=exclude):
        sent += send_mail(
            subject=subject.replace("\n", " ")[:200],
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
        )
    return sent
