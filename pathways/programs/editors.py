"""A step's content as *values*, and the forms that show and edit them.

Values are a flat dict: field id → raw value. A field id is the HTML name of the form
field (`basis-title`, `point-12-answer`); a list of rows (working group, codes, actors) is
one value under its formset prefix (`wg`). Values are what the forms are filled from,
what a posted form is turned into, what services.save_step compares and merges, and what
a step's snapshot stores: one representation, so "unchanged" means equal.

Raw values: text ("\\n" line ends), ids of the program's actors and the model's entries
(int or None), choices as their stored code, dates as ISO strings, sets as sorted lists.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
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

Values = dict[str, Any]

WORKING_GROUP_FIELDS = ("name", "organisation", "sector", "role")
CODE_FIELDS = ("system", "code", "label")
ACTOR_FIELDS = ("id", "actor_type", "name", "unit", "contact_point", "visitation_entry")
POINT_FIELDS = ("status", "answer", "reason", "responsible")
TRANSITION_FIELDS = (
    "relevance",
    "not_relevant_reason",
    "sending",
    "receiving",
    "trigger",
    "handover",
    "conference_convener",
    "conference_follow_up",
)


def raw(value: Any) -> Any:
    """One representation for a value, whether it came from the database or a form."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, list | tuple | set):
        items = [raw(v) for v in value]
        return items if any(isinstance(v, dict) for v in items) else sorted(items, key=str)
    if isinstance(value, dict):
        return {k: raw(v) for k, v in value.items()}
    return value


def _prefixed(prefix: str, values: dict[str, Any]) -> Values:
    return {f"{prefix}-{name}": raw(value) for name, value in values.items()}


def _unprefixed(prefix: str, values: Values) -> dict[str, Any]:
    start = f"{prefix}-"
    return {k[len(start) :]: v for k, v in values.items() if k.startswith(start)}


def _rows(objects: list, names: tuple[str, ...], **getters: Callable[[Any], Any]) -> list[dict]:
    return [
        {n: raw(getters[n](o) if n in getters else getattr(o, n)) for n in names} for o in objects
    ]


# Reading a step's values from the loaded program ------------------------------------------


def _point_values(step: Step, data: ProgramData) -> Values:
    values: Values = {}
    for point in data.points_for(step):
        a = data.point_answers.get(point.pk)
        values.update(
            _prefixed(
                f"point-{point.pk}",
                {
                    "status": a.status if a else "",
                    "answer": a.answer if a else "",
                    "reason": a.reason if a else "",
                    "responsible": a.responsible_id if a else None,
                },
            )
        )
    return values


def _read_basis(step: Step, data: ProgramData) -> Values:
    p = data.program
    return {
        **_prefixed(
            "basis",
            {
                "title": p.title,
                "region": p.region,
                "purpose": p.purpose,
                "approving_body": p.approving_body,
            },
        ),
        "wg": _rows(data.working_group, WORKING_GROUP_FIELDS),
    }


def _yes_no(applies: bool | None) -> str:
    return "" if applies is None else ("yes" if applies else "no")


def _read_criteria(step: Step, data: ProgramData) -> Values:
    values: Values = {}
    for c in data.criteria:
        a = data.criterion_assessments.get(c.pk)
        values.update(
            _prefixed(
                f"criterion-{c.pk}",
                {"applies": _yes_no(a.applies) if a else "", "reason": a.reason if a else ""},
            )
        )
    for n in data.needs:
        a = data.need_assessments.get(n.pk)
        values[f"need-{n.pk}-assessment"] = raw(a.assessment if a else "")
    return values


def _read_target_group(step: Step, data: ProgramData) -> Values:
    p = data.program
    return {
        **_prefixed(
            "target",
            {
                "grouping": p.target_grouping_id,
                **{name: getattr(p, name) for name in TARGET_GROUP_TEXT_FIELDS},
                "estimated_persons": p.estimated_persons,
            },
        ),
        "codes": _rows(data.diagnosis_codes, CODE_FIELDS, system=lambda c: c.code_system_id),
        **_point_values(step, data),
    }


