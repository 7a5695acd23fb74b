"""Comment forms beside each answer, for members and for a party's personal link alike:
the same templates post to the account's URLs or to the link's, by what the page has."""

from __future__ import annotations

import hashlib

from django import template
from django.urls import reverse

from pathways.programs.document import path_key

register = template.Library()


@register.filter
def field_key(path: tuple[str, ...]) -> str:
    return path_key(path)


@register.simple_tag
def answer_anchor(step_key: str, field_key: str) -> str:
    """The id of one answer's comment form: the same on every page showing the answer, and
    safe in a URL's fragment whatever the path key holds (names, slashes, spaces)."""
    digest = hashlib.sha256(field_key.encode()).hexdigest()[:10]
    return f"answer-{step_key}-{digest}"


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


@register.filter
def kept_for(kept: dict, step_key: str) -> dict:
    """A refused answer comment kept for one step ({} when none)."""
    return (kept or {}).get(step_key, {})


@register.simple_tag
def anchored(url: str, anchor: str, reading_ids: dict | None, step_key: str) -> str:
    """`url#anchor`, unless the link leads to a step's reading view (reading_ids: the ids it
    has, by step) that has no element of that id: then the step itself."""
    if anchor and (reading_ids is None or anchor in reading_ids.get(step_key, ())):
        return f"{url}#{anchor}"
    return url
