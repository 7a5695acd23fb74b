"""Builds the forms of one step from the loaded program and turns valid forms into a payload.

The payload is plain data (ids, strings, dates); services.save_step writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby
from typing import Any

from django import forms as djforms
from django.http import QueryDict

from pathways.generic_model import models as gm
from pathways.programs import forms as f
from pathways.programs.data import ProgramData
from pathways.programs.models import PART_TEXT_FIELDS, TARGET_GROUP_TEXT_FIELDS
from pathways.programs.steps import Step, StepKind

Payload = dict[str, Any]


@dataclass
class StepForms:
    named: dict[str, djforms.Form | djforms.BaseFormSet] = field(default_factory=dict)
    criteria: list[tuple[gm.Criterion, f.CriterionForm]] = field(default_factory=list)
    needs: list[tuple[gm.Need, f.NeedForm]] = field(default_factory=list)
    points: list[tuple[gm.AttentionPoint, f.PointAnswerForm]] = field(default_factory=list)
    transitions: list[tuple[gm.Transition, f.TransitionForm]] = field(default_factory=list)

    def all_forms(self) -> list[djforms.Form | djforms.BaseFormSet]:
        return [
            *self.named.values(),
            *(form for _, form in self.criteria),
            *(form for _, form in self.needs),
            *(form for _, form in self.points),
            *(form for _, form in self.transitions),
        ]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.all_forms()])  # validate every form

    def error_count(self) -> int:
        return len(self.error_list)

    @cached_property
    def error_list(self) -> list[tuple[str, str, str]]:
        """(field id, field label, message) of every error, in page order; the id and label
        are empty for errors of a whole list (formset), e.g. tampered management data."""
        found = []
        for form in self.all_forms():
            inner = [form]
            if isinstance(form, djforms.BaseFormSet):
                found += [("", "", str(message)) for message in form.non_form_errors()]
                inner = form.forms
            for bound_form in inner:
                for name, errors in bound_form.errors.items():
                    field = bound_form[name] if name in bound_form.fields else None
                    field_id = field.id_for_label if field else ""
                    label = str(field.label) if field else ""
                    found += [(field_id, label, str(message)) for message in errors]
        return found

    def point_groups(self) -> list[tuple[str, list[tuple[gm.AttentionPoint, Any]]]]:
        return [(g, list(items)) for g, items in groupby(self.points, key=lambda i: i[0].group)]


def actor_choices(data: ProgramData) -> f.ActorChoices:
    return [(a.pk, a.name) for a in data.actors]


def actor_type_choices(data: ProgramData) -> list[tuple[str, list[tuple[int, str]]]]:
    sector_labels = dict(gm.Sector.choices)
    by_sector = sorted(data.actor_types, key=lambda a: (a.sector, a.position))
    return [
        (str(sector_labels.get(sector, sector)), [(a.pk, a.name) for a in items])
        for sector, items in groupby(by_sector, key=lambda a: a.sector)
    ]


def build_step_forms(step: Step, data: ProgramData, post: QueryDict | None = None) -> StepForms:
    builder = _BUILDERS.get(step.kind)
    return builder(step, data, post) if builder else StepForms()


def _bind(post: QueryDict | None) -> dict[str, Any]:
    return {"data": post} if post is not None else {}


def _points(step: Step, data: ProgramData, post, choices) -> list:
    result = []
    for point in data.points_for(step):
        answer = data.point_answers.get(point.pk)
        initial = (
            {
                "status": answer.status,
                "answer": answer.answer,
                "reason": answer.reason,
                "responsible": answer.responsible_id,
            }
            if answer
            else {}
        )
        result.append(
            (
                point,
                f.PointAnswerForm(
                    prefix=f"point-{point.pk}",
                    initial=initial,
                    actor_choices=choices,
                    **_bind(post),
                ),
            )
        )
    return result


def _basis(step: Step, data: ProgramData, post) -> StepForms:
    p = data.program
    return StepForms(
        named={
            "basis": f.BasisForm(
                prefix="basis",
                initial={
                    "title": p.title,
                    "region": p.region,
                    "purpose": p.purpose,
                    "approving_body": p.approving_body,
                },
                **_bind(post),
            ),
            "working_group": f.WorkingGroupFormSet(
                prefix="wg",
                initial=[
                    {
                        "name": m.name,
                        "organisation": m.organisation,
                        "sector": m.sector,
                        "role": m.role,
                    }
                    for m in data.working_group
                ],
                **_bind(post),
            ),
        }
    )


def _criteria(step: Step, data: ProgramData, post) -> StepForms:
    forms = StepForms()
    for criterion in data.criteria:
        a = data.criterion_assessments.get(criterion.pk)
        initial = {}
        if a is not None:
            applies = "" if a.applies is None else ("yes" if a.applies else "no")
            initial = {"applies": applies, "reason": a.reason}
        forms.criteria.append(
            (
                criterion,
                f.CriterionForm(prefix=f"criterion-{criterion.pk}", initial=initial, **_bind(post)),
            )
        )
    for need in data.needs:
        a = data.need_assessments.get(need.pk)
        forms.needs.append(
            (
                need,
                f.NeedForm(
                    prefix=f"need-{need.pk}",
                    initial={"assessment": a.assessment} if a else {},
                    **_bind(post),
                ),
            )
        )
    return forms


def _target_group(step: Step, data: ProgramData, post) -> StepForms:
    p = data.program
    choices = actor_choices(data)
    target_fields = [*TARGET_GROUP_TEXT_FIELDS, "estimated_persons"]
    forms = StepForms(
        named={
            "target": f.TargetGroupForm(
                prefix="target",
                initial={
                    "grouping": p.target_grouping_id,
                    **{name: getattr(p, name) for name in target_fields},
                },
                grouping_choices=[(g.pk, g.title) for g in data.groupings],
                **_bind(post),
            ),
            "codes": f.DiagnosisCodeFormSet(
                prefix="codes",
                initial=[
                    {"system": c.code_system_id, "code": c.code, "label": c.label}
                    for c in data.diagnosis_codes
                ],
                form_kwargs={"code_systems": data.code_systems},
                **_bind(post),
            ),
        }
    )
    forms.points = _points(step, data, post, choices)
    return forms


def _actors(step: Step, data: ProgramData, post) -> StepForms:
    p = data.program
    return StepForms(
        named={
            "actors": f.ProgramActorFormSet(
                prefix="actors",
                initial=[
                    {
                        "id": a.pk,
                        "actor_type": a.actor_type_id,
                        "name": a.name,
                        "unit": a.unit,
                        "contact_point": a.contact_point,
                        "visitation_entry": a.visitation_entry,
                    }
                    for a in data.actors
                ],
                form_kwargs={"actor_type_choices": actor_type_choices(data)},
                **_bind(post),
            ),
            "roles": f.ActorRolesForm(
                prefix="roles",
                initial={
                    "patient_responsible_doctor": p.patient_responsible_doctor_id,
                    "patient_responsible_doctor_note": p.patient_responsible_doctor_note,
                    "municipal_coordinator": p.municipal_coordinator_id,
                    "municipal_coordinator_note": p.municipal_coordinator_note,
                },
                actor_choices=actor_choices(data),
                **_bind(post),
            ),
        }
    )


def _part(step: Step, data: ProgramData, post) -> StepForms:
    choices = actor_choices(data)
    a = data.part_answers.get(step.section.pk)
    initial = {}
    if a is not None:
        initial = {name: getattr(a, name) for name in ("relevance", *PART_TEXT_FIELDS)}
        initial["responsible"] = a.responsible_id
        initial["collaborating"] = [c.pk for c in a.collaborating.all()]
    forms = StepForms(
        named={
            "part": f.PartForm(prefix="part", initial=initial, actor_choices=choices, **_bind(post))
        }
    )
    forms.points = _points(step, data, post, choices)
    for transition in step.transitions:
        t = data.transition_answers.get(transition.pk)
        t_initial = {}
        if t is not None:
            t_initial = {
                name: getattr(t, name)
                for name in ("relevance", "not_relevant_reason", "trigger", "handover")
            }
            t_initial.update(
                sending=t.sending_id,
                receiving=t.receiving_id,
                conference_convener=t.conference_convener_id,
                conference_follow_up=t.conference_follow_up_id,
            )
        forms.transitions.append(
            (
                transition,
                f.TransitionForm(
                    prefix=f"transition-{transition.pk}",
                    initial=t_initial,
                    actor_choices=choices,
                    **_bind(post),
                ),
            )
        )
    return forms


def _implementation(step: Step, data: ProgramData, post) -> StepForms:
    p = data.program
    forms = StepForms(
        named={
            "implementation": f.ImplementationForm(
                prefix="implementation",
                initial={
                    "agreements_forum": p.agreements_forum,
                    "dissemination": p.dissemination,
                    "publication_place": p.publication_place,
                    "start_date": p.start_date,
                },
                **_bind(post),
            )
        }
    )
    forms.points = _points(step, data, post, actor_choices(data))
    return forms


def _follow_up(step: Step, data: ProgramData, post) -> StepForms:
    p = data.program
    return StepForms(
        named={
            "follow_up": f.FollowUpForm(
                prefix="follow_up",
                initial={
                    "how_and_when": p.follow_up_how_and_when,
                    "responsible": p.follow_up_responsible_id,
                    "indicators": p.follow_up_indicators,
                    "data_sources": p.follow_up_data_sources,
                    "data_sources_note": p.follow_up_data_sources_note,
                    "next_review_date": p.next_review_date,
                },
                actor_choices=actor_choices(data),
                **_bind(post),
            )
        }
    )


_BUILDERS = {
    StepKind.BASIS: _basis,
    StepKind.CRITERIA: _criteria,
    StepKind.TARGET_GROUP: _target_group,
    StepKind.ACTORS: _actors,
    StepKind.PART: _part,
    StepKind.IMPLEMENTATION: _implementation,
    StepKind.FOLLOW_UP: _follow_up,
}


def _rows(formset: djforms.BaseFormSet) -> list[dict[str, Any]]:
    """Rows to keep: filled-in forms not marked for deletion, in order."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append({k: v for k, v in data.items() if k != "DELETE"})
    return rows


def payload_of(step: Step, forms: StepForms) -> Payload:
    """The cleaned content of valid step forms, as plain data for services.save_step."""
    payload: Payload = {}
    for name, form in forms.named.items():
        if isinstance(form, djforms.BaseFormSet):
            payload[name] = _rows(form)
            if name == "actors":
                payload["deleted_actor_ids"] = [
                    fm.cleaned_data["id"]
                    for fm in form.forms
                    if fm.cleaned_data.get("DELETE") and fm.cleaned_data.get("id")
                ]
        else:
            payload[name] = dict(form.cleaned_data)
    payload["criteria"] = {c.pk: form.cleaned_data for c, form in forms.criteria}
    payload["needs"] = {n.pk: form.cleaned_data for n, form in forms.needs}
    payload["points"] = {p.pk: form.cleaned_data for p, form in forms.points}
    payload["transitions"] = {t.pk: form.cleaned_data for t, form in forms.transitions}
    return payload
