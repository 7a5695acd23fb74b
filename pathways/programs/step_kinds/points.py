"""Attention points: asked by every step whose section has them (target group, the parts,
implementation). Not a step kind of its own; the kinds that ask points call these."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from pathways.programs import models as pm
from pathways.programs.data import ProgramData
from pathways.programs.folding import Folded, FoldStatus, point_status
from pathways.programs.forms import ActorChoices, ActorField, text_area
from pathways.programs.models import LONG_TEXT, PointStatus
from pathways.programs.step_kinds.base import (
    Values,
    actor_ids,
    actor_or_none,
    grouped,
    prefixed,
    text,
    unprefixed,
)
from pathways.programs.steps import Step


class PointAnswerForm(Folded, forms.Form):
    def __init__(self, *args: object, actor_choices: ActorChoices, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["status"] = forms.ChoiceField(
            label=gettext_lazy("Status"),
            choices=PointStatus.choices,
            required=False,
            widget=forms.RadioSelect,
        )
        f["answer"] = text_area(gettext_lazy("Programmets svar"), rows=3, max_length=LONG_TEXT)
        f["reason"] = text_area(gettext_lazy("Begrundelse, hvis ikke relevant"), rows=2)
        f["responsible"] = ActorField(
            actor_choices=actor_choices, label=gettext_lazy("Ansvarlig aktør")
        )

    def fold_status(self) -> FoldStatus:
        return point_status(self)


# A point's answer names its responsible actor (document.py writes the actor's ref).
REFERENCES = {"responsible": "actor"}


def read(step: Step, data: ProgramData) -> Values:
    values: Values = {}
    for point in data.points_for(step):
        a = data.point_answers.get(point.pk)
        values.update(
            prefixed(
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


def forms_for(step: Step, data: ProgramData, values: Values, bind: dict, choices) -> list:
    return [
        (
            point,
            PointAnswerForm(
                prefix=f"point-{point.pk}",
                initial=unprefixed(f"point-{point.pk}", values),
                actor_choices=choices,
                **bind,
            ),
        )
        for point in data.points_for(step)
    ]


def write(step: Step, data: ProgramData, values: Values) -> None:
    allowed = actor_ids(data)
    step_points = {p.pk for p in data.points_for(step)}
    for point_id, answer in grouped(values, "point").items():
        if point_id not in step_points:
            continue
        fields = {
            "status": text(answer.get("status")),
            "answer": text(answer.get("answer")),
            "reason": text(answer.get("reason")),
            "responsible_id": actor_or_none(answer.get("responsible"), allowed),
        }
        if point_id not in data.point_answers and not any(fields.values()):
            continue  # an untouched point needs no row
        stored, _created = pm.AttentionPointAnswer.objects.update_or_create(
            program=data.program, attention_point_id=point_id, defaults=fields
        )
        data.point_answers[point_id] = stored
