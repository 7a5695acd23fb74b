"""Pages for writing a program. Views load through access.py and write through services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from pathways.download_names import content_disposition
from pathways.generic_model.models import ModelVersion
from pathways.pagination import paginate, paginate_keys_first
from pathways.pdf.diagram import pathway_diagram
from pathways.programs import exchange, page_cache, regions, services
from pathways.programs.access import Action, load_program, may, programs_visible_to
from pathways.programs.actor_duties import municipal_actor_duties
from pathways.programs.completeness import assess
from pathways.programs.conflicts import conflict_view
from pathways.programs.data import ProgramData, load_program_data
from pathways.programs.document import key_path, linkable_entries, path_key, program_document
from pathways.programs.forms import AddMemberForm, ProgramCreateForm
from pathways.programs.guidance import companion_context, step_guidance
from pathways.programs.listing import ProgramFilterForm
from pathways.programs.models import (
    EDITABLE_STATUSES,
    Organisation,
    Program,
    ProgramStatus,
    Role,
)
from pathways.programs.offer_register import CompanionLinks
from pathways.programs.readable import StepReader, step_fields
from pathways.programs.step_kinds import build_step_forms, definition_of
from pathways.programs.steps import Step, StepKind, find_step
from pathways.review import unsaved
from pathways.review.forms import CommentForm, ReplyForm
from pathways.review.models import Verdict
from pathways.review.rounds import current_round, party_of
from pathways.review.services import approval_conditions, review_requirements
from pathways.review.threads import PAGE_PARAM as THREADS_PAGE_PARAM
from pathways.review.threads import comment_threads, step_threads, threads_by_step
from pathways.versions.forms import PublishForm

VERSIONS_PAGE_SIZE = 10


def step_url(program: Program, step: Step) -> str:
    if step.kind == StepKind.REVIEW:
        return reverse("programs:review", args=[program.code])
    return reverse("programs:step", args=[program.code, step.key])


def _menu_context(data: ProgramData, current: str | None) -> dict:
    report = assess(data)
    open_counts = dict(
        data.program.comments.filter(parent__isnull=True, resolved_at__isnull=True)
        .values_list("step_key")
        .annotate(n=Count("pk"))
        .values_list("step_key", "n")
    )
    menu = [
        {
            "step": r.step,
            "report": r,
            "url": step_url(data.program, r.step),
            "current": r.step.key == current,
            "open_comments": open_counts.get(r.step.key, 0),
        }
        for r in report.steps
    ]
    return {"program": data.program, "report": report, "menu": menu}


@require_safe
@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    mine = programs_visible_to(request.user)
    filters = ProgramFilterForm(request.GET)
    # In pages of 25 (a count and one page: the same queries for 3 programs or 3,000).
    page = paginate_keys_first(
        request,
        filters.filter(mine).order_by("-updated_at", "pk"),
        rows=Program.objects.select_related("model_version"),
    )
    programs = list(page.object_list)
    labels = regions.region_labels()  # one query for the whole list
    for program in programs:
        program.region_label = labels.get(program.region, program.region)
    context = {
        "programs": programs,
        "page": page,
        "filters": filters,
        # Whether the person has programs at all (an empty result is not "no programs").
        "has_programs": bool(programs) or mine.exists(),
    }
    return render(request, "programs/program_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def program_create(request: HttpRequest) -> HttpResponse:
    version = ModelVersion.objects.order_by("-publication_year", "-loaded_at").first()
    if version is None:
        messages.error(request, _("Den generiske model er ikke indlæst endnu."))
        return redirect("programs:list")
    day = regions.today()
    form = ProgramCreateForm(request.POST or None, on=day)
    if request.method == "POST" and form.is_valid():
        program = services.create_program(
            user=request.user,
            title=form.cleaned_data["title"],
            region=form.cleaned_data["region"],
            model_version=version,
            on=day,
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
    # Newest first, in pages (?versioner=): a program revised for years has many versions.
    versions = paginate(
        request,
        program.versions.select_related("published_by").defer("pdf", "document"),
        VERSIONS_PAGE_SIZE,
        param="versioner",
        fragment="versions-heading",
    )
    my_verdict = _my_verdict(request.user, program)
    deciding = (
        may(request.user, program, Action.APPROVE) and program.status == ProgramStatus.IN_REVIEW
    )
    # Text of a refused verdict or decision, back in its field (or read-only if gone).
    kept, unsaved_text = unsaved.take_for_program_page(
        request,
        program,
        shown={"verdict": my_verdict is not None, "approve": deciding, "changes": deciding},
    )
    menu = _menu_context(data, None)
    context = {
        **menu,
        "region_label": regions.region_label(program.region),
        "editors": [m for m in members if m.role == Role.EDITOR],
        "versions": versions.object_list,
        "versions_page": versions,
        # Every version can be compared, whichever page of the list is shown (numbers only).
        "version_numbers": [
            f"{major}.{minor}" for major, minor in program.versions.values_list("major", "minor")
        ],
        "publish_form": PublishForm(),
        "may_edit": may(request.user, program, Action.EDIT),
        "review_requirements": review_requirements(program, menu["report"]),
        "may_approve": may(request.user, program, Action.APPROVE),
        "may_audit": may(request.user, program, Action.VIEW_AUDIT),
        "my_verdict": my_verdict,
        "latest_round": program.review_rounds.only("number", "deadline").first(),
        "verdict_choices": Verdict.choices,
        "kept": kept,
        "unsaved": unsaved_text,
        # What an approval needs a reason for, known before "Godkend" is pressed.
        "approval_conditions": list(approval_conditions(program).values()) if deciding else [],
        # The pathway diagram, the same drawing the PDF prints (pdf/diagram.py).
        "pathway_diagram": pathway_diagram(program_document(data), data.model()),
        "open_comment_count": program.comments.filter(
            parent__isnull=True, resolved_at__isnull=True
        ).count(),
    }
    return render(request, "programs/program_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def step_edit(request: HttpRequest, code: str, step_key: str) -> HttpResponse:
    program = load_program(request.user, code, Action.READ)
    if request.method == "POST":
        return _respond(request, _posted_step(request, program, step_key))
    return _respond(
        request,
        page_cache.page(request, program, "step", lambda: _step_page(request, program, step_key)),
    )


def _respond(request: HttpRequest, page: page_cache.Page | HttpResponse) -> HttpResponse:
    if isinstance(page, HttpResponse):  # a redirect after a save
        return page
    context = {"page": page, "content": page_cache.with_token(request, page)}
    return render(request, page.layout, context, status=page.status)


def _editable_step(data: ProgramData, step_key: str) -> Step:
    step = find_step(data.steps, step_key)
    if step is None or step.kind == StepKind.REVIEW:
        raise Http404("No such step.")
    return step


def _step_page(request: HttpRequest, program: Program, step_key: str) -> page_cache.Page:
    data = load_program_data(program)
    step = _editable_step(data, step_key)
    if not may(request.user, program, Action.EDIT) or program.status not in EDITABLE_STATUSES:
        return _read_only_step(request, data, step, None)
    revision = data.revisions.get(step.key)
    return _step_form(
        request, data, step, build_step_forms(step, data), revision.number if revision else 0
    )


def _posted_step(
    request: HttpRequest, program: Program, step_key: str
) -> page_cache.Page | HttpResponse:
    data = load_program_data(program)
    step = _editable_step(data, step_key)
    if not may(request.user, program, Action.EDIT):
        raise PermissionDenied
    if program.status not in EDITABLE_STATUSES:
        refused_text = build_step_forms(step, data, request.POST).posted_text()
        return _read_only_step(request, data, step, refused_text)
    conflict = None
    status = 200
    forms = build_step_forms(step, data, request.POST)
    loaded_revision = _posted_number(request, "revision")
    if forms.is_valid():
        try:
            result = services.save_step(
                program=program,
                user=request.user,
                step=step,
                values=forms.values(),
                loaded_revision=loaded_revision,
                decisions=_posted_decisions(request),
                decided_at_revision=_posted_number(request, "conflict_revision"),
                data=data,
            )
        except services.StepConflict as error:
            conflict = conflict_view(error, forms)
            # Show the merged form: others' changes in the fields they alone changed,
            # the saver's text in the disputed ones. It still carries the revision it
            # was loaded from, so a second save merges against the same base.
            forms = build_step_forms(step, data, values=error.merged)
            status = 409
        except services.NotEditable:
            refused_text = forms.posted_text()
            return _read_only_step(request, load_program_data(program), step, refused_text)
        else:
            messages.success(request, _save_message(result, forms))
            return redirect(_after_save_target(request, data, step))
    else:
        messages.error(
            request,
            _(
                "Trinnet er ikke gemt: ret de markerede felter. "
                "Alt, du har skrevet, står der stadig."
            ),
        )
    return _step_form(request, data, step, forms, loaded_revision, conflict, status)


def _step_form(
    request: HttpRequest,
    data: ProgramData,
    step: Step,
    forms,
    loaded_revision: int,
    conflict=None,
    status: int = 200,
) -> page_cache.Page:
    menu = _menu_context(data, step.key)
    context = {
        **menu,
        "step": step,
        "step_template": definition_of(step).template,
        "guidance": step_guidance(step),
        **companion_context(data, step),
        "forms": forms,
        "loaded_revision": loaded_revision,
        "conflict": conflict,
        "step_report": menu["report"].for_step(step.key),
        **comment_context(request, data.program, step, data),
    }
    return page_cache.Page(
        content=page_cache.render_content(request, "programs/_step_content.html", context),
        title=f"{step.title} – {data.program.title}",
        layout="programs/step.html",
        status=status,
    )


def _read_only_step(
    request: HttpRequest, data: ProgramData, step: Step, refused_text
) -> page_cache.Page:
    """The step as it stands; after a refused save, with the text that could not be saved."""
    if refused_text is not None:
        messages.error(
            request,
            _(
                "Programmet kan ikke ændres, mens det har status '%(status)s'. Det, du skrev, "
                "er ikke gemt; det står nedenfor, så du kan kopiere det."
            )
            % {"status": data.program.get_status_display()},
        )
    items = step_fields(step, data, program_document(data))
    context = {
        **_menu_context(data, step.key),
        "step": step,
        "items": items,
        "unsaved": refused_text,
        **comment_context(request, data.program, step, data, items),
    }
    return page_cache.Page(
        content=page_cache.render_content(
            request, "programs/_step_read_only_content.html", context
        ),
        title=f"{step.title} – {data.program.title}",
        layout="programs/step_read_only.html",
        status=409 if refused_text is not None else 200,
    )


def _posted_number(request: HttpRequest, name: str) -> int:
    value = request.POST.get(name, "")
    # Tampered or missing: -1 matches no revision, so nothing is overwritten on trust.
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else -1


def _posted_decisions(request: HttpRequest) -> dict[str, str]:
    return {
        key.removeprefix("decide:"): value
        for key, value in request.POST.items()
        if key.startswith("decide:") and value in ("mine", "theirs")
    }


def _save_message(result: services.SaveResult, forms) -> str:
    if not result.changed:
        return _("Ingen ændringer at gemme.")
    if result.kept_from_others:
        return _(
            "Trinnet er gemt. En anden havde imens ændret andre felter; de ændringer er "
            "bevaret: %(fields)s."
        ) % {"fields": ", ".join(forms.labels.get(k, k) for k in result.kept_from_others)}
    return _("Trinnet er gemt.")


def _my_verdict(user, program: Program):
    if not may(user, program, Action.GIVE_VERDICT):
        return None
    review_round = current_round(program)
    return party_of(user, review_round) if review_round else None


def _kept_answer_comments(request: HttpRequest, program: Program, steps) -> dict[str, dict]:
    """A refused comment beside an answer, by step: its answer's form shows it again."""
    kept = {s.key: unsaved.take(request, program, f"answer-comment:{s.key}") for s in steps}
    return {key: values for key, values in kept.items() if values}


