"""A program's comment threads as the reading pages show them, in the few queries any page
needs: the review screen, a step's reading view and a personal link's page."""

from __future__ import annotations

from django.db.models import QuerySet

from pathways.programs.models import Program
from pathways.review.models import Comment


def comment_threads(program: Program) -> QuerySet[Comment]:
    """A program's comments with their replies (everything _thread.html reads)."""
    return (
        Comment.objects.filter(program=program, parent__isnull=True)
        .select_related(
            "author",
            "invitation",
            "resolved_by",
            "attention_point__section",
            "party__organisation",
            "party__reviewer",
        )
        .prefetch_related("replies__author", "replies__invitation")
    )


def threads_by_step(program: Program) -> dict[str, list[Comment]]:
    """Every thread of the program, by step, read once for the page (not per step)."""
    by_step: dict[str, list[Comment]] = {}
    for thread in comment_threads(program):
        by_step.setdefault(thread.step_key, []).append(thread)
    return by_step
