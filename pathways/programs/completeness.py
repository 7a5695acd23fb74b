"""What is still missing in a program, per step, and how much of the model it covers.

One pure function over the loaded program (data.py): the side menu, the review screen and
the program list all show its result, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pathways.programs.data import ProgramData
from pathways.programs.models import MemberSector, PointStatus, Relevance
from pathways.programs.steps import Step, StepKind

MIN_CRITERIA = 2


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
class Gap:
    message: str
    anchor: str = ""  # id of the field or fieldset on the step page


@dataclass
class StepReport:
    step: Step
    gaps: list[Gap] = field(default_factory=list)
    warnings: list[Gap] = field(default_factory=list)
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

    def for_step(self, key: str) -> StepReport:
        return next(r for r in self.steps if r.step.key == key)


def _blank(value: str | None) -> bool:
    return not (value or "").strip()


def assess(data: ProgramData) -> CompletenessReport:
    answered = total = 0
    reports = []
    for step in data.steps:
        report = StepReport(step=step)
        checker = _CHECKS.get(step.kind)
        if checker:
            checker(data, step, report)
        if step.point_sections and _part_is_relevant(data, step):
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


def _point_gap(point, answer) -> Gap:
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


def _part_is_relevant(data: ProgramData, step: Step) -> bool:
    if step.kind != StepKind.PART:
        return True
    answer = data.part_answers.get(step.section.pk)
    return answer is None or answer.relevance != Relevance.NOT_RELEVANT


def _check_basis(data: ProgramData, step: Step, report: StepReport) -> None:
    program = data.program
    if _blank(program.purpose):
        report.gaps.append(Gap(_("Programmets formål er ikke beskrevet"), "id_basis-purpose"))
    if not data.working_group:
        report.gaps.append(Gap(_("Arbejdsgruppen har ingen medlemmer"), "working-group"))
    sectors = {m.sector for m in data.working_group}
    if not sectors & {MemberSector.PATIENT_ORGANISATION, MemberSector.USER_REPRESENTATIVE}:
        report.warnings.append(
            Gap(
                _("Arbejdsgruppen har ingen repræsentant for patientforening eller brugere"),
                "working-group",
            )
        )
    if MemberSector.MUNICIPALITY not in sectors:
        report.warnings.append(
            Gap(_("Arbejdsgruppen har ingen kommunal repræsentant"), "working-group")
        )


def _check_criteria(data: ProgramData, step: Step, report: StepReport) -> None:
    applying = 0
    for criterion in data.criteria:
        assessment = data.criterion_assessments.get(criterion.pk)
        anchor = f"criterion-{criterion.pk}"
        if assessment is None or assessment.applies is None:
            report.gaps.append(
                Gap(
                    _("Kriteriet '%(title)s' er ikke vurderet") % {"title": criterion.title}, anchor
                )
            )
            continue
        if assessment.applies:
            applying += 1
            if _blank(assessment.reason):
                report.gaps.append(
                    Gap(
                        _("Kriteriet '%(title)s' mangler en begrundelse")
                        % {"title": criterion.title},
                        anchor,
                    )
                )
    if applying < MIN_CRITERIA:
        report.gaps.append(
            Gap(
                _("Mindst %(min)d kriterier skal være opfyldt; %(count)d er")
                % {"min": MIN_CRITERIA, "count": applying},
                "criteria",
            )
        )
    for need in data.needs:
        assessment = data.need_assessments.get(need.pk)
        if assessment is None or _blank(assessment.assessment):
            report.gaps.append(
                Gap(
                    _("Behovet '%(title)s' er ikke vurderet") % {"title": need.title},
                    f"need-{need.pk}",
                )
            )


def _check_target_group(data: ProgramData, step: Step, report: StepReport) -> None:
    p = data.program
    if p.target_grouping_id is None and _blank(p.custom_target_description):
        report.gaps.append(
            Gap(
                _("Vælg en målgruppe eller beskriv et symptom- eller funktionskompleks"),
                "id_target-grouping",
            )
        )
    if not data.diagnosis_codes:
        report.gaps.append(Gap(_("Målgruppen har ingen diagnosekoder"), "codes"))
    for field_name, message in (
        ("inclusion", _("Inklusionskriterier mangler")),
        ("exclusion", _("Eksklusionskriterier mangler")),
        (
            "suspected_undiagnosed",
            _("Det er ikke beskrevet, hvordan personer med mistanke men uden diagnose håndteres"),
        ),
        (
            "multiple_groups",
            _("Det er ikke beskrevet, hvordan personer i flere målgrupper håndteres"),
        ),
        (
            "outside_target_group",
            _("Det er ikke beskrevet, hvordan personer uden for målgruppen håndteres"),
        ),
    ):
        if _blank(getattr(p, field_name)):
            report.gaps.append(Gap(message, f"id_target-{field_name}"))


def _check_actors(data: ProgramData, step: Step, report: StepReport) -> None:
    p = data.program
    if not data.actors:
        report.gaps.append(Gap(_("Programmet har ingen aktører"), "actors"))
    if p.patient_responsible_doctor_id is None:
        report.gaps.append(
            Gap(
                _("Det er ikke angivet, hvor den patientansvarlige læge er placeret"),
                "id_roles-patient_responsible_doctor",
            )
        )
    if p.municipal_coordinator_id is None:
        report.gaps.append(
            Gap(
                _("Den koordinerende kontakt i kommunen er ikke angivet"),
                "id_roles-municipal_coordinator",
            )
        )


def _check_part(data: ProgramData, step: Step, report: StepReport) -> None:
    answer = data.part_answers.get(step.section.pk)
    if answer is None or not answer.relevance:
        report.gaps.append(
            Gap(_("Tag stilling til, om delen er relevant for målgruppen"), "id_part-relevance")
        )
        return
    if answer.relevance == Relevance.NOT_RELEVANT:
        if _blank(answer.not_relevant_reason):
            report.gaps.append(
                Gap(_("Delen er 'ikke relevant' uden begrundelse"), "id_part-not_relevant_reason")
            )
        return
    if answer.responsible_id is None:
        report.gaps.append(Gap(_("Delen har ingen ansvarlig aktør"), "id_part-responsible"))
    if _blank(answer.effort):
        report.gaps.append(
            Gap(_("Den sundhedsfaglige indsats er ikke beskrevet"), "id_part-effort")
        )
    for transition in step.transitions:
        t_answer = data.transition_answers.get(transition.pk)
        anchor = f"transition-{transition.pk}"
        title = transition.title
        if t_answer is None or not t_answer.relevance:
            report.gaps.append(Gap(_("Overgangen '%(t)s' er ikke vurderet") % {"t": title}, anchor))
        elif t_answer.relevance == Relevance.NOT_RELEVANT:
            if _blank(t_answer.not_relevant_reason):
                report.gaps.append(
                    Gap(
                        _("Overgangen '%(t)s' er 'ikke relevant' uden begrundelse") % {"t": title},
                        anchor,
                    )
                )
        else:
            if t_answer.sending_id is None:
                report.gaps.append(
                    Gap(_("Overgangen '%(t)s' mangler afgivende aktør") % {"t": title}, anchor)
                )
            if t_answer.receiving_id is None:
                report.gaps.append(
                    Gap(_("Overgangen '%(t)s' mangler modtagende aktør") % {"t": title}, anchor)
                )


def _check_implementation(data: ProgramData, step: Step, report: StepReport) -> None:
    p = data.program
    for field_name, message in (
        ("agreements_forum", _("Aftaler og forum for implementeringen mangler")),
        ("dissemination", _("Det er ikke beskrevet, hvordan programmet udbredes")),
        ("publication_place", _("Det er ikke angivet, hvor programmet offentliggøres")),
    ):
        if _blank(getattr(p, field_name)):
            report.gaps.append(Gap(message, f"id_implementation-{field_name}"))
    if p.start_date is None:
        report.gaps.append(Gap(_("Startdato mangler"), "id_implementation-start_date"))


def _check_follow_up(data: ProgramData, step: Step, report: StepReport) -> None:
    p = data.program
    if _blank(p.follow_up_how_and_when):
        report.gaps.append(
            Gap(
                _("Det er ikke beskrevet, hvordan og hvornår der følges op"),
                "id_follow_up-how_and_when",
            )
        )
    if p.follow_up_responsible_id is None:
        report.gaps.append(Gap(_("Ansvarlig for opfølgningen mangler"), "id_follow_up-responsible"))
    if _blank(p.follow_up_indicators):
        report.gaps.append(Gap(_("Indikatorer mangler"), "id_follow_up-indicators"))
    if not p.follow_up_data_sources:
        report.gaps.append(Gap(_("Vælg mindst én datakilde"), "id_follow_up-data_sources"))
    if p.next_review_date is None:
        report.gaps.append(
            Gap(_("Dato for næste revision mangler"), "id_follow_up-next_review_date")
        )


_CHECKS = {
    StepKind.BASIS: _check_basis,
    StepKind.CRITERIA: _check_criteria,
    StepKind.TARGET_GROUP: _check_target_group,
    StepKind.ACTORS: _check_actors,
    StepKind.PART: _check_part,
    StepKind.IMPLEMENTATION: _check_implementation,
    StepKind.FOLLOW_UP: _check_follow_up,
}
