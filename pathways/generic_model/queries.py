"""Read-side queries for the generic model, shaped for the reference page."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from pathways.generic_model import models as m


@dataclass
class SectionNode:
    section: m.Section
    attention_point_groups: list[tuple[str, list[m.AttentionPoint]]]
    children: list[SectionNode] = field(default_factory=list)


@dataclass
class ModelOverview:
    version: m.ModelVersion
    section_tree: list[SectionNode]
    attention_point_count: int
    actor_types: list[m.ActorType]
    criteria: list[m.Criterion]
    needs: list[m.Need]
    code_systems: list[m.CodeSystem]
    target_groupings: list[m.TargetGrouping]
    target_group_questions: list[m.TargetGroupQuestion]
    transitions: list[m.Transition]
    resources_by_appendix: list[tuple[str, list[m.Resource]]]
    legal_references: list[m.LegalReference]


def model_versions() -> QuerySet[m.ModelVersion]:
    return m.ModelVersion.objects.order_by("slug", "-loaded_at")


def model_overview(*, slug: str, version: str) -> ModelOverview:
    """Everything the reference page shows, in a fixed number of queries."""
    model_version = get_object_or_404(m.ModelVersion, slug=slug, version=version)
    actor_types = list(
        m.ActorType.objects.filter(model_version=model_version).prefetch_related("sections")
    )
    sections = list(
        m.Section.objects.filter(model_version=model_version).prefetch_related(
            "questions",
            Prefetch(
                "attention_points",
                queryset=m.AttentionPoint.objects.prefetch_related("actors"),
            ),
            # What belongs to each section, so a step's "read more" link lands on all of it.
            Prefetch("legal_references", queryset=m.LegalReference.objects.order_by("position")),
            Prefetch("resources", queryset=m.Resource.objects.order_by("position")),
        )
    )
    nodes = {
        s.number: SectionNode(
            section=s,
            attention_point_groups=[
                (group, list(points))
                for group, points in groupby(s.attention_points.all(), key=lambda p: p.group)
            ],
        )
        for s in sections
    }
    tree: list[SectionNode] = []
    for s in sections:
        parent = nodes.get(s.number.rsplit(".", 1)[0]) if "." in s.number else None
        (parent.children if parent else tree).append(nodes[s.number])

    resources = list(m.Resource.objects.filter(model_version=model_version).select_related("actor"))
    return ModelOverview(
        version=model_version,
        section_tree=tree,
        attention_point_count=sum(len(s.attention_points.all()) for s in sections),
        actor_types=actor_types,
        criteria=list(m.Criterion.objects.filter(model_version=model_version)),
        needs=list(m.Need.objects.filter(model_version=model_version)),
        code_systems=list(m.CodeSystem.objects.filter(model_version=model_version)),
        target_groupings=list(m.TargetGrouping.objects.filter(model_version=model_version)),
        target_group_questions=list(
            m.TargetGroupQuestion.objects.filter(model_version=model_version)
        ),
        transitions=list(
            m.Transition.objects.filter(model_version=model_version)
            .select_related("section")
            .prefetch_related("sending_actors", "receiving_actors")
        ),
        resources_by_appendix=[
            (appendix, list(items))
            for appendix, items in groupby(
                sorted(resources, key=lambda r: (r.appendix, r.position)),
                key=lambda r: r.appendix,
            )
        ],
        legal_references=list(
            m.LegalReference.objects.filter(model_version=model_version).prefetch_related(
                "sections"
            )
        ),
    )
