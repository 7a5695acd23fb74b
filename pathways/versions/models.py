"""Published versions: numbered, immutable, each with the PDF exactly as it was published."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pathways.programs.models import Program


class ProgramVersion(models.Model):
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="versions")
    major = models.PositiveSmallIntegerField()
    minor = models.PositiveSmallIntegerField()
    change_note = models.TextField(_("ændringsnote"), max_length=5000)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("offentliggjort"), auto_now_add=True)
    # The step snapshots as published (label → value per step), for viewing and diffs.
    content = models.JSONField(default=dict)
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
        return f"{self.program.title} {self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("A published version is immutable.")
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        return f"{self.major}.{self.minor}"

    @classmethod
    def numbered(cls, program: Program, number: str) -> models.QuerySet[ProgramVersion]:
        """The version of `program` numbered like "1.0" (empty for any other text)."""
        major, _dot, minor = number.partition(".")
        if not (major.isdigit() and minor.isdigit()):
            return cls.objects.none()
        return cls.objects.filter(program=program, major=int(major), minor=int(minor))
