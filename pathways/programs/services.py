"""Every write to a program goes through these functions.

Each is keyword-only, runs in one transaction, checks the user's right and writes an
audit entry. Step saves carry the revision the form was loaded from: if someone saved the
step in between, the save is refused with a StepConflict listing what differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime as DateTime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pathways.generic_model import models as gm
from pathways.programs import models as pm
from pathways.programs import notifications, regions
from pathways.programs.access import Action, require
from pathways.programs.completeness import assess
from pathways.programs.data import ProgramData, load_program_data
from pathways.programs.document import Names, changed_fields, step_document
from pathways.programs.merge import Choice, merge
from pathways.programs.page_cache import content_changed
from pathways.programs.signals import step_saved
from pathways.programs.step_kinds import Values, read_values, write_values
from pathways.programs.step_kinds.departures import is_reason
from pathways.programs.steps import Step, StepKind, build_steps


class ServiceError(Exception):
    """A refused request, with a message for the user."""


def audit(
    *,
    program: pm.Program,
    user: AbstractBaseUser | None,
    action: pm.AuditAction,
    step_key: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Record one change. Only a declared AuditAction is accepted: a typo raises here, in
    the first test that reaches it, instead of writing an entry the log cannot label."""
    if action not in pm.AuditAction.values:
        raise ValueError(f"Undeclared audit action {action!r}: declare it in AuditAction.")
    pm.AuditEntry.objects.create(
        program=program,
        user=user,
        action=action,
        step_key=step_key,
        before=before or {},
        after=after or {},
    )


@transaction.atomic
def create_program(
    *,
    user: AbstractBaseUser,
    title: str,
    region: str,
    model_version: gm.ModelVersion,
    is_example: bool = False,
    on: date | None = None,
    region_from_document: bool = False,
) -> pm.Program:
    """Create a draft; its creator becomes its first editor.

    A new program is written for a region that exists on the day it is created (`on`,
    default today). An imported program document (`region_from_document`) keeps the region
    it was written for, as the program it came from does, if that region is known here.
    """
    day = on or regions.today()
    if not regions.is_valid_on(region, day) and not (
        region_from_document and regions.is_known(region)
    ):
        raise ServiceError(
            _("Regionen %(region)s kan ikke vælges til et nyt program oprettet %(date)s.")
            % {"region": regions.region_name(region), "date": day.isoformat()}
        )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                program = pm.Program.objects.create(
                    title=title,
                    region=region,
                    model_version=model_version,
                    created_by=user,
                    is_example=is_example,
                )
            break
        except IntegrityError:  # short code collision: draw another
            continue
    else:  # pragma: no cover - 32**6 codes make this practically impossible
        raise ServiceError(_("Kunne ikke tildele en kort kode; prøv igen."))
    pm.Membership.objects.create(program=program, user=user, role=pm.Role.EDITOR)
    pm.StepRevision.objects.bulk_create(
        pm.StepRevision(program=program, step_key=step.key) for step in build_steps(model_version)
    )
    data = load_program_data(program)
    refresh_completeness_summary(program, data)
    record_initial_snapshots(program, data)
    audit(
        program=program,
        user=user,
        action=pm.AuditAction.PROGRAM_CREATED,
        after={"title": title, "region": region, "model": str(model_version)},
    )
    program.refresh_from_db()
    return program


INVITABLE_ROLES = (pm.Role.EDITOR, pm.Role.REVIEWER, pm.Role.READER)


def add_editor(*, program: pm.Program, user: AbstractBaseUser, identifier: str) -> pm.Membership:
    return add_member(program=program, user=user, identifier=identifier, role=pm.Role.EDITOR)


