"""`{{ form.field|as_field }}`: a form field in our Bootstrap markup (pathways/field_rendering.py),
the same as crispy's `|as_crispy_field`, written without its per-field template chain."""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from pathways.field_rendering import field_html, writes

register = template.Library()


@register.filter
def as_field(bound):
    return field_html(bound) if writes(bound) else as_crispy_field(bound)


@register.filter
def as_fields(form):
    """`{{ form|as_fields }}`: as crispy's `{{ form|crispy }}` writes a form without a helper
    (its errors, then each field), each field by `as_field`."""
    if getattr(form, "helper", None) is not None:
        return as_crispy_form(form)
    errors = (
        render_to_string("bootstrap5/errors.html", {"form": form})
        if form.non_field_errors()
        else ""
    )
    fields = "".join(as_field(field) for field in form)
    return mark_safe(str(form.media) + errors + fields)  # noqa: S308 - each part escaped
