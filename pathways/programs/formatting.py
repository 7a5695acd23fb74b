"""The formatting help page and the preview beside each long text field.

The preview is rendered by the same `formatted_text.render` as every output, so what a
planner sees beside the field is what the reading view, review screen and PDF show.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from pathways.formatted_text import render as render_text
from pathways.programs.models import LONG_TEXT

# The longest text a preview renders: the longest field's limit with room for a text that
# is still over it while being written (the save refuses that, the preview need not).
PREVIEW_MAX_CHARS = 2 * LONG_TEXT
# Checked before the body is read: UTF-8 takes at most 4 bytes a character, and form
# encoding up to 3 characters a byte (%XX).
PREVIEW_MAX_BYTES = PREVIEW_MAX_CHARS * 4 * 3


def help_examples() -> list[tuple[str, str]]:
    """(what, text as typed) for the help page, which shows each rendered by `render`."""
    return [
        (
            _("Afsnit og linjeskift"),
            _("Første afsnit.\nNy linje i samme afsnit.\n\nEt nyt afsnit efter en tom linje."),
        ),
        (_("Punktliste"), _("- Første punkt\n- Andet punkt\n  - Underpunkt (to mellemrum foran)")),
        (_("Liste indsat fra Word"), _("•\tFørste punkt\n•\tAndet punkt\no\tUnderpunkt")),
        (_("Nummereret liste"), _("1. Første\n2. Andet\n3. Tredje")),
        (_("Fed og kursiv"), _("**Fed tekst** og *kursiv tekst*")),
        (_("Link"), _("[Sundhedsstyrelsen](https://www.sst.dk) eller <https://www.sst.dk>")),
        (_("Tegn uden formatering"), _("En omvendt skråstreg foran: \\*ikke kursiv\\*")),
    ]


@require_safe
def formatting_help(request: HttpRequest) -> HttpResponse:
    return render(request, "formatting_help.html", {"examples": help_examples()})


@never_cache
@login_required
@require_POST
def formatting_preview(request: HttpRequest) -> HttpResponse:
    """POST text=… → the sanitised HTML fragment (CSRF-checked like every post)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > PREVIEW_MAX_BYTES:
        return HttpResponse(status=413)
    text = request.POST.get("text", "")
    if len(text) > PREVIEW_MAX_CHARS:
        return HttpResponse(status=413)
    return HttpResponse(render_text(text), content_type="text/html; charset=utf-8")
