"""The derivation's parts of the program pages, so the programs app need not know it:
the origin line, the program page's panel (source updates, local items), and on a step
page its local items with the marker beside each field."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from pathways.derivation.gaps import derivation_of, open_items
from pathways.derivation.marks import mark
from pathways.derivation.notifications import diff_link
from pathways.derivation.presentation import shown
from pathways.programs.models import EDITABLE_STATUSES
from pathways.programs.regions import region_label
from pathways.versions.models import ProgramVersion

register = template.Library()


@register.inclusion_tag("derivation/_origin.html")
def derivation_origin(program) -> dict:
    """The "Bygger på …" line of the program's facts (a <dt>/<dd> pair, or nothing)."""
    derivation = derivation_of(program)
    return {
        "derivation": derivation,
        "source_region": region_label(derivation.source_region) if derivation else "",
    }


def newer_source_version(derivation) -> ProgramVersion | None:
    """The source's newest published version, if it is newer than the one started from."""
    newest = (
        ProgramVersion.objects.filter(program_id=derivation.source_program_id)
        .defer("pdf", "document")
        .order_by("-major", "-minor")
        .first()
    )
    started = derivation.source_version
    if newest is None or (
        started and (newest.major, newest.minor) <= (started.major, started.minor)
    ):
        return None
    return newest


@register.inclusion_tag("derivation/_program_panel.html", takes_context=True)
def derivation_panel(context, program) -> dict:
    derivation = derivation_of(program)
    if derivation is None:
        return {"derivation": None}
    newer = newer_source_version(derivation)
    menu = {entry["step"].key: entry for entry in context.get("menu", [])}
    groups: dict[str, dict] = {}
    items = [shown(i) for i in open_items(derivation)]
    for item in items:
        entry = menu.get(item.step_key)
        group = groups.setdefault(
            item.step_key,
            {
                "step": entry["step"] if entry else None,
                "url": entry["url"] if entry else "",
                "items": [],
            },
        )
        group["items"].append(item)
    return {
        "derivation": derivation,
        "program": program,
        "newer": newer,
        "diff_link": diff_link(derivation, newer) if newer else "",
        "groups": list(groups.values()),
        "count": len(items),
        "resolved": len(derivation.decisions),
    }


@register.inclusion_tag("derivation/_step_panel.html", takes_context=True)
def local_items_for_step(context) -> dict:
    """This step's open local items, listed; beside each field of the step form (if shown),
    the marker, and for an editor while the program can change, "Bekræft"."""
    program, step = context["program"], context["step"]
    items = [i for i in open_items(derivation_of(program)) if i["path"][0] == step.key]
    if not items:
        return {"items": []}
    may_confirm = bool(context.get("may_edit")) and program.status in EDITABLE_STATUSES
    pairs = [(i, shown(i)) for i in items]
    forms = context.get("forms")
    marked: set[str] = set()
    if forms is not None:
        refs = {}
        if any(i["kind"] == "actor" for i in items):
            refs = dict(program.actors.values_list("pk", "ref"))
        marked = mark(step, forms, pairs, refs, _("Skal tilpasses lokalt"), may_confirm)
    may_confirm = may_confirm and forms is not None
    return {
        "items": [view for _item, view in pairs],
        "may_confirm": may_confirm,
        # An item whose field the form does not have gets its button in the list.
        "unmarked": {view.key for _item, view in pairs} - marked if may_confirm else set(),
    }


@register.inclusion_tag("derivation/_confirm_form.html", takes_context=True)
def local_confirm_form(context) -> dict:
    """The form the step page's "Bekræft" buttons submit (outside the step's own form)."""
    program, step = context["program"], context["step"]
    items = [i for i in open_items(derivation_of(program)) if i["path"][0] == step.key]
    shown_form = bool(items) and context.get("may_edit") and program.status in EDITABLE_STATUSES
    return {
        "program": program,
        "step": step,
        "show": shown_form,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def local_item_count(program, step) -> int:
    """How many of the step's local items are still open (the side menu's badge)."""
    counts = program.__dict__.get("_local_counts")
    if counts is None:
        counts = {}
        for item in open_items(derivation_of(program)):
            counts[item["path"][0]] = counts.get(item["path"][0], 0) + 1
        program.__dict__["_local_counts"] = counts
    return counts.get(step.key, 0)
