"""Text a refused review post carried, kept until the page that shows its form again.

A refused post redirects back (post/redirect/get), so without this the text would be gone.
It is kept in the session under a key naming the program and the form, and taken out by
the page that renders that form: shown once, where it was typed, and never on another
program's page. A successful post forgets it, so nothing stale comes back later.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from pathways.programs.models import Program

# A paste far beyond any field's limit (5,000; 20,000 for long texts) is refused with a
# message and not kept: the session is no place for megabytes.
MAX_KEPT = 100_000

# The forms of the program page, with the label of their text field.
PROGRAM_PAGE_FORMS = {
    "verdict": _("Bemærkning"),
    "approve": _("Begrundelse"),
    "changes": _("Hvad skal ændres?"),
}


def _key(program: Program, form: str) -> str:
    return f"unsaved:{program.code}:{form}"


def keep(request: HttpRequest, program: Program, form: str, **values: str | int) -> None:
    """Keep the posted values of a refused `form` (nothing if it carried no text)."""
    text = [v for v in values.values() if isinstance(v, str)]
    if not any(text) or sum(map(len, text)) > MAX_KEPT:
        forget(request, program, form)
        return
    request.session[_key(program, form)] = values


def forget(request: HttpRequest, program: Program, form: str) -> None:
    request.session.pop(_key(program, form), None)


def take(request: HttpRequest, program: Program, form: str) -> dict:
    """What was kept for `form`, removed from the session; {} when nothing was."""
    return request.session.pop(_key(program, form), None) or {}


def take_for_program_page(
    request: HttpRequest, program: Program, *, shown: dict[str, bool]
) -> tuple[dict[str, dict], list[tuple[str, str]]]:
    """The kept values of each program-page form, and (label, text) for those whose form the
    page no longer shows (e.g. the round closed while the note was typed): that text is
    shown read-only so it can be copied, rather than waiting for a form that may never
    come back and then turning up stale."""
    kept = {form: take(request, program, form) for form in PROGRAM_PAGE_FORMS}
    orphans = [
        (str(label), kept[form]["note"])
        for form, label in PROGRAM_PAGE_FORMS.items()
        if not shown.get(form) and kept[form].get("note")
    ]
    return kept, orphans
