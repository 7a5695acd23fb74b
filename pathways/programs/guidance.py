"""The model's guidance a step shows beside its fields: for each of the step's sections
(steps.guidance_sections) its summary, what a program must describe, the questions the
model asks, and the legal references and knowledge resources that belong to it."""

from __future__ import annotations

from dataclasses import dataclass, field

from pathways.generic_model import models as gm
from pathways.programs.data import ProgramData
from pathways.programs.step_kinds.companion_links import guide_numbers
from pathways.programs.steps import Step


@dataclass
class SectionGuidance:
    section: gm.Section
    questions: list[gm.GuidanceQuestion] = field(default_factory=list)
    legal_references: list[gm.LegalReference] = field(default_factory=list)
    resources: list[gm.Resource] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "guidance-" + self.section.number.replace(".", "-")  # 4.1.1 ≠ 4.11


def step_guidance(step: Step) -> list[SectionGuidance]:
    """Three queries, however many sections the step shows."""
    found = {s.pk: SectionGuidance(s) for s in step.guidance}
    if not found:
        return []
    for question in gm.GuidanceQuestion.objects.filter(section__in=found).order_by("position"):
        found[question.section_id].questions.append(question)
    links = gm.LegalReference.sections.through.objects.filter(section__in=found).select_related(
        "legalreference"
    )
    for link in sorted(links, key=lambda x: x.legalreference.position):
        found[link.section_id].legal_references.append(link.legalreference)
    resource_links = gm.Resource.sections.through.objects.filter(section__in=found).select_related(
        "resource"
    )
    for link in sorted(resource_links, key=lambda x: x.resource.position):
        found[link.section_id].resources.append(link.resource)
    return list(found.values())


# What the companion references add beside the model's guidance; offers are listed with
# the part's offers (steps/_companion_links.html), not here.
GUIDANCE_LISTS = (
    gm.CompanionList.RECOMMENDATION,
    gm.CompanionList.COORDINATION_TOOL,
    gm.CompanionList.TIMING,
    gm.CompanionList.ACTOR,
    gm.CompanionList.METHOD,
    gm.CompanionList.LEGAL_REFERENCE,
    gm.CompanionList.UNMET_NEED,
)


def companion_context(data: ProgramData, step: Step) -> dict:
    numbers = guide_numbers(step)
    return {
        "companion_guidance": data.companion.by_list(numbers, *GUIDANCE_LISTS),
        "companions": data.companion.companions,
        "companion_offers": data.companion.for_sections(numbers, gm.CompanionList.OFFER),
    }
