"""The group's reasons for deciding otherwise than the model advises, on every step.

The model recommends things it does not require (a municipal member in the working group,
two or more criteria, who arranges each item of a transition): completeness.py lists them
as advice. The group may decide otherwise and say why; advice with a reason is shown as a
decision, no longer as open advice. Each step kind names its advice with a language-free
key (Gap.key); the reasons are stored per step and key (AdviceDeparture) and travel in the
program document under the step's "departures".

Not a step kind of its own: step_kinds/__init__.py adds these values and this form to
every step, so no kind repeats it.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy

from pathways.programs import models as pm
from pathways.programs.data import ProgramData
from pathways.programs.forms import text_area
from pathways.programs.step_kinds.base import Findings, Gap, StepDefinition, Values, text
from pathways.programs.steps import Step

PREFIX = "departure"
# What a key may hold: it is part of a form field's name and a page element's id.
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")


def advice(definition: StepDefinition, step: Step, data: ProgramData) -> list[Gap]:
    """The step's advice as the program stands (only advice with a key can be departed
    from)."""
    found = Findings()
    definition.check(step, data, found)
    return [gap for gap in found.advice if gap.key]


def value_key(key: str) -> str:
    return f"{PREFIX}-{key}"


def is_reason(value_key: str) -> bool:
    head, _sep, key = value_key.partition("-")
    return head == PREFIX and KEY_PATTERN.match(key) is not None


def keys_in(values: Values | dict) -> list[str]:
    """The advice keys a set of values (or a posted form) holds reasons for."""
    return [name.partition("-")[2] for name in values if is_reason(name)]


def read(definition: StepDefinition, step: Step, data: ProgramData) -> Values:
    """A reason (empty if none) for each piece of advice the step gives now, and every reason
    stored for the step, also for advice the group has since followed: kept, not dropped."""
    stored = data.departures.get(step.key, {})
    values = {value_key(gap.key): stored.get(gap.key, "") for gap in advice(definition, step, data)}
    values.update({value_key(key): note for key, note in stored.items()})
    return values


class DepartureForm(forms.Form):
    """One reason field per piece of advice; its label names the advice, so every field has
    its own spoken name."""

    def __init__(self, *args, advice: list[Gap], extra_keys: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.advice = advice
        for gap in advice:
            self.fields[gap.key] = text_area(
                gettext_lazy("Begrundelse for at gøre det anderledes: %(advice)s")
                % {"advice": gap.message},
                rows=2,
            )
        for key in extra_keys:
            if key not in self.fields:
                self.fields[key] = text_area(
                    gettext_lazy(
                        "Begrundelse for at gøre det anderledes (anbefalingen er nu fulgt; "
                        "tøm feltet for at fjerne den)"
                    ),
                    rows=2,
                )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"

    def items(self) -> list[tuple[Gap | None, forms.BoundField]]:
        """(advice, its reason field) in page order; advice None for a kept reason whose
        advice no longer applies."""
        by_key = {gap.key: gap for gap in self.advice}
        return [(by_key.get(name), self[name]) for name in self.fields]


def form(
    definition: StepDefinition, step: Step, data: ProgramData, values: Values, bind: dict
) -> DepartureForm:
    keys = keys_in(values)
    if bind:
        keys += keys_in(bind["data"])  # a reason typed for advice someone else followed
    return DepartureForm(
        prefix=PREFIX,
        advice=advice(definition, step, data),
        extra_keys=list(dict.fromkeys(keys)),
        initial={key: values.get(value_key(key), "") for key in keys},
        **bind,
    )


def write(step: Step, data: ProgramData, values: Values) -> None:
    """Store the step's reasons; an emptied reason is removed."""
    stored = data.departures.setdefault(step.key, {})
    for key in keys_in(values):
        note = text(values[value_key(key)])
        if note.strip():
            pm.AdviceDeparture.objects.update_or_create(
                program=data.program, step_key=step.key, key=key, defaults={"note": note}
            )
            stored[key] = note
        elif key in stored:
            pm.AdviceDeparture.objects.filter(
                program=data.program, step_key=step.key, key=key
            ).delete()
            del stored[key]


def without(values: Values) -> Values:
    """The values a step kind itself reads and writes."""
    return {k: v for k, v in values.items() if not is_reason(k)}