def comment_context(
    request: HttpRequest,
    program: Program,
    step: Step,
    data: ProgramData,
    items=None,
) -> dict:
    """The step's comments; `items`: the answers the page shows, each with its threads and a
    comment form beside it (the reading view). Without them (the step form) every thread is
    at the bottom, naming the answer it is about."""
    comments_page = None
    if items is None:
        # The step form lists every thread of the step at its foot: in pages, oldest first
        # (links to a thread name its page: review/threads.py thread_url).
        comments_page = paginate(
            request,
            step_threads(program, step.key),
            param=THREADS_PAGE_PARAM,
            fragment="comments-heading",
        )
        threads = list(comments_page.object_list)
    else:
        threads = list(comment_threads(program).filter(step_key=step.key))
    if any(t.field_key for t in threads):
        if items is not None:
            labels = {path_key(i.path): i.label for i in items}
        else:
            reader = StepReader(step, data)
            labels = {
                t.field_key: reader.label(key_path(t.field_key))
                for t in threads
                if t.field_key and key_path(t.field_key)
            }
        for thread in threads:
            thread.field_label = labels.get(thread.field_key, "")
    # A refused comment comes back bound, so the reason shows at its field with the text.
    kept_comment = unsaved.take(request, program, f"comment:{step.key}")
    kept_answer = _kept_answer_comments(request, program, [step]).get(step.key, {})
    return {
        "threads": threads,
        "comments_page": comments_page,
        "may_comment": may(request.user, program, Action.COMMENT),
        "may_edit": may(request.user, program, Action.EDIT),
        "program_editable": program.status in EDITABLE_STATUSES,
        "comment_form": CommentForm(kept_comment or None, points=data.points_for(step)),
        "reply_form": ReplyForm(),
        "kept_reply": unsaved.take(request, program, f"reply:{step.key}"),
        "kept_answer": kept_answer,
        # The step form has no answer forms to give such text back in: shown to be copied.
        "unsaved_answer_comment": (
            [
                (label, kept_answer[name])
                for name, label in (
                    ("body", _("Kommentar")),
                    ("proposed_text", _("Forslag til ny tekst (valgfrit)")),
                )
                if kept_answer.get(name)
            ]
            if kept_answer and items is None
            else []
        ),
        "kept_decline": unsaved.take(request, program, f"decline:{step.key}"),
        "answer_forms": items is not None,
    }


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
    """Every step's answers, folded a step to a line. Editors get "Redigér" beside each answer;
    everyone who may comment gets a comment button there, with the answer's threads."""
    program = load_program(request.user, code, Action.READ)
    return _respond(
        request, page_cache.page(request, program, "review", lambda: _review_page(request, program))
    )


