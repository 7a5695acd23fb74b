"""'Til mig': what awaits the signed-in person across all programs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from pathways.programs.models import Program, Role
from pathways.review import rounds
from pathways.review.models import Comment

# Replies older than this are history, not something waiting.
RECENT_REPLIES = 30


@require_safe
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    awaiting = [
        {"party": party, "days_left": rounds.days_left(party.round)}
        for party in rounds.awaiting_verdict(user)
    ]
    # Answers to my comments by others, newest first, while my comment is open.
    replies = (
        Comment.objects.filter(parent__author=user, parent__resolved_at__isnull=True)
        .exclude(author=user)
        .select_related("program", "author", "invitation", "parent")
        .order_by("-created_at")[:RECENT_REPLIES]
    )
    # My comments an editor accepted or declined proposed text for.
    decided = (
        Comment.objects.filter(author=user, proposal_decided_at__isnull=False)
        .select_related("program", "proposal_decided_by")
        .order_by("-proposal_decided_at")[:RECENT_REPLIES]
    )
    open_threads = Q(comments__parent__isnull=True, comments__resolved_at__isnull=True)
    editing = (
        Program.objects.filter(memberships__user=user, memberships__role=Role.EDITOR)
        .annotate(open_comments=Count("comments", filter=open_threads))
        .filter(open_comments__gt=0)
        .order_by("title")
    )
    return render(
        request,
        "review/inbox.html",
        {"awaiting": awaiting, "replies": replies, "decided": decided, "editing": editing},
    )
