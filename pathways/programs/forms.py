"""The fields the step forms are built from, and the program's forms outside the steps.

A draft save accepts incomplete answers (completeness.py reports what is missing); the
step forms (step_kinds/) only refuse malformed input — over-long text, a malformed
diagnosis code, an actor that is not the program's — with a message at the field.
"""

from __future__ import annotations

import datetime

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from pathways.programs.models import (
    TEXT,
    Relevance,
)
from pathways.programs.regions import all_region_choices, region_choices
from pathways.security.validators import (
    reject_control_characters,
    reject_control_characters_multiline,
)

DATA_SOURCES = [
    ("audit", _("Audit")),
    ("survey", _("Spørgeskema (survey)")),
    ("interview", _("Interview")),
    ("records", _("Journaldata og registre")),
]

ActorChoices = list[tuple[int, str]]
# The program's actors by sector, in the model's order of sectors: (sector name, actor ids).
ActorGroups = list[tuple[str, list[int]]]


class LineField(forms.CharField):
    """One line of text: control characters (a line break in a title, NUL, ESC) are refused
    at the field, since they break mail headers and other single-line uses."""

    default_validators = [reject_control_characters]


class TextAreaField(forms.CharField):
    """Multi-line text with a limit the server enforces and the page only announces.

    No `maxlength` attribute: a browser would cut a long paste silently. The page shows a
    live count instead (static/js/step-form.js reads `data-maxlength`), and an over-long
    text is refused at the field with the whole text still in it. Line ends are stored as
    "\n" whatever the browser sends ("\r\n"), so an unchanged text compares equal.
    """

    default_validators = [reject_control_characters_multiline]
    default_error_messages = {
        "max_length": _(
            "Teksten er %(show_value)d tegn; her er plads til højst %(limit_value)d. Intet er "
            "skåret af: forkort teksten, og gem igen."
        ),
    }

    def widget_attrs(self, widget: forms.Widget) -> dict[str, str]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        if self.max_length is not None:
            attrs["data-maxlength"] = str(self.max_length)
        return attrs

    def to_python(self, value: object) -> str:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")


def formatting_help(field_id: str) -> str:
    """The line under a long text field: a link to the formatting help, carrying (as
    data-*) what static/js/preview.js needs to add a preview beside the field, in the
    page's language."""
    return format_html(
        '<p class="form-text formatting-help mb-1" id="{}-formatting" data-for="{}"'
        ' data-preview-url="{}" data-show="{}" data-hide="{}" data-empty="{}"'
        ' data-failed="{}" data-heading="{}">'
        '<a href="{}" target="_blank" rel="noopener">{}</a></p>',
        field_id,
        field_id,
        reverse("formatting_preview"),
        _("Vis forhåndsvisning"),
        _("Skjul forhåndsvisning"),
        _("Intet at vise endnu."),
        _("Forhåndsvisningen kunne ikke hentes. Teksten er ikke berørt."),
        _("Forhåndsvisning"),
        reverse("formatting_help"),
        _("Formatering: lister, fed, links (åbner i nyt faneblad)"),
    )


class FormattedTextarea(forms.Textarea):
    """A text area for the Markdown subset (pathways/formatted_text.py), followed by the
    formatting help line and marked (data-formatted) for the preview."""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"data-formatted": "", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        area = super().render(name, value, attrs, renderer)
        field_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        return area + formatting_help(field_id)


def text_area(
    label: str, *, rows: int = 3, help_text: str = "", max_length: int = TEXT
) -> forms.CharField:
    return TextAreaField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=FormattedTextarea(attrs={"rows": rows}),
    )


def date_field(label: str) -> forms.DateField:
    # <input type="date"> shows and posts only ISO dates, whatever the interface language;
    # a localised value ("01.09.2027") would be shown as empty and posted back empty.
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
    )


TAMPERED_LIST = _(
    "Listen kom ikke korrekt frem (antallet af rækker passer ikke). Intet er gemt og intet "
    "slettet; rækkerne nedenfor er de gemte. Indlæs siden igen, og prøv på ny."
)


class SafeFormSet(forms.BaseFormSet):
    """A list of rows whose management data is checked before any form is built.

    With TOTAL_FORMS sent twice, missing, negative, below INITIAL_FORMS or above the list's
    maximum, Django would build fewer forms than the page showed (the rest deleted on save)
    or thousands of them. step_kinds.base.formset then shows the stored rows with a message instead.
    """

    @classmethod
    def management_problem(cls, data, prefix: str) -> str | None:
        counts = []
        for name in ("TOTAL_FORMS", "INITIAL_FORMS"):
            sent = data.getlist(f"{prefix}-{name}") if hasattr(data, "getlist") else []
            value = sent[0] if len(sent) == 1 else ""
            if not (value.isascii() and value.isdigit() and len(value) <= 6):
                return str(TAMPERED_LIST)
            counts.append(int(value))
        total, initial = counts
        if total < initial or total > cls.max_num:
            return str(TAMPERED_LIST)
        return None