def _review_page(request: HttpRequest, program: Program) -> page_cache.Page:
    data = load_program_data(program)
    context = _menu_context(data, "gennemgang")
    document = program_document(data)
    by_step = threads_by_step(program)
    sections = []
    for r in context["report"].steps:
        if r.step.kind == StepKind.REVIEW:
            continue
        threads = by_step.get(r.step.key, [])
        sections.append(
            {
                "report": r,
                "url": step_url(program, r.step),
                "items": step_fields(r.step, data, document),
                "threads": threads,
                "open_comments": sum(1 for t in threads if t.is_open),
            }
        )
    context["may_edit"] = may(request.user, program, Action.EDIT)
    if context["may_edit"]:
        context["review_requirements"] = review_requirements(program, context["report"])
    context["may_comment"] = may(request.user, program, Action.COMMENT)
    context["program_editable"] = program.status in EDITABLE_STATUSES
    # Where the step links lead: the step form for an editor while it can be edited, else
    # the reading view (its ids are the answers' anchors, not the gaps' or the advice's).
    context["links_to_form"] = context["may_edit"] and context["program_editable"]
    context["reading_ids"] = (
        None
        if context["links_to_form"]
        else {s["report"].step.key: {i.anchor for i in s["items"] if i.anchor} for s in sections}
    )
    context["kept_answers"] = _kept_answer_comments(request, program, data.steps)
    return page_cache.Page(
        content=page_cache.render_content(
            request, "programs/_review_content.html", {**context, "sections": sections}
        ),
        title=f"{_('Gennemgang')} – {program.title}",
        layout="programs/review.html",
    )


