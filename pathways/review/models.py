"""Review rounds with each reviewer's verdict, and threaded comments on a program."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pathways.generic_model.models import AttentionPoint
from pathways.programs.models import Organisation, Program, Role


class ApprovalCondition(models.TextChoices):
    """What makes an approval need a recorded reason."""

    OPEN_COMMENTS = "open_comments", _("åbne kommentarer")
    OBJECTION = "objection", _("en høringsparts indsigelse")
    RESOLVED_BY_OTHERS = (
        "resolved_by_others",
        _("kommentarer løst af andre end forfatteren eller en redaktør"),
    )


class ReviewRound(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="review_rounds")
    number = models.PositiveSmallIntegerField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, blank=True)
    approval_override_reason = models.TextField(blank=True, max_length=5000)
    # Why the approval needed that reason (ApprovalCondition values).
    approval_override_conditions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["program", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="unique_round_number"),
        ]

    def __str__(self) -> str:
        return f"{self.program.code} runde {self.number}"

    def override_condition_labels(self) -> list[str]:
        return [
            str(ApprovalCondition(c).label)
            for c in self.approval_override_conditions
            if c in ApprovalCondition.values
        ]


class Verdict(models.TextChoices):
    AGREE = "agree", _("Enig")
    AGREE_WITH_COMMENTS = "agree_with_comments", _("Enig med bemærkninger")
    OBJECT = "object", _("Gør indsigelse")


class ReviewVerdict(models.Model):
    """One invited reviewer's position in one round; blank until they give it."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="verdicts")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verdict = models.CharField(max_length=30, choices=Verdict.choices, blank=True)
    note = models.TextField(blank=True, max_length=5000)
    given_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "reviewer"], name="unique_round_reviewer"),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.reviewer} {self.verdict}"


class Comment(models.Model):
    """A comment on a step, a part of the pathway (a part step) or one attention point."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="comments")
    step_key = models.CharField(max_length=40)
    attention_point = models.ForeignKey(
        AttentionPoint, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("kommentar"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The resolver's role when they resolved it: whether approval needs a reason depends on
    # who closed a reviewer's point, and a later change of membership must not rewrite that.
    resolved_by_role = models.CharField(max_length=20, choices=Role.choices, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.program.code}/{self.step_key}: {self.body[:40]}"

    @property
    def is_open(self) -> bool:
        return self.parent_id is None and self.resolved_at is None

    @property
    def resolved_by_other(self) -> bool:
        """Closed by neither its author nor an editor answering it (the approver, another
        reviewer): approving over such a comment needs a reason."""
        return (
            self.resolved_at is not None
            and self.resolved_by_id != self.author_id
            and self.resolved_by_role != Role.EDITOR
        )