@transaction.atomic
def add_member(
    *,
    program: pm.Program,
    user: AbstractBaseUser,
    identifier: str,
    role: str,
    organisation: pm.Organisation | None = None,
    notify: bool = True,
) -> pm.Membership:
    """Editors invite co-editors, reviewers (for an organisation) and readers.

    Only an exact username or e-mail finds a person, and never a staff, superuser or inactive
    account: the refusal reads the same whether or not such an account exists, so the form
    tells nobody who has an account. The person added is told by e-mail (after commit), with
    how to leave again (`notify=False` only for loading demo data).
    """
    require(user, program, Action.EDIT)
    if role not in INVITABLE_ROLES:
        raise ServiceError(_("Godkendere udpeges af administratoren."))
    if role == pm.Role.REVIEWER and organisation is None:
        raise ServiceError(_("Angiv hvilken organisation høringsparten taler for."))
    identifier = identifier.strip()
    candidate = _invitable_user(identifier)
    if candidate is None:
        raise ServiceError(
            _("Der findes ingen aktiv bruger med brugernavnet eller e-mailen '%(who)s'.")
            % {"who": identifier}
        )
    membership, created = pm.Membership.objects.get_or_create(
        program=program, user=candidate, defaults={"role": role, "organisation": organisation}
    )
    if not created:
        raise ServiceError(
            _("%(who)s er allerede medlem af programmet.") % {"who": candidate.get_username()}
        )
    audit(
        program=program,
        user=user,
        action=pm.AuditAction.MEMBER_ADDED,
        after={
            "user": candidate.get_username(),
            "role": role,
            "organisation": str(organisation or ""),
        },
    )
    if notify:
        notifications.member_added(membership=membership, added_by=user)
    return membership


def _invitable_user(identifier: str) -> AbstractBaseUser | None:
    """The one ordinary, active account whose username or e-mail is `identifier`."""
    if not identifier:  # an empty e-mail must not match every account without one
        return None
    matches = list(
        get_user_model()
        .objects.filter(
            Q(username__iexact=identifier) | Q(email__iexact=identifier),
            is_active=True,
            is_staff=False,
            is_superuser=False,
        )
        .order_by("pk")[:10]
    )
    exact = [u for u in matches if u.get_username() == identifier]
    if len(exact) == 1:
        return exact[0]
    # Two accounts sharing an e-mail (or differing only in case): never guess which one.
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def leave_program(*, program: pm.Program, user: AbstractBaseUser) -> None:
    """A member leaves the program. The last editor cannot (nobody could write or invite),
    nor can the approver (only the administrator appoints approvers)."""
    require(user, program, Action.READ)
    # Lock the program first: two editors leaving at once must not both pass the check.
    program = pm.Program.objects.select_for_update().get(pk=program.pk)
    membership = (
        # of=("self",): PostgreSQL cannot lock the nullable side of the outer join.
        pm.Membership.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .filter(program=program, user=user)
        .first()
    )
    if membership is None:
        raise ServiceError(_("Du er ikke medlem af programmet."))
    if membership.role == pm.Role.APPROVER:
        raise ServiceError(
            _(
                "Godkenderen kan ikke selv forlade programmet. Bed administratoren om at "
                "udpege en anden godkender."
            )
        )
    if (
        membership.role == pm.Role.EDITOR
        and not program.memberships.filter(role=pm.Role.EDITOR).exclude(pk=membership.pk).exists()
    ):
        raise ServiceError(
            _(
                "Du er programmets eneste redaktør og kan ikke forlade det. "
                "Tilføj en anden redaktør først."
            )
        )
    membership.delete()
    getattr(user, "_program_roles", {}).pop(program.pk, None)  # access.role_of's cache
    audit(
        program=program,
        user=user,
        action=pm.AuditAction.MEMBER_LEFT,
        before={
            "user": user.get_username(),
            "role": membership.role,
            "organisation": str(membership.organisation or ""),
        },
    )


@dataclass(frozen=True)
class SaveResult:
    revision: int
    changed: bool  # False: the form held what was stored; nothing was written
    kept_from_others: list[str]  # field ids another editor changed meanwhile, kept as theirs


@dataclass
class StepConflict(Exception):
    """Someone else saved the same fields after this form was loaded."""

    conflicts: list[str]  # field ids both changed
    theirs: Values  # as stored now
    merged: Values  # everything merged; a conflicting field holds the saver's value
    saved_by: str
    saved_at: DateTime | None
    current_revision: int


