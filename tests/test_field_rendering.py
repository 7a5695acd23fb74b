"""`|as_field` (pathways/field_rendering.py) writes the same markup as crispy's
`|as_crispy_field` with our field.html: labels, required marking, errors at the field, help
texts and aria-describedby, for every field of every step form of the demo program."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms

from pathways.field_rendering import writes
from pathways.programs.data import load_program_data
from pathways.programs.step_kinds import build_step_forms
from pathways.programs.steps import StepKind
from pathways.programs.templatetags.fields import as_field, as_fields


class _Tokens(HTMLParser):
    """The markup as tags, attributes and text; whitespace between them is layout only."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("<", tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.tokens.append(("/", tag))

    def handle_data(self, data):
        text = re.sub(r"\s+", " ", data).strip()
        if text:
            self.tokens.append(("text", text))


def tokens(html: str) -> list:
    parser = _Tokens()
    parser.feed(html)
    return parser.tokens


def _fields(step_forms):
    for form in step_forms.all_forms():
        inner = [*form.forms, form.empty_form] if isinstance(form, forms.BaseFormSet) else [form]
        for bound_form in inner:
            for name in bound_form.fields:
                yield bound_form[name]


def _step_forms(step, data, posted=None):
    return build_step_forms(step, data, posted)


def test_every_step_field_of_the_demo_is_written_as_crispy_writes_it(demo_program):
    data = load_program_data(demo_program)
    written = 0
    for step in data.steps:
        if step.kind == StepKind.REVIEW:
            continue
        posted = build_step_forms(step, data).post_data().copy()
        for key in list(posted):
            if not key.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "-id")):
                posted[key] = '<b>"x"</b> & ' + "x" * 5000  # too long, needs escaping
        for bind in (None, posted):
            # Two sets of forms: crispy changes a widget's classes as it writes it.
            ours, theirs = _step_forms(step, data, bind), _step_forms(step, data, bind)
            for name, form in ours.named.items():
                if isinstance(form, forms.Form):  # whole forms: `|as_fields` for `|crispy`
                    crispy = as_crispy_form(_step_forms(step, data, bind).named[name])
                    assert tokens(as_fields(form)) == tokens(crispy)
            ours = _step_forms(step, data, bind)
            for mine, crispy in zip(_fields(ours), _fields(theirs), strict=True):
                if not writes(mine):
                    continue
                assert tokens(as_field(mine)) == tokens(as_crispy_field(crispy)), mine.html_name
                written += 1
    assert written > 1000


class Marked(forms.Form):
    name = forms.CharField(help_text="Hjælp <em>her</em>", max_length=3)
    agree = forms.BooleanField(help_text="Sæt kryds")
    kind = forms.ChoiceField(choices=[("a", "A")], required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)


def test_errors_help_required_and_local_markers_match_crispy():
    def form():
        made = Marked({"name": "abcd"})
        made.fields["name"].local_note = "Skal tilpasses lokalt"
        made.fields["name"].local_confirm = {"key": "k", "label": "Navn"}
        made.is_valid()
        return made

    ours, theirs = form(), form()
    for name in ours.fields:
        assert tokens(as_field(ours[name])) == tokens(as_crispy_field(theirs[name])), name
    html = as_field(form()["name"])
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert '<div id="id_name_error" class="invalid-feedback">' in html
    assert 'class="badge text-bg-warning local-mark">Skal tilpasses lokalt</span>' in html
