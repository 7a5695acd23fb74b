"""What a program asks of each municipal actor: the municipal reviewer's page.

For every actor of the program whose catalogue type belongs to the municipal sector, each
thing the program names it for — responsible for or collaborating on a part, a side of a
transition, the conference, an item of the model's checklist, a coordination tool, an
attention point, a key role, follow-up — grouped by the step that asks it, with the legal
basis of that part: the model's legal references tied to the step's sections and the
companion references' paragraphs for them, shown where they stand today.

Read from a loaded ProgramData plus one query (the model's legal references), however
large the program. Parts, transitions and attention points judged not relevant ask
nothing and are left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from pathways.generic_model import models as gm
from pathways.programs import models as pm
from pathways.programs.data import ProgramData
from pathways.programs.step_kinds.companion_links import guide_numbers
from pathways.programs.steps import Step, StepKind


@dataclass(frozen=True)
class Duty:
    """One thing the program asks of an actor. `anchor` is the id of the element on the
    step page that holds it (the ids the review screen's "Redigér" links use)."""

    what: str
    anchor: str = ""
    # Plain context on one line (e.g. the transition an item of its checklist belongs to).
    context: str = ""
    # The program's own text about it, as written (Markdown subset: shown formatted).
    note: str = ""


@dataclass(frozen=True)
class LegalBasis:
    """A provision a part rests on, from the model or a companion reference; a companion's
    paragraph as it stands today (moved: its current place, the cited one as former)."""

    paragraph: str
    title: str
    source: str
    url: str = ""
    formerly: str = ""
    # The cited paragraph is not mapped to current rules, or is repealed: check it.
    flag: str = ""
    note: str = ""

    @property
    def label(self) -> str:
        if self.formerly:
            return _("%(now)s (tidligere %(old)s)") % {"now": self.paragraph, "old": self.formerly}
        if self.flag:
            return f"{self.paragraph} ({self.flag})"
        return self.paragraph


@dataclass
class PartDuties:
    step: Step
    duties: list[Duty] = field(default_factory=list)
    legal: list[LegalBasis] = field(default_factory=list)


@dataclass
class ActorDuties:
    actor: pm.ProgramActor
    parts: list[PartDuties] = field(default_factory=list)


def is_municipal(actor: pm.ProgramActor) -> bool:
    """An actor of the municipal sector, by the model's actor type or a companion
    reference's actor (UU-vejleder); a local actor has no sector."""
    return actor.sector == gm.Sector.MUNICIPALITY


def municipal_actor_duties(data: ProgramData) -> list[ActorDuties]:
    """Each municipal actor of the program, in the program's order, with its duties by step
    (an actor the program names nowhere has an empty list)."""
    municipal = [a for a in data.actors if is_municipal(a)]
    wanted = {a.pk for a in municipal}
    by_actor: dict[int, dict[str, list[Duty]]] = {pk: defaultdict(list) for pk in wanted}
    for step in data.steps:
        for actor_id, duty in _step_duties(step, data):
            if actor_id in wanted:
                by_actor[actor_id][step.key].append(duty)
    legal = _LegalIndex(data)
    return [
        ActorDuties(
            actor,
            [
                PartDuties(step, by_actor[actor.pk][step.key], legal.for_step(step))
                for step in data.steps
                if by_actor[actor.pk].get(step.key)
            ],
        )
        for actor in municipal
    ]


# --- What each step asks, as (actor id, duty) ---------------------------------------------


def _step_duties(step: Step, data: ProgramData):
    if step.kind == StepKind.ACTORS:
        yield from _roles(data.program)
    elif step.kind == StepKind.PATHWAY:
        yield from _own_parts(data)
    elif step.kind == StepKind.FOLLOW_UP:
        program = data.program
        yield (
            program.follow_up_responsible_id,
            Duty(
                _("Ansvarlig for opfølgning og monitorering"),
                "id_follow_up-responsible",
                note=program.follow_up_how_and_when,
            ),
        )
    elif step.kind == StepKind.PART:
        answer = data.part_answers.get(step.section.pk)
        if answer is not None and answer.relevance == pm.Relevance.NOT_RELEVANT:
            return  # a part judged not relevant asks nothing
        yield from _part(answer)
        for transition in step.transitions:
            yield from _transition(transition, data.transition_answers.get(transition.pk))
        for own in data.own_transitions.get(step.section.pk, []):
            yield from _sides(own.title, own, "own-transitions")
        for tool in data.coordination_tools.get(step.section.pk, []):
            yield (
                tool.responsible_id,
                Duty(
                    _("Koordineringsværktøj: %(tool)s") % {"tool": tool.tool.title},
                    "coordination-tools",
                    note=tool.note,
                ),
            )
    yield from _points(step, data)


def _roles(program: pm.Program):
    yield (
        program.municipal_coordinator_id,
        Duty(
            _("Koordinerende kontakt i kommunen"),
            "id_roles-municipal_coordinator",
            note=program.municipal_coordinator_note,
        ),
    )
    yield (
        program.patient_responsible_doctor_id,
        Duty(
            _("Patientansvarlig læge"),
            "id_roles-patient_responsible_doctor",
            note=program.patient_responsible_doctor_note,
        ),
    )


def _own_parts(data: ProgramData):
    for part in data.own_parts:
        yield (
            part.responsible_id,
            Duty(_("Ansvarlig for delen %(t)s") % {"t": part.title}, "own-parts", note=part.effort),
        )


def _part(answer: pm.PartAnswer | None):
    if answer is None:
        return
    yield (
        answer.responsible_id,
        Duty(_("Ansvarlig for delen"), "id_part-responsible", note=answer.effort),
    )
    for actor in answer.collaborating.all():
        yield actor.pk, Duty(_("Samarbejder om delen"), "id_part-collaborating")
    yield (
        answer.patient_responsible_doctor_id,
        Duty(_("Patientansvarlig læge i delen"), "id_part-patient_responsible_doctor"),
    )


def _transition(transition: gm.Transition, answer: pm.TransitionAnswer | None):
    if answer is None or answer.relevance == pm.Relevance.NOT_RELEVANT:
        return
    anchor = f"transition-{transition.pk}"
    title = {"t": transition.title}
    yield from _sides(transition.title, answer, anchor)
    yield (
        answer.conference_convener_id,
        Duty(_("Indkalder til konference i overgangen %(t)s") % title, anchor),
    )
    yield (
        answer.conference_follow_up_id,
        Duty(_("Følger op på konferencen i overgangen %(t)s") % title, anchor),
    )
    stored = answer.arrangements or {}
    for n, item in enumerate(transition.arrangements, start=1):
        given = stored.get(str(n)) or {}
        when = given.get("when", "")
        what = (
            _("Sørger for: %(item)s (%(when)s)") % {"item": item, "when": when}
            if when
            else _("Sørger for: %(item)s") % {"item": item}
        )
        yield (
            given.get("responsible"),
            Duty(what, anchor, context=_("Overgangen %(t)s") % title),
        )


def _sides(title: str, answer, anchor: str):
    """Senders and receivers of a transition (the model's or the group's own)."""
    for actor in answer.senders.all():
        yield (
            actor.pk,
            Duty(_("Afgiver i overgangen %(t)s") % {"t": title}, anchor, note=answer.handover),
        )
    for actor in answer.receivers.all():
        yield (
            actor.pk,
            Duty(_("Modtager i overgangen %(t)s") % {"t": title}, anchor, note=answer.handover),
        )


def _points(step: Step, data: ProgramData):
    for point in data.points_for(step):
        answer = data.point_answers.get(point.pk)
        if answer is None or answer.status == pm.PointStatus.NOT_RELEVANT:
            continue
        yield (
            answer.responsible_id,
            Duty(
                _("Ansvarlig for opmærksomhedspunkt %(ref)s %(title)s")
                % {"ref": point.reference, "title": point.title},
                f"point-{point.pk}",
                note=answer.answer,
            ),
        )


# --- Legal basis ------------------------------------------------------------------------


class _LegalIndex:
    """The legal references of each step's sections: the model's (one query for the whole
    version) and the companion references' (already loaded with the program)."""

    def __init__(self, data: ProgramData) -> None:
        self.data = data
        self.model_refs: dict[int, list[gm.LegalReference]] = defaultdict(list)
        links = gm.LegalReference.sections.through.objects.filter(
            section__model_version=data.program.model_version_id
        ).select_related("legalreference")
        for link in sorted(links, key=lambda x: x.legalreference.position):
            self.model_refs[link.section_id].append(link.legalreference)
        self.found: dict[str, list[LegalBasis]] = {}

    def for_step(self, step: Step) -> list[LegalBasis]:
        if step.key not in self.found:
            model = {ref.pk: ref for s in step.guidance for ref in self.model_refs.get(s.pk, [])}
            entries = self.data.companion.for_sections(
                guide_numbers(step), gm.CompanionList.LEGAL_REFERENCE
            )
            source = _("Generisk model %(version)s") % {
                "version": self.data.program.model_version.version
            }
            self.found[step.key] = [
                *(_from_model(r, source) for r in sorted(model.values(), key=lambda r: r.position)),
                *(_from_companion(e) for e in entries),
            ]
        return self.found[step.key]


def _from_model(ref: gm.LegalReference, source: str) -> LegalBasis:
    return LegalBasis(paragraph=str(ref), title=ref.title, source=source, url=ref.url)


def _from_companion(entry: gm.CompanionEntry) -> LegalBasis:
    details = entry.details
    cited = details.get("source_paragraph", "")
    mapping = details.get("mapping", gm.LegalMapping.UNCHANGED)
    basis = {
        "title": entry.title,
        "source": f"{entry.companion.publisher} {entry.companion.version}",
        "note": details.get("mapping_note", ""),
    }
    if mapping == gm.LegalMapping.MOVED and details.get("current_paragraph"):
        return LegalBasis(details["current_paragraph"], formerly=cited, **basis)
    if mapping == gm.LegalMapping.UNMAPPED:
        return LegalBasis(cited, flag=_("ikke kortlagt til gældende regler"), **basis)
    if mapping == gm.LegalMapping.REPEALED:
        # Never shown as current, even if the file names a successor.
        return LegalBasis(cited, flag=_("ophævet"), **basis)
    return LegalBasis(cited, **basis)
