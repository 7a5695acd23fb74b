"""Review workflow, comments, consultation summary and audit log pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_POST, require_safe

from pathways.download_names import content_disposition, file_stem
from pathways.programs.access import Action, load_program
from pathways.programs.data import load_program_data
from pathways.programs.models import AuditEntry, ProgramStatus
from pathways.programs.services import ServiceError
from pathways.programs.steps import build_steps, find_step
from pathways.review import proposals, services, unsaved
from pathways.review.audit_log import AUDIT_PAGE_SIZE, DocumentFields, log_rows
from pathways.review.forms import (
    CommentForm,
    DecisionForm,
    DeclineForm,
    InvitedCommentForm,
    ReplyForm,
    VerdictForm,
)
from pathways.review.hearing_note import build_hearing_note, pick_round
from pathways.review.hearing_note_docx import hearing_note_docx
from pathways.review.hearing_note_pdf import hearing_note_pdf
from pathways.review.models import Comment
from pathways.review.templatetags.consultation import answer_anchor
from pathways.review.threads import thread_url
from pathways.word.writing import docx_response


def _back(program, fallback: str = "programs:detail") -> HttpResponse:
    return redirect(fallback, program.code)


def _errors(form) -> dict[str, str]:
    return {"error": " ".join(str(e) for errors in form.errors.values() for e in errors)}


def _keep_unless(
    saved: bool, request: HttpRequest, program, form: str, *fields: str, **extra: str | int
) -> None:
    """After a refused post, keep what was typed for the page it lands on; after a saved one,
    make sure no older refused text comes back."""
    if saved:
        unsaved.forget(request, program, form)
    else:
        unsaved.keep(
            request, program, form, **{f: request.POST.get(f, "") for f in fields}, **extra
        )


def _run(request: HttpRequest, action, success: str) -> bool:
    try:
        action()
    except ServiceError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


@require_POST
@login_required
def verdict(request: HttpRequest, code: str) -> HttpResponse:
    program = load_program(request.user, code, Action.GIVE_VERDICT)
    form = VerdictForm(request.POST)
    if not form.is_valid():
        if "verdict" in form.errors:
            messages.error(request, _("Vælg enig, enig med bemærkninger eller indsigelse."))
        else:
            messages.error(request, _("Høringssvaret er ikke gemt: %(error)s") % _errors(form))
        saved = False
    else:
        saved = _run(
            request,
            lambda: services.give_verdict(
                program=program,
                user=request.user,
                verdict=form.cleaned_data["verdict"],
                note=form.cleaned_data["note"],
            ),
            _("Jeres høringssvar er registreret."),
        )
    _keep_unless(saved, request, program, "verdict", "verdict", "note")
    return _back(program)


@require_POST
@login_required
def decide(request: HttpRequest, code: str, decision: str) -> HttpResponse:
    program = load_program(request.user, code, Action.APPROVE)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        # Never act on a note that was refused (e.g. too long) as if it were empty.
        messages.error(request, _("Intet er ændret: %(error)s") % _errors(form))
        saved = False
    elif decision == "approve":
        saved = _run(
            request,
            lambda: services.approve(
                program=program, user=request.user, override_reason=form.cleaned_data["note"]
            ),
            _("Programmet er godkendt."),
        )
    else:
        saved = _run(
            request,
            lambda: services.request_changes(
                program=program, user=request.user, note=form.cleaned_data["note"]
            ),
            _("Redaktørerne er bedt om ændringer."),
        )
    _keep_unless(saved, request, program, decision, "note")
    return _back(program)


@require_POST
@login_required
def revise(request: HttpRequest, code: str) -> HttpResponse:
    program = load_program(request.user, code, Action.EDIT)
    _run(
        request,
        lambda: services.start_revision(program=program, user=request.user),
        _("Programmet er et udkast igen; de offentliggjorte versioner er uændrede."),
    )
    return _back(program)


def _step_url(program, step_key: str, comment: Comment | None = None) -> str:
    if comment is not None:
        return thread_url(program, step_key, comment.parent or comment, anchor_pk=comment.pk)
    return reverse("programs:step", args=[program.code, step_key]) + "#comments"


def _thread_url(request: HttpRequest, program, comment: Comment) -> str:
    """Back to a thread where it was acted on: the review screen (its forms post back=review)
    or the step's page."""
    if request.POST.get("back") == "review":
        return reverse("programs:review", args=[program.code]) + f"#comment-{comment.pk}"
    return _step_url(program, comment.step_key, comment)


