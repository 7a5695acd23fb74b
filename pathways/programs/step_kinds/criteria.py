"""Step "Hvorfor dette program": the model's criteria for a specific program (does each
apply, and why) and its assessment of the four needs."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pathways.programs import models as pm
from pathways.programs.data import ProgramData
from pathways.programs.forms import text_area
from pathways.programs.step_kinds.base import (
    Findings,
    Gap,
    StepDefinition,
    StepForms,
    Values,
    blank,
    grouped,
    prefixed,
    raw,
    text,
    unprefixed,
)
from pathways.programs.steps import Step, StepKind

# "Often two or more" criteria (ch. 3): the model's advice, not a rule.
ADVISED_CRITERIA = 2


class CriterionForm(forms.Form):
    # Kept as "yes"/"no"/"" (what the page posts), so a loaded and a posted answer compare.
    applies = forms.ChoiceField(
        label=gettext_lazy("Gælder kriteriet for målgruppen?"),
        choices=[("yes", gettext_lazy("Ja")), ("no", gettext_lazy("Nej"))],
        required=False,
        widget=forms.RadioSelect,
    )
    reason = text_area(gettext_lazy("Begrundelse"))


class NeedForm(forms.Form):
    assessment = text_area(gettext_lazy("Vurdering"))


def _yes_no(applies: bool | None) -> str:
    return "" if applies is None else ("yes" if applies else "no")


class Criteria(StepDefinition):
    kind = StepKind.CRITERIA
    template = "programs/steps/criteria.html"
    yes_no_fields = frozenset({"applies"})

    def read(self, step: Step, data: ProgramData) -> Values:
        values: Values = {}
        for c in data.criteria:
            a = data.criterion_assessments.get(c.pk)
            values.update(
                prefixed(
                    f"criterion-{c.pk}",
                    {"applies": _yes_no(a.applies) if a else "", "reason": a.reason if a else ""},
                )
            )
        for n in data.needs:
            a = data.need_assessments.get(n.pk)
            values[f"need-{n.pk}-assessment"] = raw(a.assessment if a else "")
        return values

    def forms(self, step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
        found = StepForms()
        for c in data.criteria:
            prefix = f"criterion-{c.pk}"
            found.criteria.append(
                (c, CriterionForm(prefix=prefix, initial=unprefixed(prefix, values), **bind))
            )
        for n in data.needs:
            prefix = f"need-{n.pk}"
            found.needs.append(
                (n, NeedForm(prefix=prefix, initial=unprefixed(prefix, values), **bind))
            )
        return found

    def write(self, step: Step, data: ProgramData, values: Values) -> bool:
        criteria = {c.pk for c in data.criteria}
        for criterion_id, answer in grouped(values, "criterion").items():
            if criterion_id in criteria:
                applies = {"yes": True, "no": False}.get(answer.get("applies"))
                stored, _created = pm.CriterionAssessment.objects.update_or_create(
                    program=data.program,
                    criterion_id=criterion_id,
                    defaults={"applies": applies, "reason": text(answer.get("reason"))},
                )
                data.criterion_assessments[criterion_id] = stored
        needs = {n.pk for n in data.needs}
        for need_id, answer in grouped(values, "need").items():
            if need_id in needs:
                stored, _created = pm.NeedAssessment.objects.update_or_create(
                    program=data.program,
                    need_id=need_id,
                    defaults={"assessment": text(answer.get("assessment"))},
                )
                data.need_assessments[need_id] = stored
        return False

    def check(self, step: Step, data: ProgramData, found: Findings) -> None:
        applying = 0
        for criterion in data.criteria:
            assessment = data.criterion_assessments.get(criterion.pk)
            anchor = f"criterion-{criterion.pk}"
            title = {"title": criterion.title}
            if assessment is None or assessment.applies is None:
                found.gaps.append(Gap(_("Kriteriet '%(title)s' er ikke vurderet") % title, anchor))
                continue
            if assessment.applies:
                applying += 1
                if blank(assessment.reason):
                    found.gaps.append(
                        Gap(_("Kriteriet '%(title)s' mangler en begrundelse") % title, anchor)
                    )
        if applying < ADVISED_CRITERIA:
            found.advice.append(
                Gap(
                    _(
                        "Modellen anbefaler, at et specifikt program ofte bygger på to eller "
                        "flere kriterier (kap. 3); %(count)d er opfyldt"
                    )
                    % {"count": applying},
                    "criteria",
                    key="two-or-more-criteria",
                )
            )
        for need in data.needs:
            assessment = data.need_assessments.get(need.pk)
            if assessment is None or blank(assessment.assessment):
                found.gaps.append(
                    Gap(
                        _("Behovet '%(title)s' er ikke vurderet") % {"title": need.title},
                        f"need-{need.pk}",
                    )
                )


DEFINITION = Criteria()
