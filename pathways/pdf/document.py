"""What the PDF says, computed from a program document: chapters, matrix, diagram, appendices.

All program content comes from the document (pathways/programs/document.py), whether it was
just built from the draft or stored with a published version; the generic model supplies
only its own entries (steps, titles, groups, resources, legal references), looked up by
the identifiers the document uses. Choice codes get their Danish labels here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from pathways.generic_model import models as gm
from pathways.pdf.diagram import PathwayDiagram, pathway_diagram
from pathways.programs.codes import code_line
from pathways.programs.data import ModelData
from pathways.programs.document import DEPARTURES
from pathways.programs.forms import DATA_SOURCES
from pathways.programs.models import MemberSector, PointStatus, Relevance, SpecialisationLevel
from pathways.programs.offer_register import CompanionLinks, GapLine, PartLinks
from pathways.programs.readable import actor_names
from pathways.programs.regions import region_name
from pathways.programs.step_kinds import companion_links, definition_of
from pathways.programs.step_kinds.part import PART_COORDINATION, PART_CORE
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
    # The status's code ("" when unanswered): the PDF prints the status only when it says
    # something other than the normal answered state.
    status_code: str = ""

    @property
    def answered(self) -> bool:
        return bool(self.status_code)

    @property
    def status_worth_printing(self) -> bool:
        return self.status_code != PointStatus.ADDRESSED

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
    # The model's checklist, answered: (what, who arranges it, when).
    arrangements: list[tuple[str, str, str]] = field(default_factory=list)


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
    responsible_ref: str | None = None
    participant_refs: set[str] = field(default_factory=set)
    # Whether the group has judged the part's relevance at all.
    assessed: bool = True
    unplaced: list[tuple[str, str]] = field(default_factory=list)
    # The patient-responsible doctor in this part: the part's own, else the program's.
    doctor: str = ""
    doctor_ref: str | None = None
    # How to reach the responsible actor, as the program's actors list holds it.
    responsible_contact: str = ""
    responsible_referral: str = ""
    deadlines: str = ""
    # The document's own number ("6.2.3") and the outline level the model nests the part at
    # (2 for 4.1, 3 for 4.1.3); set for the parts the document prints (number_parts).
    number: str = ""
    level: int = 2
    # Headings of model sections that are no part themselves but hold this one (4.9 above
    # 4.9.1), printed before it: (anchor, number, title, model number, level).
    group_headings: list[tuple[str, str, str, str, int]] = field(default_factory=list)
    # Coordination tools, offers and needs without an offer the part names.
    links: PartLinks = field(default_factory=PartLinks)

    @property
    def title(self) -> str:
        return self.step.section.title

    @property
    def model_number(self) -> str:
        return self.step.section.number


@dataclass
class ActorView:
    name: str
    actor_type: str  # the model's actor type's name; empty for a local actor
    unit: str
    contact_point: str
    visitation_entry: str
    specialisation_level: str = ""  # its label
    delivered_from_2027_by: str = ""


@dataclass
class HistoryRow:
    number: str
    date: datetime.date
    note: str
    # Lazy, so it is printed in the PDF's language (Danish) whatever language the person
    # exporting or publishing reads.
    status: str = gettext_lazy("Offentliggjort")


@dataclass
class Document:
    title: str
    region: str
    code: str
    model: dict[str, str]  # publisher, name, version of the generic model followed
    is_draft: bool
    status_label: str
    version_label: str
    date: datetime.date
    approving_body: str
    grouping: str
    codes: list[str]
    # The codes alone, without their labels ("ICD-10 DQ871 (Q87.1)"), for the overview.
    code_numbers: list[str]
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
    # The framing steps' own content as the document holds it (text fields by field id).
    basis: dict[str, Any] = field(default_factory=dict)
    target: dict[str, Any] = field(default_factory=dict)
    roles: dict[str, Any] = field(default_factory=dict)
    implementation: dict[str, Any] = field(default_factory=dict)
    follow_up: dict[str, Any] = field(default_factory=dict)
    start_date: datetime.date | None = None
    next_review_date: datetime.date | None = None
    actors: list[ActorView] = field(default_factory=list)
    doctor: str = ""
    coordinator: str = ""
    follow_up_responsible: str = ""
    criteria: list[tuple[gm.Criterion, bool | None, str]] = field(default_factory=list)
    needs: list[tuple[gm.Need, str]] = field(default_factory=list)
    members: list[tuple[str, str, str, str]] = field(default_factory=list)
    # The pathway as a whole (label, text), in the step's order; empty when the document
    # has no such step (a model without it, or a version published before it existed).
    pathway: list[tuple[str, str]] = field(default_factory=list)
    pathway_title: str = ""
    # Parts the group added that the model does not name: (title, effort, responsible).
    own_parts: list[tuple[str, str, str]] = field(default_factory=list)
    # Fields the layout does not place (added to a step since), per framing step kind.
    unplaced: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # The pathway diagram (diagram.py); None when the model defines no diagram axes.
    diagram: PathwayDiagram | None = None
    # Chapter anchor → its numbered title ("6. Forløbets dele"): the document's own numbering.
    chapters: dict[str, str] = field(default_factory=dict)
    # A draft's completeness: (coverage in percent, number of gaps); None for a version.
    completeness: tuple[int, int] | None = None
    # How to reach the program's two contact persons (their actors' contact points).
    doctor_contact: str = ""
    coordinator_contact: str = ""
    follow_up_contact: str = ""
    # Where the program is read: its public page once published, else the app's page.
    publication_url: str = ""
    # Attention points not answered yet, and parts whose relevance nobody has judged yet.
    unanswered_points: list[PointView] = field(default_factory=list)
    unassessed_parts: list[PartView] = field(default_factory=list)
    # The gap register: every part's needs without an offer, in the parts' order.
    offer_gaps: list[tuple[PartView, GapLine]] = field(default_factory=list)

    @property
    def chapter(self) -> dict[str, str]:
        """The chapters' numbered titles by a name a template can look up (target_group)."""
        return {anchor.replace("-", "_"): title for anchor, title in self.chapters.items()}


