"""The steps a working group goes through, derived from the program's generic-model version.

Fixed steps frame the program (basis, criteria, target group, actors, implementation,
follow-up, review); between them comes one step per part of the pathway: every chapter-4
section of kind pathway part, transition or cross-cutting theme that has attention points
of its own. A part's transitions are those of its section and of sub-sections that are not
steps themselves (4.3 carries 4.3.1 and 4.3.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from pathways.generic_model import models as gm


class StepKind(StrEnum):
    BASIS = "basis"
    CRITERIA = "criteria"
    TARGET_GROUP = "target_group"
    ACTORS = "actors"
    PART = "part"
    IMPLEMENTATION = "implementation"
    FOLLOW_UP = "follow_up"
    REVIEW = "review"


PART_KINDS = {gm.SectionKind.PATHWAY_PART, gm.SectionKind.TRANSITION, gm.SectionKind.CROSS_CUTTING}
TARGET_GROUP_SECTION = "3.1.2"
IMPLEMENTATION_SECTION = "4.10"
FOLLOW_UP_SECTION = "4.11"


@dataclass(frozen=True)
class Step:
    key: str
    kind: StepKind
    title: str
    number: int = 0
    section: gm.Section | None = None
    # Sections whose attention points this step asks the working group to answer.
    point_sections: tuple[gm.Section, ...] = ()
    transitions: tuple[gm.Transition, ...] = field(default=())

    @property
    def label(self) -> str:
        if self.section is not None:
            return f"{self.section.number} {self.section.title}"
        return str(self.title)

    @property
    def is_part(self) -> bool:
        return self.kind == StepKind.PART


def part_step_key(section: gm.Section) -> str:
    return "del-" + section.number.replace(".", "-")


def build_steps(model_version: gm.ModelVersion) -> list[Step]:
    """All steps of a program written against `model_version`, in order (two queries)."""
    sections = list(
        gm.Section.objects.filter(model_version=model_version)
        .annotate(point_count=Count("attention_points"))
        .order_by("position")
    )
    by_number = {s.number: s for s in sections}
    transitions = list(
        gm.Transition.objects.filter(model_version=model_version).select_related("section")
    )

    part_sections = [
        s
        for s in sections
        if s.number.startswith("4.") and s.kind in PART_KINDS and s.point_count > 0
    ]
    part_numbers = {s.number for s in part_sections}

    def owning_part(number: str) -> str | None:
        while number:
            if number in part_numbers:
                return number
            number = number.rsplit(".", 1)[0] if "." in number else ""
        return None

    steps = [
        Step("grundlag", StepKind.BASIS, _("Grundlag og arbejdsgruppe")),
        Step("kriterier", StepKind.CRITERIA, _("Hvorfor dette program")),
        Step(
            "maalgruppe",
            StepKind.TARGET_GROUP,
            _("Målgruppe"),
            section=by_number.get(TARGET_GROUP_SECTION),
            point_sections=_present(by_number, TARGET_GROUP_SECTION),
        ),
        Step("aktoerer", StepKind.ACTORS, _("Aktører")),
    ]
    for section in part_sections:
        steps.append(
            Step(
                part_step_key(section),
                StepKind.PART,
                section.title,
                section=section,
                point_sections=(section,),
                transitions=tuple(
                    t for t in transitions if owning_part(t.section.number) == section.number
                ),
            )
        )
    steps += [
        Step(
            "implementering",
            StepKind.IMPLEMENTATION,
            _("Implementering"),
            section=by_number.get(IMPLEMENTATION_SECTION),
            point_sections=_present(by_number, IMPLEMENTATION_SECTION),
        ),
        Step(
            "opfoelgning",
            StepKind.FOLLOW_UP,
            _("Opfølgning og monitorering"),
            section=by_number.get(FOLLOW_UP_SECTION),
        ),
        Step("gennemgang", StepKind.REVIEW, _("Gennemgang")),
    ]
    return [
        Step(s.key, s.kind, s.title, n, s.section, s.point_sections, s.transitions)
        for n, s in enumerate(steps, start=1)
    ]


def _present(by_number: dict[str, gm.Section], number: str) -> tuple[gm.Section, ...]:
    return (by_number[number],) if number in by_number else ()


def find_step(steps: list[Step], key: str) -> Step | None:
    return next((s for s in steps if s.key == key), None)
