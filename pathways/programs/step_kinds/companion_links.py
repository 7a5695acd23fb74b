"""What a part draws from the companion references (fixtures/references/): the coordination
tools it uses as its "how", the offers it points the target group to, and the needs for
which the group found no offer (the gap register).

Part of the part step kind (part.py adds these lists to its values, forms and write); a
list is shown in a part when the companion names the part's sections, or when the program
already holds rows there.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from pathways.generic_model import models as gm
from pathways.programs import models as pm
from pathways.programs.data import ProgramData
from pathways.programs.folding import Folded, FoldStatus
from pathways.programs.forms import ActorChoices, ActorField, LineField, row_list, text_area
from pathways.programs.step_kinds.base import (
    StepForms,
    Values,
    actor_or_none,
    formset,
    raw,
    text,
)
from pathways.programs.steps import Step

# value key (formset prefix) → the program document's name for the list
LISTS = {"tools": "coordination_tools", "offers": "offers", "offer_gaps": "offer_gaps"}
REFERENCES = {"tool": "companion", "offer": "companion"}


def guide_numbers(step: Step) -> set[str]:
    """The model sections whose companion entries the step shows: those whose guidance it
    shows (a part 4.3 also shows 4.3.1 and 4.3.2)."""
    return {s.number for s in step.guidance} | ({step.section.number} if step.section else set())


def _choices(
    data: ProgramData, step: Step, list_name: str, linked: list[gm.CompanionEntry]
) -> list[tuple[int, str]]:
    """The entries the companion offers for this part, and any the program links already
    (also of an earlier version of the companion): a stored link is never lost."""
    entries = data.companion.for_sections(guide_numbers(step), list_name)
    seen = {e.pk for e in entries}
    entries += [e for e in linked if e.pk not in seen]
    return [(e.pk, e.label) for e in entries]


class EntryField(forms.TypedChoiceField):
    default_error_messages = {
        "invalid_choice": gettext_lazy(
            "Det valgte hører ikke til denne del af forløbet (eller findes ikke længere). "
            "Vælg et fra listen."
        ),
    }

    def __init__(self, *, choices: list[tuple[int, str]], label: str, empty: str) -> None:
        super().__init__(label=label, choices=[("", empty), *choices], coerce=int, empty_value=None)


class ToolForm(Folded, forms.Form):
    note = text_area(gettext_lazy("Hvornår og hvordan (fx alder, hyppighed, deltagere)"), rows=2)

    def __init__(self, *args, tool_choices, actor_choices: ActorChoices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tool"] = EntryField(
            choices=tool_choices,
            label=gettext_lazy("Koordineringsværktøj"),
            empty=gettext_lazy("— vælg værktøj —"),
        )
        self.fields["responsible"] = ActorField(
            actor_choices=actor_choices, label=gettext_lazy("Ansvarlig")
        )
        self.order_fields(["tool", "responsible", "note"])

    def fold_status(self) -> FoldStatus:
        return FoldStatus.ANSWERED if self["responsible"].value() else FoldStatus.MISSING


class OfferForm(forms.Form):
    note = text_area(gettext_lazy("Hvem henviser, og hvornår i forløbet"), rows=2)

    def __init__(self, *args, offer_choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offer"] = EntryField(
            choices=offer_choices,
            label=gettext_lazy("Tilbud"),
            empty=gettext_lazy("— vælg tilbud —"),
        )
        self.order_fields(["offer", "note"])


class OfferGapForm(forms.Form):
    need = LineField(label=gettext_lazy("Behov uden tilbud"), max_length=200)
    note = text_area(gettext_lazy("Hvad mangler, og hvad ville hjælpe"), rows=2)

    def __init__(self, *args, phase_choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"] = forms.ChoiceField(
            label=gettext_lazy("Livsfase"),
            choices=[("", gettext_lazy("Alle aldre")), *phase_choices],
            required=False,
        )
        self.order_fields(["need", "phase", "note"])


ToolFormSet = row_list(
    ToolForm,
    title=gettext_lazy("Koordineringsværktøjer"),
    anchor="coordination-tools",
    extra=1,
    max_num=20,
)
OfferFormSet = row_list(
    OfferForm, title=gettext_lazy("Tilbud"), anchor="offers", extra=1, max_num=40
)
OfferGapFormSet = row_list(
    OfferGapForm,
    title=gettext_lazy("Behov uden tilbud"),
    anchor="offer-gaps",
    extra=1,
    max_num=40,
)


def phase_choices(data: ProgramData) -> list[tuple[str, str]]:
    """The model's life phases (its pathway diagram), as the gap register's age bands."""
    return data.model_version.life_phases


def shown_lists(step: Step, data: ProgramData) -> dict[str, list[tuple[int, str]]]:
    """The lists the part shows, with the entries each may name: tools where the companion
    names some for the part, offers and the gap register where it names offers; any list
    the program already holds rows in."""
    section = step.section.pk
    tools = _choices(
        data,
        step,
        gm.CompanionList.COORDINATION_TOOL,
        [t.tool for t in data.coordination_tools.get(section, [])],
    )
    offers = _choices(
        data, step, gm.CompanionList.OFFER, [o.offer for o in data.offer_links.get(section, [])]
    )
    shown: dict[str, list[tuple[int, str]]] = {}
    if tools:
        shown["tools"] = tools
    if offers or data.offer_gaps.get(section):
        shown["offers"] = offers
        shown["offer_gaps"] = []
    return shown


def read(step: Step, data: ProgramData) -> Values:
    section = step.section.pk
    rows = {
        "tools": lambda: [
            {"tool": t.tool_id, "responsible": t.responsible_id, "note": raw(t.note)}
            for t in data.coordination_tools.get(section, [])
        ],
        "offers": lambda: [
            {"offer": o.offer_id, "note": raw(o.note)} for o in data.offer_links.get(section, [])
        ],
        "offer_gaps": lambda: [
            {"need": g.need, "phase": g.phase, "note": raw(g.note)}
            for g in data.offer_gaps.get(section, [])
        ],
    }
    return {name: rows[name]() for name in shown_lists(step, data)}


def add_forms(
    found: StepForms,
    step: Step,
    data: ProgramData,
    values: Values,
    bind: dict,
    actor_choices: ActorChoices,
) -> None:
    shown = shown_lists(step, data)
    if "tools" in shown:
        found.named["tools"] = formset(
            ToolFormSet,
            prefix="tools",
            rows=values.get("tools", []),
            bind=bind,
            form_kwargs={"tool_choices": shown["tools"], "actor_choices": actor_choices},
        )
    if "offers" in shown:
        found.named["offers"] = formset(
            OfferFormSet,
            prefix="offers",
            rows=values.get("offers", []),
            bind=bind,
            form_kwargs={"offer_choices": shown["offers"]},
        )
        found.named["offer_gaps"] = formset(
            OfferGapFormSet,
            prefix="offer_gaps",
            rows=values.get("offer_gaps", []),
            bind=bind,
            form_kwargs={"phase_choices": phase_choices(data)},
        )


def write(step: Step, data: ProgramData, values: Values, allowed: set[int]) -> None:
    """Store the lists the values hold (a list the step does not show is left as it is)."""
    section = step.section
    entries = (
        {e.pk for e in data.companion.entries}
        | {t.tool_id for t in data.coordination_tools.get(section.pk, [])}
        | {o.offer_id for o in data.offer_links.get(section.pk, [])}
    )
    if "tools" in values:
        _replace(
            pm.PartCoordinationTool,
            data.coordination_tools,
            data,
            section,
            [
                {
                    "tool_id": row["tool"],
                    "responsible_id": actor_or_none(row.get("responsible"), allowed),
                    "note": text(row.get("note")),
                }
                for row in _known(values["tools"], "tool", entries)
            ],
        )
    if "offers" in values:
        _replace(
            pm.PartOffer,
            data.offer_links,
            data,
            section,
            [
                {"offer_id": row["offer"], "note": text(row.get("note"))}
                for row in _known(values["offers"], "offer", entries)
            ],
        )
    if "offer_gaps" in values:
        phases = {key for key, _label in phase_choices(data)}
        _replace(
            pm.OfferGap,
            data.offer_gaps,
            data,
            section,
            [
                {
                    "need": text(row.get("need"))[:200] or "—",
                    "phase": row.get("phase") if row.get("phase") in phases else "",
                    "note": text(row.get("note")),
                }
                for row in values["offer_gaps"] or []
            ],
        )
    # The loaded rows name their entries: fetch them once for what reads the bundle next.
    by_id = {e.pk: e for e in data.companion.entries}
    for row in data.coordination_tools.get(section.pk, []):
        row.tool = by_id.get(row.tool_id) or gm.CompanionEntry.objects.get(pk=row.tool_id)
    for row in data.offer_links.get(section.pk, []):
        row.offer = by_id.get(row.offer_id) or gm.CompanionEntry.objects.get(pk=row.offer_id)


def _replace(model, loaded: dict, data: ProgramData, section, rows: list[dict]) -> None:
    """The part's list is the rows given, in order (and so is the loaded bundle's)."""
    model.objects.filter(program=data.program, section=section).delete()
    loaded[section.pk] = [
        model.objects.create(program=data.program, section=section, position=n, **fields)
        for n, fields in enumerate(rows, start=1)
    ]


def _known(rows: list | None, name: str, entries: set[int]) -> list[dict]:
    """Rows naming an entry this program may link (a tampered import names none)."""
    return [r for r in rows or [] if isinstance(r, dict) and r.get(name) in entries]
