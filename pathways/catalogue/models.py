"""The national catalogue: one searchable row per program that has a published version.

A row describes the program's current (newest) published version, read from that version's
stored document, never from the draft: outsiders may read the catalogue. It is derived data
(indexing.py writes it when a version is published; `rebuild_catalogue` writes it again), so
a list of 10,000 programs is searched without reading one document.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pathways.programs.models import Program
from pathways.versions.models import ProgramVersion

# Delimits the life phases in `age_bands` and the codes in `codes`, so that a filter or a
# code search is a plain substring match of one whole value ("|barndom|", " DQ871 ").
PHASE_DELIMITER = "|"
CODE_DELIMITER = " "


class CatalogueEntry(models.Model):
    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="catalogue_entry"
    )
    version = models.ForeignKey(ProgramVersion, on_delete=models.CASCADE, related_name="+")
    number = models.CharField(_("version"), max_length=11)  # "1.0", as the version shows it
    title = models.CharField(_("titel"), max_length=200, db_index=True)
    region = models.CharField(_("region"), max_length=20, db_index=True)  # a Region's code
    # The model's target grouping key; blank: the program describes its own target group.
    grouping = models.CharField(_("målgruppe"), max_length=60, blank=True, db_index=True)
    # The life-phase keys the relevant parts cover: "|barndom|ungdom|".
    age_bands = models.CharField(_("livsfaser"), max_length=200, blank=True)
    # Every code in its stored form and its other shown forms, in capitals:
    # " DQ992 Q99.2 ORPHA:908 300624 ".
    codes = models.TextField(_("koder"), blank=True)
    # The codes as a reader sees them, one a line: "ICD-10 DQ992 (Q99.2) – Angelman syndrom"
    # (shown, not searched: a code is matched whole, in `codes`).
    code_lines = models.TextField(_("diagnosekoder"), blank=True)
    # The diagnoses' names, one a line (searched: "Angelman").
    diagnoses = models.TextField(_("diagnoser"), blank=True)
    # The names of the actors with a responsibility anywhere in the program, one a line.
    actors_responsible = models.TextField(_("ansvarlige aktører"), blank=True)
    published_at = models.DateTimeField(_("offentliggjort"), db_index=True)
    next_review_date = models.DateField(_("næste revision"), null=True, blank=True)

    class Meta:
        verbose_name = _("katalogpost")
        verbose_name_plural = _("katalogposter")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return f"{self.title} {self.number}"

    @property
    def code_list(self) -> list[str]:
        return [line for line in self.code_lines.splitlines() if line]
