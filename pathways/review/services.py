"""The review workflow: draft → in review → changes requested → … → approved → published.

Every function is keyword-only and transactional, checks the user's role and the program's
status on the locked program row, writes an audit entry and notifies the people concerned
(the mail goes out after commit; see notifications).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pathways.derivation.gaps import derivation_of, open_items
from pathways.generic_model.models import AttentionPoint
from pathways.mail import display_name
from pathways.programs.access import Action, require, role_of
from pathways.programs.completeness import CompletenessReport, assess
from pathways.programs.data import load_program_data
from pathways.programs.document import key_path, program_document
from pathways.programs.models import AuditAction, Organisation, Program, ProgramStatus, Role
from pathways.programs.readable import StepReader
from pathways.programs.services import ServiceError, audit
from pathways.programs.steps import build_steps, find_step
from pathways.review import notifications, rounds
from pathways.review.models import (
    ApprovalCondition,
    Comment,
    PartyInvitation,
    ProposalState,
    ReviewRound,
    ReviewVerdict,
    Verdict,
)


class IncompleteProgram(ServiceError):
    def __init__(self, report: CompletenessReport):
        self.report = report
        super().__init__(
            _("Programmet kan ikke sendes i høring, før intet mangler: %(count)d ting mangler.")
            % {"count": report.gap_count}
        )


class LocalItemsOpen(ServiceError):
    """A program built on another still holds the source's local items (derivation/)."""

    def __init__(self, count: int):
        self.count = count
        super().__init__(local_items_message(count))


def local_items_message(count: int) -> str:
    return ngettext(
        "Tilpas de lokale oplysninger: %(n)d mangler",
        "Tilpas de lokale oplysninger: %(n)d mangler",
        count,
    ) % {"n": count}


def open_local_items(program: Program) -> int:
    """How many of the source's local items a program built on another still holds."""
    return len(open_items(derivation_of(program)))


def _lock(program: Program) -> Program:
    return Program.objects.select_for_update().get(pk=program.pk)


def _set_status(program: Program, user: AbstractBaseUser, new: str, **details: object) -> None:
    old = program.status
    program.status = new
    program.save(update_fields=["status", "updated_at"])
    audit(
        program=program,
        user=user,
        action=AuditAction.STATUS_CHANGED,
        before={"status": old},
        after={"status": new, **details},
    )


def _expect(program: Program, *statuses: str) -> None:
    if program.status not in statuses:
        raise ServiceError(
            _("Det kan ikke lade sig gøre, mens programmet har status '%(status)s'.")
            % {"status": program.get_status_display()}
        )


current_round = rounds.current_round


@dataclass(frozen=True)
class Requirement:
    """One thing sending for review needs, and whether the program meets it now."""

    key: str
    label: str
    met: bool


def review_requirements(program: Program, report: CompletenessReport) -> list[Requirement]:
    """What "Send i høring" checks before its form opens, in the words the planner sees: the
    program page and the review screen list these, and submit_for_review refuses on them.
    (Who the round goes to, and by when, is chosen in that form.)"""
    requirements = [
        Requirement(
            "complete",
            ngettext(
                "Intet mangler i trinene (%(n)d ting mangler)",
                "Intet mangler i trinene (%(n)d ting mangler)",
                report.gap_count,
            )
            % {"n": report.gap_count}
            if not report.is_complete
            else _("Intet mangler i trinene"),
            report.is_complete,
        ),
    ]
    derivation = derivation_of(program)
    if derivation is not None and derivation.local_items:
        still_open = len(open_items(derivation))
        requirements.append(
            Requirement(
                "local",
                local_items_message(still_open)
                if still_open
                else _("De lokale oplysninger fra kilden er tilpasset"),
                not still_open,
            )
        )
    return requirements


