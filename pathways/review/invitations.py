"""Personal links: a consultation party's person reads the program and answers without an account.

A link is the signed pair (invitation id, nonce). Nothing secret is stored, so a reminder
can repeat a link; revoking sets `revoked_at`, and a re-issued link gets a new nonce, so an
old one stops working. A link works until the round's deadline plus
CONSULTATION_LINK_GRACE_DAYS (or until a late answer admitted for its party may be given),
for that one program and party only.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from pathways.mail import absolute_url
from pathways.review.models import PartyInvitation, ReviewRound, ReviewVerdict

SALT = "pathways.review.invitation"


def new_nonce() -> str:
    return secrets.token_urlsafe(16)[:22]


def token_for(invitation: PartyInvitation) -> str:
    return signing.dumps([invitation.pk, invitation.nonce], salt=SALT, compress=False)


def link_for(invitation: PartyInvitation) -> str:
    return absolute_url(reverse("consultation:invited", args=[token_for(invitation)]))


def deadline_end(review_round: ReviewRound) -> datetime.datetime | None:
    """The end of the deadline day in the site's time zone (answers are due "by" that day)."""
    if review_round.deadline is None:
        return None
    next_day = review_round.deadline + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time.min))


def expires_at(invitation: PartyInvitation) -> datetime.datetime | None:
    party = invitation.party
    end = deadline_end(party.round)
    if end is None:
        return None
    expiry = end + datetime.timedelta(days=settings.CONSULTATION_LINK_GRACE_DAYS)
    return max(expiry, party.late_until) if party.late_until else expiry


def may_answer(party: ReviewVerdict, now: datetime.datetime | None = None) -> bool:
    """Whether the party can still give its verdict or comment in its round: the round is
    open and the deadline has not passed, or an editor admitted a late answer."""
    now = now or timezone.now()
    review_round = party.round
    if review_round.closed_at is not None:
        return False
    end = deadline_end(review_round)
    if end is None or now < end:
        return True
    return party.late_until is not None and now < party.late_until


def find_invitation(token: str) -> PartyInvitation | None:
    """The invitation a link names, if the link is genuine, not revoked and not expired."""
    try:
        pk, nonce = signing.loads(token, salt=SALT)
        pk = int(pk)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    invitation = (
        PartyInvitation.objects.select_related(
            "party__round__program__model_version", "party__organisation"
        )
        .filter(pk=pk)
        .first()
    )
    if invitation is None or not constant_time_compare(invitation.nonce, str(nonce)):
        return None
    if invitation.revoked_at is not None:
        return None
    expiry = expires_at(invitation)
    if expiry is not None and timezone.now() >= expiry:
        return None
    return invitation
