"""The pages a consultation party's personal link opens: read the program as sent, comment
beside the answers, give the party's verdict. No account; the link is the only key, and it
opens this one program for this one party (invitations.find_invitation)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from pathways.programs.data import load_program_data
from pathways.programs.document import program_document
from pathways.programs.models import ProgramStatus
from pathways.programs.readable import step_fields
from pathways.programs.services import ServiceError
from pathways.programs.steps import StepKind
from pathways.review import services
from pathways.review.forms import InvitedCommentForm, ReplyForm, VerdictForm
from pathways.review.invitations import find_invitation, may_answer
from pathways.review.models import Comment, PartyInvitation, Verdict
from pathways.review.round_changes import changes_since_last_round
from pathways.review.threads import threads_by_step


class LinkNotValid(Http404):
    """A link that never was, was revoked, or has expired: all look the same from outside."""


def _invitation(token: str) -> PartyInvitation:
    invitation = find_invitation(token)
    if invitation is None:
        raise LinkNotValid("This link does not work (any more).")
    PartyInvitation.objects.filter(pk=invitation.pk).update(last_used_at=timezone.now())
    return invitation


def _home(token: str, anchor: str = "") -> HttpResponse:
    return redirect(reverse("consultation:invited", args=[token]) + anchor)


@require_safe
def reading(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    party = invitation.party
    review_round = party.round
    program = review_round.program
    data = load_program_data(program)
    document = program_document(data)
    by_step = threads_by_step(program)
    sections = [
        {
            "step": step,
            "items": step_fields(step, data, document),
            "threads": by_step.get(step.key, []),
        }
        for step in data.steps
        if step.kind != StepKind.REVIEW
    ]
    answering = program.status == ProgramStatus.IN_REVIEW and may_answer(party)
    return render(
        request,
        "review/invited.html",
        {
            "program": program,
            "invitation": invitation,
            "invitation_token": token,
            "party": party,
            "review_round": review_round,
            "sections": sections,
            "may_comment": answering,
            "answering": answering,
            "verdict_choices": Verdict.choices,
        },
    )


@require_POST
def verdict(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    form = VerdictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vælg enig, enig med bemærkninger eller indsigelse."))
        return _home(token, "#verdict-form")
    try:
        services.give_verdict(
            program=invitation.party.round.program,
            invitation=invitation,
            verdict=form.cleaned_data["verdict"],
            note=form.cleaned_data["note"],
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Jeres høringssvar er registreret."))
    return _home(token, "#verdict-form")


@require_POST
def comment_add(request: HttpRequest, token: str, step_key: str) -> HttpResponse:
    invitation = _invitation(token)
    form = InvitedCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kommentaren er ikke gemt: skriv en tekst på højst 5000 tegn."))
        return _home(token, f"#step-{step_key}")
    try:
        comment = services.add_comment(
            program=invitation.party.round.program,
            invitation=invitation,
            step_key=step_key,
            body=form.cleaned_data["body"],
            field_key=form.cleaned_data["field"],
            proposed_text=form.cleaned_data["proposed_text"],
        )
    except ServiceError as error:
        messages.error(request, str(error))
        return _home(token, f"#step-{step_key}")
    messages.success(request, _("Kommentaren er gemt."))
    return _home(token, f"#comment-{comment.pk}")


@require_POST
def comment_reply(request: HttpRequest, token: str, comment_id: int) -> HttpResponse:
    invitation = _invitation(token)
    program = invitation.party.round.program
    parent = Comment.objects.filter(pk=comment_id, program=program).first()
    if parent is None:
        raise Http404("No such comment.")
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Svaret er ikke gemt: skriv en tekst på højst 5000 tegn."))
        return _home(token, f"#comment-{parent.pk}")
    try:
        services.add_comment(
            program=program,
            invitation=invitation,
            step_key=parent.step_key,
            body=form.cleaned_data["body"],
            parent=parent,
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Svaret er gemt."))
    return _home(token, f"#comment-{parent.pk}")


@require_safe
def changes(request: HttpRequest, token: str) -> HttpResponse:
    """What changed since the previous round, for the party reading this round."""
    invitation = _invitation(token)
    return changes_since_last_round(request, invitation.party.round.program, invitation_token=token)
