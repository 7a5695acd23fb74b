import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pathways.programs.forms import FormattedTextarea, TextAreaField
from pathways.programs.models import TEXT, Organisation
from pathways.review.models import Verdict


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Jeres holdning"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    note = TextAreaField(
        label=_("Bemærkning"),
        required=False,
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    target = forms.TypedChoiceField(
        label=_("Kommentaren gælder"), coerce=int, empty_value=None, required=False
    )
    body = TextAreaField(
        label=_("Kommentar"), max_length=TEXT, widget=FormattedTextarea(attrs={"rows": 3})
    )

    def __init__(self, *args: object, points: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("Hele trinnet"))] + [
            (p.pk, f"{p.reference} {p.title}") for p in points
        ]


class ReplyForm(forms.Form):
    body = TextAreaField(
        label=_("Svar"), max_length=TEXT, widget=FormattedTextarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    note = TextAreaField(
        label=_("Begrundelse"),
        required=False,
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InvitedCommentForm(forms.Form):
    """A comment from a personal link: on the whole step, or on one answer with new text."""

    field = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    body = TextAreaField(
        label=_("Kommentar"), max_length=TEXT, widget=FormattedTextarea(attrs={"rows": 3})
    )
    proposed_text = TextAreaField(
        label=_("Forslag til ny tekst (valgfrit)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StartRoundForm(forms.Form):
    """Who a consultation round goes to, by when they answer, and the cover letter."""

    groups = forms.MultipleChoiceField(
        label=_("Alle kommuner i"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Høringsparter"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(
        label=_("Svarfrist"),
        # <input type="date"> posts ISO dates whatever the interface language.
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": _("Vælg den sidste dag, parterne kan svare."),
            "invalid": _("Skriv en dato (dd.mm.åååå)."),
        },
    )
    cover_letter = TextAreaField(
        label=_("Høringsbrev"),
        required=False,
        max_length=TEXT,
        help_text=_("Kort: hvad parterne skal se på, og hvem de kan spørge."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, groups: dict[str, tuple[str, list]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.group_members = {key: members for key, (_label, members) in groups.items()}
        self.fields["groups"].choices = [(key, label) for key, (label, _m) in groups.items()]
        self.fields["organisations"].queryset = Organisation.objects.order_by("name")
        self.fields["deadline"].initial = timezone.localdate() + datetime.timedelta(
            days=settings.CONSULTATION_DEFAULT_DAYS
        )

    def clean_deadline(self) -> datetime.date:
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.localdate():
            raise forms.ValidationError(_("Svarfristen skal ligge efter i dag."))
        return deadline

    def chosen(self) -> list[Organisation]:
        """The organisations ticked one by one and those of every ticked group."""
        chosen = {o.pk: o for o in self.cleaned_data["organisations"]}
        for key in self.cleaned_data["groups"]:
            chosen.update({o.pk: o for o in self.group_members.get(key, [])})
        return sorted(chosen.values(), key=lambda o: o.name)


class PartyContactForm(forms.Form):
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    name = forms.CharField(label=_("Navn"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        error_messages={"invalid": _("Skriv en gyldig e-mailadresse.")},
    )


class DeclineForm(forms.Form):
    """Declining a proposed text needs a reply saying why (the party reads it)."""

    reply = TextAreaField(
        label=_("Svar"), max_length=TEXT, widget=FormattedTextarea(attrs={"rows": 2})
    )
