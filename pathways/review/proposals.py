"""Proposed text ("forslag til ny tekst"): an editor accepts it into the answer with one click,
as a normal, audited save of that field, or declines it with a reply."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pathways.programs.access import Action, require
from pathways.programs.data import load_program_data
from pathways.programs.document import key_path
from pathways.programs.models import AuditAction, Program, Role
from pathways.programs.readable import StepReader
from pathways.programs.services import ServiceError, audit, save_step
from pathways.programs.step_kinds import checked_values, read_values
from pathways.programs.steps import find_step
from pathways.review.models import Comment, ProposalState
from pathways.review.services import add_comment


def _locked_proposal(program: Program, user: AbstractBaseUser, comment_id: int) -> tuple:
    require(user, program, Action.EDIT)
    program = Program.objects.select_for_update().get(pk=program.pk)
    comment = (
        Comment.objects.select_for_update()
        .filter(pk=comment_id, program=program, parent__isnull=True)
        .first()
    )
    if comment is None or not comment.proposed_text:
        raise ServiceError(_("Kommentaren har intet tekstforslag."))
    if comment.proposal_state != ProposalState.OPEN:
        raise ServiceError(
            _("Forslaget er allerede %(state)s.") % {"state": comment.get_proposal_state_display()}
        )
    return program, comment


def _settle(comment: Comment, user: AbstractBaseUser, state: str) -> None:
    now = timezone.now()
    comment.proposal_state, comment.proposal_decided_at = state, now
    comment.proposal_decided_by = user
    if comment.resolved_at is None:
        comment.resolved_at, comment.resolved_by, comment.resolved_by_role = now, user, Role.EDITOR
    comment.save()


@transaction.atomic
def accept_proposal(*, program: Program, user: AbstractBaseUser, comment_id: int) -> Comment:
    """Put the proposed text into its answer (while the program can be edited) and close the
    comment. The save is the step's own (merge, revision, audit); this adds who proposed it."""
    program, comment = _locked_proposal(program, user, comment_id)
    data = load_program_data(program)
    step = find_step(data.steps, comment.step_key)
    path = key_path(comment.field_key)
    key = StepReader(step, data).value_key.get(path) if step and path else None
    if key is None:
        raise ServiceError(_("Svaret, forslaget gælder, findes ikke længere."))
    values = read_values(step, data)
    before = values.get(key)
    values[key] = comment.proposed_text
    accepted, error = checked_values(step, data, values)
    if error is not None:
        _field_id, label, message = error
        raise ServiceError(
            _("Forslaget kan ikke indarbejdes: %(label)s: %(message)s")
            % {"label": label, "message": message}
        )
    result = save_step(
        program=program,
        user=user,
        step=step,
        values=accepted,
        loaded_revision=data.revisions[step.key].number,
        data=data,
    )
    _settle(comment, user, ProposalState.ACCEPTED)
    audit(
        program=program,
        user=user,
        action=AuditAction.PROPOSAL_ACCEPTED,
        step_key=step.key,
        # The answer before and after, by its document path: the log shows it as it shows
        # a step save (a compact word diff for a long text).
        before={comment.field_key: before},
        after={
            comment.field_key: accepted.get(key, comment.proposed_text),
            "comment": comment.pk,
            "field": comment.field_key,
            "by": comment.author_name,
            "revision": str(result.revision),
        },
    )
    return comment


@transaction.atomic
def decline_proposal(
    *, program: Program, user: AbstractBaseUser, comment_id: int, reply: str
) -> Comment:
    """Keep the answer as it is; the reply tells the party why (the høringsnotat shows it)."""
    program, comment = _locked_proposal(program, user, comment_id)
    if not reply.strip():
        raise ServiceError(_("Skriv et svar, der forklarer, hvorfor forslaget ikke indarbejdes."))
    add_comment(program=program, user=user, step_key=comment.step_key, body=reply, parent=comment)
    _settle(comment, user, ProposalState.DECLINED)
    audit(
        program=program,
        user=user,
        action=AuditAction.PROPOSAL_DECLINED,
        step_key=comment.step_key,
        after={"comment": comment.pk, "field": comment.field_key, "by": comment.author_name},
    )
    return comment
