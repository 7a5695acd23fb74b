"""What the PDF says, computed from one loaded program: chapters, matrix, diagram, appendices."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from pathways.generic_model import models as gm
from pathways.programs.data import ProgramData
from pathways.programs.forms import DATA_SOURCES
from pathways.programs.models import MemberSector, PointStatus, Relevance
from pathways.programs.steps import Step, StepKind


@dataclass
class PointView:
    reference: str
    title: str
    group: str
    status: str
    answer: str
    reason: str
    responsible: str
    not_relevant: bool

    @property
    def section_number(self) -> str:
        """The section the point belongs to ("4.10" of "4.10/2"), for headings."""
        return self.reference.split("/", 1)[0]


@dataclass
class TransitionView:
    title: str
    from_stage: str
    to_stage: str
    relevant: bool
    reason: str
    sending: str
    receiving: str
    trigger: str
    handover: str
    convener: str
    follow_up: str


@dataclass
class PartView:
    step: Step
    anchor: str
    relevant: bool
    not_relevant_reason: str
    effort: str
    responsible: str
    collaborating: list[str]
    fields: list[tuple[str, str]]
    transitions: list[TransitionView]
    points: list[PointView]
    responsible_id: int | None = None
    participant_ids: set[int] = field(default_factory=set)


@dataclass
class HistoryRow:
    number: str
    date: datetime.date
    note: str
    status: str


@dataclass
class Document:
    data: ProgramData
    title: str
    region: str
    is_draft: bool
    status_label: str
    version_label: str
    date: datetime.date
    approving_body: str
    grouping: str
    codes: list[str]
    history: list[HistoryRow]
    parts: list[PartView]
    target_points: list[PointView]
    implementation_points: list[PointView]
    matrix_parts: list[PartView]
    matrix_rows: list[tuple[str, list[str]]]
    not_relevant_parts: list[PartView]
    not_relevant_points: list[tuple[PartView | None, PointView]]
    resources: list[gm.Resource]
    legal_references: list[gm.LegalReference]
    keywords: str
    data_sources: str
    doctor: str = ""
    coordinator: str = ""
    follow_up_responsible: str = ""
    criteria: list[tuple[gm.Criterion, bool | None, str]] = field(default_factory=list)
    needs: list[tuple[gm.Need, str]] = field(default_factory=list)
    members: list[tuple[str, str, str, str]] = field(default_factory=list)


def _points(data: ProgramData, step: Step) -> list[PointView]:
    labels = dict(PointStatus.choices)
    views = []
    for point in data.points_for(step):
        a = data.point_answers.get(point.pk)
        views.append(
            PointView(
                reference=point.reference,
                title=point.title,
                group=point.group,
                status=str(labels.get(a.status, _("ikke besvaret"))) if a else _("ikke besvaret"),
                answer=a.answer if a else "",
                reason=a.reason if a else "",
                responsible=data.actor_name(a.responsible_id) if a else "",
                not_relevant=bool(a and a.status == PointStatus.NOT_RELEVANT),
            )
        )
    return views


def _part(data: ProgramData, step: Step) -> PartView:
    a = data.part_answers.get(step.section.pk)
    name = data.actor_name
    collaborating_ids = [c.pk for c in a.collaborating.all()] if a else []
    transitions = []
    participants = set(collaborating_ids)
    for t in step.transitions:
        ta = data.transition_answers.get(t.pk)
        if ta is not None:
            participants |= {
                x
                for x in (
                    ta.sending_id,
                    ta.receiving_id,
                    ta.conference_convener_id,
                    ta.conference_follow_up_id,
                )
                if x
            }
        transitions.append(
            TransitionView(
                title=t.title,
                from_stage=t.from_stage,
                to_stage=t.to_stage,
                relevant=not (ta and ta.relevance == Relevance.NOT_RELEVANT),
                reason=ta.not_relevant_reason if ta else "",
                sending=name(ta.sending_id) if ta else "",
                receiving=name(ta.receiving_id) if ta else "",
                trigger=ta.trigger if ta else "",
                handover=ta.handover if ta else "",
                convener=name(ta.conference_convener_id) if ta else "",
                follow_up=name(ta.conference_follow_up_id) if ta else "",
            )
        )
    for point in data.points_for(step):
        pa = data.point_answers.get(point.pk)
        if pa and pa.responsible_id:
            participants.add(pa.responsible_id)
    get = (lambda attr: getattr(a, attr)) if a else (lambda attr: "")
    return PartView(
        step=step,
        anchor="part-" + step.section.number.replace(".", "-"),
        relevant=not (a and a.relevance == Relevance.NOT_RELEVANT),
        not_relevant_reason=get("not_relevant_reason"),
        effort=get("effort"),
        responsible=name(a.responsible_id) if a else "",
        collaborating=[name(pk) for pk in collaborating_ids],
        fields=[
            (_("Koordinering"), get("coordination")),
            (_("Kommunikationskanaler"), get("communication_channels")),
            (_("Digitale værktøjer"), get("digital_tools")),
            (_("Vidensdeling"), get("knowledge_sharing")),
            (_("Frister"), get("deadlines")),
        ],
        transitions=transitions,
        points=_points(data, step),
        responsible_id=a.responsible_id if a else None,
        participant_ids=participants,
    )


def build_document(
    data: ProgramData,
    *,
    version_label: str,
    is_draft: bool,
    date: datetime.date | None = None,
    history: list[HistoryRow] | None = None,
) -> Document:
    p = data.program
    steps = {s.kind: s for s in data.steps if not s.is_part}
    parts = [_part(data, s) for s in data.steps if s.is_part]
    relevant = [part for part in parts if part.relevant]

    matrix_rows = []
    for actor in data.actors:
        cells = []
        for part in relevant:
            if part.responsible_id == actor.pk:
                cells.append("A")
            elif actor.pk in part.participant_ids:
                cells.append("D")
            else:
                cells.append("")
        matrix_rows.append((actor.name, cells))

    target_points = _points(data, steps[StepKind.TARGET_GROUP])
    implementation_points = _points(data, steps[StepKind.IMPLEMENTATION])
    not_relevant_points = [(part, pt) for part in relevant for pt in part.points if pt.not_relevant]
    not_relevant_points += [
        (None, pt) for pt in target_points + implementation_points if pt.not_relevant
    ]

    grouping = next((g.title for g in data.groupings if g.pk == p.target_grouping_id), "")
    used_types = {a.actor_type_id for a in data.actors if a.actor_type_id}
    resources = [
        r
        for r in gm.Resource.objects.filter(model_version=p.model_version).select_related("actor")
        if r.actor_id is None or r.actor_id in used_types
    ]
    linked = _linked_section_numbers(data.steps, relevant)
    legal = [
        ref
        for ref in gm.LegalReference.objects.filter(model_version=p.model_version).prefetch_related(
            "sections"
        )
        if any(linked(s.number) for s in ref.sections.all())
    ]
    sectors = dict(MemberSector.choices)
    sources = dict(DATA_SOURCES)
    return Document(
        data=data,
        title=p.title,
        region=p.get_region_display(),
        is_draft=is_draft,
        status_label=_("Udkast – ikke godkendt") if is_draft else _("Godkendt og offentliggjort"),
        version_label=version_label,
        date=date or timezone.localdate(),
        approving_body=p.approving_body,
        grouping=grouping or p.custom_target_description,
        codes=[
            f"{c.code_system.key.upper()} {c.code}" + (f" ({c.label})" if c.label else "")
            for c in data.diagnosis_codes
        ],
        history=history or [],
        parts=parts,
        target_points=target_points,
        implementation_points=implementation_points,
        matrix_parts=relevant,
        matrix_rows=matrix_rows,
        not_relevant_parts=[x for x in parts if not x.relevant],
        not_relevant_points=not_relevant_points,
        resources=resources,
        legal_references=legal,
        keywords=", ".join(
            [_("forløbsprogram"), _("sjældne sygdomme"), p.get_region_display(), grouping]
            + [c.code for c in data.diagnosis_codes][:10]
        ),
        doctor=data.actor_name(p.patient_responsible_doctor_id),
        coordinator=data.actor_name(p.municipal_coordinator_id),
        follow_up_responsible=data.actor_name(p.follow_up_responsible_id),
        data_sources=", ".join(str(sources.get(s, s)) for s in p.follow_up_data_sources),
        criteria=[
            (
                c,
                a.applies if (a := data.criterion_assessments.get(c.pk)) else None,
                a.reason if a else "",
            )
            for c in data.criteria
        ],
        needs=[
            (n, a.assessment if (a := data.need_assessments.get(n.pk)) else "") for n in data.needs
        ],
        members=[
            (m.name, m.organisation, str(sectors.get(m.sector, "")), m.role)
            for m in data.working_group
        ],
    )


def _linked_section_numbers(steps: list[Step], relevant: list[PartView]):
    """Which model sections the program speaks to: those of its framing steps (chapters 2–3,
    4.10–4.11 in model 1.0) and of its relevant parts, with their sub- and parent sections."""
    anchors = [s.role_section.number for s in steps if s.role_section and not s.is_part]
    anchors += [part.step.section.number for part in relevant]

    def linked(number: str) -> bool:
        return any(
            number == n or number.startswith(n + ".") or n.startswith(number + ".") for n in anchors
        )

    return linked
