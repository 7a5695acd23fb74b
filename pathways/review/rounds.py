"""A consultation round's parties: who it goes to, who may answer for whom, and until when.

A party is an organisation (every person the program invited as a reviewer for it, and its
contact people, who answer through a personal link) or a reviewer who speaks for no
organisation. The editor's actions on a running round (admit a late answer, revoke or
re-send a link, close the round, add a contact person) are here too; each is transactional,
checks role and state on the locked program row and writes an audit entry.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from pathways.mail import display_name
from pathways.programs.access import Action, require
from pathways.programs.models import (
    AuditAction,
    Membership,
    Organisation,
    Program,
    ProgramStatus,
    Role,
)
from pathways.programs.services import ServiceError, audit
from pathways.review import notifications
from pathways.review.invitations import deadline_end, may_answer, new_nonce
from pathways.review.models import PartyContact, PartyInvitation, ReviewRound, ReviewVerdict


@dataclass
class PlannedParty:
    """One party of a round about to open, with the people who will answer for it."""

    name: str
    organisation: Organisation | None = None
    reviewer: AbstractBaseUser | None = None  # a reviewer who speaks for no organisation
    members: list[Membership] = field(default_factory=list)
    contacts: list[PartyContact] = field(default_factory=list)


def plan_parties(program: Program, organisations) -> list[PlannedParty]:
    """The chosen organisations and every reviewer the program invited, as parties."""
    reviewers = list(
        program.memberships.filter(role=Role.REVIEWER).select_related("user", "organisation")
    )
    by_org: dict[int, PlannedParty] = {}
    for organisation in [*organisations, *(m.organisation for m in reviewers if m.organisation)]:
        by_org.setdefault(organisation.pk, PlannedParty(organisation.name, organisation))
    for member in reviewers:
        if member.organisation_id:
            by_org[member.organisation_id].members.append(member)
    member_emails = {m.user.email.lower() for m in reviewers if m.user.email}
    for contact in PartyContact.objects.filter(organisation_id__in=by_org):
        if contact.email.lower() not in member_emails:
            by_org[contact.organisation_id].contacts.append(contact)
    nobody = sorted(p.name for p in by_org.values() if not p.members and not p.contacts)
    if nobody:
        raise ServiceError(
            _("Ingen at sende høringen til hos: %(names)s. Tilføj en kontaktperson.")
            % {"names": ", ".join(nobody)}
        )
    individuals = [
        PlannedParty(display_name(m.user), reviewer=m.user, members=[m])
        for m in reviewers
        if not m.organisation_id
    ]
    return sorted(by_org.values(), key=lambda p: p.name) + individuals


def create_parties(review_round: ReviewRound, plan: list[PlannedParty]) -> list[PartyInvitation]:
    invitations = []
    for planned in plan:
        party = ReviewVerdict.objects.create(
            round=review_round, organisation=planned.organisation, reviewer=planned.reviewer
        )
        invitations += [
            PartyInvitation.objects.create(
                party=party, name=c.name, email=c.email, nonce=new_nonce()
            )
            for c in planned.contacts
        ]
    return invitations


def current_round(program: Program) -> ReviewRound | None:
    return program.review_rounds.filter(closed_at__isnull=True).first()


def party_of(user: AbstractBaseUser, review_round: ReviewRound) -> ReviewVerdict | None:
    """The party a signed-in reviewer answers for in `review_round`."""
    membership = (
        Membership.objects.filter(program_id=review_round.program_id, user=user)
        .only("organisation_id", "role")
        .first()
    )
    if membership is None or membership.role != Role.REVIEWER:
        return None
    if membership.organisation_id:
        return review_round.verdicts.filter(organisation_id=membership.organisation_id).first()
    return review_round.verdicts.filter(reviewer=user).first()


def acting_party(
    program: Program,
    *,
    user: AbstractBaseUser | None,
    invitation: PartyInvitation | None,
    action: Action,
) -> ReviewVerdict:
    """The party someone acts for in the program's open round: their account's or their
    link's. A link for another program is treated as no access at all."""
    if invitation is not None:
        party = invitation.party
        if party.round.program_id != program.pk:
            raise Http404("No such program.")
        if party.round.closed_at is not None:
            raise ServiceError(_("Høringsrunden er afsluttet."))
        return party
    require(user, program, action)
    review_round = current_round(program)
    party = party_of(user, review_round) if review_round else None
    if party is None:
        raise ServiceError(_("Du er ikke inviteret til den igangværende høringsrunde."))
    return party


def require_open_for(party: ReviewVerdict) -> None:
    """Refuse an answer after the deadline, unless an editor admitted it for the party."""
    if not may_answer(party):
        raise ServiceError(
            _("Svarfristen udløb %(deadline)s. Bed redaktøren om lov til at svare efter fristen.")
            % {"deadline": party.round.deadline.strftime("%d.%m.%Y")}
        )