# The fields each step kind's chapter lays out itself (templates/pdf/program.html). Any
# other field a step's document holds — one added to the step since — is printed at the
# end of that step's chapter under its form label, so a new field is never left out.
LAID_OUT: dict[StepKind, frozenset[str]] = {
    StepKind.BASIS: frozenset({"title", "region", "purpose", "approving_body", "working_group"}),
    StepKind.CRITERIA: frozenset({"criteria", "needs"}),
    StepKind.TARGET_GROUP: frozenset(
        {
            "grouping",
            "custom_target_description",
            "codes",
            "inclusion",
            "exclusion",
            "suspected_undiagnosed",
            "multiple_groups",
            "outside_target_group",
            "estimated_persons",
            "attention_points",
        }
    ),
    StepKind.ACTORS: frozenset(
        {
            "actors",
            "patient_responsible_doctor",
            "patient_responsible_doctor_note",
            "municipal_coordinator",
            "municipal_coordinator_note",
        }
    ),
    StepKind.PATHWAY: frozenset(
        {"social_assessment", "children_and_adults", "control_program", "own_parts"}
    ),
    StepKind.PART: frozenset(
        {
            *PART_CORE,
            *PART_COORDINATION,
            "transitions",
            "own_transitions",
            "attention_points",
            *companion_links.LISTS.values(),
        }
    ),
    StepKind.IMPLEMENTATION: frozenset(
        {"agreements_forum", "dissemination", "publication_place", "start_date", "attention_points"}
    ),
    StepKind.FOLLOW_UP: frozenset(
        {
            "how_and_when",
            "responsible",
            "indicators",
            "data_sources",
            "data_sources_note",
            "next_review_date",
        }
    ),
}


# The document's own chapters, in order; numbered by their place (chapter_titles).
CHAPTERS: tuple[tuple[str, Any], ...] = (
    ("background", gettext_lazy("Baggrund og formål")),
    ("target-group", gettext_lazy("Målgruppe")),
    ("working-group", gettext_lazy("Arbejdsgruppe")),
    ("actors", gettext_lazy("Aktører")),
    ("overview", gettext_lazy("Forløbsoverblik")),
    ("parts", gettext_lazy("Forløbets dele")),
    ("implementation", gettext_lazy("Implementering")),
    ("follow-up", gettext_lazy("Opfølgning og monitorering")),
)


def chapter_numbers() -> dict[str, str]:
    return {anchor: str(n) for n, (anchor, _title) in enumerate(CHAPTERS, start=1)}


def chapter_titles() -> dict[str, str]:
    numbers = chapter_numbers()
    return {anchor: f"{numbers[anchor]}. {title}" for anchor, title in CHAPTERS}


