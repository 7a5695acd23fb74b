"""What readers of a public page send the program's editors ("Giv feedback")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pathways.programs.models import Program
from pathways.versions.models import ProgramVersion

MESSAGE_MAX = 5000


class Feedback(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="feedback")
    # The version whose page the reader came from (none: the form was opened on its own).
    version = models.ForeignKey(
        ProgramVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version"),
    )
    name = models.CharField(_("navn"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    message = models.TextField(_("besked"), max_length=MESSAGE_MAX)
    created_at = models.DateTimeField(_("modtaget"), auto_now_add=True)
    # A keyed hash of the sender's address: enough to see that many messages came from one
    # place, without keeping anyone's IP address.
    ip_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["program", "-created_at", "-pk"]
        verbose_name = _("feedback fra læser")
        verbose_name_plural = _("feedback fra læsere")
        indexes = [models.Index(fields=["program", "-created_at"], name="feedback_newest")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.program_id}"
