"""The pathway as nested PlanDefinition actions: parts, their transitions and attention
points, as the published document has them (pdf/document.py's view of it).

Nested as the model nests its sections (4.1.3 under 4.1; 4.9, no part itself, holds 4.9.1
and 4.9.2). Parts and transitions the group judged not relevant are left out: they are no
part of the plan (the canonical JSON keeps them with their reasons). Every attention point
is kept with its status, "not relevant" included, since the status is the point's answer.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from pathways.fhir import terminology as t
from pathways.pdf.document import Document, PartView, PointView, TransitionView, chapter_numbers
from pathways.programs.data import ModelData
from pathways.programs.steps import Step, StepKind

RESPONSIBLE = "responsible"
COLLABORATING = "collaborating"
DOCTOR = "patient-responsible-doctor"
SENDING = "sending"
RECEIVING = "receiving"


def role_labels() -> dict[str, str]:
    return {
        RESPONSIBLE: _("Ansvarlig"),
        COLLABORATING: _("Samarbejdende"),
        DOCTOR: _("Patientansvarlig læge"),
        SENDING: _("Afgivende"),
        RECEIVING: _("Modtagende"),
    }


class ActionWriter:
    def __init__(
        self,
        doc: Document,
        model: ModelData,
        content: dict[str, Any],
        organizations: dict[str, dict[str, str]],
        model_url: str,
    ) -> None:
        self.doc = doc
        self.model = model
        self.content = content
        # Actor ref → the Reference to its Organization in the Bundle.
        self.organizations = organizations
        self.order = {ref: i for i, ref in enumerate(organizations)}
        self.model_url = model_url
        self.roles = role_labels()

    def actions(self) -> list[dict[str, Any]]:
        framing = {s.kind: s for s in self.model.steps if not s.is_part}
        found = [
            self.point_group(
                framing.get(StepKind.TARGET_GROUP), "target-group", self.doc.target_points
            ),
            *self.parts(),
            *self.own_parts(framing.get(StepKind.PATHWAY)),
            self.point_group(
                framing.get(StepKind.IMPLEMENTATION),
                "implementation",
                self.doc.implementation_points,
            ),
        ]
        return [action for action in found if action]

    # Codes: the generic model's own identifiers, so that actions of programs written
    # against the same model (and the canonical JSON's keys) can be matched.

    def model_code(self, kind: str, code: str, display: str) -> dict[str, Any]:
        return {"coding": [{"system": self.model_url + kind, "code": code, "display": display}]}

    def participants(self, refs: list[tuple[Any, str]]) -> list[dict[str, Any]]:
        """(actor ref, role) as R4B participants. R4B requires a participant type and has
        none for an organisation: "practitioner" (people at the organisation take part),
        with R5's "organization" and the reference to the Organization in R5's
        cross-version extensions."""
        found = []
        for ref, role in refs:
            if ref not in self.organizations:
                continue
            found.append(
                {
                    "extension": [
                        {"url": t.PARTICIPANT_REFERENCE, "valueReference": self.organizations[ref]}
                    ],
                    "type": "practitioner",
                    "_type": {
                        "extension": [{"url": t.PARTICIPANT_TYPE_R5, "valueCode": "organization"}]
                    },
                    "role": {
                        "coding": [
                            {
                                "system": t.participant_role_system(),
                                "code": role,
                                "display": self.roles[role],
                            }
                        ],
                        "text": self.roles[role],
                    },
                }
            )
        return found

    def in_order(self, refs: Any) -> list[str]:
        """A set of refs (kept sorted as text) in the order the program lists its actors."""
        found = refs if isinstance(refs, list) else [refs]
        known = [ref for ref in found if ref in self.order]
        return sorted(known, key=self.order.__getitem__)

    # Parts ---------------------------------------------------------------------------

    def parts(self) -> list[dict[str, Any]]:
        roots: list[dict[str, Any]] = []
        placed: dict[str, dict[str, Any]] = {}
        for part in self.doc.parts:
            if not part.relevant:
                continue
            for _anchor, number, title, model_number, _level in part.group_headings:
                heading = {
                    "id": "gruppe-" + model_number.replace(".", "-"),
                    "prefix": number,
                    "title": title,
                    "code": [self.model_code("afsnit", model_number, title)],
                    "action": [],
                }
                self.place(heading, model_number, placed, roots)
            self.place(self.part(part), part.model_number, placed, roots)
        return roots

    @staticmethod
    def place(action: dict, number: str, placed: dict, roots: list) -> None:
        """Under the nearest placed section above `number` (4.1 for 4.1.3), else at the top."""
        segments = number.split(".")
        for depth in range(len(segments) - 1, 0, -1):
            parent = placed.get(".".join(segments[:depth]))
            if parent is not None:
                parent.setdefault("action", []).append(action)
                break
        else:
            roots.append(action)
        placed[number] = action

    def part(self, part: PartView) -> dict[str, Any]:
        step = part.step
        answers = self.content.get(step.key) or {}
        collaborating = self.in_order(answers.get("collaborating"))
        return {
            "id": step.key,
            "prefix": part.number,
            "title": part.title,
            "description": part.effort,
            "textEquivalent": "\n\n".join(
                f"{label}: {text}" for label, text in part.fields if text
            ),
            "code": [self.model_code("afsnit", part.model_number, part.title)],
            "participant": self.participants(
                [
                    (part.responsible_ref, RESPONSIBLE),
                    *((ref, COLLABORATING) for ref in collaborating),
                    (part.doctor_ref, DOCTOR),
                ]
            ),
            "action": [
                *self.transitions(step, part, answers),
                *self.points(part.points, answers.get("attention_points")),
            ],
        }

    def transitions(
        self, step: Step, part: PartView, answers: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The model's transitions of the part (the view lists them first, in the model's
        order), then the group's own."""
        given = answers.get("transitions") or {}
        model_views = part.transitions[: len(step.transitions)]
        own_views = part.transitions[len(step.transitions) :]
        found = [
            self.transition(f"{step.key}.{tr.key}", view, given.get(tr.key) or {}, tr.key)
            for tr, view in zip(step.transitions, model_views, strict=True)
            if view.relevant
        ]
        own_rows = answers.get("own_transitions") or []
        found += [
            self.transition(f"{step.key}.egen-overgang-{n}", view, row, None)
            for n, (row, view) in enumerate(zip(own_rows, own_views, strict=True), start=1)
        ]
        return found

    def transition(
        self, action_id: str, view: TransitionView, answers: dict[str, Any], key: str | None
    ) -> dict[str, Any]:
        """A transition: triggered by (description), between which stages and what is
        handed over (text), by whom to whom (participants). The model names its stages in
        words, not as parts, so no relatedAction is made up."""
        text = [
            (capfirst(_("fra")), view.from_stage),
            (capfirst(_("til")), view.to_stage),
            (_("Overdrages"), view.handover),
        ]
        return {
            "id": action_id,
            "title": view.title,
            "description": view.trigger,
            "textEquivalent": "\n\n".join(f"{label}: {value}" for label, value in text if value),
            "code": [self.model_code("overgange", key, view.title)] if key else [],
            "participant": self.participants(
                [
                    *((ref, SENDING) for ref in self.in_order(answers.get("sending"))),
                    *((ref, RECEIVING) for ref in self.in_order(answers.get("receiving"))),
                ]
            ),
        }

    # Attention points -----------------------------------------------------------------

    def points(self, views: list[PointView], answers: Any) -> list[dict[str, Any]]:
        answers = answers if isinstance(answers, dict) else {}
        return [self.point(view, answers.get(view.reference) or {}) for view in views]

    def point(self, view: PointView, answer: dict[str, Any]) -> dict[str, Any]:
        """A point: the model's reference and title, the group's answer, its status (an
        extension: R4B's action has no element for an answer's status) and who is
        responsible. An unanswered point says so in the status's text."""
        status: dict[str, Any] = {"text": view.status}
        if view.status_code:
            status["coding"] = [
                {
                    "system": t.point_status_system(),
                    "code": view.status_code,
                    "display": view.status,
                }
            ]
        return {
            "id": "punkt-" + view.reference.replace("/", "-"),
            "extension": [{"url": t.point_status_extension(), "valueCodeableConcept": status}],
            "prefix": view.reference,
            "title": view.title,
            "description": "\n\n".join(text for text in (view.answer, view.reason) if text),
            "code": [self.model_code("opmaerksomhedspunkter", view.reference, view.title)],
            "participant": self.participants([(answer.get("responsible"), RESPONSIBLE)]),
        }

    def point_group(
        self, step: Step | None, chapter: str, views: list[PointView]
    ) -> dict[str, Any] | None:
        """The attention points of a framing step (target group, implementation), under
        an action for the step."""
        if step is None or not views:
            return None
        section = step.role_section
        answers = (self.content.get(step.key) or {}).get("attention_points")
        return {
            "id": step.key,
            "prefix": chapter_numbers()[chapter],
            "title": str(step.title),
            "code": [self.model_code("afsnit", section.number, section.title)] if section else [],
            "action": self.points(views, answers),
        }

    def own_parts(self, step: Step | None) -> list[dict[str, Any]]:
        """Parts the group added that the model does not name."""
        rows = (self.content.get(step.key) or {}).get("own_parts") if step else None
        rows = [row for row in rows or [] if isinstance(row, dict)]
        return [
            {
                "id": f"egen-del-{n}",
                "title": str(row.get("title") or ""),
                "description": str(row.get("effort") or ""),
                "participant": self.participants([(row.get("responsible"), RESPONSIBLE)]),
            }
            for n, row in enumerate(rows, start=1)
        ]
