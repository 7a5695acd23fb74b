"""'Hvem gør hvad': per actor, everything a published program asks of it.

Built from the PDF's view model (pdf/document.py) and, for what that model only holds as
names, from the version's stored document, where every actor is named by its ref ("a3"):
the sides of a transition and the person responsible for an attention point. Parts and
transitions judged not relevant are left out, as the published program leaves them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from pathways.pdf.document import ActorView, Document, PartView, PointView, TransitionView

SENDS = "sends"
RECEIVES = "receives"


@dataclass
class PartDuty:
    part: PartView
    responsible: bool
    # The patient-responsible doctor this part names for itself.
    doctor: bool = False


@dataclass
class TransitionDuty:
    part: PartView
    transition: TransitionView
    sends: bool
    receives: bool


@dataclass
class ActorDuties:
    ref: str
    actor: ActorView
    roles: list[str] = field(default_factory=list)
    parts: list[PartDuty] = field(default_factory=list)
    transitions: list[TransitionDuty] = field(default_factory=list)
    # (where the point belongs: a part's or a chapter's title, the point)
    points: list[tuple[str, PointView]] = field(default_factory=list)
    own_parts: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return actor_anchor(self.ref)

    @property
    def has_duties(self) -> bool:
        return bool(self.roles or self.parts or self.transitions or self.points or self.own_parts)


def actor_anchor(ref: str) -> str:
    """The id of an actor's section ("aktoer-a3"), stable across versions that keep the ref."""
    return "aktoer-" + (slugify(ref) or "x")


def _refs(value: Any) -> list[str]:
    """Actor refs as the document holds them: a list, or a single ref in older documents."""
    found = value if isinstance(value, list) else [value]
    return [ref for ref in found if isinstance(ref, str) and ref]


def _actor_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The actors list as the document holds it, in the order the PDF view lists them."""
    for step in (document.get("content") or {}).values():
        if isinstance(step, dict) and isinstance(step.get("actors"), list):
            return [row for row in step["actors"] if isinstance(row, dict)]
    return []


def _point_responsibles(answers: Any) -> dict[str, str]:
    """Attention point reference → the ref of the actor responsible for it."""
    if not isinstance(answers, dict):
        return {}
    return {
        reference: answer.get("responsible")
        for reference, answer in answers.items()
        if isinstance(answer, dict) and isinstance(answer.get("responsible"), str)
    }


def _transition_sides(part: PartView, answers: dict[str, Any]) -> list[tuple[set, set]]:
    """(sending refs, receiving refs) of each of the part's transitions, in the order
    PartView.transitions lists them: the model's, then the group's own."""
    given = answers.get("transitions") or {}
    sides = []
    for t in part.step.transitions:
        ta = given.get(t.key) if isinstance(given, dict) else None
        ta = ta if isinstance(ta, dict) else {}
        sides.append((set(_refs(ta.get("sending"))), set(_refs(ta.get("receiving")))))
    for own in answers.get("own_transitions") or []:
        own = own if isinstance(own, dict) else {}
        sides.append((set(_refs(own.get("sending"))), set(_refs(own.get("receiving")))))
    return sides


def who_does_what(doc: Document, document: dict[str, Any]) -> list[ActorDuties]:
    """One entry per actor of the program, in the program's order."""
    content = document.get("content") or {}
    rows = _actor_rows(document)
    duties = [
        ActorDuties(ref=str(row.get("ref") or ""), actor=view)
        for row, view in zip(rows, doc.actors, strict=False)
    ]
    by_ref = {d.ref: d for d in duties if d.ref}

    key_roles = (
        (doc.roles.get("patient_responsible_doctor"), _("Patientansvarlig læge")),
        (doc.roles.get("municipal_coordinator"), _("Koordinerende kontakt i kommunen")),
        (doc.follow_up.get("responsible"), _("Ansvarlig for opfølgning og revision")),
    )
    for ref, label in key_roles:
        if isinstance(ref, str) and ref in by_ref:
            by_ref[ref].roles.append(str(label))

    for part in doc.matrix_parts:  # the relevant parts, numbered as the document numbers them
        answers = content.get(part.step.key) or {}
        for ref, actor in by_ref.items():
            if ref == part.responsible_ref or ref in part.participant_refs:
                actor.parts.append(
                    PartDuty(
                        part=part,
                        responsible=ref == part.responsible_ref,
                        # Only a doctor the part names itself: the program's own is
                        # listed once, among the actor's roles in the whole program.
                        doctor=ref == answers.get("patient_responsible_doctor"),
                    )
                )
        sides = _transition_sides(part, answers)
        for transition, (sending, receiving) in zip(part.transitions, sides, strict=False):
            if not transition.relevant:
                continue
            for ref in sending | receiving:
                if ref in by_ref:
                    by_ref[ref].transitions.append(
                        TransitionDuty(
                            part=part,
                            transition=transition,
                            sends=ref in sending,
                            receives=ref in receiving,
                        )
                    )
        _add_points(by_ref, part.points, answers.get("attention_points"), part.title)

    _add_points(
        by_ref,
        doc.target_points,
        doc.target.get("attention_points"),
        doc.chapter.get("target_group", ""),
    )
    _add_points(
        by_ref,
        doc.implementation_points,
        doc.implementation.get("attention_points"),
        doc.chapter.get("implementation", ""),
    )
    for row in _own_parts(content):
        ref = row.get("responsible")
        if isinstance(ref, str) and ref in by_ref:
            by_ref[ref].own_parts.append(str(row.get("title") or ""))
    return duties


def _add_points(
    by_ref: dict[str, ActorDuties], points: list[PointView], answers: Any, where: str
) -> None:
    responsible = _point_responsibles(answers)
    for point in points:
        ref = responsible.get(point.reference)
        if not point.not_relevant and ref in by_ref:
            by_ref[ref].points.append((where, point))


def _own_parts(content: dict[str, Any]) -> list[dict[str, Any]]:
    for step in content.values():
        if isinstance(step, dict) and isinstance(step.get("own_parts"), list):
            return [row for row in step["own_parts"] if isinstance(row, dict)]
    return []
