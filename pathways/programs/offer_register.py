"""A part's coordination tools, offers and needs without an offer as a reader sees them,
read from a program document — a draft's or a published version's — so the PDF and the
gap register page say the same.

The document names companion entries by identifier ("slug@version:key"); they are looked
up among the entries given (the program's) and, for any the program no longer knows (a
published version's), in the database. An offer that has ended says so in its status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from pathways.generic_model import models as gm
from pathways.generic_model.companions import entries_by_identifier
from pathways.programs.readable import actor_names
from pathways.programs.step_kinds.companion_links import LISTS

TOOLS, OFFERS, GAPS = LISTS["tools"], LISTS["offers"], LISTS["offer_gaps"]


@dataclass(frozen=True)
class ToolLine:
    title: str
    responsible: str
    note: str


@dataclass(frozen=True)
class OfferLine:
    title: str
    provider: str
    status: str
    ended: bool
    note: str


@dataclass(frozen=True)
class GapLine:
    need: str
    phase: str  # a life phase key of the model's pathway diagram; "" for every age
    phase_label: str
    note: str


@dataclass
class PartLinks:
    tools: list[ToolLine] = field(default_factory=list)
    offers: list[OfferLine] = field(default_factory=list)
    gaps: list[GapLine] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.tools or self.offers or self.gaps)


def _rows(step_doc: Any, list_name: str) -> list[dict]:
    rows = step_doc.get(list_name) if isinstance(step_doc, dict) else None
    return [row for row in rows or [] if isinstance(row, dict)]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class CompanionLinks:
    """Reads the three lists of every part of one program document."""

    def __init__(
        self,
        document: dict[str, Any],
        model_version: gm.ModelVersion,
        known: Iterable[gm.CompanionEntry] = (),
    ) -> None:
        self.content: dict[str, Any] = document.get("content") or {}
        self.names = actor_names(document)
        named = {
            row.get(name)
            for step_doc in self.content.values()
            for list_name, name in ((TOOLS, "tool"), (OFFERS, "offer"))
            for row in _rows(step_doc, list_name)
            if row.get(name)
        }
        self.entries = {e.identifier: e for e in known}
        missing = {str(i) for i in named} - set(self.entries)
        if missing:  # only a version whose entries the program no longer links
            self.entries.update(entries_by_identifier(missing))
        self.phases = dict(model_version.life_phases)

    def _entry(self, identifier: Any) -> gm.CompanionEntry | None:
        return self.entries.get(identifier) if identifier else None

    def phase_label(self, key: str) -> str:
        # A phase the model no longer draws keeps its key rather than vanish.
        return self.phases.get(key, key) if key else _("Alle aldre")

    def part(self, step_key: str) -> PartLinks:
        step_doc = self.content.get(step_key)
        links = PartLinks()
        for row in _rows(step_doc, TOOLS):
            entry = self._entry(row.get("tool"))
            links.tools.append(
                ToolLine(
                    title=entry.title if entry else _("(opslaget findes ikke længere)"),
                    responsible=self.names.get(row.get("responsible"), "")
                    if row.get("responsible")
                    else "",
                    note=_text(row.get("note")),
                )
            )
        for row in _rows(step_doc, OFFERS):
            entry = self._entry(row.get("offer"))
            links.offers.append(
                OfferLine(
                    title=entry.title if entry else _("(opslaget findes ikke længere)"),
                    provider=_text(entry.details.get("provider")) if entry else "",
                    status=entry.status_text if entry else "",
                    ended=bool(entry and entry.has_ended),
                    note=_text(row.get("note")),
                )
            )
        for row in _rows(step_doc, GAPS):
            phase = _text(row.get("phase"))
            links.gaps.append(
                GapLine(
                    need=_text(row.get("need")),
                    phase=phase,
                    phase_label=self.phase_label(phase),
                    note=_text(row.get("note")),
                )
            )
        return links

    def by_phase(self, gaps: list[GapLine]) -> list[tuple[str, list[GapLine]]]:
        """(life phase label, needs) in the model's order of phases; every age last."""
        groups: dict[str, list[GapLine]] = {}
        for gap in gaps:
            groups.setdefault(gap.phase, []).append(gap)
        order = [*self.phases, *(k for k in groups if k and k not in self.phases), ""]
        return [(self.phase_label(key), groups[key]) for key in order if key in groups]
