"""A program started from another ("Brug som udgangspunkt"): where it came from, and which of
its copied content is local to the source's region until the working group has dealt with it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pathways.programs.models import Program
from pathways.versions.models import ProgramVersion


class LocalState(models.TextChoices):
    CONFIRMED = "confirmed", _("Bekræftet")
    CHANGED = "changed", _("Ændret")


class Derivation(models.Model):
    """The new draft (`program`) and its source, as it was when the draft was made.

    `local_items` lists what was copied that belongs to the source's region (local_items.py
    writes them: document path, kind, the value copied and the source's value, labels and
    the step page anchor); `decisions` holds, by the item's path key, how each was resolved:
    {"state": "confirmed" | "changed", "user": id, "by": name, "at": ISO moment}. An item
    without a decision is open: a gap until the group confirms or changes it.
    """

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="derivation")
    source_program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    # None: the source was a draft its members may read (no published version yet).
    source_version = models.ForeignKey(
        ProgramVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The source as started from: its title and region (a version's, or the draft's), and the
    # draft's status when there was no version.
    source_title = models.CharField(_("kildens titel"), max_length=200)
    source_region = models.CharField(_("kildens region"), max_length=20)
    source_status = models.CharField(_("kildens status"), max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    local_items = models.JSONField(default=list)
    decisions = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("program bygget på et andet")
        verbose_name_plural = _("programmer bygget på andre")

    def __str__(self) -> str:
        return f"{self.program.code} ← {self.source_program.code}"

    @property
    def source_number(self) -> str:
        return self.source_version.number if self.source_version_id else ""