@require_safe
@login_required
def offer_gaps(request: HttpRequest, code: str) -> HttpResponse:
    """The gap register: the needs without an offer and the offers linked, part by part,
    read from the draft's document as the PDF reads it."""
    program = load_program(request.user, code, Action.READ)
    data = load_program_data(program)
    links = CompanionLinks(program_document(data), program.model_version, linkable_entries(data))
    parts = []
    for step in data.steps:
        part = links.part(step.key) if step.is_part else None
        if part:
            parts.append(
                {
                    "step": step,
                    "url": step_url(program, step),
                    "links": part,
                    "phases": links.by_phase(part.gaps),
                }
            )
    context = {
        **_menu_context(data, None),
        "parts": parts,
        "gap_count": sum(len(p["links"].gaps) for p in parts),
    }
    return render(request, "programs/offer_gaps.html", context)


@require_safe
@login_required
def municipal_actors(request: HttpRequest, code: str) -> HttpResponse:
    """One printable page for the municipal reviewer: per municipal actor, everything the
    program asks of it, by part, with the part's legal basis."""
    program = load_program(request.user, code, Action.READ)
    data = load_program_data(program)
    return render(
        request,
        "programs/municipal_actors.html",
        {"program": program, "actors": municipal_actor_duties(data)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def members(request: HttpRequest, code: str) -> HttpResponse:
    program = load_program(request.user, code, Action.READ)
    organisations = list(Organisation.objects.all())
    form = AddMemberForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        program = load_program(request.user, code, Action.EDIT)
        if form.is_valid():
            organisation = next(
                (o for o in organisations if o.pk == form.cleaned_data["organisation"]), None
            )
            try:
                membership = services.add_member(
                    program=program,
                    user=request.user,
                    identifier=form.cleaned_data["username"],
                    role=form.cleaned_data["role"],
                    organisation=organisation,
                )
            except services.ServiceError as error:
                form.add_error("username", str(error))  # every refusal concerns the person
            else:
                told = _("%(who)s er tilføjet som %(role)s og får besked pr. e-mail.")
                untold = _("%(who)s er tilføjet som %(role)s.")
                messages.success(
                    request,
                    (told if membership.user.email else untold)
                    % {
                        "who": membership.user.get_username(),
                        "role": membership.get_role_display().lower(),
                    },
                )
                return redirect("programs:members", program.code)
    memberships = program.memberships.select_related("user", "organisation").order_by("added_at")
    return render(
        request,
        "programs/members.html",
        {
            "program": program,
            "memberships": memberships,
            "form": form,
            "may_edit": may(request.user, program, Action.EDIT),
            "my_role": next((m.role for m in memberships if m.user_id == request.user.pk), None),
        },
    )


@require_http_methods(["POST"])
@login_required
def leave(request: HttpRequest, code: str) -> HttpResponse:
    program = load_program(request.user, code, Action.READ)
    try:
        services.leave_program(program=program, user=request.user)
    except services.ServiceError as error:
        messages.error(request, str(error))
        return redirect("programs:members", program.code)
    messages.success(
        request, _("Du har forladt programmet '%(title)s'.") % {"title": program.title}
    )
    return redirect("programs:list")  # the program is no longer readable for them


@require_safe
@login_required
def export_json(request: HttpRequest, code: str) -> HttpResponse:
    """The draft as the program document (JSON), for anyone who may read the program."""
    program = load_program(request.user, code, Action.READ)
    response = HttpResponse(
        exchange.dumps(exchange.export_document(program)),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition(program.code, "json")
    return response
