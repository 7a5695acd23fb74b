from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from pathways.download_names import content_disposition
from pathways.programs import exchange
from pathways.programs.access import Action, load_program, load_published_program, role_of
from pathways.programs.data import load_program_data
from pathways.programs.models import Program
from pathways.programs.readable import readable_document
from pathways.programs.services import ServiceError
from pathways.versions.diff import compare_documents
from pathways.versions.forms import PublishForm
from pathways.versions.models import ProgramVersion
from pathways.versions.services import publish_version

DRAFT = "udkast"


@require_POST
@login_required
def publish(request: HttpRequest, code: str) -> HttpResponse:
    program = load_program(request.user, code, Action.APPROVE)
    form = PublishForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("programs:detail", program.code)
    try:
        version = publish_version(
            program=program,
            user=request.user,
            major=form.cleaned_data["kind"] == "major",
            change_note=form.cleaned_data["change_note"],
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Version %(v)s er offentliggjort.") % {"v": version.number})
    return redirect("programs:detail", program.code)


def find_version(program: Program, number: str) -> ProgramVersion:
    version = ProgramVersion.numbered(program, number).defer("pdf").first()
    if version is None:
        raise Http404("No such version.")
    return version


def published_title(version: ProgramVersion, program: Program) -> str:
    """The title as published in `version`; never the draft's (outsiders may not read it)."""
    return version.title or _("Forløbsprogram %(code)s") % {"code": program.code}


@require_safe
@login_required
def version_detail(request: HttpRequest, code: str, number: str) -> HttpResponse:
    """A published version exactly as it was published (readable by every signed-in user)."""
    program = load_published_program(request.user, code)
    version = find_version(program, number)
    # Labels applied now, in the reader's language; values as published.
    sections = readable_document(version.document, load_program_data(program))
    return render(
        request,
        "versions/version_detail.html",
        {
            "program": program,
            "version": version,
            "title": published_title(version, program),
            "sections": sections,
            "versions": program.versions.defer("pdf", "document"),
        },
    )


@require_safe
@login_required
def version_diff(request: HttpRequest, code: str) -> HttpResponse:
    program = load_published_program(request.user, code)
    is_member = role_of(request.user, program) is not None
    labels = (request.GET.get("fra", ""), request.GET.get("til", DRAFT))
    documents, title = [], ""
    for label in labels:
        if label == DRAFT:
            if not is_member:  # the draft is for members only
                raise Http404("No such version.")
            documents.append(exchange.export_document(program))
            title = program.title
        else:
            version = find_version(program, label)
            documents.append(version.document)
            title = published_title(version, program)
    # Both sides as program documents: labels applied now, in the reader's language.
    changes = compare_documents(documents[0], documents[1], load_program_data(program))
    return render(
        request,
        "versions/diff.html",
        {
            "program": program,
            "is_member": is_member,
            # The newer side's title: a non-member never sees the current draft's.
            "title": title,
            "from_label": labels[0],
            "to_label": labels[1],
            "changes": changes,
            "draft_label": DRAFT,
        },
    )


@require_safe
@login_required
def version_json(request: HttpRequest, code: str, number: str) -> HttpResponse:
    """A published version as its program document (JSON), as it was published."""
    program = load_published_program(request.user, code)
    version = find_version(program, number)
    response = HttpResponse(
        exchange.dumps(version.document), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition(
        f"{program.code}-{version.major}.{version.minor}", "json"
    )
    return response