def _read_actors(step: Step, data: ProgramData) -> Values:
    p = data.program
    return {
        "actors": _rows(
            data.actors, ACTOR_FIELDS, id=lambda a: a.pk, actor_type=lambda a: a.actor_type_id
        ),
        **_prefixed(
            "roles",
            {
                "patient_responsible_doctor": p.patient_responsible_doctor_id,
                "patient_responsible_doctor_note": p.patient_responsible_doctor_note,
                "municipal_coordinator": p.municipal_coordinator_id,
                "municipal_coordinator_note": p.municipal_coordinator_note,
            },
        ),
    }


def _read_part(step: Step, data: ProgramData) -> Values:
    a = data.part_answers.get(step.section.pk)
    part = {name: getattr(a, name) if a else "" for name in ("relevance", *PART_TEXT_FIELDS)}
    part["responsible"] = a.responsible_id if a else None
    part["collaborating"] = [c.pk for c in a.collaborating.all()] if a else []
    values = {**_prefixed("part", part), **_point_values(step, data)}
    for t in step.transitions:
        ta = data.transition_answers.get(t.pk)
        values.update(
            _prefixed(
                f"transition-{t.pk}",
                {
                    name: (getattr(ta, name + "_id" if _is_actor(name) else name) if ta else None)
                    for name in TRANSITION_FIELDS
                },
            )
        )
        if ta is None:  # an unanswered transition reads as the empty form
            for name in TRANSITION_FIELDS:
                if not _is_actor(name):
                    values[f"transition-{t.pk}-{name}"] = ""
    return values


def _is_actor(name: str) -> bool:
    return name in {"sending", "receiving", "conference_convener", "conference_follow_up"}


def _read_implementation(step: Step, data: ProgramData) -> Values:
    p = data.program
    return {
        **_prefixed(
            "implementation",
            {
                "agreements_forum": p.agreements_forum,
                "dissemination": p.dissemination,
                "publication_place": p.publication_place,
                "start_date": p.start_date,
            },
        ),
        **_point_values(step, data),
    }


def _read_follow_up(step: Step, data: ProgramData) -> Values:
    p = data.program
    return _prefixed(
        "follow_up",
        {
            "how_and_when": p.follow_up_how_and_when,
            "responsible": p.follow_up_responsible_id,
            "indicators": p.follow_up_indicators,
            "data_sources": list(p.follow_up_data_sources or []),
            "data_sources_note": p.follow_up_data_sources_note,
            "next_review_date": p.next_review_date,
        },
    )


