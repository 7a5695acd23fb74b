"""PDF downloads: the current draft (rendered now) and published versions (stored bytes)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from pathways.download_names import content_disposition, file_stem
from pathways.pdf.render import draft_pdf
from pathways.programs.access import Action, load_program, load_published_program
from pathways.versions.models import ProgramVersion


def pdf_response(content: bytes, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(stem, "pdf", inline=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@login_required
def program_pdf(request: HttpRequest, code: str) -> HttpResponse:
    program = load_program(request.user, code, Action.READ)
    return pdf_response(draft_pdf(program), f"{file_stem(program.title, program.code)}-udkast")


@require_safe
@login_required
def version_pdf(request: HttpRequest, code: str, number: str) -> HttpResponse:
    program = load_published_program(request.user, code)
    version = (
        ProgramVersion.numbered(program, number).only("pdf", "major", "minor", "title").first()
    )
    if version is None:
        raise Http404("No such version.")
    return stored_pdf_response(version, program.code)


def stored_pdf_response(version: ProgramVersion, code: str) -> HttpResponse:
    """A published version's PDF exactly as it was published (also served on its public
    page, pathways/public/), named by the title as published, not the draft's: the draft
    may be renamed and is members-only."""
    name = file_stem(version.title, code)
    return pdf_response(bytes(version.pdf), f"{name}-version-{version.number}")
