from django import forms
from django.utils.translation import gettext_lazy as _

from pathways.programs.forms import FormattedTextarea, TextAreaField
from pathways.programs.models import TEXT
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


class DeclineForm(forms.Form):
    """Declining a proposed text needs a reply saying why (the party reads it)."""

    reply = TextAreaField(
        label=_("Svar"), max_length=TEXT, widget=FormattedTextarea(attrs={"rows": 2})
    )
