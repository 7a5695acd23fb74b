"""`{% reader_feedback program as feedback %}`: the newest messages readers sent about a
program from its public page, with how many there are, for its editors' program page."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template
from django.db.models import Count, Window

from pathways.programs.models import Program
from pathways.public.models import Feedback

register = template.Library()

NEWEST = 5


@dataclass
class ReaderFeedback:
    count: int = 0
    newest: list[Feedback] = field(default_factory=list)


@register.simple_tag
def reader_feedback(program: Program, newest: int = NEWEST) -> ReaderFeedback:
    # One query: the total rides along on each row (a window over all the program's rows,
    # counted before the limit).
    rows = list(
        Feedback.objects.filter(program=program)
        .select_related("version")
        .only("name", "email", "message", "created_at", "version__major", "version__minor")
        .annotate(total=Window(Count("pk")))
        .order_by("-created_at", "-pk")[:newest]
    )
    return ReaderFeedback(count=rows[0].total if rows else 0, newest=rows)
