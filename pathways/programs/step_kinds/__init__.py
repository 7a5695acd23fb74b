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
    """The step's stored content, as values."""
    definition = definition_of(step)
    return definition.read(step, data) if definition else {}


def build_step_forms(
    step: Step, data: ProgramData, post: QueryDict | None = None, values: Values | None = None
) -> StepForms:
    """The step's forms: bound to `post`, or filled from `values` (default: as stored)."""
    definition = definition_of(step)
    if definition is None:
        return StepForms()
    if values is None:
        values = definition.read(step, data)
    return definition.forms(step, data, values, {"data": post} if post is not None else {})
