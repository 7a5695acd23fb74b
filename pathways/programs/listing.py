""" "Mine programmer": search and filters, kept in the URL so a filtered list can be
bookmarked, shared and reached again with Back."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pathways.programs.codes import stored_forms
from pathways.programs.models import DiagnosisCode, Program, ProgramStatus
from pathways.programs.regions import all_region_choices


def text_match(text: str, among: QuerySet | None = None) -> Q:
    """Programs whose own title, short code or diagnosis code (however it is typed:
    codes.py stores one spelling) or diagnosis matches `text`. A subquery, not a join:
    a program with several matching codes is still one row. `among` (a subquery of
    program ids) limits the codes read to those programs'."""
    codes = DiagnosisCode.objects.filter(Q(code__in=stored_forms(text)) | Q(label__icontains=text))
    if among is not None:
        codes = codes.filter(program__in=among)
    return Q(title__icontains=text) | Q(code__iexact=text) | Q(pk__in=codes.values("program"))


class ProgramFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Søg"),
        required=False,
        max_length=200,
        help_text=_("Titel, programmets kode, diagnosekode (fx Q87.1 eller DQ871) eller diagnose"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("Alle"))]
        self.fields["status"].choices = everything + list(ProgramStatus.choices)
        self.fields["region"].choices = everything + all_region_choices()
        for name in ("status", "region"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def filter(self, programs: QuerySet[Program]) -> QuerySet[Program]:
        """The programs that match; an invalid filter (a tampered URL) filters nothing."""
        if not self.is_valid():
            return programs
        text = self.cleaned_data["q"].strip()
        if text:
            programs = programs.filter(text_match(text, among=programs.values("pk")))
        if self.cleaned_data["status"]:
            programs = programs.filter(status=self.cleaned_data["status"])
        if self.cleaned_data["region"]:
            programs = programs.filter(region=self.cleaned_data["region"])
        return programs

    @property
    def is_filtering(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())