@transaction.atomic
def save_step(
    *,
    program: pm.Program,
    user: AbstractBaseUser,
    step: Step,
    values: Values,
    loaded_revision: int,
    decisions: dict[str, Choice] | None = None,
    decided_at_revision: int | None = None,
    data: ProgramData | None = None,
) -> SaveResult:
    """Write a step's values, merged field by field with saves made since `loaded_revision`.

    `decisions` settle the conflicts shown at `decided_at_revision`; if the step was saved
    again since, they no longer apply and the conflict is shown anew. `data` is the program
    as the caller loaded it to validate the form: used as it is if nothing was saved since,
    so a save loads the program once.
    """
    require(user, program, Action.EDIT)
    # Lock the program before reading its status, so a submit for review cannot slip in
    # between the check and the write (submit_for_review takes the same lock).
    program = pm.Program.objects.select_for_update().get(pk=program.pk)
    require_editable(program)
    data = _current_data(program, data)
    revision, _created = pm.StepRevision.objects.select_for_update().get_or_create(
        program=program, step_key=step.key
    )
    theirs = read_values(step, data)
    # A reason typed for advice that someone else has followed meanwhile is kept too.
    mine = {key: value for key, value in values.items() if key in theirs or is_reason(key)}
    base = (
        theirs if revision.number == loaded_revision else _snapshot(program, step, loaded_revision)
    )
    if decided_at_revision != revision.number:
        decisions = None
    result = merge(base=base, theirs=theirs, mine=mine, decisions=decisions)
    if result.conflicts:
        raise StepConflict(
            conflicts=result.conflicts,
            theirs=theirs,
            merged=result.values,
            saved_by=revision.saved_by.get_username() if revision.saved_by else "",
            saved_at=revision.saved_at,
            current_revision=revision.number,
        )
    if result.values == theirs:
        return SaveResult(revision.number, changed=False, kept_from_others=[])

    before = step_document(step, theirs, Names(data))
    if write_values(step, data, result.values):
        data = load_program_data(program)  # the write changed other steps too
    stored = read_values(step, data)
    after = step_document(step, stored, Names(data))
    revision.number += 1
    revision.saved_by = user
    revision.saved_at = timezone.now()
    revision.save()
    pm.StepSnapshot.objects.create(
        program=program, step_key=step.key, number=revision.number, values=stored
    )
    data.revisions[step.key] = revision
    refresh_completeness_summary(program, data)
    # Per field, language-free: the document's paths and raw values (labels when shown).
    changed_before, changed_after = changed_fields(before, after)
    audit(
        program=program,
        user=user,
        action=pm.AuditAction.STEP_SAVED,
        step_key=step.key,
        before=changed_before,
        after=changed_after,
    )
    step_saved.send(
        sender=pm.Program, program=program, user=user, step=step, before=before, after=after
    )
    return SaveResult(revision.number, changed=True, kept_from_others=result.taken_from_theirs)


def _current_data(program: pm.Program, data: ProgramData | None) -> ProgramData:
    """`data` if it still shows the locked `program` as stored, else the program loaded
    anew. Every content change saves a step (a new revision) and touches `updated_at`, so
    equal revisions and timestamp mean nothing was saved since `data` was loaded."""
    if data is not None and data.program.pk == program.pk:
        stored = dict(program.step_revisions.values_list("step_key", "number"))
        loaded = {key: r.number for key, r in data.revisions.items()}
        if stored == loaded and data.program.updated_at == program.updated_at:
            data.program = program
            return data
    return load_program_data(program)


def _snapshot(program: pm.Program, step: Step, number: int) -> Values | None:
    found = pm.StepSnapshot.objects.filter(
        program=program, step_key=step.key, number=number
    ).first()
    return found.values if found else None


def record_initial_snapshots(program: pm.Program, data: ProgramData) -> None:
    """Revision 0 of every step: the base for merging the first saves of two editors."""
    pm.StepSnapshot.objects.bulk_create(
        pm.StepSnapshot(
            program=program, step_key=step.key, number=0, values=read_values(step, data)
        )
        for step in data.steps
        if step.kind != StepKind.REVIEW
    )


class NotEditable(ServiceError):
    """The program's status does not allow changes (e.g. it was sent for review)."""


def require_editable(program: pm.Program) -> None:
    """`program` must be the row just read under lock."""
    if program.status not in pm.EDITABLE_STATUSES:
        raise NotEditable(
            _("Programmet kan ikke ændres, mens det har status '%(status)s'.")
            % {"status": pm.ProgramStatus(program.status).label}
        )


def refresh_completeness_summary(program: pm.Program, data=None) -> None:
    report = assess(data or load_program_data(program))
    pm.Program.objects.filter(pk=program.pk).update(
        coverage_percent=report.coverage_percent,
        gap_count=report.gap_count,
        updated_at=timezone.now(),
    )
    # The step's rows may have been written by bulk_create, which sends no signal.
    content_changed(program.pk)
