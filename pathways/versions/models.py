"""Published versions: numbered, immutable, each with the PDF exactly as it was published."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pathways.programs.models import Program
from pathways.programs.regions import region_label

# "1.0": ASCII digits only (str.isdigit() accepts "²" and Arabic-Indic digits, which int()
# then refuses), without leading zeros (one address per version), short enough to fit the
# small-integer columns.
NUMBER = re.compile(r"(0|[1-9][0-9]{0,4})\.(0|[1-9][0-9]{0,4})")
MAX_PART = 32767  # PositiveSmallIntegerField's largest value on every database


class ProgramVersion(models.Model):
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="versions")
    major = models.PositiveSmallIntegerField()
    minor = models.PositiveSmallIntegerField()
    change_note = models.TextField(_("ændringsnote"), max_length=5000)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("offentliggjort"), auto_now_add=True)
    # Title and region as published: the program's own fields belong to the current draft,
    # which outsiders may not read. Blank only for a version whose content did not record them.
    title = models.CharField(_("titel"), max_length=200, blank=True, default="")
    region = models.CharField(_("region"), max_length=20, blank=True, default="")  # a code
    # The program document as published (programs/document.py): language-free; what the
    # version page shows, what diffs compare and what its JSON export serves. Versions
    # published before it existed got theirs from their label-keyed content (migration 0004).
    document = models.JSONField()
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("offentliggjort version")
        verbose_name_plural = _("offentliggjorte versioner")
        ordering = ["program", "-major", "-minor"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "major", "minor"], name="unique_version_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title or self.program.code} {self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("A published version is immutable.")
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        return f"{self.major}.{self.minor}"

    @property
    def region_label(self) -> str:
        """The region as published, with where it went since (Region Sjælland – fra
        1. januar 2027 en del af Region Østdanmark)."""
        return region_label(self.region)

    @classmethod
    def numbered(cls, program: Program, number: str) -> models.QuerySet[ProgramVersion]:
        """The version of `program` numbered like "1.0" (empty for any other text)."""
        parsed = parse_number(number)
        if parsed is None:
            return cls.objects.none()
        return cls.objects.filter(program=program, major=parsed[0], minor=parsed[1])


def parse_number(number: object) -> tuple[int, int] | None:
    """(major, minor) for a version number like "1.0"; None for anything else."""
    match = NUMBER.fullmatch(number) if isinstance(number, str) else None
    if match is None:
        return None
    major, minor = int(match.group(1)), int(match.group(2))
    if major > MAX_PART or minor > MAX_PART:
        return None
    return major, minor