@transaction.atomic
def submit_for_review(
    *,
    program: Program,
    user: AbstractBaseUser,
    organisations: Sequence[Organisation] = (),
    deadline: datetime.date | None = None,
    cover_letter: str = "",
) -> ReviewRound:
    """Open a consultation round: to the chosen organisations and every invited reviewer,
    answered by `deadline` (default: CONSULTATION_DEFAULT_DAYS from today)."""
    require(user, program, Action.EDIT)
    program = _lock(program)
    _expect(program, ProgramStatus.DRAFT, ProgramStatus.CHANGES_REQUESTED)
    data = load_program_data(program)
    report = assess(data)
    if not report.is_complete:
        raise IncompleteProgram(report)
    still_open = open_local_items(program)
    if still_open:
        raise LocalItemsOpen(still_open)
    today = timezone.localdate()
    deadline = deadline or today + datetime.timedelta(days=settings.CONSULTATION_DEFAULT_DAYS)
    if deadline <= today:
        raise ServiceError(_("Svarfristen skal ligge efter i dag."))
    plan = rounds.plan_parties(program, organisations)
    if not plan:
        raise ServiceError(_("Vælg mindst én høringspart, før programmet sendes i høring."))
    number = (
        program.review_rounds.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    review_round = ReviewRound.objects.create(
        program=program,
        number=number,
        opened_by=user,
        deadline=deadline,
        cover_letter=cover_letter.strip(),
        document=program_document(data),  # the content as sent, from the same load
    )
    invitations = rounds.create_parties(review_round, plan)
    _set_status(
        program,
        user,
        ProgramStatus.IN_REVIEW,
        round=str(number),
        deadline=deadline.isoformat(),
        parties=", ".join(p.name for p in plan),
    )
    notifications.review_submitted(program=program, user=user, review_round=review_round)
    notifications.invited(review_round=review_round, invitations=invitations, user=user)
    return review_round


@transaction.atomic
def give_verdict(
    *,
    program: Program,
    user: AbstractBaseUser | None = None,
    invitation: PartyInvitation | None = None,
    verdict: str,
    note: str,
) -> ReviewVerdict:
    """A party's verdict, given by a signed-in reviewer or through a personal link."""
    program = _lock(program)
    _expect(program, ProgramStatus.IN_REVIEW)
    if verdict not in Verdict.values:
        raise ServiceError(_("Vælg enig, enig med bemærkninger eller indsigelse."))
    row = rounds.acting_party(program, user=user, invitation=invitation, action=Action.GIVE_VERDICT)
    row = (
        ReviewVerdict.objects.select_for_update(of=("self",)).select_related("round").get(pk=row.pk)
    )
    rounds.require_open_for(row)
    before = {"verdict": row.verdict, "note": row.note}
    row.verdict, row.note, row.given_at = verdict, note, timezone.now()
    row.given_by = user if invitation is None else None
    row.given_by_name = invitation.name if invitation is not None else display_name(user)
    row.save()
    audit(
        program=program,
        user=user if invitation is None else None,
        action=AuditAction.VERDICT_GIVEN,
        before=before,
        after={
            "verdict": verdict,
            "note": note,
            "round": str(row.round.number),
            "party": row.party_name,
            "by": row.given_by_name,
        },
    )
    notifications.verdict_given(
        program=program,
        user=user,
        verdict_label=Verdict(verdict).label,  # lazy: rendered in the mail's language
        who=row.given_by_name,
        organisation=row.organisation,
        note=note,
    )
    return row


@transaction.atomic
def request_changes(*, program: Program, user: AbstractBaseUser, note: str) -> None:
    require(user, program, Action.APPROVE)
    program = _lock(program)
    _expect(program, ProgramStatus.IN_REVIEW)
    review_round = current_round(program)
    if review_round:
        review_round.closed_at, review_round.outcome = timezone.now(), "changes_requested"
        review_round.save()
    _set_status(program, user, ProgramStatus.CHANGES_REQUESTED, note=note)
    notifications.changes_requested(program=program, user=user, note=note)


def open_comments(program: Program) -> QuerySet[Comment]:
    return program.comments.filter(parent__isnull=True, resolved_at__isnull=True)


def _last_approval(program: Program):
    return (
        program.review_rounds.filter(outcome="approved")
        .order_by("-closed_at")
        .values_list("closed_at", flat=True)
        .first()
    )


def comments_resolved_by_others(program: Program) -> QuerySet[Comment]:
    """Comments closed since the last approval by someone who neither wrote them nor edits
    the program (the approver, another reviewer): the author's point was not answered by
    the people responsible for the text, so approving over it needs a stated reason."""
    resolved = (
        program.comments.filter(parent__isnull=True, resolved_at__isnull=False)
        .exclude(resolved_by=F("author"))
        .exclude(resolved_by_role=Role.EDITOR)
    )
    since = _last_approval(program)
    return resolved.filter(resolved_at__gt=since) if since else resolved


def objections(program: Program) -> QuerySet[ReviewVerdict]:
    """Invited reviewers whose verdict in the current round is an objection."""
    review_round = current_round(program)
    if review_round is None:
        return ReviewVerdict.objects.none()
    return review_round.verdicts.filter(verdict=Verdict.OBJECT).select_related(
        "reviewer", "organisation"
    )


def approval_conditions(program: Program) -> dict[ApprovalCondition, str]:
    """Each reason-requiring condition that holds now, with a sentence saying so (empty when
    the approver may approve without a reason). Shown before and on a refused approval."""
    conditions: dict[ApprovalCondition, str] = {}
    n_open = open_comments(program).count()
    if n_open:
        conditions[ApprovalCondition.OPEN_COMMENTS] = ngettext(
            "%(n)d kommentar er ikke løst.", "%(n)d kommentarer er ikke løst.", n_open
        ) % {"n": n_open}
    objecting = [
        (f"{v.given_by_name} ({v.organisation})" if v.organisation else v.given_by_name)
        for v in objections(program)
    ]
    if objecting:
        conditions[ApprovalCondition.OBJECTION] = _(
            "%(who)s gør indsigelse i denne høringsrunde."
        ) % {"who": ", ".join(objecting)}
    n_others = comments_resolved_by_others(program).count()
    if n_others:
        conditions[ApprovalCondition.RESOLVED_BY_OTHERS] = ngettext(
            "%(n)d kommentar er løst af en anden end den, der skrev den, eller en redaktør.",
            "%(n)d kommentarer er løst af andre end dem, der skrev dem, eller en redaktør.",
            n_others,
        ) % {"n": n_others}
    return conditions


@transaction.atomic
def approve(*, program: Program, user: AbstractBaseUser, override_reason: str = "") -> None:
    require(user, program, Action.APPROVE)
    program = _lock(program)
    _expect(program, ProgramStatus.IN_REVIEW)
    reason = override_reason.strip()
    conditions = approval_conditions(program)
    if conditions and not reason:
        raise ServiceError(
            _(
                "Godkendelsen kræver en begrundelse: %(conditions)s Skriv hvorfor programmet "
                "godkendes alligevel."
            )
            % {"conditions": " ".join(conditions.values())}
        )
    review_round = current_round(program)
    if review_round:
        review_round.closed_at, review_round.outcome = timezone.now(), "approved"
        review_round.approval_override_reason = reason
        review_round.approval_override_conditions = [str(c) for c in conditions]
        review_round.save()
    _set_status(
        program,
        user,
        ProgramStatus.APPROVED,
        override_reason=reason,
        override_conditions=", ".join(str(c) for c in conditions),
    )
    notifications.approved(program=program, user=user, reason=reason)


@transaction.atomic
def start_revision(*, program: Program, user: AbstractBaseUser) -> None:
    """A published program becomes a draft again; its published versions stay as they are."""
    require(user, program, Action.EDIT)
    program = _lock(program)
    _expect(program, ProgramStatus.PUBLISHED)
    _set_status(program, user, ProgramStatus.DRAFT)


# Comments ---------------------------------------------------------------------------------


def proposable(step, data, field_key: str) -> tuple[bool, bool]:
    """Whether `field_key` names an answer of `step`, and whether new text can be proposed for
    it (a text field: a choice or a reference cannot take typed text)."""
    path = key_path(field_key)
    reader = StepReader(step, data)
    if path is None or path not in reader.value_key:
        return False, False
    return True, reader.takes_text(path)


@transaction.atomic
def add_comment(
    *,
    program: Program,
    user: AbstractBaseUser | None = None,
    invitation: PartyInvitation | None = None,
    step_key: str,
    body: str,
    attention_point_id: int | None = None,
    parent: Comment | None = None,
    field_key: str = "",
    proposed_text: str = "",
) -> Comment:
    """A comment on a step, one of its answers (`field_key`) or attention points, or a reply.

    Members comment with their account; a consultation party's person through their
    personal link (`invitation`), while their party may still answer. A comment on an
    answer may propose replacement text, which an editor then accepts or declines.
    """
    party = None
    if invitation is not None:
        party = rounds.acting_party(
            program, user=None, invitation=invitation, action=Action.COMMENT
        )
    else:
        require(user, program, Action.COMMENT)
    program = _lock(program)  # serialises with approve(), which counts open comments
    if party is not None:
        party = ReviewVerdict.objects.select_related("round").get(pk=party.pk)
        rounds.require_open_for(party)
    elif role_of(user, program) == Role.REVIEWER:
        review_round = current_round(program)
        party = rounds.party_of(user, review_round) if review_round else None
    body = body.strip()
    if not body:
        raise ServiceError(_("Skriv en kommentar."))
    if parent is not None:
        if parent.program_id != program.pk or parent.parent_id is not None:
            raise ServiceError(_("Der kan kun svares på en kommentar i samme program."))
        step_key, attention_point_id = parent.step_key, parent.attention_point_id
        field_key, proposed_text = parent.field_key, ""
    step = find_step(build_steps(program.model_version), step_key)
    if step is None:
        raise ServiceError(_("Ukendt trin."))
    if (
        attention_point_id is not None
        and not AttentionPoint.objects.filter(
            pk=attention_point_id, section__in=step.point_sections
        ).exists()
    ):
        raise ServiceError(_("Opmærksomhedspunktet hører ikke til dette trin."))
    proposed_text = proposed_text.strip()
    if field_key and parent is None:
        known, is_text = proposable(step, load_program_data(program), field_key)
        if not known:
            raise ServiceError(_("Svaret findes ikke i dette trin."))
        if proposed_text and not is_text:
            raise ServiceError(_("Der kan kun foreslås ny tekst til et tekstfelt."))
    elif proposed_text:
        raise ServiceError(_("Vælg det svar, teksten skal erstatte."))
    comment = Comment.objects.create(
        program=program,
        step_key=step_key,
        author=user if invitation is None else None,
        invitation=invitation,
        party=party,
        body=body,
        attention_point_id=attention_point_id,
        parent=parent,
        field_key=field_key,
        proposed_text=proposed_text,
        proposal_state=ProposalState.OPEN if proposed_text else "",
    )
    audit(
        program=program,
        user=user if invitation is None else None,
        action=AuditAction.COMMENT_ADDED,
        step_key=step_key,
        after={
            "comment": comment.pk,
            "reply_to": parent.pk if parent else None,
            "body": body,
            **({"field": field_key} if field_key else {}),
            **({"proposed_text": proposed_text} if proposed_text else {}),
            **({"by": invitation.name, "party": party.party_name} if invitation else {}),
        },
    )
    notifications.comment_added(
        program=program, who=comment.author_name, user=user, comment=comment, step=step
    )
    return comment


@transaction.atomic
def set_resolved(
    *, program: Program, user: AbstractBaseUser, comment: Comment, resolved: bool
) -> None:
    require(user, program, Action.COMMENT)
    program = _lock(program)  # serialises with approve(), which checks who resolved what
    comment = Comment.objects.select_for_update().filter(pk=comment.pk, program=program).first()
    if comment is None or comment.parent_id is not None:
        raise ServiceError(_("Kun en kommentar (ikke et svar) kan løses eller genåbnes."))
    if (comment.resolved_at is not None) == resolved:
        return  # already so (a second click, a stale page): keep who resolved it and when
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = user if resolved else None
    comment.resolved_by_role = (role_of(user, program) or "") if resolved else ""
    comment.save(update_fields=["resolved_at", "resolved_by", "resolved_by_role"])
    audit(
        program=program,
        user=user,
        action=AuditAction.COMMENT_RESOLVED if resolved else AuditAction.COMMENT_REOPENED,
        step_key=comment.step_key,
        after={"comment": comment.pk},
    )
    notifications.comment_resolved(program=program, user=user, comment=comment, resolved=resolved)