def _answer_url(program, step_key: str, field_key: str, back: str) -> str:
    """Back to the answer a refused comment was meant for, on the page it was written on."""
    if back == "review":
        url = reverse("programs:review", args=[program.code])
    else:
        url = reverse("programs:step", args=[program.code, step_key])
    return f"{url}#{answer_anchor(step_key, field_key)}"


def _form_refusal(form) -> str:
    """What was wrong with a refused answer comment, field by field, in the reader's words."""
    reasons = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        if name == "body" and "required" in {e.code for e in errors.as_data()}:
            reasons.append(str(_("skriv en kommentar")))
        else:
            reasons.append(f"{label}: " + " ".join(str(e) for e in errors) if label else errors[0])
    return _("Kommentaren er ikke gemt: %(reasons)s") % {"reasons": "; ".join(reasons)}


@require_POST
@login_required
def comment_add(request: HttpRequest, code: str, step_key: str) -> HttpResponse:
    program = load_program(request.user, code, Action.COMMENT)
    step = find_step(build_steps(program.model_version), step_key)
    if step is None:  # only a crafted URL: there is no form to give the text back in
        messages.error(request, _("Ukendt trin."))
        return redirect(_step_url(program, "grundlag"))
    if "field" in request.POST:
        return _answer_comment_add(request, program, step)
    points = [p for s in step.point_sections for p in s.attention_points.all()]
    form = CommentForm(request.POST, points=points)
    comment = None
    if not form.is_valid():
        messages.error(
            request,
            _(
                "Kommentaren er ikke gemt: skriv en tekst på højst 5000 "
                "tegn og vælg hvad den gælder."
            ),
        )
    else:
        try:
            comment = services.add_comment(
                program=program,
                user=request.user,
                step_key=step_key,
                body=form.cleaned_data["body"],
                attention_point_id=form.cleaned_data["target"],
            )
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Kommentaren er gemt."))
    # Kept with the attention point it was meant for; the step's page shows both again.
    _keep_unless(comment is not None, request, program, f"comment:{step.key}", "body", "target")
    return redirect(_step_url(program, step.key, comment))


def _answer_comment_add(request: HttpRequest, program, step) -> HttpResponse:
    """A comment beside one answer (review/_answer.html), perhaps proposing new text for it:
    the same post as a personal link's. Posted from the review screen (back=review) or a
    step's reading view, and answered there: a refused one comes back in that answer's form."""
    form = InvitedCommentForm(request.POST)
    back = "review" if request.POST.get("back") == "review" else "step"
    field_key = request.POST.get("field", "")[:300]
    comment = None
    if not form.is_valid():
        messages.error(request, _form_refusal(form))
    else:
        field_key = form.cleaned_data["field"]
        try:
            comment = services.add_comment(
                program=program,
                user=request.user,
                step_key=step.key,
                body=form.cleaned_data["body"],
                field_key=field_key,
                proposed_text=form.cleaned_data["proposed_text"],
            )
        except ServiceError as error:
            messages.error(
                request, _("Kommentaren er ikke gemt: %(reasons)s") % {"reasons": str(error)}
            )
        else:
            messages.success(request, _("Kommentaren er gemt."))
    _keep_unless(
        comment is not None,
        request,
        program,
        f"answer-comment:{step.key}",
        "body",
        "proposed_text",
        field=field_key,
    )
    if comment is None:
        return redirect(_answer_url(program, step.key, field_key, back))
    return redirect(_thread_url(request, program, comment))


@require_POST
@login_required
def comment_reply(request: HttpRequest, code: str, comment_id: int) -> HttpResponse:
    program = load_program(request.user, code, Action.COMMENT)
    parent = get_object_or_404(Comment, pk=comment_id, program=program)
    form = ReplyForm(request.POST)
    saved = False
    if form.is_valid():
        saved = _run(
            request,
            lambda: services.add_comment(
                program=program,
                user=request.user,
                step_key=parent.step_key,
                body=form.cleaned_data["body"],
                parent=parent,
            ),
            _("Svaret er gemt."),
        )
    else:
        messages.error(request, _("Svaret er ikke gemt: skriv en tekst på højst 5000 tegn."))
    # One reply box per step page is refilled: the one under the comment it answered.
    _keep_unless(saved, request, program, f"reply:{parent.step_key}", "body", comment=parent.pk)
    return redirect(_thread_url(request, program, parent))