# Forms, filled from values --------------------------------------------------------------


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

    def refusals(self) -> list[str]:
        return [form.refusal for form in self.all_forms() if getattr(form, "refusal", None)]

    def is_valid(self) -> bool:
        valid = all([form.is_valid() for form in self.all_forms()])  # validate every form
        return valid and not self.refusals()

    def error_count(self) -> int:
        return len(self.error_list)

    @cached_property
    def error_list(self) -> list[tuple[str, str, str]]:
        """(field id, field label, message) of every error, in page order; the id and label
        are empty for errors of a whole list (formset), e.g. tampered management data."""
        found = [("", "", message) for message in self.refusals()]
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

    def values(self) -> Values:
        """The posted content of valid forms, as values."""
        values: Values = {}
        for form in self.all_forms():
            if isinstance(form, djforms.BaseFormSet):
                values[form.prefix] = [
                    raw({k: v for k, v in fm.cleaned_data.items() if k != "DELETE"})
                    for fm in form.forms
                    if fm.cleaned_data and not fm.cleaned_data.get("DELETE")
                ]
            else:
                values.update(_prefixed(form.prefix, form.cleaned_data))
        return values

    def posted_text(self) -> list[tuple[str, str]]:
        """(label, text) of every filled-in field as the browser sent it, valid or not: what
        a refused save shows back so nothing typed is lost."""
        found = []
        for form in self.all_forms():
            inner = form.forms if isinstance(form, djforms.BaseFormSet) else [form]
            for bound_form in inner:
                for name in bound_form.fields:
                    value = bound_form[name].value() if bound_form.is_bound else None
                    if isinstance(value, str) and value.strip():
                        found.append((self.labels.get(bound_form.add_prefix(name), name), value))
        return found

    @cached_property
    def labels(self) -> dict[str, str]:
        """Field id → a label that says where the field is (e.g. the attention point)."""
        context = {
            **{form.prefix: c.title for c, form in self.criteria},
            **{form.prefix: n.title for n, form in self.needs},
            **{form.prefix: f"{p.reference} {p.title}" for p, form in self.points},
            **{form.prefix: t.title for t, form in self.transitions},
        }
        labels = {}
        for form in self.all_forms():
            if isinstance(form, djforms.BaseFormSet):
                labels[form.prefix] = str(getattr(form, "title", form.prefix))
                continue
            for name, fld in form.fields.items():
                where = context.get(form.prefix)
                label = str(fld.label or name)
                labels[form.add_prefix(name)] = f"{where}: {label}" if where else label
        return labels

    def post_data(self) -> QueryDict:
        """What a browser would post for these (unbound) forms as they stand: used to check
        values that did not come from a page (an imported file) with the same forms."""
        data = QueryDict(mutable=True)
        for form in self.all_forms():
            inner = [form]
            if isinstance(form, djforms.BaseFormSet):
                for name in form.management_form.fields:
                    bound = form.management_form[name]
                    data[bound.html_name] = str(bound.value())
                inner = form.forms
            for bound_form in inner:
                for bound in bound_form:
                    value = bound.value()
                    if value is None or value is False:
                        continue
                    if isinstance(value, list | tuple):
                        data.setlist(bound.html_name, [str(v) for v in value])
                    else:
                        data[bound.html_name] = "on" if value is True else str(value)
        return data

    def field(self, key: str) -> djforms.Field | None:
        for form in self.all_forms():
            if not isinstance(form, djforms.BaseFormSet) and key.startswith(form.prefix + "-"):
                return form.fields.get(key[len(form.prefix) + 1 :])
        return None

    def formset(self, key: str) -> djforms.BaseFormSet | None:
        found = self.named.get(_FORMSET_NAMES.get(key, ""))
        return found if isinstance(found, djforms.BaseFormSet) else None


_FORMSET_NAMES = {"wg": "working_group", "codes": "codes", "actors": "actors"}


def _formset(cls, *, prefix: str, rows: list, bind: dict, **kwargs) -> djforms.BaseFormSet:
    """A list bound to what was posted, or filled with the stored rows.

    A bound list gets no initial rows: the posted rows are the list, whatever INITIAL_FORMS
    says (Django would skip an "extra" row equal to its initial row, and the save would
    drop it). Tampered management data gets the stored rows and a refusal instead.
    """
    if not bind:
        return cls(prefix=prefix, initial=rows, **kwargs)
    problem = cls.management_problem(bind["data"], prefix)
    if problem is None:
        return cls(prefix=prefix, **bind, **kwargs)
    formset = cls(prefix=prefix, initial=rows, **kwargs)
    formset.refusal = problem
    return formset


def actor_choices(data: ProgramData) -> f.ActorChoices:
    return [(a.pk, a.name) for a in data.actors]


def actor_type_choices(data: ProgramData) -> list[tuple[str, list[tuple[int, str]]]]:
    sector_labels = dict(gm.Sector.choices)
    by_sector = sorted(data.actor_types, key=lambda a: (a.sector, a.position))
    return [
        (str(sector_labels.get(sector, sector)), [(a.pk, a.name) for a in items])
        for sector, items in groupby(by_sector, key=lambda a: a.sector)
    ]


def read_values(step: Step, data: ProgramData) -> Values:
    """The step's stored content, as values."""
    reader = _READERS.get(step.kind)
    return reader(step, data) if reader else {}


def build_step_forms(
    step: Step, data: ProgramData, post: QueryDict | None = None, values: Values | None = None
) -> StepForms:
    """The step's forms: bound to `post`, or filled from `values` (default: as stored)."""
    builder = _BUILDERS.get(step.kind)
    if builder is None:
        return StepForms()
    if values is None:
        values = read_values(step, data)
    return builder(step, data, values, {"data": post} if post is not None else {})


