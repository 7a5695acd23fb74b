"""The one-line status of a folded block on a step page (an attention point, a transition,
the part's own questions): what the planner sees before opening it.

The rules are those of completeness.py and the step kinds' checks, read from the form as it
stands (posted or stored), so a refused save folds with the status of what was typed.
static/js/folding.js applies the same rules while the planner types.
"""

from __future__ import annotations

from enum import StrEnum

from django import forms
from django.utils.translation import gettext_lazy

from pathways.programs.models import PointStatus, Relevance


class FoldStatus(StrEnum):
    ANSWERED = "answered"
    NOT_RELEVANT = "not_relevant"
    MISSING = "missing"


FOLD_LABELS = {
    FoldStatus.ANSWERED: gettext_lazy("besvaret"),
    FoldStatus.NOT_RELEVANT: gettext_lazy("ikke relevant"),
    FoldStatus.MISSING: gettext_lazy("mangler"),
}


def _filled(value: object) -> bool:
    if isinstance(value, list | tuple):
        return any(_filled(v) for v in value)
    return value is not None and bool(str(value).strip())


def _value(form: forms.Form, name: str) -> object:
    return form[name].value() if name in form.fields else None


def point_status(form: forms.Form) -> FoldStatus:
    """An attention point is answered with a status and the program's answer; 'not
    relevant' needs a reason (AttentionPointAnswer.is_answered)."""
    status = _value(form, "status")
    if status == PointStatus.NOT_RELEVANT:
        return FoldStatus.NOT_RELEVANT if _filled(_value(form, "reason")) else FoldStatus.MISSING
    if _filled(status) and _filled(_value(form, "answer")):
        return FoldStatus.ANSWERED
    return FoldStatus.MISSING


def relevance_status(form: forms.Form, *required: str) -> FoldStatus:
    """A part or a transition: judged relevant with every `required` field filled, or not
    relevant with a reason (the gaps of step_kinds/part.py)."""
    relevance = _value(form, "relevance")
    if relevance == Relevance.NOT_RELEVANT:
        reason = _value(form, "not_relevant_reason")
        return FoldStatus.NOT_RELEVANT if _filled(reason) else FoldStatus.MISSING
    if relevance == Relevance.RELEVANT and all(_filled(_value(form, n)) for n in required):
        return FoldStatus.ANSWERED
    return FoldStatus.MISSING


class Folded:
    """A form shown as a fold: its status for the summary line, and whether it opens on
    load (a field error must be seen)."""

    fold_required: tuple[str, ...] = ()

    def fold_status(self) -> FoldStatus:
        raise NotImplementedError

    @property
    def fold(self) -> dict:
        status = self.fold_status()
        return {
            "status": str(status),
            "label": str(FOLD_LABELS[status]),
            "open": bool(self.errors),  # type: ignore[attr-defined]
        }
