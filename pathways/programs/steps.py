"""The steps a working group goes through, derived from the program's generic-model version.

The model file names them: each section may carry a `step_role` (fixtures/README.md). The
sections with the roles criteria, target group, actors, pathway (optional), implementation
and follow-up give the framing steps, in the order below; between them comes one step per
section with the role `part`, in the model's order. A part's transitions are those of its
section and of sub-sections that are not parts themselves (4.3 carries 4.3.1 and 4.3.2).
Basis and review belong to every program. The keys are stable: stored revisions, snapshots,
audit entries and versions refer to steps by them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from pathways.generic_model import models as gm


class StepKind(StrEnum):
    BASIS = "basis"
    CRITERIA = "criteria"
    TARGET_GROUP = "target_group"
    ACTORS = "actors"
    PATHWAY = "pathway"
    PART = "part"
    IMPLEMENTATION = "implementation"
    FOLLOW_UP = "follow_up"
    REVIEW = "review"


@dataclass(frozen=True)
class _Frame:
    """A framing step: its stable key, and what it takes from the section with its role."""

    key: str
    kind: StepKind
    title: str
    role: gm.StepRole | None = None
    # The step page shows the section's text (the criteria and actors steps show the
    # model's catalogues instead) ...
    shows_section: bool = False
    # ... and asks the section's attention points.
    asks_points: bool = False


_BEFORE_PARTS = (
    _Frame("grundlag", StepKind.BASIS, _("Grundlag og arbejdsgruppe")),
    _Frame("kriterier", StepKind.CRITERIA, _("Hvorfor dette program"), gm.StepRole.CRITERIA),
    _Frame(
        "maalgruppe",
        StepKind.TARGET_GROUP,
        _("Målgruppe"),
        gm.StepRole.TARGET_GROUP,
        shows_section=True,
        asks_points=True,
    ),
    _Frame("aktoerer", StepKind.ACTORS, _("Aktører"), gm.StepRole.ACTORS),
    # Optional in the model: a model without the role gives no such step.
    _Frame(
        "forloeb",
        StepKind.PATHWAY,
        _("Forløbet som helhed"),
        gm.StepRole.PATHWAY,
        shows_section=True,
    ),
)
_AFTER_PARTS = (
    _Frame(
        "implementering",
        StepKind.IMPLEMENTATION,
        _("Implementering"),
        gm.StepRole.IMPLEMENTATION,
        shows_section=True,
        asks_points=True,
    ),
    _Frame(
        "opfoelgning",
        StepKind.FOLLOW_UP,
        _("Opfølgning og monitorering"),
        gm.StepRole.FOLLOW_UP,
        shows_section=True,
    ),
    _Frame("gennemgang", StepKind.REVIEW, _("Gennemgang")),
)


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
    # The section that carries this step's role in the model (`section` is None for the
    # criteria and actors steps, whose pages show the model's catalogues, not a section).
    role_section: gm.Section | None = None
    # The model's sections whose guidance the step shows beside its fields: its own, and
    # those that are no step of their own (see guidance_sections).
    guidance: tuple[gm.Section, ...] = ()

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
    every_section = list(
        gm.Section.objects.filter(model_version=model_version).order_by("position")
    )
    sections = [s for s in every_section if s.step_role]
    by_role = {s.step_role: s for s in sections if s.step_role != gm.StepRole.PART}
    parts = [s for s in sections if s.step_role == gm.StepRole.PART]
    roles = {s.number: s.step_role for s in sections}
    transitions = list(
        gm.Transition.objects.filter(model_version=model_version).select_related("section")
    )

    def framing(frames: tuple[_Frame, ...]) -> list[Step]:
        steps = []
        for frame in frames:
            section = by_role.get(frame.role) if frame.role else None
            if frame.role and section is None:
                continue  # an optional role this model does not give
            steps.append(
                Step(
                    frame.key,
                    frame.kind,
                    frame.title,
                    section=section if frame.shows_section else None,
                    point_sections=(section,) if frame.asks_points else (),
                    role_section=section,
                )
            )
        return steps

    steps = framing(_BEFORE_PARTS)
    owner = {t.pk: gm.owning_part(t.section.number, roles) for t in transitions}
    for section in parts:
        steps.append(
            Step(
                part_step_key(section),
                StepKind.PART,
                section.title,
                section=section,
                point_sections=(section,),
                transitions=tuple(t for t in transitions if owner[t.pk] == section.number),
                role_section=section,
            )
        )
    steps += framing(_AFTER_PARTS)
    guidance = guidance_sections(every_section)
    return [
        Step(
            s.key,
            s.kind,
            s.title,
            n,
            s.section,
            s.point_sections,
            s.transitions,
            s.role_section,
            guidance.get(s.role_section.number, ()) if s.role_section else (),
        )
        for n, s in enumerate(steps, start=1)
    ]


def guidance_sections(sections: list[gm.Section]) -> dict[str, tuple[gm.Section, ...]]:
    """Step section number → the sections whose guidance its step shows, in model order.

    Every section is shown by one step: a step section by its own step; any other by the
    step nearest to it in the outline — walking up from the section, the first level that
    is a step or holds one (3.1 and 3.1.1 by the target group 3.1.2, the chapter 4
    introduction by 4.1, 4.9 by 4.9.1, 4.3.1 by the part 4.3, 2.4 by the actors step "2",
    4.11.1 by follow-up 4.11).
    """
    steps = [s.number for s in sections if s.step_role]
    shown: dict[str, list[gm.Section]] = {number: [] for number in steps}
    for section in sections:
        owner = _nearest_step(section.number, steps)
        if owner is not None:
            shown[owner].append(section)
    return {number: tuple(found) for number, found in shown.items()}


def _nearest_step(number: str, steps: list[str]) -> str | None:
    level = number
    while level:
        inside = [n for n in steps if n == level or n.startswith(level + ".")]
        if level in inside:
            return level
        if inside:
            return inside[0]
        level = level.rsplit(".", 1)[0] if "." in level else ""
    return None


def find_step(steps: list[Step], key: str) -> Step | None:
    return next((s for s in steps if s.key == key), None)
