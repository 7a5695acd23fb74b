"""'Ændringer siden sidste høringsrunde': the content as the previous round sent it, against now.

While a round is open, "now" is what this round sent, and the previous round is the one
before; once a round is over, the editors' changes since they sent it are shown.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from pathways.programs.access import Action, load_program
from pathways.programs.data import load_program_data
from pathways.programs.exchange import export_document
from pathways.programs.models import Program
from pathways.review.models import ReviewRound
from pathways.versions.diff import compare_documents


def base_round(program: Program) -> ReviewRound | None:
    """The round whose sent content "now" is compared with."""
    sent = program.review_rounds.exclude(document=None).order_by("-number")
    latest = sent.first()
    if latest is not None and latest.closed_at is None:
        return sent.filter(number__lt=latest.number).first()
    return latest


def changes_since_last_round(
    request: HttpRequest, program: Program, *, invitation_token: str = ""
) -> HttpResponse:
    base = base_round(program)
    data = load_program_data(program)
    changes = compare_documents(base.document, export_document(program), data) if base else []
    return render(
        request,
        "review/round_changes.html",
        {
            "program": program,
            "base": base,
            "changes": changes,
            "invitation_token": invitation_token,
        },
    )


@require_safe
@login_required
def round_changes(request: HttpRequest, code: str) -> HttpResponse:
    program = load_program(request.user, code, Action.READ)
    return changes_since_last_round(request, program)
