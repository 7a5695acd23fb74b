from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy

from pathways.programs import regions
from pathways.programs.forms import LineField, RegionField


class StartForm(forms.Form):
    """The new program's title and region: the planner's own, chosen (never assumed to be
    the source's) among the regions that exist today."""

    title = LineField(
        label=gettext_lazy("Titel på det nye program"),
        max_length=200,
        help_text=gettext_lazy("Kildens titel nævner måske kildens region: skriv jeres egen."),
    )

    def __init__(self, *args: object, on: datetime.date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = RegionField(
            label=gettext_lazy("Jeres region"),
            offered=regions.region_choices(on),
            known=regions.all_region_choices(),
        )
