"""The step kinds: one module per kind holds everything about it (fields, how they are
read from and written to the database, forms, completeness checks and template).

Which steps a program has comes from the generic model (steps.py); each step's kind picks
its definition here. To add a field to a step, see README.md ("How to add a field").
"""

from __future__ import annotations

from django.http import QueryDict

from pathways.programs.data import ProgramData
from pathways.programs.step_kinds import (
    actors,
    basis,
    criteria,
    departures,
    follow_up,
    implementation,
    part,
    pathway,
    target_group,
)
from pathways.programs.step_kinds.base import (
    Findings,
    Gap,
    StepDefinition,
    StepForms,
    Values,
    raw,
)
from pathways.programs.steps import Step, StepKind

__all__ = [
    "DEFINITIONS",
    "Findings",
    "Gap",
    "StepDefinition",
    "StepForms",
    "Values",
    "build_step_forms",
    "definition_of",
    "raw",
    "read_values",
    "write_values",
]

# The review step has no content of its own: it shows the others.
DEFINITIONS: dict[StepKind, StepDefinition] = {
    module.DEFINITION.kind: module.DEFINITION
    for module in (
        basis,
        criteria,
        target_group,
        actors,
        pathway,
        part,
        implementation,
        follow_up,
    )
}


def definition_of(step: Step) -> StepDefinition | None:
    return DEFINITIONS.get(step.kind)


def read_values(step: Step, data: ProgramData) -> Values:
    """The step's stored content, as values (with the group's reasons for departing from
    the model's advice, which every step can hold)."""
    definition = definition_of(step)
    if definition is None:
        return {}
    return {**definition.read(step, data), **departures.read(definition, step, data)}


def write_values(step: Step, data: ProgramData, values: Values) -> bool:
    """Store a step's values (on the locked program); True if other steps changed too."""
    definition = definition_of(step)
    changed_others = definition.write(step, data, departures.without(values))
    departures.write(step, data, values)
    return changed_others


def build_step_forms(
    step: Step, data: ProgramData, post: QueryDict | None = None, values: Values | None = None
) -> StepForms:
    """The step's forms: bound to `post`, or filled from `values` (default: as stored)."""
    definition = definition_of(step)
    if definition is None:
        return StepForms()
    if values is None:
        values = read_values(step, data)
    bind = {"data": post} if post is not None else {}
    found = definition.forms(step, data, departures.without(values), bind)
    found.named[departures.PREFIX] = departures.form(definition, step, data, values, bind)
    return found


def checked_values(
    step: Step, data: ProgramData, values: Values
) -> tuple[Values, tuple[str, str, str] | None]:
    """`values` as the step's forms accept them, or the first (field id, label, message)
    they refuse: values that come from elsewhere than a planner's post (a program file,
    a consultation party's proposed text) get exactly the same checks."""
    checked = build_step_forms(step, data, build_step_forms(step, data, values=values).post_data())
    if not checked.is_valid():
        return {}, checked.error_list[0]
    return checked.values(), None
