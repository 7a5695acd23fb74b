"""Rendered PDFs kept for the next download, and the renderings the task worker is doing."""

from __future__ import annotations

from django.db import models

from pathways.programs.models import Program
from pathways.versions.models import ProgramVersion


class DraftPdf(models.Model):
    """The newest rendering of a program's draft, valid while its key matches the draft
    (pathways/pdf/draft_key.py): one per program, replaced by the next rendering."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    pdf = models.BinaryField()
    pages = models.PositiveIntegerField()
    seconds = models.FloatField()  # how long it took: the estimate the next wait shows
    rendered_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.program_id} {self.key[:12]}"


class JobState(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    FAILED = "failed"


class PdfJob(models.Model):
    """A rendering handed to the task worker; gone once its PDF is stored. One per draft key
    or version (the unique key), so a second click waits for the same job."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    version = models.ForeignKey(
        ProgramVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=80, unique=True)  # a draft key, or "version:<pk>"
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"
