"""Step "Forløbet som helhed": what holds for the whole pathway rather than one part of it
(the generic model's chapter 4 introduction): the social assessment that runs alongside the
health assessment, how the pathway differs for children and adults, and the control
programme. The specialisation level of each hospital actor is asked in the actors step,
where the actors are."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from pathways.programs.data import ProgramData
from pathways.programs.forms import text_area
from pathways.programs.step_kinds.base import (
    Findings,
    Gap,
    StepDefinition,
    StepForms,
    Values,
    blank,
    prefixed,
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

    def read(self, step: Step, data: ProgramData) -> Values:
        p = data.program
        return prefixed("pathway", {name: getattr(p, col) for name, col in COLUMNS.items()})

    def forms(self, step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
        return StepForms(
            named={
                "pathway": PathwayForm(
                    prefix="pathway", initial=unprefixed("pathway", values), **bind
                )
            }
        )

    def write(self, step: Step, data: ProgramData, values: Values) -> bool:
        program = data.program
        given = unprefixed("pathway", values)
        for name, column in COLUMNS.items():
            setattr(program, column, text(given.get(name)))
        program.save(update_fields=[*COLUMNS.values(), "updated_at"])
        return False

    def check(self, step: Step, data: ProgramData, found: Findings) -> None:
        # The chapter introduction describes these as things to consider, not requirements.
        for name, column in COLUMNS.items():
            if blank(getattr(data.program, column)):
                found.advice.append(Gap(str(ADVICE[name]), f"id_pathway-{name}"))


DEFINITION = Pathway()
