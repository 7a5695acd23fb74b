"""Matching a member's own programs by their live fields, as the catalogue's filters match
the published rows: the member may read the draft, so a draft is found by what it says now.

Each match is a subquery on the program's id (no joins, so a program stays one row).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from pathways.generic_model.models import Section, StepRole
from pathways.programs.models import (
    AttentionPointAnswer,
    OwnPart,
    OwnTransition,
    PartAnswer,
    PointStatus,
    ProgramActor,
    Relevance,
    TransitionAnswer,
)


def responsible_actor(text: str, programs: QuerySet) -> Q:
    """Programs among `programs` (a values("pk") subquery) in which an actor whose name
    contains `text` has a responsibility: the roles indexing.responsible_actors reads from
    a published version."""
    actors = ProgramActor.objects.filter(program__in=programs, name__icontains=text).values("pk")
    # Each list read only for `programs` (the database need not scan every program's rows).
    relevant_parts = PartAnswer.objects.filter(program__in=programs).exclude(
        relevance=Relevance.NOT_RELEVANT
    )
    relevant_transitions = TransitionAnswer.objects.filter(program__in=programs).exclude(
        relevance=Relevance.NOT_RELEVANT
    )
    holding = [
        relevant_parts.filter(Q(responsible__in=actors) | Q(patient_responsible_doctor__in=actors)),
        relevant_transitions.filter(Q(senders__in=actors) | Q(receivers__in=actors)),
        OwnTransition.objects.filter(program__in=programs).filter(
            Q(senders__in=actors) | Q(receivers__in=actors)
        ),
        OwnPart.objects.filter(program__in=programs, responsible__in=actors),
        AttentionPointAnswer.objects.filter(program__in=programs)
        .exclude(status=PointStatus.NOT_RELEVANT)
        .filter(responsible__in=actors),
    ]
    found = (
        Q(patient_responsible_doctor__in=actors)
        | Q(municipal_coordinator__in=actors)
        | Q(follow_up_responsible__in=actors)
    )
    for rows in holding:
        found |= Q(pk__in=rows.values("program"))
    return found


def life_phase(key: str) -> Q:
    """Programs with a part in life phase `key` that they have not judged irrelevant (an
    unanswered part counts, and a part without phases spans all, as in the pathway diagram
    and in indexing.age_bands)."""
    sections = (
        Section.objects.filter(step_role=StepRole.PART)
        .order_by()
        .select_related("model_version")
        .only("phases", "model_version__pathway_diagram")
    )
    in_phase = [
        s.pk
        for s in sections
        if key in s.life_phases_within([k for k, _label in s.model_version.life_phases])
    ]
    dropped = PartAnswer.objects.filter(
        program=OuterRef(OuterRef("pk")), relevance=Relevance.NOT_RELEVANT
    ).values("section")
    parts = Section.objects.filter(pk__in=in_phase, model_version=OuterRef("model_version"))
    return Q(Exists(parts.exclude(pk__in=dropped)))