def deadline_passed(review_round: ReviewRound) -> bool:
    end = deadline_end(review_round)
    return end is not None and timezone.now() >= end


def days_left(review_round: ReviewRound) -> int | None:
    if review_round.deadline is None:
        return None
    return (review_round.deadline - timezone.localdate()).days


# The editor's actions on a round ----------------------------------------------------------


def _locked_round_party(program: Program, user: AbstractBaseUser, party_id: int):
    require(user, program, Action.EDIT)
    program = Program.objects.select_for_update().get(pk=program.pk)
    party = (
        ReviewVerdict.objects.select_for_update(of=("self",))
        .select_related("round", "organisation", "reviewer")
        .filter(pk=party_id, round__program=program)
        .first()
    )
    if party is None:
        raise Http404("No such party.")
    return program, party


@transaction.atomic
def admit_late_answer(
    *, program: Program, user: AbstractBaseUser, party_id: int, days: int = 7
) -> ReviewVerdict:
    program, party = _locked_round_party(program, user, party_id)
    if program.status != ProgramStatus.IN_REVIEW or party.round.closed_at is not None:
        raise ServiceError(_("Høringsrunden er afsluttet."))
    if not deadline_passed(party.round):
        raise ServiceError(_("Svarfristen er ikke udløbet; parten kan stadig svare."))
    party.late_until = timezone.now() + datetime.timedelta(days=days)
    party.save(update_fields=["late_until"])
    audit(
        program=program,
        user=user,
        action=AuditAction.LATE_ANSWER_ADMITTED,
        after={"party": party.party_name, "until": party.late_until.isoformat()},
    )
    notifications.late_answer_admitted(party=party, user=user)
    return party


