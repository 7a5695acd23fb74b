from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pathways.programs.access import Action, load_program
from pathways.programs.completeness import assess
from pathways.programs.data import load_program_data
from pathways.programs.services import ServiceError
from pathways.versions.forms import PublishForm
from pathways.versions.services import publish_version


@require_POST
@login_required
def publish(request: HttpRequest, code: str) -> HttpResponse:
    program = load_program(request.user, code, Action.EDIT)
    form = PublishForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("programs:detail", program.code)
    report = assess(load_program_data(program))
    if not report.is_complete:
        messages.error(
            request,
            _(
                "Programmet kan ikke offentliggøres, før intet mangler: "
                "%(count)d ting mangler (se Gennemgang)."
            )
            % {"count": report.gap_count},
        )
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
