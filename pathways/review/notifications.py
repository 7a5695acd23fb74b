"""Mail about the review workflow: who is told of each event, and what the mail needs.

Sending (templates, after commit, failures logged) is pathways/mail.py.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from pathways.mail import absolute_url, display_name, send_after_commit
from pathways.programs.models import Membership, Program, Role
from pathways.programs.notifications import notify, program_link
from pathways.review.invitations import link_for
from pathways.review.threads import thread_url


def review_submitted(*, program: Program, user: AbstractBaseUser, review_round) -> None:
    """The members: reviewers answer on the review screen (or "Til mig"), approvers follow."""
    notify(
        program,
        kind="review_submitted",
        exclude=user,
        roles=(Role.REVIEWER, Role.APPROVER),
        context={
            "who": display_name(user),
            "round": review_round.number,
            "deadline": review_round.deadline,
            "cover_letter": review_round.cover_letter,
            "link": program_link(program, "programs:review"),
            "inbox_link": absolute_url(reverse("consultation:inbox")),
        },
    )


def invited(*, review_round, invitations, user: AbstractBaseUser) -> None:
    """Each contact person gets their own mail with their own personal link."""
    for invitation in invitations:
        send_after_commit(
            "invited",
            {
                "program": review_round.program,
                "who": display_name(user),
                "name": invitation.name,
                "party": invitation.party.party_name,
                "round": review_round.number,
                "deadline": review_round.deadline,
                "cover_letter": review_round.cover_letter,
                "link": link_for(invitation),
            },
            [invitation.email],
        )


def _party_addresses(party) -> list[tuple[str, str]]:
    """Everyone who answers for `party`: (address, personal link or the account's page)."""
    program = party.round.program
    members = Membership.objects.filter(program=program, role=Role.REVIEWER).select_related("user")
    if party.organisation_id:
        members = members.filter(organisation_id=party.organisation_id)
    else:
        members = members.filter(user_id=party.reviewer_id)
    account_link = program_link(program, "programs:review")
    found = [(m.user.email, account_link) for m in members if m.user.email]
    found += [(i.email, link_for(i)) for i in party.invitations.filter(revoked_at__isnull=True)]
    return found


def reminder(*, party) -> None:
    for address, link in _party_addresses(party):
        send_after_commit(
            "reminder",
            {
                "program": party.round.program,
                "party": party.party_name,
                "deadline": party.round.deadline,
                "link": link,
            },
            [address],
        )


def late_answer_admitted(*, party, user: AbstractBaseUser) -> None:
    for address, link in _party_addresses(party):
        send_after_commit(
            "late_answer_admitted",
            {
                "program": party.round.program,
                "who": display_name(user),
                "party": party.party_name,
                "until": party.late_until,
                "link": link,
            },
            [address],
        )


def verdict_given(
    *,
    program: Program,
    user: AbstractBaseUser | None,
    verdict_label,
    who: str,
    organisation,
    note: str,
) -> None:
    notify(
        program,
        kind="verdict_given",
        exclude=user,
        roles=(Role.EDITOR, Role.APPROVER),
        context={
            "who": who + (f" ({organisation})" if organisation else ""),
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


def _comment_link(program: Program, step_key: str, thread) -> str:
    """The thread on its step page (on the page of the comment list that holds it)."""
    return absolute_url(thread_url(program, step_key, thread))


def comment_added(
    *, program: Program, who: str, user: AbstractBaseUser | None, comment, step
) -> None:
    thread = comment.parent or comment
    notify(
        program,
        kind="comment_added",
        exclude=user,
        context={
            "who": who,
            "step": step,  # rendered in the mail's language
            "body": comment.body,
            "is_reply": comment.parent_id is not None,
            "link": _comment_link(program, comment.step_key, thread),
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
            "link": _comment_link(program, comment.step_key, comment),
        },
    )
