from django import forms
from django.utils.translation import gettext_lazy as _

from pathways.programs.forms import TextAreaField
from pathways.programs.models import TEXT


class PublishForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Versionstype"),
        choices=[
            ("minor", _("Mindre ændring (fx 1.0 → 1.1)")),
            ("major", _("Større ændring (fx 1.1 → 2.0)")),
        ],
        widget=forms.RadioSelect,
        initial="minor",
    )
    change_note = TextAreaField(
        label=_("Ændringsnote"),
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hvad er nyt i denne version? Vises i versionshistorikken."),
    )
