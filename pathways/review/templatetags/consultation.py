"""Comment forms beside each answer, for members and for a party's personal link alike:
the same templates post to the account's URLs or to the link's, by what the page has."""

from __future__ import annotations

from django import template
from django.urls import reverse

from pathways.programs.document import path_key

register = template.Library()


@register.filter
def field_key(path: tuple[str, ...]) -> str:
    return path_key(path)


@register.filter
def on_field(threads, key: str) -> list:
    """The threads about one answer."""
    return [t for t in threads if t.field_key == key]


@register.filter
def on_step_only(threads) -> list:
    """The threads about the whole step (or an attention point as a whole)."""
    return [t for t in threads if not t.field_key]


@register.simple_tag(takes_context=True)
def comment_add_url(context, step_key: str) -> str:
    token = context.get("invitation_token")
    if token:
        return reverse("consultation:invited_comment_add", args=[token, step_key])
    return reverse("review:comment_add", args=[context["program"].code, step_key])


@register.simple_tag(takes_context=True)
def comment_reply_url(context, comment_id: int) -> str:
    token = context.get("invitation_token")
    if token:
        return reverse("consultation:invited_comment_reply", args=[token, comment_id])
    return reverse("review:comment_reply", args=[context["program"].code, comment_id])