def _points(step: Step, data: ProgramData, values: Values, bind: dict, choices) -> list:
    return [
        (
            point,
            f.PointAnswerForm(
                prefix=f"point-{point.pk}",
                initial=_unprefixed(f"point-{point.pk}", values),
                actor_choices=choices,
                **bind,
            ),
        )
        for point in data.points_for(step)
    ]


def _basis(step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
    return StepForms(
        named={
            "basis": f.BasisForm(prefix="basis", initial=_unprefixed("basis", values), **bind),
            "working_group": _formset(
                f.WorkingGroupFormSet, prefix="wg", rows=values.get("wg", []), bind=bind
            ),
        }
    )


def _criteria(step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
    forms = StepForms()
    for c in data.criteria:
        prefix = f"criterion-{c.pk}"
        forms.criteria.append(
            (c, f.CriterionForm(prefix=prefix, initial=_unprefixed(prefix, values), **bind))
        )
    for n in data.needs:
        prefix = f"need-{n.pk}"
        forms.needs.append(
            (n, f.NeedForm(prefix=prefix, initial=_unprefixed(prefix, values), **bind))
        )
    return forms


def _target_group(step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
    choices = actor_choices(data)
    forms = StepForms(
        named={
            "target": f.TargetGroupForm(
                prefix="target",
                initial=_unprefixed("target", values),
                grouping_choices=[(g.pk, g.title) for g in data.groupings],
                **bind,
            ),
            "codes": _formset(
                f.DiagnosisCodeFormSet,
                prefix="codes",
                rows=values.get("codes", []),
                bind=bind,
                form_kwargs={"code_systems": data.code_systems},
            ),
        }
    )
    forms.points = _points(step, data, values, bind, choices)
    return forms


def _actors(step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
    return StepForms(
        named={
            "actors": _formset(
                f.ProgramActorFormSet,
                prefix="actors",
                rows=values.get("actors", []),
                bind=bind,
                form_kwargs={"actor_type_choices": actor_type_choices(data)},
            ),
            "roles": f.ActorRolesForm(
                prefix="roles",
                initial=_unprefixed("roles", values),
                actor_choices=actor_choices(data),
                **bind,
            ),
        }
    )


def _part(step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
    choices = actor_choices(data)
    forms = StepForms(
        named={
            "part": f.PartForm(
                prefix="part", initial=_unprefixed("part", values), actor_choices=choices, **bind
            )
        }
    )
    forms.points = _points(step, data, values, bind, choices)
    for t in step.transitions:
        prefix = f"transition-{t.pk}"
        forms.transitions.append(
            (
                t,
                f.TransitionForm(
                    prefix=prefix,
                    initial=_unprefixed(prefix, values),
                    actor_choices=choices,
                    **bind,
                ),
            )
        )
    return forms


def _implementation(step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
    forms = StepForms(
        named={
            "implementation": f.ImplementationForm(
                prefix="implementation", initial=_unprefixed("implementation", values), **bind
            )
        }
    )
    forms.points = _points(step, data, values, bind, actor_choices(data))
    return forms


def _follow_up(step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
    return StepForms(
        named={
            "follow_up": f.FollowUpForm(
                prefix="follow_up",
                initial=_unprefixed("follow_up", values),
                actor_choices=actor_choices(data),
                **bind,
            )
        }
    )


_READERS = {
    StepKind.BASIS: _read_basis,
    StepKind.CRITERIA: _read_criteria,
    StepKind.TARGET_GROUP: _read_target_group,
    StepKind.ACTORS: _read_actors,
    StepKind.PART: _read_part,
    StepKind.IMPLEMENTATION: _read_implementation,
    StepKind.FOLLOW_UP: _read_follow_up,
}

_BUILDERS = {
    StepKind.BASIS: _basis,
    StepKind.CRITERIA: _criteria,
    StepKind.TARGET_GROUP: _target_group,
    StepKind.ACTORS: _actors,
    StepKind.PART: _part,
    StepKind.IMPLEMENTATION: _implementation,
    StepKind.FOLLOW_UP: _follow_up,
}
