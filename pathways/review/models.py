"""Review rounds with each reviewer's verdict, and threaded comments on a program."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pathways.generic_model.models import AttentionPoint
from pathways.mail import display_name
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
    """One consultation (høring): the text as sent, to whom, and by when they answer."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="review_rounds")
    number = models.PositiveSmallIntegerField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    # The last day a party can give its verdict (answers after it need the editor's leave).
    deadline = models.DateField(_("svarfrist"), null=True, blank=True)
    cover_letter = models.TextField(_("høringsbrev"), blank=True, max_length=5000)
    # The program document as sent: "changes since the last round" compare against it.
    document = models.JSONField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
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
    """One consultation party's position in one round; blank until it gives it.

    A party is an organisation (a municipality, a hospital …) whose people each may answer
    for it, or, for a reviewer who speaks for no organisation, that reviewer alone.
    """

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="verdicts")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verdict = models.CharField(max_length=30, choices=Verdict.choices, blank=True)
    note = models.TextField(blank=True, max_length=5000)
    given_at = models.DateTimeField(null=True, blank=True)
    # Who gave it: a signed-in person, or a name from a personal link.
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    given_by_name = models.CharField(max_length=200, blank=True)
    # An answer after the deadline is admitted by an editor until this moment.
    late_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "reviewer"],
                condition=models.Q(reviewer__isnull=False),
                name="unique_round_reviewer",
            ),
            models.UniqueConstraint(
                fields=["round", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="unique_round_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.party_name} {self.verdict}"

    @property
    def party_name(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        if self.reviewer_id:
            return display_name(self.reviewer)
        return ""


class PartyContact(models.Model):
    """A person a consultation goes to for an organisation, with or without an account."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-mail"))

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="unique_party_contact"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> ({self.organisation})"


class PartyInvitation(models.Model):
    """One person's personal link to answer for a party in one round, without an account.

    The link carries a signed (invitation id, nonce) pair: nothing secret is stored, a
    reminder can repeat the link, and revoking or re-issuing changes what is accepted.
    It reads that program and comments or answers for that party, until the deadline plus
    a grace period (or a late answer's admission), and not after it is revoked.
    """

    party = models.ForeignKey(ReviewVerdict, on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-mail"))
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["party", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> – {self.party}"


class ProposalState(models.TextChoices):
    OPEN = "open", _("afventer redaktøren")
    ACCEPTED = "accepted", _("indarbejdet")
    DECLINED = "declined", _("ikke indarbejdet")


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
    # One answer of the step (the program document's path key, e.g.
    # "doc:attention_points|4.1/2|answer"); blank: the comment is on the whole step or point.
    field_key = models.CharField(max_length=300, blank=True)
    # A signed-in author, or a party's person who answers through a personal link.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invitation = models.ForeignKey(
        PartyInvitation, on_delete=models.PROTECT, null=True, blank=True, related_name="comments"
    )
    # The party the author spoke for in the round it was written in (the høringsnotat's rows).
    party = models.ForeignKey(
        ReviewVerdict, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    body = models.TextField(_("kommentar"), max_length=5000)
    # "Forslag til ny tekst" for the answer at field_key; the editor accepts or declines it.
    proposed_text = models.TextField(_("forslag til ny tekst"), blank=True, max_length=20000)
    proposal_state = models.CharField(max_length=10, choices=ProposalState.choices, blank=True)
    proposal_decided_at = models.DateTimeField(null=True, blank=True)
    proposal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
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
    def author_name(self) -> str:
        if self.author_id:
            return display_name(self.author)
        return self.invitation.name if self.invitation_id else ""

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
