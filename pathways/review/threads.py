"""A program's comment threads as the reading pages show them, in the few queries any page
needs: the review screen, a step's reading view and a personal link's page."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from pathways.pagination import PAGE_SIZE
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


# A step page's comment list comes in pages (oldest first, as a conversation reads); every
# link to a thread names its page, so a mail's or the hearing note's link still finds it.
PAGE_PARAM = "kommentarer"


def step_threads(program: Program, step_key: str) -> QuerySet[Comment]:
    """The step page's list, in the order its pages cut it."""
    return comment_threads(program).filter(step_key=step_key).order_by("pk")


def thread_pages(program: Program) -> dict[int, int]:
    """thread pk → the page of its step's list it stands on (one query for the program)."""
    pages: dict[int, int] = {}
    seen: dict[str, int] = {}
    rows = Comment.objects.filter(program=program, parent__isnull=True).order_by("pk")
    for pk, step_key in rows.values_list("pk", "step_key"):
        seen[step_key] = seen.get(step_key, 0) + 1
        pages[pk] = (seen[step_key] - 1) // PAGE_SIZE + 1
    return pages


def thread_url(
    program: Program,
    step_key: str,
    thread: Comment,
    page: int | None = None,
    anchor_pk: int | None = None,
) -> str:
    """The step page at `thread` (a top-level comment), on the page of the list holding it;
    `anchor_pk`: a reply in it to point at instead."""
    if page is None:
        before = Comment.objects.filter(
            program=program, step_key=step_key, parent__isnull=True, pk__lt=thread.pk
        ).count()
        page = before // PAGE_SIZE + 1
    url = reverse("programs:step", args=[program.code, step_key])
    query = f"?{PAGE_PARAM}={page}" if page > 1 else ""
    return f"{url}{query}#comment-{anchor_pk or thread.pk}"
