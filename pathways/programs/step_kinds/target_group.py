"""Step "Målgruppe": the target group (a grouping from the model or the group's own
symptom or function complex), diagnosis codes, inclusion and exclusion, the edge cases,
and the section's attention points."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pathways.programs import models as pm
from pathways.programs.codes import code_display, international_form
from pathways.programs.data import ProgramData
from pathways.programs.forms import LineField, row_list, text_area
from pathways.programs.models import TARGET_GROUP_TEXT_FIELDS, check_code_format
from pathways.programs.step_kinds import points
from pathways.programs.step_kinds.base import (
    Findings,
    Gap,
    StepDefinition,
    StepForms,
    Values,
    actor_choices,
    blank,
    formset,
    prefixed,
    rows,
    text,
    unprefixed,
)
from pathways.programs.steps import Step, StepKind

CODE_FIELDS = ("system", "code", "label")


class TargetGroupForm(forms.Form):
    grouping = forms.TypedChoiceField(
        label=gettext_lazy("Målgruppe efter symptom eller funktion"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    custom_target_description = text_area(
        gettext_lazy("Eller: beskriv et symptom- eller funktionskompleks"),
        help_text=gettext_lazy("Bruges når ingen af modellens eksempler passer."),
    )
    inclusion = text_area(gettext_lazy("Inklusion"))
    exclusion = text_area(gettext_lazy("Eksklusion"))
    suspected_undiagnosed = text_area(gettext_lazy("Personer med mistanke, men uden diagnose"))
    multiple_groups = text_area(
        gettext_lazy("Personer, der hører til flere målgrupper (flere organer)")
    )
    outside_target_group = text_area(gettext_lazy("Personer uden for målgruppen"))
    estimated_persons = forms.IntegerField(
        label=gettext_lazy("Anslået antal personer (valgfrit)"),
        required=False,
        min_value=0,
        max_value=10_000_000,
    )

    def __init__(self, *args: object, grouping_choices: list[tuple[int, str]], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["grouping"].choices = [
            ("", gettext_lazy("— ingen / egen beskrivelse —")),
            *grouping_choices,
        ]


class DiagnosisCodeForm(forms.Form):
    system = forms.TypedChoiceField(label=gettext_lazy("Kodesystem"), coerce=int)
    code = LineField(label=gettext_lazy("Kode"), max_length=40)
    label = LineField(label=gettext_lazy("Betegnelse"), max_length=200, required=False)

    def __init__(self, *args: object, code_systems: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.code_systems = {cs.pk: cs for cs in code_systems}
        self.fields["system"].choices = [("", "—")] + [(cs.pk, cs.name) for cs in code_systems]

    def clean(self) -> dict:
        cleaned = super().clean()
        system = self.code_systems.get(cleaned.get("system"))
        code = cleaned.get("code")
        if system and code:
            try:
                # Stored in one spelling (Q87.1 → DQ871), so one diagnosis matches itself.
                cleaned["code"] = check_code_format(system, code)
            except forms.ValidationError as error:
                self.add_error("code", error)
        return cleaned

    def international_form(self) -> str:
        """The WHO form of the code the row holds (shown beside the SKS code), or ""."""
        system = self.code_systems.get(_as_int(self["system"].value()))
        code = self["code"].value()
        if system is None or not isinstance(code, str):
            return ""
        return international_form(system.key, code.strip())

    @staticmethod
    def display_row(row: dict) -> dict:
        """A document row as a reader sees it: an ICD-10 code in both forms."""
        if isinstance(row.get("code"), str) and isinstance(row.get("system"), str):
            return {**row, "code": code_display(row["system"], row["code"])}
        return row


def _as_int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


DiagnosisCodeFormSet = row_list(
    DiagnosisCodeForm,
    title=gettext_lazy("Diagnosekoder"),
    anchor="codes",
    extra=2,
    max_num=200,
)

# Text fields the target group must describe, with the gap shown while one is empty.
REQUIRED_TEXTS = (
    ("inclusion", gettext_lazy("Inklusionskriterier mangler")),
    ("exclusion", gettext_lazy("Eksklusionskriterier mangler")),
    (
        "suspected_undiagnosed",
        gettext_lazy(
            "Det er ikke beskrevet, hvordan personer med mistanke men uden diagnose håndteres"
        ),
    ),
    (
        "multiple_groups",
        gettext_lazy("Det er ikke beskrevet, hvordan personer i flere målgrupper håndteres"),
    ),
    (
        "outside_target_group",
        gettext_lazy("Det er ikke beskrevet, hvordan personer uden for målgruppen håndteres"),
    ),
)


class TargetGroup(StepDefinition):
    kind = StepKind.TARGET_GROUP
    template = "programs/steps/target_group.html"
    references = {"grouping": "grouping", "system": "system", **points.REFERENCES}
    lists = {"codes": "codes"}

    def read(self, step: Step, data: ProgramData) -> Values:
        p = data.program
        return {
            **prefixed(
                "target",
                {
                    "grouping": p.target_grouping_id,
                    **{name: getattr(p, name) for name in TARGET_GROUP_TEXT_FIELDS},
                    "estimated_persons": p.estimated_persons,
                },
            ),
            "codes": rows(data.diagnosis_codes, CODE_FIELDS, system=lambda c: c.code_system_id),
            **points.read(step, data),
        }

    def forms(self, step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
        found = StepForms(
            named={
                "target": TargetGroupForm(
                    prefix="target",
                    initial=unprefixed("target", values),
                    grouping_choices=[(g.pk, g.title) for g in data.groupings],
                    **bind,
                ),
                "codes": formset(
                    DiagnosisCodeFormSet,
                    prefix="codes",
                    rows=values.get("codes", []),
                    bind=bind,
                    form_kwargs={"code_systems": data.code_systems},
                ),
            }
        )
        found.points = points.forms_for(step, data, values, bind, actor_choices(data))
        return found

    def write(self, step: Step, data: ProgramData, values: Values) -> bool:
        program = data.program
        target = unprefixed("target", values)
        grouping = target.get("grouping")
        program.target_grouping_id = (
            grouping if grouping in {g.pk for g in data.groupings} else None
        )
        for name in TARGET_GROUP_TEXT_FIELDS:
            setattr(program, name, text(target.get(name)))
        persons = target.get("estimated_persons")
        program.estimated_persons = persons if isinstance(persons, int) else None
        program.save(
            update_fields=[
                "target_grouping",
                "estimated_persons",
                *TARGET_GROUP_TEXT_FIELDS,
                "updated_at",
            ]
        )
        systems = {cs.pk: cs for cs in data.code_systems}
        program.diagnosis_codes.all().delete()
        codes = []
        for i, row in enumerate(values.get("codes", []), start=1):
            system = systems.get(row.get("system"))
            if system is None:
                continue
            # The model's invariant, enforced here too: a well-formed code in its stored form.
            code = check_code_format(system, row["code"])
            codes.append(
                pm.DiagnosisCode(
                    program=program,
                    code_system=system,
                    code=code,
                    label=text(row.get("label")),
                    position=i,
                )
            )
        data.diagnosis_codes = pm.DiagnosisCode.objects.bulk_create(codes)
        points.write(step, data, values)
        return False

    def check(self, step: Step, data: ProgramData, found: Findings) -> None:
        p = data.program
        # 3.1.2: the target group is delimited by diagnosis codes or (as the model
        # recommends) by a symptom or function complex; either will do.
        delimited = p.target_grouping_id is not None or not blank(p.custom_target_description)
        if not delimited and not data.diagnosis_codes:
            found.gaps.append(
                Gap(
                    _(
                        "Afgræns målgruppen: vælg en målgruppe efter symptom eller funktion, "
                        "beskriv et symptom- eller funktionskompleks, eller angiv diagnosekoder"
                    ),
                    "id_target-grouping",
                )
            )
        for name, message in REQUIRED_TEXTS:
            if blank(getattr(p, name)):
                found.gaps.append(Gap(str(message), f"id_target-{name}"))


DEFINITION = TargetGroup()
