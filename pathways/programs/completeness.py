"""What is still missing in a program, per step, and how much of the model it covers.

One pure function over the loaded program (data.py): the side menu, the review screen and
the program list all show its result, so they always agree. Each step kind's own checks
are in its module (step_kinds/); attention points are counted here, for every step that
asks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pathways.programs.data import ProgramData
from pathways.programs.models import PointStatus
from pathways.programs.step_kinds import Findings, Gap, definition_of
from pathways.programs.steps import Step, StepKind


class StepState(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"


STATE_LABELS = {
    StepState.NOT_STARTED: gettext_lazy("ikke påbegyndt"),
    StepState.IN_PROGRESS: gettext_lazy("i gang"),
    StepState.COMPLETE: gettext_lazy("færdig"),
}


@dataclass(frozen=True)
class Departure:
    """Advice the group decided otherwise on, with its reason."""

    advice: Gap
    reason: str


@dataclass
class StepReport:
    step: Step
    gaps: list[Gap] = field(default_factory=list)
    advice: list[Gap] = field(default_factory=list)  # open: no reason given
    departures: list[Departure] = field(default_factory=list)
    state: StepState = StepState.NOT_STARTED

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass
class CompletenessReport:
    steps: list[StepReport]
    answered_points: int
    total_points: int

    @property
    def coverage_percent(self) -> int:
        if not self.total_points:
            return 0
        return int(100 * self.answered_points / self.total_points)

    @property
    def is_complete(self) -> bool:
        return all(not r.gaps for r in self.steps) and self.answered_points == self.total_points

    @property
    def gap_count(self) -> int:
        return sum(len(r.gaps) for r in self.steps)

    @property
    def advice_count(self) -> int:
        """Open advice: what the model recommends and the group has not given a reason to
        do otherwise."""
        return sum(len(r.advice) for r in self.steps)

    @property
    def departure_count(self) -> int:
        return sum(len(r.departures) for r in self.steps)

    def for_step(self, key: str) -> StepReport:
        return next(r for r in self.steps if r.step.key == key)


def assess(data: ProgramData) -> CompletenessReport:
    answered = total = 0
    reports = []
    for step in data.steps:
        report = StepReport(step=step)
        definition = definition_of(step)
        if definition is not None:
            found = Findings(report.gaps, report.advice)
            definition.check(step, data, found)
            _set_departures(report, data.departures.get(step.key, {}))
            if step.point_sections and definition.asks_points(step, data):
                for point in data.points_for(step):
                    total += 1
                    answer = data.point_answers.get(point.pk)
                    if answer is not None and answer.is_answered:
                        answered += 1
                    else:
                        report.gaps.append(_point_gap(point, answer))
        revision = data.revisions.get(step.key)
        if step.kind == StepKind.REVIEW:
            report.state = StepState.IN_PROGRESS
        elif revision is None or revision.number == 0:
            report.state = StepState.NOT_STARTED
        else:
            report.state = StepState.IN_PROGRESS if report.gaps else StepState.COMPLETE
        reports.append(report)
    return CompletenessReport(steps=reports, answered_points=answered, total_points=total)


def _set_departures(report: StepReport, reasons: dict[str, str]) -> None:
    """Advice with a reason is a decision, not open advice."""
    open_advice = []
    for advice in report.advice:
        reason = reasons.get(advice.key, "") if advice.key else ""
        if reason.strip():
            report.departures.append(Departure(advice, reason))
        else:
            open_advice.append(advice)
    report.advice[:] = open_advice


def _point_gap(point, answer) -> Gap:
    """Every attention point a step asks needs a status, and an answer (or, if not
    relevant, a reason)."""
    anchor = f"point-{point.pk}"
    ref = f"{point.reference} {point.title}"
    if answer is None or not answer.status:
        return Gap(_("Opmærksomhedspunkt %(ref)s mangler status") % {"ref": ref}, anchor)
    if answer.status == PointStatus.NOT_RELEVANT:
        return Gap(
            _("Opmærksomhedspunkt %(ref)s er 'ikke relevant' uden begrundelse") % {"ref": ref},
            anchor,
        )
    return Gap(_("Opmærksomhedspunkt %(ref)s mangler programmets svar") % {"ref": ref}, anchor)
