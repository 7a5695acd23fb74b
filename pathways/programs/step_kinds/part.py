"""A part of the pathway (one step per section with the role "part" in the model): is it
relevant, the health effort, who is responsible and who collaborates, how it is
coordinated, its transitions and its attention points."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pathways.generic_model.models import Sector
from pathways.programs import models as pm
from pathways.programs.data import ProgramData
from pathways.programs.folding import Folded, FoldStatus, relevance_status
from pathways.programs.forms import (
    ActorChoices,
    ActorField,
    ActorGroups,
    ActorsField,
    LineField,
    RelevanceField,
    row_list,
    text_area,
)
from pathways.programs.models import LONG_TEXT, PART_TEXT_FIELDS, Relevance
from pathways.programs.step_kinds import companion_links, points
from pathways.programs.step_kinds.base import (
    Findings,
    Gap,
    StepDefinition,
    StepForms,
    Values,
    actor_choices,
    actor_ids,
    actor_or_none,
    blank,
    formset,
    grouped,
    prefixed,
    raw,
    text,
    unprefixed,
)
from pathways.programs.steps import Step, StepKind

TRANSITION_TEXTS = ("relevance", "not_relevant_reason", "trigger", "handover")
# Several actors hand over and receive (value: a sorted list of actor ids) …
TRANSITION_SIDES = {"sending": "senders", "receiving": "receivers"}
# … one convenes the conference and one follows up on it.
TRANSITION_ROLES = ("conference_convener", "conference_follow_up")
TRANSITION_ACTORS = (*TRANSITION_SIDES, *TRANSITION_ROLES)
# The checklist of what must be arranged: per item of the model's list, who and when.
ARRANGEMENT = re.compile(r"arrangement_([1-9][0-9]?)_(responsible|when)")
# In the order the form shows them (and the document, the diff and the log list them).
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


def actor_groups(data: ProgramData) -> ActorGroups:
    """The program's actors by the sector of their catalogue type, in the model's order of
    sectors; local actors (no catalogue type) last."""
    local = _("Lokale aktører")
    by_sector: dict[str, list[int]] = {}
    for actor in data.actors:
        sector = actor.sector
        by_sector.setdefault(sector, []).append(actor.pk)
    return [
        (str(Sector(key).label) if key else local, by_sector[key])
        for key in [*Sector.values, ""]
        if key in by_sector
    ]


def _transition_value(answer: pm.TransitionAnswer | None, name: str):
    if name in TRANSITION_SIDES:
        return [a.pk for a in getattr(answer, TRANSITION_SIDES[name]).all()] if answer else []
    if name in TRANSITION_ROLES:
        return getattr(answer, f"{name}_id") if answer else None
    return getattr(answer, name) if answer else ""


def _arrangement_values(transition, answer: pm.TransitionAnswer | None) -> dict:
    stored = (answer.arrangements if answer else None) or {}
    values = {}
    for n in range(1, len(transition.arrangements) + 1):
        item = stored.get(str(n)) or {}
        values[f"arrangement_{n}_responsible"] = item.get("responsible")
        values[f"arrangement_{n}_when"] = item.get("when", "")
    return values


OWN_TRANSITION_FIELDS = ("title", "sending", "receiving", "trigger", "handover")


class OwnTransitionForm(Folded, forms.Form):
    title = LineField(label=gettext_lazy("Overgang"), max_length=200)
    trigger = text_area(gettext_lazy("Udløses af (alder eller hændelse)"), rows=2)
    handover = text_area(gettext_lazy("Det overdrages"), rows=2, max_length=LONG_TEXT)

    def __init__(
        self,
        *args: object,
        actor_choices: ActorChoices,
        actor_groups: ActorGroups = (),
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sending"] = ActorsField(
            actor_choices=actor_choices,
            actor_groups=actor_groups,
            label=gettext_lazy("Afgivende aktører"),
        )
        self.fields["receiving"] = ActorsField(
            actor_choices=actor_choices,
            actor_groups=actor_groups,
            label=gettext_lazy("Modtagende aktører"),
        )

    def fold_status(self) -> FoldStatus:
        # A row of the group's own needs a sender and a receiver (Part._check_own).
        sides = (self["sending"].value(), self["receiving"].value())
        return FoldStatus.ANSWERED if all(sides) else FoldStatus.MISSING


OwnTransitionFormSet = row_list(
    OwnTransitionForm,
    title=gettext_lazy("Andre overgange"),
    anchor="own-transitions",
    extra=1,
    max_num=30,
)


def _arrangements(transition, given: dict, allowed: set[int]) -> dict:
    """The checklist as stored: only items someone answered."""
    stored = {}
    for n in range(1, len(transition.arrangements) + 1):
        who = actor_or_none(given.get(f"arrangement_{n}_responsible"), allowed)
        when = text(given.get(f"arrangement_{n}_when"))
        if who is not None or when:
            stored[str(n)] = {"responsible": who, "when": when}
    return stored


# The part's questions in two folds on the step page: whether and how the part is done,
# and how it is coordinated (no gaps: the model asks, the group decides how much to say).
PART_CORE = ("relevance", "not_relevant_reason", "effort", "responsible", "collaborating")
PART_COORDINATION = (
    "patient_responsible_doctor",
    "coordination",
    "communication_channels",
    "digital_tools",
    "knowledge_sharing",
    "deadlines",
)


class PartForm(Folded, forms.Form):
    def __init__(
        self,
        *args: object,
        actor_choices: ActorChoices,
        actor_groups: ActorGroups = (),
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["relevance"] = RelevanceField(gettext_lazy("Er denne del relevant for målgruppen?"))
        f["not_relevant_reason"] = text_area(
            gettext_lazy("Begrundelse, hvis ikke relevant"), rows=2
        )
        f["effort"] = text_area(
            gettext_lazy("Den sundhedsfaglige indsats"), rows=4, max_length=LONG_TEXT
        )
        f["responsible"] = ActorField(
            actor_choices=actor_choices, label=gettext_lazy("Ansvarlig aktør")
        )
        f["collaborating"] = ActorsField(
            actor_choices=actor_choices,
            actor_groups=actor_groups,
            label=gettext_lazy("Samarbejdende aktører"),
        )
        f["patient_responsible_doctor"] = ActorField(
            actor_choices=actor_choices,
            label=gettext_lazy("Patientansvarlig læge i denne del"),
            help_text=gettext_lazy(
                "Kun hvis det er en anden end programmets (trinnet Aktører), fx almen praksis "
                "efter udskrivning (2.4, 4.8)."
            ),
        )
        f["coordination"] = text_area(gettext_lazy("Koordinering"), max_length=LONG_TEXT)
        f["communication_channels"] = text_area(
            gettext_lazy("Kommunikationskanaler"), max_length=LONG_TEXT
        )
        f["digital_tools"] = text_area(gettext_lazy("Digitale værktøjer"), rows=2)
        f["knowledge_sharing"] = text_area(gettext_lazy("Vidensdeling"), max_length=LONG_TEXT)
        f["deadlines"] = text_area(
            gettext_lazy("Frister"),
            rows=2,
            help_text=gettext_lazy(
                "Fx henvisning til kommunen inden 3 måneder efter diagnose (børn)."
            ),
        )

    def fold_status(self) -> FoldStatus:
        return relevance_status(self, "responsible", "effort")  # Part.check's gaps

    @property
    def fold(self) -> dict:
        return {**super().fold, "open": any(name in self.errors for name in PART_CORE)}

    @property
    def coordination_fold(self) -> dict:
        filled = sum(1 for name in PART_COORDINATION if self[name].value() not in (None, ""))
        return {
            "filled": filled,
            "total": len(PART_COORDINATION),
            "open": any(name in self.errors for name in PART_COORDINATION),
        }


class TransitionForm(Folded, forms.Form):
    def __init__(
        self,
        *args: object,
        actor_choices: ActorChoices,
        actor_groups: ActorGroups = (),
        arrangements: list[str] = (),
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["relevance"] = RelevanceField(gettext_lazy("Er overgangen relevant for målgruppen?"))
        f["not_relevant_reason"] = text_area(
            gettext_lazy("Begrundelse, hvis ikke relevant"), rows=2
        )
        f["sending"] = ActorsField(
            actor_choices=actor_choices,
            actor_groups=actor_groups,
            label=gettext_lazy("Afgivende aktører"),
        )
        f["receiving"] = ActorsField(
            actor_choices=actor_choices,
            actor_groups=actor_groups,
            label=gettext_lazy("Modtagende aktører"),
        )
        f["trigger"] = text_area(gettext_lazy("Udløses af (alder eller hændelse)"), rows=2)
        f["handover"] = text_area(gettext_lazy("Det overdrages"), rows=3, max_length=LONG_TEXT)
        f["conference_convener"] = ActorField(
            actor_choices=actor_choices,
            label=gettext_lazy("Indkalder til tværsektoriel konference"),
        )
        f["conference_follow_up"] = ActorField(
            actor_choices=actor_choices, label=gettext_lazy("Følger op på konferencen")
        )
        self.arrangement_rows = []
        for n, item in enumerate(arrangements, start=1):
            f[f"arrangement_{n}_responsible"] = ActorField(
                actor_choices=actor_choices,
                label=gettext_lazy("%(item)s – hvem sørger for det") % {"item": item},
            )
            f[f"arrangement_{n}_when"] = LineField(
                label=gettext_lazy("%(item)s – hvornår") % {"item": item},
                max_length=200,
                required=False,
            )
            self.arrangement_rows.append(
                (item, f"arrangement_{n}_responsible", f"arrangement_{n}_when")
            )

    def arrangements(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(item, self[who], self[when]) for item, who, when in self.arrangement_rows]

    def fold_status(self) -> FoldStatus:
        return relevance_status(self, "sending", "receiving")  # Part.check's gaps


class Part(StepDefinition):
    kind = StepKind.PART
    template = "programs/steps/part.html"
    lists = {"own": "own_transitions", **companion_links.LISTS}
    references = {
        **companion_links.REFERENCES,
        "responsible": "actor",
        "collaborating": "actor",
        "patient_responsible_doctor": "actor",
        **{name: "actor" for name in TRANSITION_ACTORS},
    }

    def refers_to(self, field: str) -> str | None:
        match = ARRANGEMENT.fullmatch(field)
        if match and match.group(2) == "responsible":
            return "actor"
        return super().refers_to(field)

    def read(self, step: Step, data: ProgramData) -> Values:
        a = data.part_answers.get(step.section.pk)
        part = {name: getattr(a, name) if a else "" for name in ("relevance", *PART_TEXT_FIELDS)}
        part["responsible"] = a.responsible_id if a else None
        part["collaborating"] = [c.pk for c in a.collaborating.all()] if a else []
        part["patient_responsible_doctor"] = a.patient_responsible_doctor_id if a else None
        values = {**prefixed("part", part), **points.read(step, data)}
        for t in step.transitions:
            ta = data.transition_answers.get(t.pk)
            values.update(
                prefixed(
                    f"transition-{t.pk}",
                    {
                        **{name: _transition_value(ta, name) for name in TRANSITION_FIELDS},
                        **_arrangement_values(t, ta),
                    },
                )
            )
        values["own"] = self._own_rows(step, data)
        values.update(companion_links.read(step, data))
        return values

    def _own_rows(self, step: Step, data: ProgramData) -> list[dict]:
        return [
            {
                "title": own.title,
                "sending": sorted(a.pk for a in own.senders.all()),
                "receiving": sorted(a.pk for a in own.receivers.all()),
                "trigger": raw(own.trigger),
                "handover": raw(own.handover),
            }
            for own in data.own_transitions.get(step.section.pk, [])
        ]

    def forms(self, step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
        choices = actor_choices(data)
        groups = actor_groups(data)
        found = StepForms(
            named={
                "part": PartForm(
                    prefix="part",
                    initial=unprefixed("part", values),
                    actor_choices=choices,
                    actor_groups=groups,
                    **bind,
                ),
                "own_transitions": formset(
                    OwnTransitionFormSet,
                    prefix="own",
                    rows=values.get("own", []),
                    bind=bind,
                    form_kwargs={"actor_choices": choices, "actor_groups": groups},
                ),
            }
        )
        companion_links.add_forms(found, step, data, values, bind, choices)
        found.points = points.forms_for(step, data, values, bind, choices)
        for t in step.transitions:
            prefix = f"transition-{t.pk}"
            found.transitions.append(
                (
                    t,
                    TransitionForm(
                        prefix=prefix,
                        initial=unprefixed(prefix, values),
                        actor_choices=choices,
                        actor_groups=groups,
                        arrangements=t.arrangements,
                        **bind,
                    ),
                )
            )
        return found

    def write(self, step: Step, data: ProgramData, values: Values) -> bool:
        allowed = actor_ids(data)
        part = unprefixed("part", values)
        answer = data.part_answers.get(step.section.pk)
        if answer is None:
            answer = pm.PartAnswer(program=data.program, section=step.section)
        for name in ("relevance", *PART_TEXT_FIELDS):
            setattr(answer, name, text(part.get(name)))
        answer.responsible_id = actor_or_none(part.get("responsible"), allowed)
        answer.patient_responsible_doctor_id = actor_or_none(
            part.get("patient_responsible_doctor"), allowed
        )
        answer.save()
        # set() drops the loaded list of collaborators; the next read fetches it again.
        answer.collaborating.set([pk for pk in part.get("collaborating") or [] if pk in allowed])
        data.part_answers[step.section.pk] = answer
        points.write(step, data, values)
        step_transitions = {t.pk: t for t in step.transitions}
        for transition_id, t in grouped(values, "transition").items():
            transition = step_transitions.get(transition_id)
            if transition is None:
                continue
            stored, _created = pm.TransitionAnswer.objects.update_or_create(
                program=data.program,
                transition_id=transition_id,
                defaults={
                    **{name: text(t.get(name)) for name in TRANSITION_TEXTS},
                    **{
                        f"{name}_id": actor_or_none(t.get(name), allowed)
                        for name in TRANSITION_ROLES
                    },
                    "arrangements": _arrangements(transition, t, allowed),
                },
            )
            for name, relation in TRANSITION_SIDES.items():
                # set() drops the loaded list; the next read fetches it again.
                getattr(stored, relation).set([pk for pk in t.get(name) or [] if pk in allowed])
            data.transition_answers[transition_id] = stored
        self._write_own(step, data, values.get("own", []), allowed)
        companion_links.write(step, data, values, allowed)
        return False

    def _write_own(self, step: Step, data: ProgramData, rows: list, allowed: set[int]) -> None:
        pm.OwnTransition.objects.filter(program=data.program, section=step.section).delete()
        written = []
        for position, row in enumerate(rows, start=1):
            own = pm.OwnTransition.objects.create(
                program=data.program,
                section=step.section,
                position=position,
                title=text(row.get("title")) or "—",
                trigger=text(row.get("trigger")),
                handover=text(row.get("handover")),
            )
            own.senders.set([pk for pk in row.get("sending") or [] if pk in allowed])
            own.receivers.set([pk for pk in row.get("receiving") or [] if pk in allowed])
            written.append(own)
        data.own_transitions[step.section.pk] = written

    def _check_own(self, step: Step, data: ProgramData, found: Findings) -> None:
        for own in data.own_transitions.get(step.section.pk, []):
            title = {"t": own.title}
            if not own.senders.all():
                found.gaps.append(
                    Gap(_("Overgangen '%(t)s' mangler afgivende aktør") % title, "own-transitions")
                )
            if not own.receivers.all():
                found.gaps.append(
                    Gap(_("Overgangen '%(t)s' mangler modtagende aktør") % title, "own-transitions")
                )

    def asks_points(self, step: Step, data: ProgramData) -> bool:
        """A part judged not relevant needs no answers to its attention points."""
        answer = data.part_answers.get(step.section.pk)
        return answer is None or answer.relevance != Relevance.NOT_RELEVANT

    def check(self, step: Step, data: ProgramData, found: Findings) -> None:
        gaps = found.gaps
        answer = data.part_answers.get(step.section.pk)
        if answer is None or not answer.relevance:
            # The radio list has no element of its own: the link names its first radio.
            gaps.append(
                Gap(
                    _("Tag stilling til, om delen er relevant for målgruppen"),
                    "id_part-relevance_0",
                )
            )
            return
        if answer.relevance == Relevance.NOT_RELEVANT:
            if blank(answer.not_relevant_reason):
                gaps.append(
                    Gap(
                        _("Delen er 'ikke relevant' uden begrundelse"),
                        "id_part-not_relevant_reason",
                    )
                )
            return
        if answer.responsible_id is None:
            gaps.append(Gap(_("Delen har ingen ansvarlig aktør"), "id_part-responsible"))
        if blank(answer.effort):
            gaps.append(Gap(_("Den sundhedsfaglige indsats er ikke beskrevet"), "id_part-effort"))
        self._check_own(step, data, found)
        for transition in step.transitions:
            t_answer = data.transition_answers.get(transition.pk)
            anchor = f"transition-{transition.pk}"
            title = {"t": transition.title}
            if t_answer is None or not t_answer.relevance:
                gaps.append(Gap(_("Overgangen '%(t)s' er ikke vurderet") % title, anchor))
            elif t_answer.relevance == Relevance.NOT_RELEVANT:
                if blank(t_answer.not_relevant_reason):
                    gaps.append(
                        Gap(
                            _("Overgangen '%(t)s' er 'ikke relevant' uden begrundelse") % title,
                            anchor,
                        )
                    )
            else:
                if not t_answer.senders.all():
                    gaps.append(
                        Gap(_("Overgangen '%(t)s' mangler afgivende aktør") % title, anchor)
                    )
                if not t_answer.receivers.all():
                    gaps.append(
                        Gap(_("Overgangen '%(t)s' mangler modtagende aktør") % title, anchor)
                    )
                open_items = [
                    item
                    for n, item in enumerate(transition.arrangements, start=1)
                    if not ((t_answer.arrangements or {}).get(str(n)) or {}).get("responsible")
                ]
                if open_items:
                    found.advice.append(
                        Gap(
                            _(
                                "Overgangen '%(t)s': det er ikke aftalt, hvem der sørger for "
                                "%(open)d af modellens %(all)d punkter"
                            )
                            % {
                                **title,
                                "open": len(open_items),
                                "all": len(transition.arrangements),
                            },
                            anchor,
                            key=f"arrangements-{transition.key}",
                        )
                    )


DEFINITION = Part()
