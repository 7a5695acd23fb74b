"""How form fields are rendered.

Required fields: the label's asterisk is hidden from screen readers
(templates/bootstrap5/field.html), so the field itself must say it. Django writes `required`
only outside formsets (a list's empty row may stay empty); there the field gets
`aria-required`, as the asterisk shows. Radios and checkbox lists take neither on each option,
so they are left alone.

Speed: a step page renders hundreds of widgets and thousands of select options (the actor
pickers); through Django's widget templates each option is three template includes, and that
was most of a step page's time. The common widgets (inputs, textarea, select) are therefore
written here in Python, byte for byte as Django's own templates write them
(tests/test_form_rendering.py compares the two). A widget template overridden by an app is
still rendered from its template: the fast path is taken only for Django's own file.
"""

from __future__ import annotations

from pathlib import Path

import django.forms
from django.forms import BoundField, CheckboxSelectMultiple, RadioSelect
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

_DJANGO_WIDGETS = Path(django.forms.__file__).parent / "templates" / "django" / "forms" / "widgets"


class AccessibleBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if (
            self.field.required
            and not attrs.get("required")
            and not widget.is_hidden
            and not isinstance(widget, (RadioSelect, CheckboxSelectMultiple))
        ):
            attrs["aria-required"] = "true"
        return attrs


class _Unusual(Exception):
    """A widget this module does not write itself: its template writes it."""


def _text(value) -> str:
    """`{{ value }}` for a string; anything a template would localise (a number, a date) is
    left to the template."""
    if not isinstance(value, str | Promise):
        raise _Unusual
    return conditional_escape(value)


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: made a string first, so never localised."""
    text = str(value)
    return text if isinstance(value, SafeData) else escape(text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {_text(name)}")
        else:
            out.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html (text, hidden, checkbox, number, date ... include it)."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_text(value) if value else ''}</textarea>"
    )


def _option(option: dict) -> str:
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>"
    )


def _select(widget: dict) -> str:
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                raise _Unusual
            out.append(f"\n  {_option(option)}\n")  # the included file's last newline
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


_INPUTS = [
    "text",
    "number",
    "email",
    "url",
    "password",
    "hidden",
    "date",
    "datetime",
    "time",
    "checkbox",
    "search",
    "tel",
    "color",
]
_WRITERS = {
    **{f"django/forms/widgets/{name}.html": _input for name in _INPUTS},
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


class FormRenderer(DjangoTemplates):
    bound_field_class = AccessibleBoundField

    def __init__(self) -> None:
        super().__init__()
        self._fast: dict[str, bool] = {}

    def render(self, template_name, context, request=None):
        writer = _WRITERS.get(template_name)
        if writer is not None and self._is_djangos_own(template_name):
            widget = context.get("widget")
            if isinstance(widget, dict):
                try:
                    return writer(widget).strip()
                except _Unusual:
                    pass
        return super().render(template_name, context, request)

    def _is_djangos_own(self, template_name: str) -> bool:
        """Whether `template_name` resolves to Django's file (not an app's override)."""
        if template_name not in self._fast:
            origin = self.get_template(template_name).origin.name
            self._fast[template_name] = Path(origin) == _DJANGO_WIDGETS / Path(
                template_name
            ).relative_to("django/forms/widgets")
        return self._fast[template_name]
