"""Programs with a history, made through the real services, and an empty database to
restore them into."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from pathways.catalogue.models import CatalogueEntry
from pathways.derivation import services as derivation
from pathways.derivation.models import Derivation
from pathways.programs.models import AuditEntry, Membership, Organisation, Program, Role
from pathways.public.models import Feedback
from pathways.public.services import give_feedback
from pathways.review import services as review
from pathways.review.models import Comment, PartyContact, ReviewRound
from pathways.versions.models import ProgramVersion
from pathways.versions.services import publish_version
from tests.factories import UserFactory, small_program


def people(program: Program):
    role = {
        m.role: m.user
        for m in Membership.objects.filter(program=program).exclude(user__username="medredaktoer")
    }
    return role[Role.EDITOR], role[Role.REVIEWER], role[Role.APPROVER]


def review_and_publish(program: Program) -> ProgramVersion:
    """Sent to a consultation (a reviewer and a municipality with a personal link), commented,
    answered, resolved, approved, published, given feedback and used as a starting point."""
    editor, reviewer, approver = people(program)
    municipality = Organisation.objects.get(name="Rebild Kommune")
    review_round = review.submit_for_review(
        program=program, user=editor, organisations=[municipality], cover_letter="Kære parter"
    )
    (invitation,) = [i for v in review_round.verdicts.all() for i in v.invitations.all()]
    review.give_verdict(
        program=program, user=reviewer, verdict="agree_with_comments", note="Fint, men se PPR"
    )
    review.give_verdict(program=program, invitation=invitation, verdict="agree", note="")
    question = review.add_comment(
        program=program, user=reviewer, step_key="grundlag", body="Hvem følger op på PPR?"
    )
    review.add_comment(
        program=program, user=editor, step_key="grundlag", parent=question, body="Kommunen gør."
    )
    review.set_resolved(program=program, user=editor, comment=question, resolved=True)
    linked = review.add_comment(
        program=program, invitation=invitation, step_key="grundlag", body="Vi er enige."
    )
    review.set_resolved(program=program, user=editor, comment=linked, resolved=True)
    review.approve(program=program, user=approver)
    version = publish_version(
        program=program, user=approver, major=True, change_note="Første udgave"
    )
    give_feedback(program=program, version=version, message="Tak for et godt program", name="Bo")
    planner = UserFactory(first_name="Åse", last_name="Øster")
    derived = derivation.start_from(
        user=planner,
        source_program=program,
        source_version=version,
        region="nordjylland",
        title="Afledt program",
    )
    (item, *_rest) = Derivation.objects.get(program=derived).local_items
    derivation.confirm_local_item(program=derived, user=planner, key=_key(item))
    small_program(owner=UserFactory())
    return version


def _key(item: dict) -> str:
    from pathways.derivation.local_items import key

    return key(item)


def empty_the_database() -> None:
    """Every program and everything that hangs on it, and every account: what a fresh
    database holds before restore_programs (reference data stays)."""
    CatalogueEntry.objects.all().delete()
    Feedback.objects.all().delete()
    Derivation.objects.all().delete()
    Comment.objects.filter(parent__isnull=False).delete()
    Comment.objects.all().delete()
    AuditEntry.objects.all().delete()
    ReviewRound.objects.all().delete()
    ProgramVersion.objects.all().delete()
    Program.objects.all().delete()
    PartyContact.objects.all().delete()
    get_user_model().objects.all().delete()