def row_list(form: type[forms.Form], *, title, anchor: str, extra: int, max_num: int):
    """A step's list of rows (working group, codes, actors, the group's own transitions and
    parts): rows may be added and deleted, the management data is checked (SafeFormSet),
    `title` names the whole list in messages and conflicts, and `anchor` is the id of the
    list's section on the step page."""
    formset = forms.formset_factory(
        form,
        formset=SafeFormSet,
        extra=extra,
        can_delete=True,
        max_num=max_num,
        validate_max=True,
    )
    formset.title = title
    formset.anchor = anchor
    return formset


class ActorField(forms.TypedChoiceField):
    default_error_messages = {
        "invalid_choice": _(
            "Den valgte aktør findes ikke i programmet (den kan være slettet). "
            "Vælg en af programmets aktører."
        ),
    }

    def __init__(self, *, actor_choices: ActorChoices, label: str, **kwargs: object) -> None:
        super().__init__(
            label=label,
            choices=[("", _("— vælg aktør —")), *actor_choices],
            coerce=int,
            empty_value=None,
            required=False,
            **kwargs,
        )


class ActorCheckboxes(forms.CheckboxSelectMultiple):
    """The program's actors as checkboxes grouped by sector (templates/programs/
    _actor_picker.html shows each group as a fieldset; static/js/actor_picker.js adds a
    filter and removable tokens). Each option keeps the id and name of the flat list
    (`id_part-collaborating_3`), so links, saved drafts and tests find the same boxes."""

    def __init__(self, *args: object, groups: ActorGroups = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.groups = list(groups)

    def optgroups(self, name, value, attrs=None):
        flat = super().optgroups(name, value, attrs)
        options = [option for _group, found, _index in flat for option in found]
        rank = {pk: (n, sector) for n, (sector, pks) in enumerate(self.groups) for pk in pks}
        last = (len(self.groups), "")
        for option in options:
            option["group"] = rank.get(option["value"], last)[1]
        options.sort(key=lambda o: rank.get(o["value"], last)[0])  # stable: actors keep order
        return [(None, [option], n) for n, option in enumerate(options)]


class ActorsField(forms.TypedMultipleChoiceField):
    default_error_messages = ActorField.default_error_messages

    def __init__(
        self,
        *,
        actor_choices: ActorChoices,
        label: str,
        actor_groups: ActorGroups = (),
        **kwargs: object,
    ) -> None:
        super().__init__(
            label=label,
            choices=actor_choices,
            coerce=int,
            required=False,
            widget=ActorCheckboxes(groups=actor_groups),
            **kwargs,
        )


class RelevanceField(forms.ChoiceField):
    def __init__(self, label: str) -> None:
        super().__init__(
            label=label,
            choices=Relevance.choices,
            required=False,
            widget=forms.RadioSelect,
        )


# Forms outside the steps (each step kind's forms are in step_kinds/) ---------------------


class RegionField(forms.ChoiceField):
    """A region: every region's label is known (so a stored region always reads as its name,
    in the review screen, diff and log), but only the `offered` ones are in the list and may
    be chosen; any other code, also one posted by hand, is refused at the field."""

    default_error_messages = {
        "invalid_choice": _(
            "Regionen %(value)s kan ikke vælges her. Vælg en af de regioner, der gælder nu."
        ),
    }

    def __init__(
        self, *, offered: list[tuple[str, str]], known: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(choices=[("", "—"), *known], **kwargs)
        self.offered = {code for code, _label in offered}
        self.widget.choices = [("", "—"), *offered]

    def valid_value(self, value: object) -> bool:
        return str(value) in self.offered


class ProgramCreateForm(forms.Form):
    title = LineField(label=_("Titel"), max_length=200)

    def __init__(self, *args: object, on: datetime.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # A new program chooses among the regions that exist on the day it is created (from
        # 2027 not Region Sjælland).
        self.fields["region"] = RegionField(
            label=_("Region"), offered=region_choices(on), known=all_region_choices()
        )


class AddMemberForm(forms.Form):
    username = LineField(
        label=_("Brugernavn eller e-mail"),
        max_length=254,
        help_text=_(
            "Det nøjagtige brugernavn eller hele e-mailadressen på en person med en konto i "
            "værktøjet. Personen får besked pr. e-mail."
        ),
    )
    role = forms.ChoiceField(
        label=_("Rolle"),
        choices=[
            ("editor", _("Redaktør (skriver i programmet)")),
            ("reviewer", _("Høringspart (læser, kommenterer og svarer i høringen)")),
            ("reader", _("Læser")),
        ],
        initial="reviewer",
    )
    organisation = forms.TypedChoiceField(
        label=_("Taler for (høringsparter)"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: object, organisations: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "—")] + [(o.pk, o.name) for o in organisations]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("role") == "reviewer":
            if cleaned.get("organisation") is None and "organisation" not in self.errors:
                self.add_error(
                    "organisation", _("Angiv hvilken organisation høringsparten taler for.")
                )
        else:
            cleaned["organisation"] = None  # only reviewers speak for an organisation
        return cleaned
