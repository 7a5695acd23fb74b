"""Step "Forløbet som helhed": what holds for the whole pathway rather than one part of it
(the generic model's chapter 4 introduction): the social assessment that runs alongside the
health assessment, how the pathway differs for children and adults, and the control
programme. The specialisation level of each hospital actor is asked in the actors step,
where the actors are."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pathways.programs import models as pm
from pathways.programs.data import ProgramData
from pathways.programs.forms import ActorChoices, ActorField, LineField, row_list, text_area
from pathways.programs.models import LONG_TEXT
from pathways.programs.step_kinds.base import (
    Findings,
    Gap,
    StepDefinition,
    StepForms,
    Values,
    actor_choices,
    actor_ids,
    actor_or_none,
    blank,
    formset,
    prefixed,
    rows,
    text,
    unprefixed,
)
from pathways.programs.steps import Step, StepKind

# Form field name → Program column.
COLUMNS = {
    "social_assessment": "pathway_social_assessment",
    "children_and_adults": "pathway_children_and_adults",
    "control_program": "pathway_control_program",
}


class PathwayForm(forms.Form):
    social_assessment = text_area(
        gettext_lazy("Parallel social udredning"),
        rows=4,
        help_text=gettext_lazy(
            "Hvordan og hvornår kommunens socialfaglige udredning sættes i gang sideløbende "
            "med den sundhedsfaglige – også før diagnosen er stillet – og hvem der tager "
            "initiativet."
        ),
    )
    children_and_adults = text_area(
        gettext_lazy("Børn og voksne"),
        rows=4,
        help_text=gettext_lazy(
            "Hvordan forløbet adskiller sig for børn og for voksne, og hvordan overgangen ved "
            "18 år er tilrettelagt."
        ),
    )
    control_program = text_area(
        gettext_lazy("Kontrolprogram"),
        rows=4,
        help_text=gettext_lazy(
            "Hvad der kontrolleres, hvor ofte og på hvilket niveau (hovedfunktion, "
            "regionsfunktion, højt specialiseret eller almen praksis)."
        ),
    )


class OwnPartForm(forms.Form):
    title = LineField(label=gettext_lazy("Del af forløbet"), max_length=200)
    effort = text_area(gettext_lazy("Indsatsen"), rows=3, max_length=LONG_TEXT)

    def __init__(self, *args: object, actor_choices: ActorChoices, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"] = ActorField(
            actor_choices=actor_choices, label=gettext_lazy("Ansvarlig aktør")
        )


OwnPartFormSet = row_list(
    OwnPartForm,
    title=gettext_lazy("Andre dele af forløbet"),
    anchor="own-parts",
    extra=1,
    max_num=30,
)
OWN_PART_FIELDS = ("title", "effort", "responsible")


# What the model asks the program to consider; the group may judge otherwise (advice).
ADVICE = {
    "social_assessment": gettext_lazy(
        "Det er ikke beskrevet, hvordan den socialfaglige udredning sættes i gang sideløbende "
        "med den sundhedsfaglige"
    ),
    "children_and_adults": gettext_lazy(
        "Det er ikke beskrevet, hvordan forløbet adskiller sig for børn og voksne"
    ),
    "control_program": gettext_lazy("Kontrolprogrammet er ikke beskrevet"),
}


class Pathway(StepDefinition):
    kind = StepKind.PATHWAY
    template = "programs/steps/pathway.html"
    lists = {"own_parts": "own_parts"}
    references = {"responsible": "actor"}

    def read(self, step: Step, data: ProgramData) -> Values:
        p = data.program
        return {
            **prefixed("pathway", {name: getattr(p, col) for name, col in COLUMNS.items()}),
            "own_parts": rows(
                data.own_parts, OWN_PART_FIELDS, responsible=lambda part: part.responsible_id
            ),
        }

    def forms(self, step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
        return StepForms(
            named={
                "pathway": PathwayForm(
                    prefix="pathway", initial=unprefixed("pathway", values), **bind
                ),
                "own_parts": formset(
                    OwnPartFormSet,
                    prefix="own_parts",
                    rows=values.get("own_parts", []),
                    bind=bind,
                    form_kwargs={"actor_choices": actor_choices(data)},
                ),
            }
        )

    def write(self, step: Step, data: ProgramData, values: Values) -> bool:
        program = data.program
        given = unprefixed("pathway", values)
        for name, column in COLUMNS.items():
            setattr(program, column, text(given.get(name)))
        program.save(update_fields=[*COLUMNS.values(), "updated_at"])
        allowed = actor_ids(data)
        program.own_parts.all().delete()
        data.own_parts = pm.OwnPart.objects.bulk_create(
            pm.OwnPart(
                program=program,
                position=position,
                title=text(row.get("title")) or "—",
                effort=text(row.get("effort")),
                responsible_id=actor_or_none(row.get("responsible"), allowed),
            )
            for position, row in enumerate(values.get("own_parts", []), start=1)
        )
        return False

    def check(self, step: Step, data: ProgramData, found: Findings) -> None:
        # The chapter introduction describes these as things to consider, not requirements.
        for name, column in COLUMNS.items():
            if blank(getattr(data.program, column)):
                found.advice.append(
                    Gap(str(ADVICE[name]), f"id_pathway-{name}", key=name.replace("_", "-"))
                )
        for part in data.own_parts:
            if part.responsible_id is None:
                found.gaps.append(
                    Gap(
                        _("Delen '%(t)s' har ingen ansvarlig aktør") % {"t": part.title},
                        "own-parts",
                    )
                )


DEFINITION = Pathway()
