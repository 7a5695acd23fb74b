"""The høringsnotat of one consultation round, as plain data: what the page, the PDF and the
Word file print.

Per party its verdict and note (or that it did not answer); per comment of the round its
place in the program (step, answer or attention point), who wrote it for which party, any
proposed text and what became of it, the editors' responses, and, for an accepted proposal,
a link to the changes since the round. Open points come before handled ones.

A round's comments are those written for one of its parties, and the members' own comments
(editors, approver: no party) written while the round was open. Everything is read in a
fixed number of queries, however many comments there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pathways.mail import display_name
from pathways.programs.data import load_program_data
from pathways.programs.document import key_path
from pathways.programs.models import Program
from pathways.programs.readable import StepReader
from pathways.review.models import Comment, ProposalState, ReviewRound, ReviewVerdict
from pathways.review.threads import thread_pages, thread_url


@dataclass(frozen=True)
class PartyAnswer:
    """One party of the round and its answer."""

    name: str
    answered: bool
    verdict: str  # the Verdict value, "" when the party did not answer
    verdict_label: str  # its label, or "ikke svaret"
    note: str
    given_by: str
    given_at: datetime.datetime | None
    late: bool  # answered after the deadline, with an editor's leave


@dataclass(frozen=True)
class Response:
    """A reply under a comment (the editors' response, or the thread's next word)."""

    author: str
    text: str
    at: datetime.datetime


@dataclass(frozen=True)
class Point:
    """One comment of the round, as the høringsnotat reports it."""

    pk: int
    step_key: str
    step_label: str
    subject: str  # the answer's label or the attention point ("4.1/2 Titel"), or ""
    author: str
    party: str  # the party the author spoke for, or ""
    body: str
    at: datetime.datetime
    proposed_text: str
    proposal_state: str  # ProposalState value, "" without a proposal
    proposal_label: str
    responses: tuple[Response, ...]
    is_open: bool
    resolved_at: datetime.datetime | None
    resolved_by: str
    resolved_by_role: str  # the resolver's role then (lower case), or ""
    resolved_by_other: bool  # closed by neither its author nor an editor
    # What was changed: the accepted proposal's place on the changes page ("" otherwise).
    changes_url: str
    comment_url: str  # the comment in its step


@dataclass(frozen=True)
class HearingNote:
    program_title: str
    program_code: str
    round_numbers: tuple[int, ...]  # every round of the program, newest first
    round_number: int | None  # None: the program has not been in consultation
    sent_at: datetime.datetime | None
    deadline: datetime.date | None
    closed_at: datetime.datetime | None
    cover_letter: str
    outcome: str  # "", "closed", "changes_requested", "approved"
    outcome_label: str
    override_conditions: tuple[str, ...]  # an approval over these, with the reason below
    override_reason: str
    parties: tuple[PartyAnswer, ...]
    open_points: tuple[Point, ...]
    handled_points: tuple[Point, ...]

    @property
    def points(self) -> tuple[Point, ...]:
        return self.open_points + self.handled_points

    @property
    def answered_count(self) -> int:
        return sum(1 for p in self.parties if p.answered)


def _person(user) -> str:
    return display_name(user) if user is not None else ""


def _party(verdict: ReviewVerdict) -> PartyAnswer:
    answered = bool(verdict.verdict)
    deadline = verdict.round.deadline
    late = answered and (
        verdict.late_until is not None
        or (
            deadline is not None
            and verdict.given_at is not None
            and timezone.localdate(verdict.given_at) > deadline
        )
    )
    return PartyAnswer(
        name=verdict.party_name,
        answered=answered,
        verdict=verdict.verdict,
        verdict_label=str(verdict.get_verdict_display()) if answered else _("ikke svaret"),
        note=verdict.note,
        given_by=verdict.given_by_name,
        given_at=verdict.given_at,
        late=late,
    )


def outcome_label(outcome: str) -> str:
    labels = {
        "approved": _("godkendt"),
        "changes_requested": _("ændringer ønsket"),
        "closed": _("afsluttet af redaktørerne"),
    }
    return labels.get(outcome, outcome)


def round_comments(review_round: ReviewRound):
    """The top-level comments of `review_round`, oldest first, with what the note prints."""
    until = review_round.closed_at or timezone.now()
    by_members = Q(
        party__isnull=True,
        created_at__gte=review_round.opened_at,
        created_at__lte=until,
    )
    replies = Comment.objects.select_related("author", "invitation").order_by("created_at", "pk")
    return (
        Comment.objects.filter(program_id=review_round.program_id, parent__isnull=True)
        .filter(Q(party__round=review_round) | by_members)
        .select_related(
            "author",
            "invitation",
            "party__organisation",
            "party__reviewer",
            "attention_point__section",
            "resolved_by",
        )
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "pk")
    )


def pick_round(program: Program, number: object = None) -> ReviewRound | None:
    """The round numbered `number` (any text, e.g. from the query string), or the latest
    when there is no such round."""
    rounds = program.review_rounds.order_by("-number")
    try:
        wanted = int(str(number)) if number not in (None, "") else None
    except ValueError:
        wanted = None
    found = rounds.filter(number=wanted).first() if wanted is not None else None
    return found or rounds.first()


def build_hearing_note(
    program: Program, review_round: ReviewRound | None = None, *, site_url: str = ""
) -> HearingNote:
    """The høringsnotat of `review_round` (default: the program's latest round), labelled in
    the active language. Links are paths, prefixed with `site_url` (for files read outside
    the site: the PDF and the Word file)."""
    numbers = tuple(program.review_rounds.order_by("-number").values_list("number", flat=True))
    if review_round is None:
        review_round = pick_round(program)
    if review_round is None:
        return HearingNote(
            program_title=program.title,
            program_code=program.code,
            round_numbers=numbers,
            round_number=None,
            sent_at=None,
            deadline=None,
            closed_at=None,
            cover_letter="",
            outcome="",
            outcome_label="",
            override_conditions=(),
            override_reason="",
            parties=(),
            open_points=(),
            handled_points=(),
        )
    verdicts = review_round.verdicts.select_related("organisation", "reviewer")
    parties = []
    for verdict in verdicts:
        verdict.round = review_round  # for the late flag, without a query per party
        parties.append(_party(verdict))
    comments = list(round_comments(review_round))
    data = load_program_data(program) if comments else None
    steps = {s.key: s for s in data.steps} if data else {}
    readers: dict[str, StepReader] = {}
    changes = reverse("review:round_changes", args=[program.code])
    pages = thread_pages(program)  # where each thread stands in its step page's list

    def subject(comment: Comment) -> str:
        if comment.attention_point_id:
            point = comment.attention_point
            return f"{point.reference} {point.title}"
        path = key_path(comment.field_key) if comment.field_key else None
        step = steps.get(comment.step_key)
        if path is None or step is None:
            return ""
        if step.key not in readers:
            readers[step.key] = StepReader(step, data)
        return readers[step.key].label(path)

    open_points, handled = [], []
    for comment in comments:
        step = steps.get(comment.step_key)
        accepted = comment.proposal_state == ProposalState.ACCEPTED
        point = Point(
            pk=comment.pk,
            step_key=comment.step_key,
            step_label=step.label if step else comment.step_key,
            subject=subject(comment),
            author=comment.author_name,
            party=comment.party.party_name if comment.party_id else "",
            body=comment.body,
            at=comment.created_at,
            proposed_text=comment.proposed_text,
            proposal_state=comment.proposal_state,
            proposal_label=(
                str(comment.get_proposal_state_display()) if comment.proposal_state else ""
            ),
            responses=tuple(
                Response(author=r.author_name, text=r.body, at=r.created_at)
                for r in comment.replies.all()
            ),
            is_open=(comment.resolved_at is None or comment.proposal_state == ProposalState.OPEN),
            resolved_at=comment.resolved_at,
            resolved_by=_person(comment.resolved_by),
            resolved_by_role=(
                str(comment.get_resolved_by_role_display()).lower()
                if comment.resolved_by_role
                else ""
            ),
            resolved_by_other=comment.resolved_by_other,
            changes_url=f"{site_url}{changes}#changes-{comment.step_key}" if accepted else "",
            comment_url=site_url
            + thread_url(program, comment.step_key, comment, page=pages.get(comment.pk, 1)),
        )
        (open_points if point.is_open else handled).append(point)
    return HearingNote(
        program_title=program.title,
        program_code=program.code,
        round_numbers=numbers,
        round_number=review_round.number,
        sent_at=review_round.opened_at,
        deadline=review_round.deadline,
        closed_at=review_round.closed_at,
        cover_letter=review_round.cover_letter,
        outcome=review_round.outcome,
        outcome_label=outcome_label(review_round.outcome),
        override_conditions=tuple(review_round.override_condition_labels()),
        override_reason=review_round.approval_override_reason,
        parties=tuple(parties),
        open_points=tuple(open_points),
        handled_points=tuple(handled),
    )
