"""The public pages of published programs: no login, nothing but what was published."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from pathways.download_names import content_disposition
from pathways.pdf.views import stored_pdf_response
from pathways.programs import exchange
from pathways.programs.models import Program
from pathways.programs.services import ServiceError
from pathways.public import rate_limit
from pathways.public.forms import FeedbackForm
from pathways.public.page import pick_version, public_page, published_program
from pathways.public.services import give_feedback
from pathways.versions.models import ProgramVersion, parse_number
from pathways.versions.views import published_title
from pathways.word.views import version_docx_response

TOO_MANY = 429


@require_safe
def program_page(request: HttpRequest, code: str) -> HttpResponse:
    """The program as currently published: its newest version."""
    program, versions = published_program(code)
    return _render_page(request, program, versions, versions[0])


@require_safe
def version_page(request: HttpRequest, code: str, number: str) -> HttpResponse:
    program, versions = published_program(code)
    return _render_page(request, program, versions, pick_version(versions, number))


def _render_page(request, program, versions, shown) -> HttpResponse:
    page = public_page(program, versions, shown)
    return render(request, "public/program.html", {"page": page, "doc": page.doc})


def _version(code: str, number: str, *fields: str) -> ProgramVersion:
    """A published version for a download (404 for an unknown program or number)."""
    program = Program.objects.only("pk", "code").filter(code=code).first()
    version = None
    if program is not None:
        found = ProgramVersion.numbered(program, number)
        version = (found.only(*fields) if fields else found.defer("pdf")).first()
    if version is None:
        raise Http404("No such version.")
    version.program = program
    return version


@require_safe
def program_json(request: HttpRequest, code: str, number: str) -> HttpResponse:
    """The version's program document (the canonical JSON), as it was published."""
    version = _version(code, number)
    response = HttpResponse(
        exchange.dumps(version.document), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition(
        f"{code}-{version.number}", "json", inline=True
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"  # open data: other sites may read it
    return response


@require_safe
def version_pdf(request: HttpRequest, code: str, number: str) -> HttpResponse:
    version = _version(code, number, "pdf", "pdf_sha256", "major", "minor", "title", "program")
    return stored_pdf_response(request, version, code)


@require_safe
def version_word(request: HttpRequest, code: str, number: str) -> HttpResponse:
    version = _version(code, number)
    return version_docx_response(version, code)


@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, code: str) -> HttpResponse:
    """'Giv feedback': a message to the program's editors, without an account."""
    program, versions = published_program(code)
    number = request.POST.get("version") if request.method == "POST" else request.GET.get("version")
    parsed = parse_number(number)
    version = next((v for v in versions if (v.major, v.minor) == parsed), None)
    form = FeedbackForm(request.POST or None)
    status = 200
    refusal = ""
    if request.method == "POST" and form.is_valid():
        hashed = rate_limit.address_hash(request)
        if form.is_robot:
            return redirect("public:feedback_thanks", program.code)
        if rate_limit.is_limited(program, hashed):
            status = TOO_MANY
            refusal = _(
                "Der er sendt mange beskeder herfra på kort tid, så denne blev ikke sendt. "
                "Prøv igen om en time. Din tekst står stadig i feltet herunder."
            )
        else:
            try:
                give_feedback(
                    program=program,
                    version=version,
                    message=form.cleaned_data["message"],
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    ip_hash=hashed,
                )
            except ServiceError:
                raise Http404("No such program.") from None
            rate_limit.count(program, hashed)
            return redirect("public:feedback_thanks", program.code)
    newest = versions[0]
    return render(
        request,
        "public/feedback.html",
        {
            "program": program,
            "title": published_title(newest, program),
            "version": version,
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )


@require_safe
def feedback_thanks(request: HttpRequest, code: str) -> HttpResponse:
    program, versions = published_program(code)
    return render(
        request,
        "public/feedback_thanks.html",
        {"program": program, "title": published_title(versions[0], program)},
    )
