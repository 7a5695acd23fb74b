"""PDF downloads: the current draft (kept per content key) and published versions (stored).

Either PDF may still be in the task worker's hands: the download address then answers with a
page that waits for it ("PDF'en dannes …"), and the same address with `?tilstand` says, as
JSON, whether it is ready. With no worker running the request renders the PDF itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from pathways.download_names import content_disposition, file_stem
from pathways.pdf import jobs
from pathways.programs.access import Action, load_program, load_published_program
from pathways.versions.models import ProgramVersion

logger = logging.getLogger(__name__)

WAITING = 202  # accepted: the PDF is on its way
STATUS = "tilstand"  # the query asking the download address whether the PDF is ready
RETRY = "igen"  # the query asking it to try a failed rendering again


def pdf_response(content: bytes, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(stem, "pdf", inline=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def pdf_or_wait(
    request: HttpRequest,
    wait: Callable[[bool], jobs.Wait],
    render_here: Callable[[jobs.Wait], bytes],
    stem: str,
) -> HttpResponse:
    """The PDF when it is ready (or rendered now, with no worker running); else the page
    that waits for the worker, or its JSON status (`?tilstand`)."""
    found = wait(RETRY in request.GET)
    if STATUS in request.GET:
        # No job: the PDF is ready, or the download renders it itself (no worker running).
        state = "ready" if found.job is None else "failed" if found.failed else "waiting"
        response = JsonResponse({"state": state, "elapsed": found.elapsed})
    elif found.pdf is not None:
        return pdf_response(found.pdf, stem)
    elif found.job is None:
        try:
            return pdf_response(render_here(found), stem)
        except Exception:
            logger.exception("Could not render %s", request.path)
            response = _waiting_page(request, found, failed=True)
    else:
        response = _waiting_page(request, found, failed=found.failed)
    response["Cache-Control"] = "no-store"
    return response


def _waiting_page(request: HttpRequest, found: jobs.Wait, *, failed: bool) -> HttpResponse:
    return render(
        request,
        "pdf/waiting.html",
        {
            "wait": found,
            "failed": failed,
            "status_url": f"{request.path}?{STATUS}=1",
            "retry_url": f"{request.path}?{RETRY}=1",
        },
        status=200 if failed else WAITING,
    )


@require_safe
@login_required
def program_pdf(request: HttpRequest, code: str) -> HttpResponse:
    program = load_program(request.user, code, Action.READ)
    return pdf_or_wait(
        request,
        lambda retry: jobs.draft_wait(program, retry=retry),
        lambda found: bytes(jobs.render_draft_now(program, found.draft).pdf),
        f"{file_stem(program.title, program.code)}-udkast",
    )


@require_safe
@login_required
def version_pdf(request: HttpRequest, code: str, number: str) -> HttpResponse:
    program = load_published_program(request.user, code)
    version = (
        ProgramVersion.numbered(program, number)
        .only("pdf", "pdf_sha256", "major", "minor", "title", "program")
        .first()
    )
    if version is None:
        raise Http404("No such version.")
    version.program = program
    return stored_pdf_response(request, version, program.code)


def stored_pdf_response(request: HttpRequest, version: ProgramVersion, code: str) -> HttpResponse:
    """A published version's PDF exactly as it was published (also served on its public
    page, pathways/public/), named by the title as published, not the draft's: the draft
    may be renamed and is members-only. `version` with pdf, pdf_sha256 and program."""
    name = file_stem(version.title, code)
    return pdf_or_wait(
        request,
        lambda retry: jobs.version_wait(version, retry=retry),
        lambda found: jobs.render_version_now(version),
        f"{name}-version-{version.number}",
    )
