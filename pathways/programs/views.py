"""Pages for writing a program. Views load through access.py and write through services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from pathways.generic_model.models import ModelVersion
from pathways.programs import services
from pathways.programs.access import Action, load_program, may, programs_visible_to
from pathways.programs.completeness import assess
from pathways.programs.data import ProgramData, load_program_data
from pathways.programs.editors import build_step_forms, payload_of
from pathways.programs.forms import AddEditorForm, ProgramCreateForm
from pathways.programs.models import Program
from pathways.programs.snapshots import step_snapshot
from pathways.programs.steps import Step, StepKind, find_step
from pathways.versions.forms import PublishForm


def step_url(program: Program, step: Step) -> str:
    if step.kind == StepKind.REVIEW:
        return reverse("programs:review", args=[program.code])
    return reverse("programs:step", args=[program.code, step.key])


def _menu_context(data: ProgramData, current: str | None) -> dict:
    report = assess(data)
    menu = [
        {
            "step": r.step,
            "report": r,
            "url": step_url(data.program, r.step),
            "current": r.step.key == current,
        }
        for r in report.steps
    ]
    return {"program": data.program, "report": report, "menu": menu}


@require_safe
@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    programs = programs_visible_to(request.user).select_related("model_version")
    return render(request, "programs/program_list.html", {"programs": programs})


@require_http_methods(["GET", "POST"])
@login_required
def program_create(request: HttpRequest) -> HttpResponse:
    version = ModelVersion.objects.order_by("-publication_year", "-loaded_at").first()
    if version is None:
        messages.error(request, _("Den generiske model er ikke indlæst endnu."))
        return redirect("programs:list")
    form = ProgramCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        program = services.create_program(
            user=request.user,
            title=form.cleaned_data["title"],
            region=form.cleaned_data["region"],
            model_version=version,
        )
        messages.success(
            request,
            _(
                "Programmet er oprettet. Udfyld trinene i din egen "
                "rækkefølge; alt gemmes som udkast."
            ),
        )
        return redirect("programs:step", program.code, "grundlag")
    return render(request, "programs/program_create.html", {"form": form, "version": version})


@require_safe
@login_required
def program_detail(request: HttpRequest, code: str) -> HttpResponse:
    program = load_program(request.user, code, Action.READ)
    data = load_program_data(program)
    members = program.memberships.select_related("user").order_by("added_at")
    versions = program.versions.select_related("published_by").defer("pdf", "content")
    context = {
        **_menu_context(data, None),
        "members": members,
        "versions": versions,
        "publish_form": PublishForm(),
        "may_edit": may(request.user, program, Action.EDIT),
    }
    return render(request, "programs/program_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def step_edit(request: HttpRequest, code: str, step_key: str) -> HttpResponse:
    program = load_program(request.user, code, Action.EDIT)
    data = load_program_data(program)
    step = find_step(data.steps, step_key)
    if step is None or step.kind == StepKind.REVIEW:
        raise Http404("No such step.")
    revision = data.revisions.get(step.key)
    loaded_revision = revision.number if revision else 0
    conflict = None
    status = 200

    if request.method == "POST":
        forms = build_step_forms(step, data, request.POST)
        try:
            loaded_revision = int(request.POST.get("revision", ""))
        except ValueError:
            loaded_revision = -1  # tampered or missing: treat as stale, never overwrite
        if forms.is_valid():
            try:
                services.save_step(
                    program=program,
                    user=request.user,
                    step=step,
                    payload=payload_of(step, forms),
                    loaded_revision=loaded_revision,
                )
            except services.StepConflict as error:
                conflict = error
                loaded_revision = error.current_revision
                status = 409
            else:
                messages.success(request, _("Trinnet er gemt."))
                return redirect(_after_save_target(request, data, step))
        else:
            messages.error(
                request,
                _(
                    "Trinnet er ikke gemt: ret de markerede felter. "
                    "Alt, du har skrevet, står der stadig."
                ),
            )
            status = 200
    else:
        forms = build_step_forms(step, data)

    context = {
        **_menu_context(data, step.key),
        "step": step,
        "forms": forms,
        "loaded_revision": loaded_revision,
        "conflict": conflict,
        "step_report": assess(data).for_step(step.key),
    }
    return render(request, "programs/step.html", context, status=status)


def _after_save_target(request: HttpRequest, data: ProgramData, step: Step) -> str:
    goto = find_step(data.steps, request.POST.get("goto", ""))
    if goto is not None:
        return step_url(data.program, goto)
    if "save_next" in request.POST:
        index = data.steps.index(step)
        if index + 1 < len(data.steps):
            return step_url(data.program, data.steps[index + 1])
    return step_url(data.program, step)


@require_safe
@login_required
def review(request: HttpRequest, code: str) -> HttpResponse:
    program = load_program(request.user, code, Action.READ)
    data = load_program_data(program)
    context = _menu_context(data, "gennemgang")
    sections = [
        {"report": r, "url": step_url(program, r.step), "items": step_snapshot(r.step, data)}
        for r in context["report"].steps
        if r.step.kind != StepKind.REVIEW
    ]
    return render(request, "programs/review.html", {**context, "sections": sections})


@require_http_methods(["GET", "POST"])
@login_required
def members(request: HttpRequest, code: str) -> HttpResponse:
    program = load_program(request.user, code, Action.READ)
    form = AddEditorForm(request.POST or None)
    if request.method == "POST":
        program = load_program(request.user, code, Action.EDIT)
        if form.is_valid():
            try:
                membership = services.add_editor(
                    program=program, user=request.user, identifier=form.cleaned_data["username"]
                )
            except services.ServiceError as error:
                form.add_error("username", str(error))
            else:
                messages.success(
                    request,
                    _("%(who)s er tilføjet som redaktør.")
                    % {"who": membership.user.get_username()},
                )
                return redirect("programs:members", program.code)
    memberships = program.memberships.select_related("user").order_by("added_at")
    return render(
        request,
        "programs/members.html",
        {"program": program, "memberships": memberships, "form": form},
    )
