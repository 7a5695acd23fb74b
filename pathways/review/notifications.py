"""E-mail to the people of a program: the one place that builds and sends mail.

Each message is rendered from two templates, `email/<kind>_subject.txt` and
`email/<kind>.txt` (plain text only, so user text cannot inject markup), with absolute links
built from settings.SITE_URL. Mail goes out only after the database transaction commits, so
an unreachable mail server can neither roll back nor lose the change it reports; a mail that
fails is logged and dropped.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pathways.programs.models import Program, Role

logger = logging.getLogger(__name__)

NOTIFIED_ROLES = (Role.EDITOR, Role.REVIEWER, Role.APPROVER)
# Room for the longest prefix and a full title (200 characters at most), so only text that
# got past the title's limit is ever cut; mail clients shorten the display themselves.
SUBJECT_LIMIT = 250


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


def one_line(text: str, limit: int = SUBJECT_LIMIT) -> str:
    """`text` as a safe header value: every control character or line break becomes a space,
    runs of spaces collapse, and an over-long value is cut at a word with an ellipsis."""
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.:;-–") + "…"


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def display_name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


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


def send_after_commit(kind: str, context: dict, addresses: list[str]) -> None:
    """Render `kind` for `addresses` and send it once the current transaction commits."""
    if addresses:
        transaction.on_commit(partial(_send, kind, context, list(addresses)))


def _send(kind: str, context: dict, addresses: list[str]) -> None:
    context = {"site_url": settings.SITE_URL, **context}
    try:
        # The site's language: the recipients' own is not known (and differs between them).
        with translation.override(settings.LANGUAGE_CODE):
            subject = one_line(render_to_string(f"email/{kind}_subject.txt", context))
            body = render_to_string(f"email/{kind}.txt", context).rstrip("\n") + "\n"
        connection = get_connection()
        with connection:
            for address in addresses:
                try:
                    EmailMessage(
                        subject=subject,
                        body=body,
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[address],
                        connection=connection,
                    ).send()
                except Exception:
                    logger.exception("Could not send %s mail to %s", kind, address)
    except Exception:
        # Rendering or connecting failed: nothing was sent, the change itself stands.
        logger.exception("Could not send %s mail to %d recipients", kind, len(addresses))


# One function per event: who is told, and what the mail needs. ---------------------------


def _program_link(program: Program, name: str = "programs:detail") -> str:
    return absolute_url(reverse(name, args=[program.code]))


def review_submitted(*, program: Program, user: AbstractBaseUser, round_number: int) -> None:
    notify(
        program,
        kind="review_submitted",
        exclude=user,
        roles=(Role.REVIEWER, Role.APPROVER),
        context={"who": display_name(user), "round": round_number, "link": _program_link(program)},
    )


def verdict_given(
    *, program: Program, user: AbstractBaseUser, verdict_label, organisation, note: str
) -> None:
    notify(
        program,
        kind="verdict_given",
        exclude=user,
        roles=(Role.EDITOR, Role.APPROVER),
        context={
            "who": display_name(user) + (f" ({organisation})" if organisation else ""),
            "verdict": verdict_label,
            "note": note,
            "link": _program_link(program, "review:summary"),
        },
    )


def changes_requested(*, program: Program, user: AbstractBaseUser, note: str) -> None:
    notify(
        program,
        kind="changes_requested",
        exclude=user,
        roles=(Role.EDITOR,),
        context={"who": display_name(user), "note": note, "link": _program_link(program)},
    )


def approved(*, program: Program, user: AbstractBaseUser, reason: str) -> None:
    notify(
        program,
        kind="approved",
        exclude=user,
        roles=(Role.EDITOR,),
        context={"who": display_name(user), "reason": reason, "link": _program_link(program)},
    )


def _comment_link(program: Program, step_key: str, anchor_pk: int) -> str:
    path = reverse("programs:step", args=[program.code, step_key])
    return absolute_url(f"{path}#comment-{anchor_pk}")


def comment_added(*, program: Program, user: AbstractBaseUser, comment, step) -> None:
    thread = comment.parent or comment
    notify(
        program,
        kind="comment_added",
        exclude=user,
        context={
            "who": display_name(user),
            "step": step,  # rendered in the mail's language
            "body": comment.body,
            "is_reply": comment.parent_id is not None,
            "link": _comment_link(program, comment.step_key, thread.pk),
        },
    )


def comment_resolved(*, program: Program, user: AbstractBaseUser, comment, resolved: bool) -> None:
    notify(
        program,
        kind="comment_resolved" if resolved else "comment_reopened",
        exclude=user,
        context={
            "who": display_name(user),
            "body": comment.body,
            "link": _comment_link(program, comment.step_key, comment.pk),
        },
    )


def member_added(*, membership, added_by: AbstractBaseUser) -> None:
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
            "link": _program_link(program),
            "members_link": _program_link(program, "programs:members"),
        },
        [membership.user.email],
    )