def number_parts(parts: list[PartView], steps: list[Step], chapter: str) -> None:
    """Give the printed parts the document's own numbers (chapter.n, nested as the model
    nests its sections: 4.1.3 under 4.1), and put a heading for a model section that is no
    part but holds printed ones (4.9 above 4.9.1 and 4.9.2)."""
    titles = {
        s.number: s.title
        for step in steps
        for s in (*step.guidance, *((step.section,) if step.section else ()))
    }
    assigned: dict[str, str] = {}
    counters: dict[str, int] = {}
    for part in parts:
        segments = part.model_number.split(".")
        part.group_headings = []
        # From the model's chapter's first level down to the part itself.
        for depth in range(2, len(segments) + 1):
            number = ".".join(segments[:depth])
            if number in assigned:
                continue
            parent = assigned.get(".".join(segments[: depth - 1]), chapter)
            counters[parent] = counters.get(parent, 0) + 1
            assigned[number] = f"{parent}.{counters[parent]}"
            if number != part.model_number:
                part.group_headings.append(
                    (
                        "group-" + number.replace(".", "-"),
                        assigned[number],
                        titles.get(number, ""),
                        number,
                        depth,
                    )
                )
        part.number = assigned[part.model_number]
        part.level = len(segments)


def _code_line(row: dict[str, Any], *, labelled: bool = True) -> str:
    label = _text(row.get("label")) if labelled else ""
    return code_line(_text(row.get("system")), _text(row.get("code")), label)


