"""Helpers for posting step forms the way a browser does."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from django.test import Client


def form_fields(html: str) -> dict[str, Any]:
    """The values a browser would submit from the page's step form, as they stand.

    The step form is the one that carries the revision it was loaded from; a read-only page
    has none, and then this fails rather than quietly posting another form (the comment
    form) and letting a test pass for the wrong reason."""
    soup = BeautifulSoup(html, "html.parser")
    revision = soup.find("input", attrs={"name": "revision"})
    assert revision is not None, "the page has no step form"
    form = revision.find_parent("form")
    data: dict[str, Any] = {}
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or element.get("type") == "submit":
            continue
        if element.name == "textarea":
            # A browser drops the newline Django writes after <textarea> (HTML spec).
            text = element.text
            data[name] = text[1:] if text.startswith("\n") else text
        elif element.name == "select":
            chosen = element.find("option", selected=True)
            data[name] = chosen.get("value", "") if chosen else ""
        elif element.get("type") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                data.setdefault(name, [])
                data[name] = [*data[name], element.get("value", "on")]
        else:
            data[name] = element.get("value", "")
    return data


def post_step(client: Client, url: str, changes: dict[str, Any], **extra: str):
    """Load the step page, change some fields and submit it, like a user."""
    data = form_fields(client.get(url).content.decode())
    data.update(changes)
    data.update(extra or {"save": "1"})
    return client.post(url, data)