@require_POST
@login_required
def comment_resolve(
    request: HttpRequest, code: str, comment_id: int, resolved: bool
) -> HttpResponse:
    program = load_program(request.user, code, Action.COMMENT)
    comment = get_object_or_404(Comment, pk=comment_id, program=program)
    _run(
        request,
        lambda: services.set_resolved(
            program=program, user=request.user, comment=comment, resolved=resolved
        ),
        _("Kommentaren er løst.") if resolved else _("Kommentaren er genåbnet."),
    )
    return redirect(_thread_url(request, program, comment))


@require_POST
@login_required
def proposal_accept(request: HttpRequest, code: str, comment_id: int) -> HttpResponse:
    """The editor's one click: the proposed text becomes the answer (a normal, audited save)."""
    program = load_program(request.user, code, Action.EDIT)
    comment = get_object_or_404(Comment, pk=comment_id, program=program)
    _run(
        request,
        lambda: proposals.accept_proposal(
            program=program, user=request.user, comment_id=comment.pk
        ),
        _("Forslaget er indarbejdet i svaret."),
    )
    return redirect(_thread_url(request, program, comment))


@require_POST
@login_required
def proposal_decline(request: HttpRequest, code: str, comment_id: int) -> HttpResponse:
    """Keep the answer as it is, with a reply saying why (required)."""
    program = load_program(request.user, code, Action.EDIT)
    comment = get_object_or_404(Comment, pk=comment_id, program=program)
    form = DeclineForm(request.POST)
    saved = False
    if form.is_valid():
        saved = _run(
            request,
            lambda: proposals.decline_proposal(
                program=program,
                user=request.user,
                comment_id=comment.pk,
                reply=form.cleaned_data["reply"],
            ),
            _("Forslaget er afvist, og dit svar er gemt."),
        )
    elif "required" in {e.code for e in form.errors.get("reply", form.error_class()).as_data()}:
        messages.error(
            request,
            _(
                "Forslaget er ikke afvist: skriv et svar, der forklarer, hvorfor det ikke "
                "indarbejdes."
            ),
        )
    else:
        messages.error(request, _("Forslaget er ikke afvist: %(error)s") % _errors(form))
    # The reply box under the proposal is refilled after a refusal.
    _keep_unless(
        saved, request, program, f"decline:{comment.step_key}", "reply", comment=comment.pk
    )
    return redirect(_thread_url(request, program, comment))


@require_safe
@login_required
def summary(request: HttpRequest, code: str) -> HttpResponse:
    """The høringsnotat of one round (?runde=N; the latest when N names no round): each
    party's answer, then the round's comments, open points first."""
    program = load_program(request.user, code, Action.READ)
    note = build_hearing_note(program, pick_round(program, request.GET.get("runde")))
    return render(
        request,
        "review/summary.html",
        {
            "program": program,
            "note": note,
            # What an approval now needs a reason for (shown while the program is in review).
            "approval_conditions": (
                list(services.approval_conditions(program).values())
                if program.status == ProgramStatus.IN_REVIEW
                else []
            ),
        },
    )


def _note_download(request: HttpRequest, code: str):
    """The program and its høringsnotat for a file (Danish, links absolute), and the file's
    name without extension; 404 when the program has not been in consultation."""
    program = load_program(request.user, code, Action.READ)
    review_round = pick_round(program, request.GET.get("runde"))
    if review_round is None:
        raise Http404("The program has not been in consultation.")
    with override("da"):
        note = build_hearing_note(program, review_round, site_url=settings.SITE_URL)
    stem = f"hoeringsnotat-{file_stem(program.title, program.code)}-runde-{note.round_number}"
    return note, stem


@require_safe
@login_required
def summary_pdf(request: HttpRequest, code: str) -> HttpResponse:
    note, stem = _note_download(request, code)
    response = HttpResponse(hearing_note_pdf(note), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(stem, "pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@login_required
def summary_docx(request: HttpRequest, code: str) -> HttpResponse:
    note, stem = _note_download(request, code)
    with override("da"):
        content = hearing_note_docx(note)
    return docx_response(content, stem)


@require_safe
@login_required
def audit_log(request: HttpRequest, code: str) -> HttpResponse:
    program = load_program(request.user, code, Action.VIEW_AUDIT)
    # get_page: a missing, malformed or too large ?side= shows the first or last page.
    page = Paginator(
        AuditEntry.objects.filter(program=program).select_related("user"), AUDIT_PAGE_SIZE
    ).get_page(request.GET.get("side"))
    data = load_program_data(program)
    step_labels = {s.key: s.label for s in data.steps}
    rows = log_rows(page, step_labels, DocumentFields(data))
    return render(
        request, "review/audit_log.html", {"program": program, "page": page, "rows": rows}
    )
