"""Step "Grundlag og arbejdsgruppe": title, region, purpose, approving body and the
working group that writes the program."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pathways.programs import models as pm
from pathways.programs import regions
from pathways.programs.data import ProgramData
from pathways.programs.forms import LineField, RegionField, row_list, text_area
from pathways.programs.models import MemberSector
from pathways.programs.step_kinds.base import (
    Findings,
    Gap,
    StepDefinition,
    StepForms,
    Values,
    blank,
    formset,
    prefixed,
    rows,
    text,
    unprefixed,
)
from pathways.programs.steps import Step, StepKind

MEMBER_FIELDS = ("name", "organisation", "sector", "role")


BODY_OPTIONS = "approving-body-options"  # id of the page's list of suggested bodies


class BasisForm(forms.Form):
    title = LineField(label=gettext_lazy("Titel"), max_length=200)
    purpose = text_area(
        gettext_lazy("Formål"),
        rows=4,
        help_text=gettext_lazy("Hvad skal programmet opnå for målgruppen?"),
    )
    # Free text, with the bodies that exist for the program's region on its start date
    # offered as suggestions (a datalist): the document keeps the name as written.
    approving_body = LineField(
        label=gettext_lazy("Godkendende organ"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Vælg et forslag, eller skriv organets navn. Til og med 2026 "
            "sundhedssamarbejdsudvalget i regionen, fra 1. januar 2027 et af regionens "
            "sundhedsråd."
        ),
        widget=forms.TextInput(attrs={"list": BODY_OPTIONS}),
    )
    field_order = ["title", "region", "purpose", "approving_body"]

    def __init__(
        self,
        *args: object,
        offered_regions: list[tuple[str, str]],
        known_regions: list[tuple[str, str]],
        bodies: Callable[[], list[str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = RegionField(
            label=gettext_lazy("Region"), offered=offered_regions, known=known_regions
        )
        self.order_fields(self.field_order)
        self._bodies = bodies
        self.body_options_id = BODY_OPTIONS

    @cached_property
    def body_options(self) -> list[str]:
        # Read only where the step page shows the list, not where the form only labels a
        # stored document (review screen, log, versions).
        return self._bodies()


class WorkingGroupMemberForm(forms.Form):
    name = LineField(label=gettext_lazy("Navn"), max_length=200)
    organisation = LineField(label=gettext_lazy("Organisation"), max_length=200, required=False)
    sector = forms.ChoiceField(
        label=gettext_lazy("Sektor"), choices=[("", "—"), *MemberSector.choices]
    )
    role = LineField(label=gettext_lazy("Rolle i gruppen"), max_length=200, required=False)


WorkingGroupFormSet = row_list(
    WorkingGroupMemberForm,
    title=gettext_lazy("Arbejdsgruppe"),
    anchor="working-group",
    extra=2,
    max_num=60,
)


def _is_expert_body(organisation: str) -> bool:
    """A member whose organisation is a centre for rare diseases or a scientific society,
    whatever sector was chosen for them."""
    name = organisation.casefold()
    return "sjældne sygdomme" in name or "selskab" in name


class Basis(StepDefinition):
    kind = StepKind.BASIS
    template = "programs/steps/basis.html"
    lists = {"wg": "working_group"}

    def read(self, step: Step, data: ProgramData) -> Values:
        p = data.program
        return {
            **prefixed(
                "basis",
                {
                    "title": p.title,
                    "region": p.region,
                    "purpose": p.purpose,
                    "approving_body": p.approving_body,
                },
            ),
            "wg": rows(data.working_group, MEMBER_FIELDS),
        }

    def forms(self, step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
        program = getattr(data, "program", None)  # none: only the labels are asked for
        found = regions.all_regions()
        known = regions.all_region_choices(found)
        if program is None:
            offered, bodies = known, list
        else:
            day = regions.today()
            # Regions valid today, and the program's own even after it ended: an existing
            # program keeps the region it was written for (shown with its successor).
            offered = regions.region_choices(day, keep=program.region, regions=found)
            start = program.start_date or day

            def bodies() -> list[str]:
                return [b.name for b in regions.bodies_valid_on(program.region, start, found)]

        return StepForms(
            named={
                "basis": BasisForm(
                    prefix="basis",
                    initial=unprefixed("basis", values),
                    offered_regions=offered,
                    known_regions=known,
                    bodies=bodies,
                    **bind,
                ),
                "working_group": formset(
                    WorkingGroupFormSet, prefix="wg", rows=values.get("wg", []), bind=bind
                ),
            }
        )

    def write(self, step: Step, data: ProgramData, values: Values) -> bool:
        program = data.program
        basis = unprefixed("basis", values)
        program.title = text(basis.get("title")) or program.title
        program.region = text(basis.get("region")) or program.region
        program.purpose = text(basis.get("purpose"))
        program.approving_body = text(basis.get("approving_body"))
        program.save(update_fields=["title", "region", "purpose", "approving_body", "updated_at"])
        program.working_group.all().delete()
        data.working_group = pm.WorkingGroupMember.objects.bulk_create(
            pm.WorkingGroupMember(
                program=program,
                position=i,
                **{name: text(row.get(name)) for name in MEMBER_FIELDS},
            )
            for i, row in enumerate(values.get("wg", []), start=1)
        )
        return False

    def check(self, step: Step, data: ProgramData, found: Findings) -> None:
        if blank(data.program.purpose):
            found.gaps.append(Gap(_("Programmets formål er ikke beskrevet"), "id_basis-purpose"))
        if not data.working_group:
            found.gaps.append(Gap(_("Arbejdsgruppen har ingen medlemmer"), "working-group"))
        sectors = {m.sector for m in data.working_group}
        if not sectors & {MemberSector.PATIENT_ORGANISATION, MemberSector.USER_REPRESENTATIVE}:
            found.advice.append(
                Gap(
                    _("Arbejdsgruppen har ingen repræsentant for patientforening eller brugere"),
                    "working-group",
                    key="patient-representation",
                )
            )
        if not (
            sectors & {MemberSector.RARE_DISEASE_CENTRE, MemberSector.SCIENTIFIC_SOCIETY}
            or any(_is_expert_body(m.organisation) for m in data.working_group)
        ):
            found.advice.append(
                Gap(
                    _(
                        "Arbejdsgruppen har hverken et center for sjældne sygdomme (3.1.2) "
                        "eller et videnskabeligt selskab (1.1) med"
                    ),
                    "working-group",
                    key="expert-body",
                )
            )
        if MemberSector.MUNICIPALITY not in sectors:
            found.advice.append(
                Gap(
                    _("Arbejdsgruppen har ingen kommunal repræsentant"),
                    "working-group",
                    key="municipality",
                )
            )


DEFINITION = Basis()
