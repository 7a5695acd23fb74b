"""Running a consultation round: the form that opens one, and the round's own page (parties,
their people and links, answers, the editor's actions while it runs)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from pathways.mail import display_name
from pathways.programs.access import Action, load_program, may
from pathways.programs.completeness import assess
from pathways.programs.data import load_program_data
from pathways.programs.models import EDITABLE_STATUSES, Organisation, ProgramStatus, Role
from pathways.programs.services import ServiceError
from pathways.review import rounds, services
from pathways.review.forms import PartyContactForm, StartRoundForm
from pathways.review.invitations import deadline_end, expires_at
from pathways.review.models import PartyContact


def _start_context(program, form: StartRoundForm, contact_form: PartyContactForm) -> dict:
    reviewers = program.memberships.filter(role=Role.REVIEWER).select_related(
        "user", "organisation"
    )
    # Who can be reached at each organisation: its contact people and invited reviewers.
    contacts: dict[int, list[str]] = {}
    for contact in PartyContact.objects.all():
        contacts.setdefault(contact.organisation_id, []).append(contact.name)
    for m in reviewers:
        if m.organisation_id:
            contacts.setdefault(m.organisation_id, []).append(display_name(m.user))
    # Organisations someone can be reached at come first; the rest (98 municipalities…) fold.
    reachable, others = [], []
    for choice in form["organisations"]:
        (reachable if choice.data["value"].value in contacts else others).append(choice)
    return {
        "program": program,
        "form": form,
        "contact_form": contact_form,
        "reachable": [(c, contacts.get(c.data["value"].value, [])) for c in reachable],
        "others": others,
        "reviewers": reviewers,
        "organisation_names": Organisation.objects.order_by("name").values_list("name", flat=True),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    """'Send i høring': choose the parties (one by one or a whole region or sundhedsråd at
    once), the deadline and the cover letter; then every party's people are told."""
    program = load_program(request.user, code, Action.EDIT)
    if program.status not in EDITABLE_STATUSES:
        messages.error(request, _("Programmet er allerede sendt i høring eller godkendt."))
        return redirect("programs:detail", program.code)
    report = assess(load_program_data(program))
    if not report.is_complete:
        messages.error(request, str(services.IncompleteProgram(report)))
        return redirect("programs:review", program.code)  # lists every gap with a link
    still_open = services.open_local_items(program)
    if still_open:
        messages.error(request, str(services.LocalItemsOpen(still_open)))
        return redirect(reverse("programs:detail", args=[program.code]) + "#local-items")
    groups = rounds.party_groups()
    form = StartRoundForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_for_review(
                program=program,
                user=request.user,
                organisations=form.chosen(),
                deadline=form.cleaned_data["deadline"],
                cover_letter=form.cleaned_data["cover_letter"],
            )
        except ServiceError as error:
            form.add_error("organisations", str(error))
        else:
            messages.success(request, _("Programmet er sendt i høring."))
            return redirect("review:round", program.code)
    return render(
        request, "review/start_round.html", _start_context(program, form, PartyContactForm())
    )


@require_POST
@login_required
def add_contact(request: HttpRequest, code: str) -> HttpResponse:
    program = load_program(request.user, code, Action.EDIT)
    form = PartyContactForm(request.POST)
    if form.is_valid():
        try:
            contact = rounds.add_party_contact(
                program=program, user=request.user, **form.cleaned_data
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(name)s er kontaktperson for %(organisation)s.")
                % {"name": contact.name, "organisation": contact.organisation.name},
            )
            return redirect("review:submit", program.code)
    # Refused: the page again with what was typed and the reason at its field.
    groups = rounds.party_groups()
    context = _start_context(program, StartRoundForm(groups=groups), form)
    return render(request, "review/start_round.html", context, status=200)


@require_safe
@login_required
def round_page(request: HttpRequest, code: str) -> HttpResponse:
    program = load_program(request.user, code, Action.READ)
    review_round = program.review_rounds.order_by("-number").first()
    is_editor = may(request.user, program, Action.EDIT)
    parties = []
    if review_round is not None:
        members = program.memberships.filter(role=Role.REVIEWER).select_related("user")
        parties_of_round = review_round.verdicts.select_related(
            "organisation", "reviewer"
        ).prefetch_related("invitations")
        for party in parties_of_round:
            people = [
                display_name(m.user)
                for m in members
                if (party.organisation_id and m.organisation_id == party.organisation_id)
                or (party.reviewer_id and m.user_id == party.reviewer_id)
            ]
            invitations = [
                {"invitation": i, "expires_at": expires_at(i)} for i in party.invitations.all()
            ]
            parties.append({"party": party, "people": people, "invitations": invitations})
    running = (
        review_round is not None
        and review_round.closed_at is None
        and program.status == ProgramStatus.IN_REVIEW
    )
    return render(
        request,
        "review/round.html",
        {
            "program": program,
            "review_round": review_round,
            "parties": parties,
            "is_editor": is_editor,
            "running": running,
            "deadline_passed": bool(review_round and rounds.deadline_passed(review_round)),
            "deadline_end": deadline_end(review_round) if review_round else None,
            "days_left": rounds.days_left(review_round) if review_round else None,
            "may_close": running
            and is_editor
            and (
                rounds.deadline_passed(review_round)
                or not any(not p["party"].verdict for p in parties)
            ),
        },
    )


def _editor_action(request: HttpRequest, code: str, action, success: str) -> HttpResponse:
    program = load_program(request.user, code, Action.EDIT)
    try:
        action(program)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("review:round", program.code)


@require_POST
@login_required
def admit_late(request: HttpRequest, code: str, party_id: int) -> HttpResponse:
    return _editor_action(
        request,
        code,
        lambda p: rounds.admit_late_answer(program=p, user=request.user, party_id=party_id),
        _("Parten kan svare efter fristen i 7 dage og har fået besked."),
    )


@require_POST
@login_required
def revoke(request: HttpRequest, code: str, invitation_id: int) -> HttpResponse:
    return _editor_action(
        request,
        code,
        lambda p: rounds.revoke_invitation(
            program=p, user=request.user, invitation_id=invitation_id
        ),
        _("Linket er tilbagekaldt og virker ikke længere."),
    )


@require_POST
@login_required
def reissue(request: HttpRequest, code: str, invitation_id: int) -> HttpResponse:
    return _editor_action(
        request,
        code,
        lambda p: rounds.reissue_invitation(
            program=p, user=request.user, invitation_id=invitation_id
        ),
        _("Et nyt personligt link er sendt; det gamle virker ikke længere."),
    )


@require_POST
@login_required
def close(request: HttpRequest, code: str) -> HttpResponse:
    return _editor_action(
        request,
        code,
        lambda p: rounds.close_round(program=p, user=request.user),
        _("Høringsrunden er afsluttet; programmet kan nu rettes til efter svarene."),
    )