def _date(value: Any) -> datetime.date | None:
    """An ISO date from the document; anything else prints as missing."""
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class _Reader:
    """Reads one document's steps, naming actors by the document's own actor list."""

    def __init__(self, document: dict[str, Any], model: ModelData) -> None:
        self.content: dict[str, Any] = document.get("content") or {}
        self.model = model
        self.framing = {s.kind: s for s in model.steps if not s.is_part}
        self.names = actor_names(document)
        self.order = {ref: i for i, ref in enumerate(self.names)}
        self.actor_rows = {
            row.get("ref"): row
            for row in self.step(StepKind.ACTORS).get("actors") or []
            if isinstance(row, dict)
        }
        self.links = CompanionLinks(document, model.version, model.companion.entries)

    def unplaced(self, step: Step | None) -> list[tuple[str, str]]:
        """(label, text) of the step's fields the layout does not place."""
        definition = definition_of(step) if step else None
        if definition is None:
            return []
        content = self.content.get(step.key) or {}
        laid_out = LAID_OUT.get(step.kind, frozenset())
        labels = None
        found = []
        for name, value in content.items():
            if name in laid_out or value in (None, "", [], {}):
                continue
            if name == DEPARTURES and isinstance(value, dict):
                label = _("Begrundelse for at gøre det anderledes end modellen anbefaler")
                found += [(label, str(reason)) for reason in value.values()]
                continue
            if labels is None:
                labels = definition.field_labels(step, self.model)
            if definition.refers_to(name) == "actor":
                refs = value if isinstance(value, list) else [value]
                text = ", ".join(self.name(ref) for ref in refs)
            elif isinstance(value, bool):
                text = _("Ja") if value else _("Nej")
            elif isinstance(value, list):
                text = ", ".join(str(v) for v in value)
            else:
                text = str(value)
            found.append((labels.get(name, name), text))
        return found

    def step(self, kind: StepKind) -> dict[str, Any]:
        step = self.framing.get(kind)
        return (self.content.get(step.key) or {}) if step else {}

    def in_order(self, refs: Any) -> list[str]:
        """A set of actor refs (the document keeps it sorted as text) in the order the
        program lists its actors; a single ref (a document from before lists) as one."""
        found = refs if isinstance(refs, list) else [refs]
        return sorted(
            (ref for ref in found if ref), key=lambda ref: self.order.get(ref, len(self.order))
        )

    def laid_out_fields(self, kind: StepKind) -> list[tuple[str, str]]:
        """(label, text) of the step's laid-out fields, in its form's order, under their form
        labels; empty if the document does not have the step."""
        step = self.framing.get(kind)
        if step is None or not isinstance(self.content.get(step.key), dict):
            return []
        content = self.content[step.key]
        definition = definition_of(step)
        labels = definition.field_labels(step, self.model)
        # Texts only: a list of rows (the group's own parts) has a layout of its own.
        laid_out = LAID_OUT.get(kind, frozenset()) - set(definition.lists.values())
        return [(label, _text(content.get(n))) for n, label in labels.items() if n in laid_out]

    def name(self, ref: Any) -> str:
        return self.names.get(ref, "") if ref else ""

    def points(self, step: Step | None, answers: dict[str, Any]) -> list[PointView]:
        if step is None:
            return []
        labels = dict(PointStatus.choices)
        views = []
        for point in self.model.points_for(step):
            a = answers.get(point.reference) or {}
            status = a.get("status") or ""
            views.append(
                PointView(
                    reference=point.reference,
                    title=point.title,
                    group=point.group,
                    status=str(labels.get(status, _("ikke besvaret"))),
                    answer=_text(a.get("answer")),
                    reason=_text(a.get("reason")),
                    responsible=self.name(a.get("responsible")),
                    not_relevant=status == PointStatus.NOT_RELEVANT,
                    status_code=status,
                )
            )
        return views

    def part(self, step: Step) -> PartView:
        a = self.content.get(step.key) or {}
        # The document keeps a set of refs sorted as text; the PDF lists them as the
        # program lists its actors.
        collaborating = self.in_order(a.get("collaborating"))
        participants = set(collaborating)
        transitions = []
        for t in step.transitions:
            ta = (a.get("transitions") or {}).get(t.key) or {}
            sides = {k: self.in_order(ta.get(k)) for k in ("sending", "receiving")}
            roles = {k: ta.get(k) for k in ("conference_convener", "conference_follow_up")}
            arranged = [
                (
                    item,
                    self.name(ta.get(f"arrangement_{n}_responsible")),
                    _text(ta.get(f"arrangement_{n}_when")),
                )
                for n, item in enumerate(t.arrangements, start=1)
            ]
            participants |= {ref for refs in sides.values() for ref in refs}
            participants |= {ref for ref in roles.values() if ref}
            participants |= {
                ref
                for n in range(1, len(t.arrangements) + 1)
                if (ref := ta.get(f"arrangement_{n}_responsible"))
            }
            transitions.append(
                TransitionView(
                    title=t.title,
                    from_stage=t.from_stage,
                    to_stage=t.to_stage,
                    relevant=ta.get("relevance") != Relevance.NOT_RELEVANT,
                    reason=_text(ta.get("not_relevant_reason")),
                    sending=", ".join(self.name(ref) for ref in sides["sending"]),
                    receiving=", ".join(self.name(ref) for ref in sides["receiving"]),
                    trigger=_text(ta.get("trigger")),
                    handover=_text(ta.get("handover")),
                    convener=self.name(roles["conference_convener"]),
                    follow_up=self.name(roles["conference_follow_up"]),
                    arrangements=arranged,
                )
            )
        for own in a.get("own_transitions") or []:
            sides = {k: self.in_order(own.get(k)) for k in ("sending", "receiving")}
            participants |= {ref for refs in sides.values() for ref in refs}
            transitions.append(
                TransitionView(
                    title=_text(own.get("title")),
                    from_stage="",
                    to_stage="",
                    relevant=True,
                    reason="",
                    sending=", ".join(self.name(ref) for ref in sides["sending"]),
                    receiving=", ".join(self.name(ref) for ref in sides["receiving"]),
                    trigger=_text(own.get("trigger")),
                    handover=_text(own.get("handover")),
                    convener="",
                    follow_up="",
                )
            )
        roles = self.step(StepKind.ACTORS)
        doctor = a.get("patient_responsible_doctor") or roles.get("patient_responsible_doctor")
        points = a.get("attention_points") or {}
        responsible = self.actor_rows.get(a.get("responsible")) or {}
        participants |= {
            p.get("responsible") for p in points.values() if p and p.get("responsible")
        }
        return PartView(
            step=step,
            anchor="part-" + step.section.number.replace(".", "-"),
            relevant=a.get("relevance") != Relevance.NOT_RELEVANT,
            assessed=bool(a.get("relevance")),
            not_relevant_reason=_text(a.get("not_relevant_reason")),
            effort=_text(a.get("effort")),
            responsible=self.name(a.get("responsible")),
            collaborating=[self.name(ref) for ref in collaborating],
            fields=[
                (_("Koordinering"), _text(a.get("coordination"))),
                (_("Kommunikationskanaler"), _text(a.get("communication_channels"))),
                (_("Digitale værktøjer"), _text(a.get("digital_tools"))),
                (_("Vidensdeling"), _text(a.get("knowledge_sharing"))),
                (_("Frister"), _text(a.get("deadlines"))),
            ],
            transitions=transitions,
            points=self.points(step, points),
            responsible_ref=a.get("responsible") or None,
            participant_refs=participants,
            unplaced=self.unplaced(step),
            doctor=self.name(doctor),
            doctor_ref=doctor or None,
            responsible_contact=_text(responsible.get("contact_point")),
            responsible_referral=_text(responsible.get("visitation_entry")),
            deadlines=_text(a.get("deadlines")),
            links=self.links.part(step.key),
        )


