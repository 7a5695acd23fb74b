"""Everything about one program, loaded in a fixed number of queries.

Completeness, the program document (review screen, versions, PDF, audit) and step forms read
from this bundle, so no page's query count grows with the size of the program.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch

from pathways.generic_model import models as gm
from pathways.generic_model.companions import CompanionGuide, load_guide
from pathways.programs import models as pm
from pathways.programs.steps import Step, build_steps


@dataclass
class ModelData:
    """The generic model's entries that a program's content names: enough to read a stored
    program document without its program (a published version's PDF)."""

    version: gm.ModelVersion
    steps: list[Step]
    criteria: list[gm.Criterion]
    needs: list[gm.Need]
    code_systems: list[gm.CodeSystem]
    groupings: list[gm.TargetGrouping]
    actor_types: list[gm.ActorType]
    points_by_section: dict[int, list[gm.AttentionPoint]]
    # The companion references (social pathway, offers) written for the model version.
    companion: CompanionGuide = field(default_factory=CompanionGuide)

    def points_for(self, step: Step) -> list[gm.AttentionPoint]:
        return [p for s in step.point_sections for p in self.points_by_section.get(s.pk, [])]

    @property
    def model_version(self) -> gm.ModelVersion:
        return self.version


# A model version's entries are never changed by the app: `load_generic_model` and the
# companion loader add rows (a new version, a new companion version). So its ModelData is
# kept per process, keyed by what a new load changes, and read-only from here on.
# An edit in the admin (or any save or delete of a model row) empties it: in this process at
# once, in others through the generation in the shared cache.
_MEMO: dict[tuple, ModelData] = {}
GENERIC_MODEL_GENERATION = "generic-model-generation"


def forget_model_data(**_kwargs) -> None:
    """Receiver of post_save/post_delete of the generic model's rows (programs/apps.py)."""
    _MEMO.clear()
    try:
        cache.incr(GENERIC_MODEL_GENERATION)
    except ValueError:
        cache.set(GENERIC_MODEL_GENERATION, 1, timeout=None)


def load_model_data(version: gm.ModelVersion) -> ModelData:
    """The model's entries (nine queries the first time, one after: the companions' stamp)."""
    companions = gm.CompanionVersion.objects.filter(model_version=version).aggregate(
        n=Count("pk"), newest=Max("pk"), loaded=Max("loaded_at")
    )
    key = (
        version.pk,
        version.loaded_at,
        tuple(companions.values()),
        cache.get(GENERIC_MODEL_GENERATION, 0),
    )
    found = _MEMO.get(key)
    if found is None:
        if len(_MEMO) > 16:  # versions replaced over a long run: keep the memo small
            _MEMO.clear()
        found = _MEMO[key] = _load_model_data(version)
    return found


def _load_model_data(version: gm.ModelVersion) -> ModelData:
    points_by_section: dict[int, list[gm.AttentionPoint]] = defaultdict(list)
    points = (
        gm.AttentionPoint.objects.filter(section__model_version=version)
        .select_related("section")
        .order_by("section__position", "position")
    )
    for point in points:
        points_by_section[point.section_id].append(point)
    return ModelData(
        version=version,
        steps=build_steps(version),
        criteria=list(gm.Criterion.objects.filter(model_version=version)),
        needs=list(gm.Need.objects.filter(model_version=version)),
        code_systems=list(gm.CodeSystem.objects.filter(model_version=version)),
        groupings=list(gm.TargetGrouping.objects.filter(model_version=version)),
        actor_types=list(gm.ActorType.objects.filter(model_version=version)),
        points_by_section=dict(points_by_section),
        companion=load_guide(version),
    )


@dataclass
class ProgramData:
    program: pm.Program
    steps: list[Step]
    working_group: list[pm.WorkingGroupMember]
    criteria: list[gm.Criterion]
    needs: list[gm.Need]
    code_systems: list[gm.CodeSystem]
    groupings: list[gm.TargetGrouping]
    actor_types: list[gm.ActorType]
    criterion_assessments: dict[int, pm.CriterionAssessment]
    need_assessments: dict[int, pm.NeedAssessment]
    diagnosis_codes: list[pm.DiagnosisCode]
    actors: list[pm.ProgramActor]
    part_answers: dict[int, pm.PartAnswer]
    point_answers: dict[int, pm.AttentionPointAnswer]
    transition_answers: dict[int, pm.TransitionAnswer]
    points_by_section: dict[int, list[gm.AttentionPoint]] = field(default_factory=dict)
    # The group's own transitions, by the part's section id.
    own_transitions: dict[int, list[pm.OwnTransition]] = field(default_factory=dict)
    # Parts of the pathway the group adds (the pathway step).
    own_parts: list[pm.OwnPart] = field(default_factory=list)
    revisions: dict[str, pm.StepRevision] = field(default_factory=dict)
    # The group's reasons for departing from the model's advice: step key → advice key → text.
    departures: dict[str, dict[str, str]] = field(default_factory=dict)
    companion: CompanionGuide = field(default_factory=CompanionGuide)
    # Per part (section id): coordination tools and offers linked, needs without an offer.
    coordination_tools: dict[int, list[pm.PartCoordinationTool]] = field(default_factory=dict)
    offer_links: dict[int, list[pm.PartOffer]] = field(default_factory=dict)
    offer_gaps: dict[int, list[pm.OfferGap]] = field(default_factory=dict)

    @property
    def model_version(self) -> gm.ModelVersion:
        return self.program.model_version

    @property
    def actors_by_id(self) -> dict[int, pm.ProgramActor]:
        return {a.pk: a for a in self.actors}

    def points_for(self, step: Step) -> list[gm.AttentionPoint]:
        return [p for s in step.point_sections for p in self.points_by_section.get(s.pk, [])]

    def model(self) -> ModelData:
        """The model's entries as loaded with the program (no queries)."""
        return ModelData(
            version=self.program.model_version,
            steps=self.steps,
            criteria=self.criteria,
            needs=self.needs,
            code_systems=self.code_systems,
            groupings=self.groupings,
            actor_types=self.actor_types,
            points_by_section=self.points_by_section,
            companion=self.companion,
        )

    def actor_name(self, actor_id: int | None) -> str:
        actor = self.actors_by_id.get(actor_id) if actor_id else None
        return actor.name if actor else ""


def load_program_data(program: pm.Program) -> ProgramData:
    model = load_model_data(program.model_version)
    # Lists copied: the memoised ModelData is shared between requests.
    return ProgramData(
        program=program,
        steps=list(model.steps),
        working_group=list(program.working_group.all()),
        criteria=list(model.criteria),
        needs=list(model.needs),
        code_systems=list(model.code_systems),
        groupings=list(model.groupings),
        actor_types=list(model.actor_types),
        criterion_assessments={a.criterion_id: a for a in program.criterion_assessments.all()},
        need_assessments={a.need_id: a for a in program.need_assessments.all()},
        diagnosis_codes=list(program.diagnosis_codes.select_related("code_system")),
        actors=list(program.actors.select_related("actor_type", "companion_actor__companion")),
        part_answers={
            a.section_id: a
            for a in program.part_answers.prefetch_related(
                Prefetch("collaborating", queryset=pm.ProgramActor.objects.only("pk"))
            )
        },
        point_answers={a.attention_point_id: a for a in program.point_answers.all()},
        transition_answers={
            a.transition_id: a
            for a in program.transition_answers.prefetch_related(
                Prefetch("senders", queryset=pm.ProgramActor.objects.only("pk")),
                Prefetch("receivers", queryset=pm.ProgramActor.objects.only("pk")),
            )
        },
        points_by_section=dict(model.points_by_section),
        own_transitions=_own_transitions(program),
        own_parts=list(program.own_parts.all()),
        revisions={r.step_key: r for r in program.step_revisions.select_related("saved_by")},
        departures=_departures(program),
        companion=model.companion,
        coordination_tools=_by_section(
            program.coordination_tools.select_related("tool__companion")
        ),
        offer_links=_by_section(program.offer_links.select_related("offer__companion")),
        offer_gaps=_by_section(program.offer_gaps.all()),
    )


def _by_section(rows) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    for row in rows:
        found[row.section_id].append(row)
    return dict(found)


def _departures(program: pm.Program) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for departure in program.advice_departures.order_by("step_key", "key"):
        found[departure.step_key][departure.key] = departure.note
    return dict(found)


def _own_transitions(program: pm.Program) -> dict[int, list[pm.OwnTransition]]:
    found: dict[int, list[pm.OwnTransition]] = defaultdict(list)
    for own in program.own_transitions.prefetch_related(
        Prefetch("senders", queryset=pm.ProgramActor.objects.only("pk")),
        Prefetch("receivers", queryset=pm.ProgramActor.objects.only("pk")),
    ):
        found[own.section_id].append(own)
    return dict(found)
