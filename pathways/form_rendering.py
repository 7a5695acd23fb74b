"""How every form field tells assistive technology that it is required.

The label's asterisk is hidden from screen readers (templates/bootstrap5/field.html), so the
field itself must say it. Django writes `required` only outside formsets (a list's empty row
may stay empty); there the field gets `aria-required`, as the asterisk shows. Radios and
checkbox lists take neither on each option, so they are left alone.
"""

from __future__ import annotations

from django.forms import BoundField, CheckboxSelectMultiple, RadioSelect
from django.forms.renderers import DjangoTemplates


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


class FormRenderer(DjangoTemplates):
    bound_field_class = AccessibleBoundField