def build_document(
    document: dict[str, Any],
    model: ModelData,
    *,
    version_label: str,
    is_draft: bool,
    date: datetime.date | None = None,
    history: list[HistoryRow] | None = None,
    completeness: tuple[int, int] | None = None,
) -> Document:
    """The PDF's view of a program document (programs/document.py). Always Danish: the PDF
    is a Danish document whatever language the person exporting it reads."""
    with override("da"):
        doc = _build(
            document,
            model,
            version_label=version_label,
            is_draft=is_draft,
            date=date,
            history=history,
        )
    doc.completeness = completeness
    # Where the program is read: a published version on its public page (pathways/public/,
    # which always shows the newest version), a draft on the app's page for members.
    if doc.code:
        page = "programs:detail" if is_draft else "public:program"
        doc.publication_url = settings.SITE_URL + reverse(page, args=[doc.code])
    return doc


def _build(
    document: dict[str, Any],
    model: ModelData,
    *,
    version_label: str,
    is_draft: bool,
    date: datetime.date | None,
    history: list[HistoryRow] | None,
) -> Document:
    read = _Reader(document, model)
    basis = read.step(StepKind.BASIS)
    criteria_doc = read.step(StepKind.CRITERIA)
    target = read.step(StepKind.TARGET_GROUP)
    roles = read.step(StepKind.ACTORS)
    implementation = read.step(StepKind.IMPLEMENTATION)
    follow_up = read.step(StepKind.FOLLOW_UP)
    actor_rows = [row for row in roles.get("actors") or [] if isinstance(row, dict)]

    parts = [read.part(s) for s in model.steps if s.is_part]
    relevant = [part for part in parts if part.relevant]
    chapters = chapter_titles()
    number_parts(relevant, model.steps, chapter_numbers()["parts"])
    matrix_rows = []
    for actor in actor_rows:
        ref = actor.get("ref")
        cells = []
        for part in relevant:
            if ref and part.responsible_ref == ref:
                cell = "A"
            elif ref and ref in part.participant_refs:
                cell = "D"
            else:
                cell = ""
            if ref and part.doctor_ref == ref:
                cell += "P"  # patient-responsible doctor in this part
            cells.append(cell)
        matrix_rows.append((_text(actor.get("name")), cells))

    target_points = read.points(
        read.framing.get(StepKind.TARGET_GROUP), target.get("attention_points") or {}
    )
    implementation_points = read.points(
        read.framing.get(StepKind.IMPLEMENTATION), implementation.get("attention_points") or {}
    )
    not_relevant_points = [(part, pt) for part in relevant for pt in part.points if pt.not_relevant]
    not_relevant_points += [
        (None, pt) for pt in target_points + implementation_points if pt.not_relevant
    ]

    grouping = next((g.title for g in model.groupings if g.key == target.get("grouping")), "")
    type_names = {t.key: t.name for t in model.actor_types}
    used_types = {a.get("actor_type") for a in actor_rows if a.get("actor_type")}
    resources = [
        r
        for r in gm.Resource.objects.filter(model_version=model.version).select_related("actor")
        if r.actor_id is None or r.actor.key in used_types
    ]
    linked = _linked_section_numbers(model.steps, relevant)
    legal = [
        ref
        for ref in gm.LegalReference.objects.filter(model_version=model.version).prefetch_related(
            "sections"
        )
        if any(linked(s.number) for s in ref.sections.all())
    ]
    codes = [row for row in target.get("codes") or [] if isinstance(row, dict)]
    region_code = _text(basis.get("region"))
    region = region_name(region_code)
    sectors = dict(MemberSector.choices)
    levels = dict(SpecialisationLevel.choices)
    sources = dict(DATA_SOURCES)
    criteria = criteria_doc.get("criteria") or {}
    needs = criteria_doc.get("needs") or {}

    def contact(ref: Any) -> str:
        return _text((read.actor_rows.get(ref) or {}).get("contact_point")) if ref else ""

    every_point = [pt for part in relevant for pt in part.points]
    every_point = target_points + every_point + implementation_points
    return Document(
        diagram=pathway_diagram(
            document, model, numbers={p.model_number: p.number for p in relevant}
        ),
        chapters=chapters,
        doctor_contact=contact(roles.get("patient_responsible_doctor")),
        coordinator_contact=contact(roles.get("municipal_coordinator")),
        follow_up_contact=contact(follow_up.get("responsible")),
        unanswered_points=[pt for pt in every_point if not pt.answered],
        unassessed_parts=[part for part in parts if not part.assessed],
        offer_gaps=[(part, gap) for part in parts for gap in part.links.gaps],
        unplaced={str(kind): read.unplaced(step) for kind, step in read.framing.items()},
        title=_text(basis.get("title")),
        region=region,
        code=_text((document.get("program") or {}).get("code")),
        model=document.get("model") or {},
        is_draft=is_draft,
        status_label=_("Udkast – ikke godkendt") if is_draft else _("Godkendt og offentliggjort"),
        version_label=version_label,
        date=date or timezone.localdate(),
        approving_body=_text(basis.get("approving_body")),
        grouping=grouping or _text(target.get("custom_target_description")),
        # Stored form and, for ICD-10, the WHO form beside it ("DQ871 (Q87.1)").
        codes=[_code_line(c) for c in codes],
        code_numbers=[_code_line(c, labelled=False) for c in codes],
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
            [_("forløbsprogram"), _("sjældne sygdomme"), region, grouping]
            + [_text(c.get("code")) for c in codes][:10]
        ),
        basis=basis,
        target=target,
        roles=roles,
        implementation=implementation,
        follow_up=follow_up,
        start_date=_date(implementation.get("start_date")),
        next_review_date=_date(follow_up.get("next_review_date")),
        actors=[
            ActorView(
                name=_text(a.get("name")),
                actor_type=type_names.get(a.get("actor_type"), ""),
                unit=_text(a.get("unit")),
                contact_point=_text(a.get("contact_point")),
                visitation_entry=_text(a.get("visitation_entry")),
                specialisation_level=str(levels.get(a.get("specialisation_level"), "")),
                delivered_from_2027_by=_text(a.get("delivered_from_2027_by")),
            )
            for a in actor_rows
        ],
        pathway=read.laid_out_fields(StepKind.PATHWAY),
        own_parts=[
            (_text(row.get("title")), _text(row.get("effort")), read.name(row.get("responsible")))
            for row in read.step(StepKind.PATHWAY).get("own_parts") or []
            if isinstance(row, dict)
        ],
        pathway_title=str(read.framing[StepKind.PATHWAY].title)
        if StepKind.PATHWAY in read.framing
        else "",
        doctor=read.name(roles.get("patient_responsible_doctor")),
        coordinator=read.name(roles.get("municipal_coordinator")),
        follow_up_responsible=read.name(follow_up.get("responsible")),
        data_sources=", ".join(str(sources.get(s, s)) for s in follow_up.get("data_sources") or []),
        criteria=[
            (
                c,
                (criteria.get(c.key) or {}).get("applies"),
                _text((criteria.get(c.key) or {}).get("reason")),
            )
            for c in model.criteria
        ],
        needs=[(n, _text((needs.get(n.key) or {}).get("assessment"))) for n in model.needs],
        members=[
            (
                _text(m.get("name")),
                _text(m.get("organisation")),
                str(sectors.get(m.get("sector"), "")),
                _text(m.get("role")),
            )
            for m in basis.get("working_group") or []
            if isinstance(m, dict)
        ],
    )


def _linked_section_numbers(steps: list[Step], relevant: list[PartView]):
    """Which model sections the program speaks to: those of its framing steps (chapters 2–3,
    4.10–4.11 in model 1.0) and of its relevant parts, with their sub- and parent sections."""
    framing = [s for s in steps if s.role_section and not s.is_part]
    # The pathway step answers its chapter's introduction, not the parts below it.
    exact = [s.role_section.number for s in framing if s.kind == StepKind.PATHWAY]
    anchors = [s.role_section.number for s in framing if s.kind != StepKind.PATHWAY]
    anchors += [part.step.section.number for part in relevant]

    def linked(number: str) -> bool:
        return number in exact or any(
            number == n or number.startswith(n + ".") or n.startswith(number + ".") for n in anchors
        )

    return linked
