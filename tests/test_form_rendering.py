"""The widgets pathways/form_rendering.py writes in Python come out exactly as Django's own
templates write them: every widget of every step form of the demo program, unbound and
bound with awkward input, compared with the template's output."""

from __future__ import annotations

from pathlib import Path

import django.forms
import pytest
from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.safestring import mark_safe

from pathways.form_rendering import _INPUTS, _WRITERS, FormRenderer
from pathways.programs.data import load_program_data
from pathways.programs.step_kinds import build_step_forms
from pathways.programs.steps import StepKind

WIDGETS = Path(django.forms.__file__).parent / "templates" / "django" / "forms" / "widgets"


class ByTemplate(FormRenderer):
    """Our renderer without the fast path: every widget from its template."""

    def render(self, template_name, context, request=None):
        return self.get_template(template_name).render(context, request=request).strip()


def _widgets(step_forms):
    for form in step_forms.all_forms():
        inner = form.forms if isinstance(form, forms.BaseFormSet) else [form]
        if isinstance(form, forms.BaseFormSet):
            inner = [*inner, form.empty_form, form.management_form]
        for bound_form in inner:
            for name in bound_form.fields:
                yield bound_form[name]


def _compare(bound_fields) -> int:
    fast, slow = FormRenderer(), ByTemplate()
    compared = 0
    for bound in bound_fields:
        widget = bound.field.widget
        value = bound.value()
        attrs = bound.build_widget_attrs({"class": "form-control"})
        attrs.setdefault("id", bound.auto_id)
        expected = widget.render(bound.html_name, value, attrs, renderer=slow)
        assert widget.render(bound.html_name, value, attrs, renderer=fast) == expected
        compared += 1
    return compared


def test_every_step_widget_of_the_demo_is_written_as_djangos_template_writes_it(
    demo_program, monkeypatch
):
    by_template = []  # widgets the fast renderer left to their template
    render = BaseRenderer.render
    monkeypatch.setattr(
        BaseRenderer,
        "render",
        lambda self, name, *a, **k: by_template.append(name) or render(self, name, *a, **k),
    )
    data = load_program_data(demo_program)
    compared = 0
    for step in data.steps:
        if step.kind == StepKind.REVIEW:
            continue
        step_forms = build_step_forms(step, data)
        compared += _compare(_widgets(step_forms))
        # Bound with text that needs escaping, in every field.
        posted = step_forms.post_data().copy()
        for key in list(posted):
            if not key.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "-id")):
                posted[key] = "<b>\"x\" & 'y'</b>\n  2"
        compared += _compare(_widgets(build_step_forms(step, data, posted)))
    assert compared > 1000  # every step's fields, twice
    # So the comparison compared the fast path for every widget it writes (radios and
    # checkbox lists, which crispy writes itself, are left to their templates).
    assert not set(by_template) & set(_WRITERS)


class Awkward(forms.Form):
    text = forms.CharField(max_length=20, required=False)
    number = forms.IntegerField()
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    flag = forms.BooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "disabled": True}))
    pick = forms.TypedChoiceField(
        coerce=int,
        choices=[("", "—"), ("Gruppe <1>", [(1, "a & b"), (2, mark_safe("<i>c</i>"))]), (3, 7)],
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")])
    hidden = forms.DecimalField(widget=forms.HiddenInput)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"text": "<&>", "number": "12", "day": "2027-09-01", "flag": "on", "note": "a\nb"},
        {"pick": "2", "many": ["x", "y"], "hidden": "1.5", "note": mark_safe("<b>ok</b>")},
        {"pick": "3", "number": "1e3", "day": "1.9.2027", "text": "æøå 'q'"},
    ],
)
def test_awkward_values_are_written_as_the_templates_write_them(data):
    form = Awkward(data, initial={"number": 1234567, "hidden": 1.5})
    assert _compare(form[name] for name in form.fields) == len(form.fields)


def test_the_input_templates_the_fast_path_replaces_only_include_input_html():
    """If Django changes a widget template, this fails, and form_rendering.py must follow."""
    include = '{% include "django/forms/widgets/input.html" %}'
    for name in _INPUTS:
        assert (WIDGETS / f"{name}.html").read_text().strip() == include, name
    assert set(_WRITERS) >= {f"django/forms/widgets/{name}.html" for name in _INPUTS}
