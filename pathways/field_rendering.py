"""One form field in our Bootstrap markup, written in Python.

The same markup as crispy's `|as_crispy_field` with our templates/bootstrap5/field.html
(label with an aria-hidden asterisk, the local item's marker and "Bekræft", errors at the
field, the help text), without its chain of templates and includes per field: a step page has
hundreds of fields, and that chain was the larger part of its time.
tests/test_field_rendering.py compares the two for every field of every step form.
Fields this does not write (radios, checkbox lists, files, fields of a form with a crispy
helper) go to crispy as before.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.forms import BoundField
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

_LEFT_TO_CRISPY = (
    forms.RadioSelect,
    forms.CheckboxSelectMultiple,
    forms.FileInput,
    forms.MultiWidget,
)


def writes(bound: BoundField) -> bool:
    """Whether `field_html` writes this field (else crispy's template does)."""
    widget = bound.field.widget
    return not (
        getattr(bound.form, "helper", None) is not None
        or isinstance(widget, _LEFT_TO_CRISPY)
        or hasattr(widget, "widgets")
        or hasattr(widget, "widget")
        or widget.use_fieldset
    )


def field_html(bound: BoundField) -> SafeString:
    if bound.is_hidden:
        return mark_safe(str(bound))  # noqa: S308 - the widget's own (escaping) rendering
    esc = conditional_escape
    field = bound.field
    checkbox = isinstance(field.widget, forms.CheckboxInput)
    required = field.required
    asterisk = '<span class="asteriskField" aria-hidden="true">*</span>' if required else ""
    css = bound.css_classes()
    out = []
    if checkbox:
        out.append('<div class="mb-3">')
        out.append(
            f'<div id="div_{esc(bound.auto_id)}" class="form-check{f" {esc(css)}" if css else ""}">'
        )
        out.append(_widget(bound, "form-check-input"))
        out.append(
            f'<label for="{esc(bound.id_for_label)}" class="form-check-label'
            f'{" requiredField" if required else ""}">{esc(bound.label)}{asterisk}</label>'
        )
        out.append(_errors_and_help(bound))
    else:
        out.append(
            f'<div id="div_{esc(bound.auto_id)}" class="mb-3{f" {esc(css)}" if css else ""}">'
        )
        if bound.label:
            note = getattr(field, "local_note", None)
            target = f'for="{esc(bound.id_for_label)}" ' if bound.id_for_label else ""
            out.append(
                f'<label {target}class="form-label{" requiredField" if required else ""}">'
                f"{esc(bound.label)}{asterisk}"
                f"{_marker(note) if note else ''}"
                "</label>"
            )
        widget_class = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        out.append(_widget(bound, widget_class))
        out.append(_errors_and_help(bound))
    confirm = getattr(field, "local_confirm", None)
    if confirm:
        out.append(render_to_string("derivation/_confirm_button.html", {"confirm": confirm}))
    out.append("</div>")
    if checkbox:
        out.append("</div>")
    return mark_safe("\n".join(out))  # noqa: S308 - every piece escaped or rendered safe


def _marker(note) -> str:
    """A copied local item's marker (pathways/derivation/marks.py)."""
    return f' <span class="badge text-bg-warning local-mark">{conditional_escape(note)}</span>'


def _widget(bound: BoundField, css_class: str) -> str:
    """crispy's `{% crispy_field field 'class' '...' %}`: the widget's own class name (as
    crispy adds it, converted by CRISPY_CLASS_CONVERTERS), then Bootstrap's."""
    widget = bound.field.widget
    name = widget.__class__.__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    current = widget.attrs.get("class", "")
    if current:
        if current.find(name) == -1:
            current += f" {name}"
    else:
        current = name
    for extra in (css_class, "is-invalid") if bound.errors else (css_class,):
        if extra not in current.split():
            current += f" {extra}"
    widget.attrs["class"] = current
    return str(bound)


def _errors_and_help(bound: BoundField) -> str:
    esc = conditional_escape
    out = []
    if bound.errors:
        out.append(f'<div id="{esc(bound.errors.field_id)}_error" class="invalid-feedback">')
        for counter, error in enumerate(bound.errors, start=1):
            out.append(
                f'<p id="error_{counter}_{esc(bound.auto_id)}"><strong>{esc(error)}</strong></p>'
            )
        out.append("</div>")
    if bound.help_text:
        target = f'id="{esc(bound.auto_id)}_helptext" ' if bound.auto_id else ""
        # Help texts are ours and may hold markup, as crispy's `|safe` allows.
        help_text = mark_safe(bound.help_text)  # noqa: S308
        out.append(f'<div {target}class="form-text">{help_text}</div>')
    return "\n".join(out)
