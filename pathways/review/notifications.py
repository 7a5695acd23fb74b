"""Mail about the review workflow: who is told of each event, and what the mail needs.

Sending (templates, after commit, failures logged) is pathways/mail.py.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from pathways.mail import absolute_url, display_name
from pathways.programs.models import Program, Role
from pathways.programs.notifications import notify, program_link


def review_submitted(*, program: Program, user: AbstractBaseUser, round_number: int) -> None:
    notify(
        program,
        kind="review_submitted",
        exclude=user,
        roles=(Role.REVIEWER, Role.APPROVER),
        context={"who": display_name(user), "round": round_number, "link": program_link(program)},
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
            "link": program_link(program, "review:summary"),
        },
    )


def changes_requested(*, program: Program, user: AbstractBaseUser, note: str) -> None:
    notify(
        program,
        kind="changes_requested",
        exclude=user,
        roles=(Role.EDITOR,),
        context={"who": display_name(user), "note": note, "link": program_link(program)},
    )


def approved(*, program: Program, user: AbstractBaseUser, reason: str) -> None:
    notify(
        program,
        kind="approved",
        exclude=user,
        roles=(Role.EDITOR,),
        context={"who": display_name(user), "reason": reason, "link": program_link(program)},
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
