"""'Brug som udgangspunkt' and confirming a local item. Loads through programs.access and
writes through derivation.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pathways.derivation import services
from pathways.derivation.forms import StartForm
from pathways.derivation.gaps import derivation_of, open_items
from pathways.derivation.presentation import shown
from pathways.programs import regions
from pathways.programs.access import Action, load_program, load_published_program, role_of
from pathways.programs.models import Program
from pathways.programs.services import ServiceError
from pathways.versions.models import ProgramVersion

DRAFT = "udkast"  # ?version=udkast: a member starts from the draft


def _source(request: HttpRequest, code: str) -> tuple[Program, ProgramVersion | None]:
    """The program and the version to start from: ?version=N (published), the newest
    published version, or for its members the draft. Anyone else: 404."""
    program = load_published_program(request.user, code)
    number = request.GET.get("version", "")
    versions = ProgramVersion.objects.filter(program=program).defer("pdf")
    if number == DRAFT or (not number and not versions.exists()):
        if role_of(request.user, program) is None:
            raise Http404("No such program.")
        return program, None
    version = (
        ProgramVersion.numbered(program, number).defer("pdf").first()
        if number
        else versions.order_by("-major", "-minor").first()
    )
    if version is None:
        raise Http404("No such version.")
    return program, version


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    source, version = _source(request, code)
    title = (version.title if version else source.title) or source.code
    day = regions.today()
    form = StartForm(request.POST or None, initial={"title": title}, on=day)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.start_from(
                user=request.user,
                source_program=source,
                source_version=version,
                region=form.cleaned_data["region"],
                title=form.cleaned_data["title"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "Programmet er oprettet som udkast ud fra »%(title)s«. Gå de lokale "
                    "oplysninger igennem: ret dem, eller bekræft dem, hvis de også gælder hos jer."
                )
                % {"title": title},
            )
            return redirect(reverse("programs:detail", args=[program.code]) + "#local-items")
    return render(
        request,
        "derivation/start.html",
        {
            "source": source,
            "version": version,
            "title": title,
            "source_region": regions.region_label(version.region if version else source.region),
            "form": form,
        },
    )


@require_POST
@login_required
def confirm(request: HttpRequest, code: str) -> HttpResponse:
    """An editor confirms one local item as it is; back to its step (or the program page)."""
    program = load_program(request.user, code, Action.EDIT)
    key = request.POST.get("item", "")
    target = reverse("programs:detail", args=[program.code]) + "#local-items"
    try:
        item = services.confirm_local_item(program=program, user=request.user, key=key)
    except ServiceError as error:  # not editable now, or already resolved
        messages.error(request, str(error))
    else:
        messages.success(request, _("Bekræftet: %(item)s.") % {"item": shown(item).label})
        step_key = item["path"][0]
        if request.POST.get("step") == step_key:
            remaining = any(i["path"][0] == step_key for i in open_items(derivation_of(program)))
            anchor = "#local-items-step" if remaining else ""
            target = reverse("programs:step", args=[program.code, step_key]) + anchor
    return redirect(target)
