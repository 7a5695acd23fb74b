"""Word downloads: the current draft and published versions, built from the same program
document as the PDF (pathways/pdf/views.py), for reviewers who comment in Word."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from pathways.download_names import file_stem
from pathways.programs.access import Action, load_program, load_published_program
from pathways.versions.models import ProgramVersion
from pathways.word.program_docx import draft_docx, version_docx
from pathways.word.writing import docx_response


@require_safe
@login_required
def program_docx(request: HttpRequest, code: str) -> HttpResponse:
    program = load_program(request.user, code, Action.READ)
    return docx_response(draft_docx(program), f"{file_stem(program.title, program.code)}-udkast")


@require_safe
@login_required
def version_docx_download(request: HttpRequest, code: str, number: str) -> HttpResponse:
    program = load_published_program(request.user, code)
    version = (
        ProgramVersion.numbered(program, number).defer("pdf").select_related("program").first()
    )
    if version is None:
        raise Http404("No such version.")
    return version_docx_response(version, program.code)


def version_docx_response(version: ProgramVersion, code: str) -> HttpResponse:
    """A published version as .docx, built from its stored document (also served on its
    public page, pathways/public/), named by the title as published, as its PDF is."""
    name = file_stem(version.title, code)
    return docx_response(version_docx(version), f"{name}-version-{version.number}")
