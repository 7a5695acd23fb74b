"""The program per phase of life: which relevant parts happen in each phase.

The phases are the generic model's (`pathway_diagram["phases"]` of the model version the
document names: graviditet, barndom, ungdom, voksen, aeldre in model 1.0); a part happens in
the phases its model section names, and in every phase when it names none (as the pathway
diagram draws it, pdf/diagram.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.text import slugify

from pathways.pdf.document import PartView


@dataclass
class PhaseView:
    key: str
    label: str
    parts: list[PartView] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "livsfase-" + (slugify(self.key) or "x")


def parts_by_phase(phases: list[tuple[str, str]], parts: list[PartView]) -> list[PhaseView]:
    """Each phase with the relevant parts that happen in it, in the document's order."""
    every = [key for key, _label in phases]
    views = [PhaseView(key, label) for key, label in phases]
    for part in parts:
        if not part.relevant:
            continue
        happens_in = part.step.section.life_phases_within(every)
        for view in views:
            if view.key in happens_in:
                view.parts.append(part)
    return views