def _locked_invitation(program: Program, user: AbstractBaseUser, invitation_id: int):
    require(user, program, Action.EDIT)
    program = Program.objects.select_for_update().get(pk=program.pk)
    invitation = (
        PartyInvitation.objects.select_for_update(of=("self",))
        .select_related("party__round", "party__organisation")
        .filter(pk=invitation_id, party__round__program=program)
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    return program, invitation


@transaction.atomic
def revoke_invitation(*, program: Program, user: AbstractBaseUser, invitation_id: int) -> None:
    program, invitation = _locked_invitation(program, user, invitation_id)
    if invitation.revoked_at is not None:
        return
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit(
        program=program,
        user=user,
        action=AuditAction.INVITATION_REVOKED,
        after={"party": invitation.party.party_name, "name": invitation.name},
    )


@transaction.atomic
def reissue_invitation(
    *, program: Program, user: AbstractBaseUser, invitation_id: int
) -> PartyInvitation:
    """A new link for the same person (the old one stops working), mailed to them."""
    program, invitation = _locked_invitation(program, user, invitation_id)
    if invitation.party.round.closed_at is not None:
        raise ServiceError(_("Høringsrunden er afsluttet."))
    invitation.nonce, invitation.revoked_at = new_nonce(), None
    invitation.save(update_fields=["nonce", "revoked_at"])
    audit(
        program=program,
        user=user,
        action=AuditAction.INVITATION_REISSUED,
        after={"party": invitation.party.party_name, "name": invitation.name},
    )
    notifications.invited(review_round=invitation.party.round, invitations=[invitation], user=user)
    return invitation


@transaction.atomic
def close_round(*, program: Program, user: AbstractBaseUser) -> ReviewRound:
    """The editors take the answers in: the program is theirs to change again. Possible once
    the deadline has passed or every party has answered (the approver can end a round any
    time by asking for changes)."""
    require(user, program, Action.EDIT)
    program = Program.objects.select_for_update().get(pk=program.pk)
    review_round = current_round(program)
    if program.status != ProgramStatus.IN_REVIEW or review_round is None:
        raise ServiceError(_("Der er ingen igangværende høringsrunde."))
    waiting = review_round.verdicts.filter(verdict="").count()
    if waiting and not deadline_passed(review_round):
        raise ServiceError(
            _("Runden kan afsluttes, når svarfristen er udløbet eller alle parter har svaret.")
        )
    review_round.closed_at, review_round.outcome = timezone.now(), "closed"
    review_round.save(update_fields=["closed_at", "outcome"])
    program.status = ProgramStatus.CHANGES_REQUESTED
    program.save(update_fields=["status", "updated_at"])
    audit(
        program=program,
        user=user,
        action=AuditAction.ROUND_CLOSED,
        before={"status": ProgramStatus.IN_REVIEW},
        after={"status": ProgramStatus.CHANGES_REQUESTED, "round": str(review_round.number)},
    )
    return review_round


@transaction.atomic
def add_party_contact(
    *,
    program: Program,
    user: AbstractBaseUser,
    organisation_name: str,
    name: str,
    email: str,
) -> PartyContact:
    """A person a consultation goes to for an organisation (made if it is new)."""
    require(user, program, Action.EDIT)
    program = Program.objects.select_for_update().get(pk=program.pk)
    organisation_name, name, email = (
        " ".join(organisation_name.split()),
        " ".join(name.split()),
        email.strip(),
    )
    if not organisation_name or not name:
        raise ServiceError(_("Skriv organisationens og personens navn."))
    try:
        validate_email(email)
    except Exception:
        raise ServiceError(_("Skriv en gyldig e-mailadresse.")) from None
    organisation = Organisation.objects.filter(name__iexact=organisation_name).first()
    if organisation is None:
        organisation = Organisation.objects.create(name=organisation_name)
    contact = PartyContact.objects.filter(organisation=organisation, email__iexact=email).first()
    if contact is not None:
        raise ServiceError(
            _("%(email)s er allerede kontaktperson for %(organisation)s.")
            % {"email": email, "organisation": organisation.name}
        )
    contact = PartyContact.objects.create(organisation=organisation, name=name, email=email)
    audit(
        program=program,
        user=user,
        action=AuditAction.PARTY_CONTACT_ADDED,
        after={"organisation": organisation.name, "name": name, "email": email},
    )
    return contact


# Reminders ----------------------------------------------------------------------------------


def send_reminders(now: datetime.datetime | None = None) -> int:
    """Remind the parties that have not answered, once per round, when the deadline is at
    most CONSULTATION_REMINDER_DAYS away. Returns how many parties were reminded. Run daily
    by a scheduler (`manage.py send_consultation_reminders`)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    last_day = today + datetime.timedelta(days=settings.CONSULTATION_REMINDER_DAYS)
    reminded = 0
    due = ReviewRound.objects.filter(
        closed_at__isnull=True,
        reminded_at__isnull=True,
        program__status=ProgramStatus.IN_REVIEW,
        deadline__gte=today,
        deadline__lte=last_day,
    ).values_list("pk", flat=True)
    for round_id in due:
        with transaction.atomic():
            review_round = (
                ReviewRound.objects.select_for_update(of=("self",))
                .select_related("program")
                .filter(pk=round_id, reminded_at__isnull=True)
                .first()
            )
            if review_round is None:
                continue  # another run took it
            waiting = list(
                review_round.verdicts.filter(verdict="").select_related("organisation", "reviewer")
            )
            for party in waiting:
                notifications.reminder(party=party)
            review_round.reminded_at = now
            review_round.save(update_fields=["reminded_at"])
            reminded += len(waiting)
    return reminded


# "Til mig" ----------------------------------------------------------------------------------


def awaiting_verdict(user: AbstractBaseUser) -> list[ReviewVerdict]:
    """The open rounds' parties this person answers for that have not answered yet."""
    memberships = Membership.objects.filter(user=user, role=Role.REVIEWER)
    match = Q()
    for m in memberships:
        if m.organisation_id:
            match |= Q(round__program_id=m.program_id, organisation_id=m.organisation_id)
        else:
            match |= Q(round__program_id=m.program_id, reviewer=user)
    if not match:
        return []
    return list(
        ReviewVerdict.objects.filter(
            match,
            round__closed_at__isnull=True,
            round__program__status=ProgramStatus.IN_REVIEW,
            verdict="",
        )
        .select_related("round__program", "organisation")
        .order_by("round__deadline", "pk")
    )


# Groups of parties -------------------------------------------------------------------------


def party_groups(day: datetime.date | None = None) -> dict[str, tuple[str, list[Organisation]]]:
    """Every municipality of a region, or of a body (a sundhedsråd), as one tick: the bodies
    that apply on `day` or later, from the region file (dated data)."""
    from pathways.programs.models import ApprovingBody, Region

    day = day or timezone.localdate()
    by_municipality = {o.municipality: o for o in Organisation.objects.exclude(municipality="")}
    bodies = [
        b
        for b in ApprovingBody.objects.select_related("region").order_by("position")
        if b.municipalities and (b.valid_to is None or b.valid_to >= day)
    ]
    groups: dict[str, tuple[str, list[Organisation]]] = {}
    for region in Region.objects.order_by("position"):
        names = sorted({m for b in bodies if b.region_id == region.pk for m in b.municipalities})
        members = [by_municipality[m] for m in names if m in by_municipality]
        if members:
            label = _("%(region)s (%(n)d kommuner)") % {"region": region.name, "n": len(members)}
            groups[f"region:{region.code}"] = (label, members)
    for body in bodies:
        members = [by_municipality[m] for m in body.municipalities if m in by_municipality]
        if members:
            label = _("%(body)s (%(n)d kommuner)") % {"body": body.name, "n": len(members)}
            groups[f"body:{body.key}"] = (label, members)
    return groups
