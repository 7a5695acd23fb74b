"""FROZEN COPY of the pre-document format: how a step's content was shown as label/value
items (pathways/programs/snapshots.py as of 1 Dec 2026), which published versions stored
as `content` and step saves logged in their audit entries.

Used only by the tests to create rows in that old format, "from the current code path's
output", for the data migration (versions 0004) to convert. Do not change it to follow
the app: it stands for what old databases hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from pathways.programs.data import ProgramData
from pathways.programs.forms import DATA_SOURCES
from pathways.programs.models import MemberSector, PointStatus, Relevance
from pathways.programs.steps import Step, StepKind


@dataclass(frozen=True)
class Item:
    label: str
    value: str
    anchor: str = ""


def _date(value) -> str:
    return value.isoformat() if value else ""


def step_snapshot(step: Step, data: ProgramData) -> list[Item]:
    builder = _BUILDERS.get(step.kind)
    return builder(step, data) if builder else []


def program_content(data: ProgramData) -> dict[str, list[list[str]]]:
    """Every step's items as plain data (step key → [[label, value], ...]): what a version
    stored as `content`."""
    return {
        step.key: [[item.label, item.value] for item in step_snapshot(step, data)]
        for step in data.steps
    }


def changed_items(before: list[Item], after: list[Item]) -> list[tuple[str, str, str]]:
    """(label, before, after) for every label whose value differs: what a step save's audit
    entry recorded (services.save_step before 1 Dec 2026)."""
    old = {item.label: item.value for item in before}
    new = {item.label: item.value for item in after}
    labels = list(dict.fromkeys([*new, *old]))
    return [
        (label, old.get(label, ""), new.get(label, ""))
        for label in labels
        if old.get(label, "") != new.get(label, "")
    ]


def _points(step: Step, data: ProgramData) -> list[Item]:
    items = []
    status_labels = dict(PointStatus.choices)
    for point in data.points_for(step):
        answer = data.point_answers.get(point.pk)
        prefix = f"{point.reference} {point.title}"
        anchor = f"point-{point.pk}"
        status = str(status_labels.get(answer.status, "")) if answer else ""
        items.append(Item(f"{prefix}: " + _("status"), status, anchor))
        if answer and answer.status == PointStatus.NOT_RELEVANT:
            items.append(Item(f"{prefix}: " + _("begrundelse"), answer.reason, anchor))
        else:
            items.append(Item(f"{prefix}: " + _("svar"), answer.answer if answer else "", anchor))
        items.append(
            Item(
                f"{prefix}: " + _("ansvarlig"),
                data.actor_name(answer.responsible_id) if answer else "",
                anchor,
            )
        )
    return items


# The region labels of the old format (when regions were five fixed choices, the same in
# both languages).
OLD_REGION_LABELS = {
    "hovedstaden": "Region Hovedstaden",
    "sjaelland": "Region Sjælland",
    "syddanmark": "Region Syddanmark",
    "midtjylland": "Region Midtjylland",
    "nordjylland": "Region Nordjylland",
}


def _basis(step: Step, data: ProgramData) -> list[Item]:
    p = data.program
    sectors = dict(MemberSector.choices)
    members = "\n".join(
        " – ".join(x for x in (m.name, m.organisation, str(sectors.get(m.sector, "")), m.role) if x)
        for m in data.working_group
    )
    return [
        Item(_("Titel"), p.title, "id_basis-title"),
        Item(_("Region"), OLD_REGION_LABELS.get(p.region, ""), "id_basis-region"),
        Item(_("Formål"), p.purpose, "id_basis-purpose"),
        Item(_("Godkendende organ"), p.approving_body, "id_basis-approving_body"),
        Item(_("Arbejdsgruppe"), members, "working-group"),
    ]


def _criteria(step: Step, data: ProgramData) -> list[Item]:
    items = []
    for c in data.criteria:
        a = data.criterion_assessments.get(c.pk)
        applies = "" if a is None or a.applies is None else (_("Ja") if a.applies else _("Nej"))
        items.append(Item(_("Kriterium: %(t)s") % {"t": c.title}, applies, f"criterion-{c.pk}"))
        items.append(
            Item(
                _("Kriterium: %(t)s – begrundelse") % {"t": c.title},
                a.reason if a else "",
                f"criterion-{c.pk}",
            )
        )
    for n in data.needs:
        a = data.need_assessments.get(n.pk)
        items.append(
            Item(_("Behov: %(t)s") % {"t": n.title}, a.assessment if a else "", f"need-{n.pk}")
        )
    return items


def _target_group(step: Step, data: ProgramData) -> list[Item]:
    p = data.program
    grouping = next((g.title for g in data.groupings if g.pk == p.target_grouping_id), "")
    codes = "\n".join(
        f"{c.code_system.name} {c.code}" + (f" – {c.label}" if c.label else "")
        for c in data.diagnosis_codes
    )
    return [
        Item(_("Målgruppe"), grouping, "id_target-grouping"),
        Item(
            _("Symptom- eller funktionskompleks"),
            p.custom_target_description,
            "id_target-custom_target_description",
        ),
        Item(_("Diagnosekoder"), codes, "codes"),
        Item(_("Inklusion"), p.inclusion, "id_target-inclusion"),
        Item(_("Eksklusion"), p.exclusion, "id_target-exclusion"),
        Item(
            _("Mistanke uden diagnose"), p.suspected_undiagnosed, "id_target-suspected_undiagnosed"
        ),
        Item(_("Flere målgrupper"), p.multiple_groups, "id_target-multiple_groups"),
        Item(_("Uden for målgruppen"), p.outside_target_group, "id_target-outside_target_group"),
        Item(
            _("Anslået antal personer"),
            "" if p.estimated_persons is None else str(p.estimated_persons),
            "id_target-estimated_persons",
        ),
        *_points(step, data),
    ]


def _actors(step: Step, data: ProgramData) -> list[Item]:
    p = data.program
    actors = "\n".join(
        " – ".join(
            x
            for x in (
                a.name,
                a.actor_type.name if a.actor_type else "",
                a.unit,
                a.contact_point,
                a.visitation_entry,
            )
            if x
        )
        for a in data.actors
    )
    return [
        Item(_("Aktører"), actors, "actors"),
        Item(
            _("Patientansvarlig læge"),
            data.actor_name(p.patient_responsible_doctor_id),
            "id_roles-patient_responsible_doctor",
        ),
        Item(
            _("Patientansvarlig læge – bemærkning"),
            p.patient_responsible_doctor_note,
            "id_roles-patient_responsible_doctor_note",
        ),
        Item(
            _("Koordinerende kontakt i kommunen"),
            data.actor_name(p.municipal_coordinator_id),
            "id_roles-municipal_coordinator",
        ),
        Item(
            _("Koordinerende kontakt – bemærkning"),
            p.municipal_coordinator_note,
            "id_roles-municipal_coordinator_note",
        ),
    ]


def _part(step: Step, data: ProgramData) -> list[Item]:
    a = data.part_answers.get(step.section.pk)
    relevance = str(dict(Relevance.choices).get(a.relevance, "")) if a else ""
    get = (lambda name: getattr(a, name)) if a else (lambda name: "")
    items = [
        Item(_("Relevant for målgruppen"), relevance, "id_part-relevance"),
        Item(
            _("Begrundelse, hvis ikke relevant"),
            get("not_relevant_reason"),
            "id_part-not_relevant_reason",
        ),
        Item(_("Sundhedsfaglig indsats"), get("effort"), "id_part-effort"),
        Item(
            _("Ansvarlig aktør"),
            data.actor_name(a.responsible_id) if a else "",
            "id_part-responsible",
        ),
        Item(
            _("Samarbejdende aktører"),
            ", ".join(data.actor_name(c.pk) for c in a.collaborating.all()) if a else "",
            "id_part-collaborating",
        ),
        Item(_("Koordinering"), get("coordination"), "id_part-coordination"),
        Item(
            _("Kommunikationskanaler"),
            get("communication_channels"),
            "id_part-communication_channels",
        ),
        Item(_("Digitale værktøjer"), get("digital_tools"), "id_part-digital_tools"),
        Item(_("Vidensdeling"), get("knowledge_sharing"), "id_part-knowledge_sharing"),
        Item(_("Frister"), get("deadlines"), "id_part-deadlines"),
        *_points(step, data),
    ]
    relevance_labels = dict(Relevance.choices)
    for t in step.transitions:
        ta = data.transition_answers.get(t.pk)
        anchor = f"transition-{t.pk}"
        label = _("Overgang: %(t)s") % {"t": t.title}
        if ta is None:
            items.append(Item(label, "", anchor))
            continue
        if ta.relevance == Relevance.NOT_RELEVANT:
            value = f"{relevance_labels[ta.relevance]}: {ta.not_relevant_reason}"
        else:
            value = "\n".join(
                x
                for x in (
                    # (one sender and one receiver then; today's lists give their first)
                    _("Afgivende: %(a)s") % {"a": data.actor_name(_first(ta.senders))},
                    _("Modtagende: %(a)s") % {"a": data.actor_name(_first(ta.receivers))},
                    _("Udløses af: %(v)s") % {"v": ta.trigger},
                    _("Overdrages: %(v)s") % {"v": ta.handover},
                    _("Indkalder til konference: %(a)s")
                    % {"a": data.actor_name(ta.conference_convener_id)},
                    _("Følger op: %(a)s") % {"a": data.actor_name(ta.conference_follow_up_id)},
                )
            )
        items.append(Item(label, value, anchor))
    return items


def _implementation(step: Step, data: ProgramData) -> list[Item]:
    p = data.program
    return [
        Item(_("Aftaler og forum"), p.agreements_forum, "id_implementation-agreements_forum"),
        Item(_("Udbredelse"), p.dissemination, "id_implementation-dissemination"),
        Item(_("Offentliggørelse"), p.publication_place, "id_implementation-publication_place"),
        Item(_("Startdato"), _date(p.start_date), "id_implementation-start_date"),
        *_points(step, data),
    ]


def _follow_up(step: Step, data: ProgramData) -> list[Item]:
    p = data.program
    sources = dict(DATA_SOURCES)
    return [
        Item(_("Hvordan og hvornår"), p.follow_up_how_and_when, "id_follow_up-how_and_when"),
        Item(
            _("Ansvarlig"), data.actor_name(p.follow_up_responsible_id), "id_follow_up-responsible"
        ),
        Item(_("Indikatorer"), p.follow_up_indicators, "id_follow_up-indicators"),
        Item(
            _("Datakilder"),
            ", ".join(str(sources.get(s, s)) for s in p.follow_up_data_sources),
            "id_follow_up-data_sources",
        ),
        Item(_("Om datakilderne"), p.follow_up_data_sources_note, "id_follow_up-data_sources_note"),
        Item(_("Næste revision"), _date(p.next_review_date), "id_follow_up-next_review_date"),
    ]


_BUILDERS = {
    StepKind.BASIS: _basis,
    StepKind.CRITERIA: _criteria,
    StepKind.TARGET_GROUP: _target_group,
    StepKind.ACTORS: _actors,
    StepKind.PART: _part,
    StepKind.IMPLEMENTATION: _implementation,
    StepKind.FOLLOW_UP: _follow_up,
}


def _first(actors) -> int | None:
    first = min(actors.all(), key=lambda a: a.position, default=None)
    return first.pk if first else None
