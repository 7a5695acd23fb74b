"""Step "Opfølgning og monitorering": how and when the program is followed up, who is
responsible, indicators, data sources and the date of the next revision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pathways.programs.data import ProgramData
from pathways.programs.forms import DATA_SOURCES, ActorChoices, ActorField, date_field, text_area
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
    day,
    prefixed,
    text,
    unprefixed,
)
from pathways.programs.steps import Step, StepKind


class FollowUpForm(forms.Form):
    def __init__(self, *args: object, actor_choices: ActorChoices, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["how_and_when"] = text_area(gettext_lazy("Hvordan og hvornår følges der op?"), rows=3)
        f["responsible"] = ActorField(actor_choices=actor_choices, label=gettext_lazy("Ansvarlig"))
        f["indicators"] = text_area(gettext_lazy("Indikatorer"), rows=3)
        f["data_sources"] = forms.MultipleChoiceField(
            label=gettext_lazy("Datakilder"),
            choices=DATA_SOURCES,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        f["data_sources_note"] = text_area(gettext_lazy("Om datakilderne"), rows=2)
        f["next_review_date"] = date_field(gettext_lazy("Næste revision"))


class FollowUp(StepDefinition):
    kind = StepKind.FOLLOW_UP
    template = "programs/steps/follow_up.html"
    references = {"responsible": "actor"}

    def read(self, step: Step, data: ProgramData) -> Values:
        p = data.program
        return prefixed(
            "follow_up",
            {
                "how_and_when": p.follow_up_how_and_when,
                "responsible": p.follow_up_responsible_id,
                "indicators": p.follow_up_indicators,
                "data_sources": list(p.follow_up_data_sources or []),
                "data_sources_note": p.follow_up_data_sources_note,
                "next_review_date": p.next_review_date,
            },
        )

    def forms(self, step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
        return StepForms(
            named={
                "follow_up": FollowUpForm(
                    prefix="follow_up",
                    initial=unprefixed("follow_up", values),
                    actor_choices=actor_choices(data),
                    **bind,
                )
            }
        )

    def write(self, step: Step, data: ProgramData, values: Values) -> bool:
        program = data.program
        given = unprefixed("follow_up", values)
        program.follow_up_how_and_when = text(given.get("how_and_when"))
        program.follow_up_responsible_id = actor_or_none(given.get("responsible"), actor_ids(data))
        program.follow_up_indicators = text(given.get("indicators"))
        program.follow_up_data_sources = list(given.get("data_sources") or [])
        program.follow_up_data_sources_note = text(given.get("data_sources_note"))
        program.next_review_date = day(given.get("next_review_date"))
        program.save(
            update_fields=[
                "follow_up_how_and_when",
                "follow_up_responsible",
                "follow_up_indicators",
                "follow_up_data_sources",
                "follow_up_data_sources_note",
                "next_review_date",
                "updated_at",
            ]
        )
        return False

    def check(self, step: Step, data: ProgramData, found: Findings) -> None:
        p = data.program
        gaps = found.gaps
        if blank(p.follow_up_how_and_when):
            gaps.append(
                Gap(
                    _("Det er ikke beskrevet, hvordan og hvornår der følges op"),
                    "id_follow_up-how_and_when",
                )
            )
        if p.follow_up_responsible_id is None:
            gaps.append(Gap(_("Ansvarlig for opfølgningen mangler"), "id_follow_up-responsible"))
        if blank(p.follow_up_indicators):
            gaps.append(Gap(_("Indikatorer mangler"), "id_follow_up-indicators"))
        if not p.follow_up_data_sources:
            # The first checkbox: the list has no element of its own.
            gaps.append(Gap(_("Vælg mindst én datakilde"), "id_follow_up-data_sources_0"))
        if p.next_review_date is None:
            gaps.append(Gap(_("Dato for næste revision mangler"), "id_follow_up-next_review_date"))


DEFINITION = FollowUp()
