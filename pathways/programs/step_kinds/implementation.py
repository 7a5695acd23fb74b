"""Step "Implementering": the agreements and forum behind the program, how it is spread,
where it is published, its start date, and the section's attention points."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pathways.programs.data import ProgramData
from pathways.programs.forms import date_field, text_area
from pathways.programs.step_kinds import points
from pathways.programs.step_kinds.base import (
    Findings,
    Gap,
    StepDefinition,
    StepForms,
    Values,
    actor_choices,
    blank,
    day,
    prefixed,
    text,
    unprefixed,
)
from pathways.programs.steps import Step, StepKind

TEXTS = ("agreements_forum", "dissemination", "publication_place")


class ImplementationForm(forms.Form):
    agreements_forum = text_area(
        gettext_lazy("Aftaler og forum"),
        help_text=gettext_lazy("Fx sundhedsaftalen, samordningsudvalget."),
    )
    dissemination = text_area(gettext_lazy("Sådan udbredes programmet"))
    publication_place = text_area(gettext_lazy("Her offentliggøres programmet"), rows=2)
    start_date = date_field(gettext_lazy("Startdato"))


MISSING = {
    "agreements_forum": gettext_lazy("Aftaler og forum for implementeringen mangler"),
    "dissemination": gettext_lazy("Det er ikke beskrevet, hvordan programmet udbredes"),
    "publication_place": gettext_lazy("Det er ikke angivet, hvor programmet offentliggøres"),
}


class Implementation(StepDefinition):
    kind = StepKind.IMPLEMENTATION
    template = "programs/steps/implementation.html"
    references = points.REFERENCES

    def read(self, step: Step, data: ProgramData) -> Values:
        p = data.program
        return {
            **prefixed(
                "implementation",
                {**{name: getattr(p, name) for name in TEXTS}, "start_date": p.start_date},
            ),
            **points.read(step, data),
        }

    def forms(self, step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
        found = StepForms(
            named={
                "implementation": ImplementationForm(
                    prefix="implementation",
                    initial=unprefixed("implementation", values),
                    **bind,
                )
            }
        )
        found.points = points.forms_for(step, data, values, bind, actor_choices(data))
        return found

    def write(self, step: Step, data: ProgramData, values: Values) -> bool:
        program = data.program
        given = unprefixed("implementation", values)
        for name in TEXTS:
            setattr(program, name, text(given.get(name)))
        program.start_date = day(given.get("start_date"))
        program.save(update_fields=[*TEXTS, "start_date", "updated_at"])
        points.write(step, data, values)
        return False

    def check(self, step: Step, data: ProgramData, found: Findings) -> None:
        p = data.program
        for name, message in MISSING.items():
            if blank(getattr(p, name)):
                found.gaps.append(Gap(str(message), f"id_implementation-{name}"))
        if p.start_date is None:
            found.gaps.append(Gap(_("Startdato mangler"), "id_implementation-start_date"))


DEFINITION = Implementation()
