from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pathways.public.models import MESSAGE_MAX
from pathways.security.validators import (
    reject_control_characters,
    reject_control_characters_multiline,
)


class FeedbackForm(forms.Form):
    message = forms.CharField(
        label=_("Din besked"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[reject_control_characters_multiline],
        error_messages={"required": _("Skriv din besked til programmets redaktører.")},
    )
    name = forms.CharField(
        label=_("Dit navn (valgfrit)"),
        max_length=200,
        required=False,
        validators=[reject_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Din e-mail (valgfri)"),
        required=False,
        help_text=_("Kun hvis du vil have svar. Adressen ses kun af programmets redaktører."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # A field people never see (hidden by CSS, skipped by screen readers): a form that
    # fills it in is a robot's, and its message is dropped without a word.
    website = forms.CharField(label=_("Lad dette felt stå tomt"), required=False)

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get("website"))
