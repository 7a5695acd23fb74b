"""Reading the forms a page offers, as a browser would submit them.

The hostile-input sweep finds the forms it posts by rendering the pages, so a form added to
a template is swept without anyone remembering to list it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from bs4 import BeautifulSoup, Tag
from django.urls import resolve

FREE_TEXT_INPUTS = {"text", "email", "search", "password", "url", "tel"}
MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


@dataclass
class Field:
    name: str
    kind: str  # text, number, date, hidden, management, choice, csrf
    values: list[str]


@dataclass
class PageForm:
    """One <form method="post"> as rendered: where it posts and what it sends."""

    page: str
    action: str
    fields: list[Field] = field(default_factory=list)
    button: dict[str, str] = field(default_factory=dict)

    @property
    def url_name(self) -> str:
        match = resolve(urlsplit(self.action).path)
        return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name

    def names(self, *kinds: str, extra_rows: bool = False) -> list[str]:
        """Names of the fields of these kinds; without the blank extra rows of formsets
        unless asked (text in a blank row makes the row's other fields required, so the
        whole form would be refused and nothing hostile would ever be stored)."""
        return [
            f.name
            for f in self.fields
            if f.kind in kinds and (extra_rows or not self._in_extra_row(f.name))
        ]

    def _in_extra_row(self, name: str) -> bool:
        prefix, _dash, rest = name.partition("-")
        index = rest.partition("-")[0]
        initial = self.data().get(f"{prefix}-INITIAL_FORMS")
        return index.isdigit() and isinstance(initial, str) and int(index) >= int(initial)

    def data(self, **changes: str | list[str]) -> dict[str, str | list[str]]:
        """What the browser would send, with `changes` (a name → value or values)."""
        data: dict[str, str | list[str]] = {}
        for f in self.fields:
            if f.values:
                data[f.name] = f.values if len(f.values) > 1 else f.values[0]
        data.update(self.button)
        data.update(changes)
        return data

    def body(self, raw: dict[str, bytes], **changes: str | list[str]) -> bytes:
        """The urlencoded body, with the fields in `raw` written as the given bytes as they
        are (for bodies no browser should send, e.g. invalid UTF-8)."""
        data = {k: v for k, v in self.data(**changes).items() if k not in raw}
        encoded = urlencode(data, doseq=True).encode()
        extra = b"&".join(name.encode() + b"=" + value for name, value in raw.items())
        return encoded + (b"&" + extra if encoded and extra else extra)


def _kind(element: Tag) -> str:
    name = element.get("name", "")
    if name == "csrfmiddlewaretoken":
        return "csrf"
    if name.endswith(MANAGEMENT):
        return "management"
    if element.name == "textarea":
        return "text"
    if element.name == "select":
        return "choice"
    kind = element.get("type", "text")
    if kind in FREE_TEXT_INPUTS:
        return "text"
    if kind in ("checkbox", "radio"):
        return "choice"
    return kind  # number, date, hidden


def _values(element: Tag) -> list[str]:
    if element.name == "textarea":
        return [element.text]
    if element.name == "select":
        options = element.find_all("option")
        chosen = [o for o in options if o.has_attr("selected")]
        if not chosen and not element.has_attr("multiple"):
            chosen = options[:1]  # a browser sends the first option of a plain select
        return [o.get("value", o.text) for o in chosen]
    if element.get("type") in ("checkbox", "radio"):
        return [element.get("value", "on")] if element.has_attr("checked") else []
    return [element.get("value", "")]


def read_forms(html: str, page: str) -> list[PageForm]:
    """Every POST form on the page (a form without action posts to the page itself)."""
    forms = []
    for element in BeautifulSoup(html, "html.parser").find_all("form"):
        if element.get("method", "get").lower() != "post":
            continue
        form = PageForm(page=page, action=element.get("action") or page)
        by_name: dict[str, Field] = {}
        for control in element.find_all(["input", "textarea", "select", "button"]):
            name = control.get("name")
            if control.name == "button" or control.get("type") == "submit":
                # The plain "save" button, or else the first named one, as a click sends.
                if name and (not form.button or name == "save"):
                    form.button = {name: control.get("value", "")}
                continue
            if not name:
                continue
            if name in by_name:  # radio buttons and checkboxes of one field
                by_name[name].values += _values(control)
                continue
            by_name[name] = Field(name, _kind(control), _values(control))
            form.fields.append(by_name[name])
        forms.append(form)
    return forms
