"""The review workflow: draft → in review → changes requested → … → approved → published.

Every function is keyword-only and transactional, checks the user's role and the program's
status, writes an audit entry and notifies the people concerned.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pathways.generic_model.models import AttentionPoint
from pathways.programs.access import Action, require
from pathways.programs.completeness import CompletenessReport, assess
from pathways.programs.data import load_program_data
from pathways.programs.models import Program, ProgramStatus, Role
from pathways.programs.services import ServiceError, audit
from pathways.programs.steps import build_steps, find_step
from pathways.review.models import Comment, ReviewRound, ReviewVerdict, Verdict
from pathways.review.notifications import notify


class IncompleteProgram(ServiceError):
    def __init__(self, report: CompletenessReport):
        self.report = report
        super().__init__(
            _("Programmet kan ikke sendes i høring, før intet mangler: %(count)d ting mangler.")
            % {"count": report.gap_count}
        )


def _lock(program: Program) -> Program:
    return Program.objects.select_for_update().get(pk=program.pk)


def _set_status(program: Program, user: AbstractBaseUser, new: str, **details: str) -> None:
    old = program.status
    program.status = new
    program.save(update_fields=["status", "updated_at"])
    audit(
        program=program,
        user=user,
        action="status_changed",
        before={"status": old},
        after={"status": new, **details},
    )


def _expect(program: Program, *statuses: str) -> None:
    if program.status not in statuses:
        raise ServiceError(
            _("Det kan ikke lade sig gøre, mens programmet har status '%(status)s'.")
            % {"status": program.get_status_display()}
        )


def current_round(program: Program) -> ReviewRound | None:
    return program.review_rounds.filter(closed_at__isnull=True).first()


def _link(program: Program, name: str = "programs:detail") -> str:
    return reverse(name, args=[program.code])


@transaction.atomic
def submit_for_review(*, program: Program, user: AbstractBaseUser) -> ReviewRound:
    require(user, program, Action.EDIT)
    program = _lock(program)
    _expect(program, ProgramStatus.DRAFT, ProgramStatus.CHANGES_REQUESTED)
    report = assess(load_program_data(program))
    if not report.is_complete:
        raise IncompleteProgram(report)
    reviewers = list(program.memberships.filter(role=Role.REVIEWER).select_related("user"))
    if not reviewers:
        raise ServiceError(_("Inviter mindst én høringspart, før programmet sendes i høring."))
    number = (
        program.review_rounds.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    review_round = ReviewRound.objects.create(program=program, number=number, opened_by=user)
    ReviewVerdict.objects.bulk_create(
        ReviewVerdict(round=review_round, reviewer=m.user, organisation=m.organisation)
        for m in reviewers
    )
    _set_status(program, user, ProgramStatus.IN_REVIEW, round=str(number))
    notify(
        program,
        exclude=user,
        roles=(Role.REVIEWER, Role.APPROVER),
        subject=_("Høring: %(title)s") % {"title": program.title},
        body=_(
            "%(who)s har sendt programmet '%(title)s' i høring (runde %(n)d).\n"
            "Læs og kommentér: %(link)s\n"
        )
        % {"who": user.get_username(), "title": program.title, "n": number, "link": _link(program)},
    )
    return review_round


@transaction.atomic
def give_verdict(
    *, program: Program, user: AbstractBaseUser, verdict: str, note: str
) -> ReviewVerdict:
    require(user, program, Action.GIVE_VERDICT)
    program = _lock(program)
    _expect(program, ProgramStatus.IN_REVIEW)
    if verdict not in Verdict.values:
        raise ServiceError(_("Vælg enig, enig med bemærkninger eller indsigelse."))
    review_round = current_round(program)
    row = review_round.verdicts.filter(reviewer=user).first() if review_round else None
    if row is None:
        raise ServiceError(_("Du er ikke inviteret til den igangværende høringsrunde."))
    before = {"verdict": row.verdict, "note": row.note}
    row.verdict, row.note, row.given_at = verdict, note, timezone.now()
    row.save()
    audit(
        program=program,
        user=user,
        action="verdict_given",
        before=before,
        after={"verdict": verdict, "note": note, "round": str(review_round.number)},
    )
    notify(
        program,
        exclude=user,
        roles=(Role.EDITOR, Role.APPROVER),
        subject=_("Høringssvar: %(title)s") % {"title": program.title},
        body=_("%(who)s (%(org)s) har svaret: %(verdict)s.\n\n%(note)s\n\n%(link)s\n")
        % {
            "who": user.get_username(),
            "org": row.organisation or "",
            "verdict": Verdict(verdict).label,
            "note": note,
            "link": _link(program, "review:summary"),
        },
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
    notify(
        program,
        exclude=user,
        roles=(Role.EDITOR,),
        subject=_("Ændringer ønsket: %(title)s") % {"title": program.title},
        body=f"{note}\n\n{_link(program)}\n",
    )


def open_comments(program: Program):
    return program.comments.filter(parent__isnull=True, resolved_at__isnull=True)


@transaction.atomic
def approve(*, program: Program, user: AbstractBaseUser, override_reason: str = "") -> None:
    require(user, program, Action.APPROVE)
    program = _lock(program)
    _expect(program, ProgramStatus.IN_REVIEW)
    unresolved = open_comments(program).count()
    if unresolved and not override_reason.strip():
        raise ServiceError(
            _(
                "%(n)d kommentarer er ikke løst. Løs dem, eller skriv hvorfor "
                "programmet godkendes alligevel."
            )
            % {"n": unresolved}
        )
    review_round = current_round(program)
    if review_round:
        review_round.closed_at, review_round.outcome = timezone.now(), "approved"
        review_round.approval_override_reason = override_reason if unresolved else ""
        review_round.save()
    _set_status(
        program, user, ProgramStatus.APPROVED, override_reason=override_reason if unresolved else ""
    )
    notify(
        program,
        exclude=user,
        roles=(Role.EDITOR,),
        subject=_("Godkendt: %(title)s") % {"title": program.title},
        body=_("Programmet er godkendt og kan offentliggøres.\n%(link)s\n")
        % {"link": _link(program)},
    )


@transaction.atomic
def start_revision(*, program: Program, user: AbstractBaseUser) -> None:
    """A published program becomes a draft again; its published versions stay as they are."""
    require(user, program, Action.EDIT)
    program = _lock(program)
    _expect(program, ProgramStatus.PUBLISHED)
    _set_status(program, user, ProgramStatus.DRAFT)


# Comments ---------------------------------------------------------------------------------


@transaction.atomic
def add_comment(
    *,
    program: Program,
    user: AbstractBaseUser,
    step_key: str,
    body: str,
    attention_point_id: int | None = None,
    parent: Comment | None = None,
) -> Comment:
    require(user, program, Action.COMMENT)
    body = body.strip()
    if not body:
        raise ServiceError(_("Skriv en kommentar."))
    if parent is not None:
        if parent.program_id != program.pk or parent.parent_id is not None:
            raise ServiceError(_("Der kan kun svares på en kommentar i samme program."))
        step_key, attention_point_id = parent.step_key, parent.attention_point_id
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
    comment = Comment.objects.create(
        program=program,
        step_key=step_key,
        author=user,
        body=body,
        attention_point_id=attention_point_id,
        parent=parent,
    )
    audit(
        program=program,
        user=user,
        action="comment_added",
        step_key=step_key,
        after={"comment": comment.pk, "reply_to": parent.pk if parent else None, "body": body},
    )
    notify(
        program,
        exclude=user,
        subject=_("Ny kommentar: %(title)s") % {"title": program.title},
        body=_("%(who)s skrev om trinnet '%(step)s':\n\n%(body)s\n\n%(link)s\n")
        % {
            "who": user.get_username(),
            "step": step.label,
            "body": body,
            "link": reverse("programs:step", args=[program.code, step_key])
            + f"#comment-{(parent or comment).pk}",
        },
    )
    return comment


@transaction.atomic
def set_resolved(
    *, program: Program, user: AbstractBaseUser, comment: Comment, resolved: bool
) -> None:
    require(user, program, Action.COMMENT)
    if comment.program_id != program.pk or comment.parent_id is not None:
        raise ServiceError(_("Kun en kommentar (ikke et svar) kan løses eller genåbnes."))
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = user if resolved else None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    audit(
        program=program,
        user=user,
        action="comment_resolved" if resolved else "comment_reopened",
        step_key=comment.step_key,
        after={"comment": comment.pk},
    )
    notify(
        program,
        exclude=user,
        subject=(_("Kommentar løst: %(title)s") if resolved else _("Kommentar genåbnet: %(title)s"))
        % {"title": program.title},
        body=f"{comment.body}\n\n"
        + reverse("programs:step", args=[program.code, comment.step_key])
        + f"#comment-{comment.pk}\n",
    )
