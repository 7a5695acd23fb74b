"""Every write to a program goes through these functions.

Each is keyword-only, runs in one transaction, checks the user's right and writes an
audit entry. Step saves carry the revision the form was loaded from: if someone saved the
step in between, the save is refused with a StepConflict listing what differs.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from datetime import datetime as DateTime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pathways.generic_model import models as gm
from pathways.programs import models as pm
from pathways.programs import notifications
from pathways.programs.access import Action, require
from pathways.programs.completeness import assess
from pathways.programs.data import ProgramData, load_program_data
from pathways.programs.document import Names, changed_fields, step_document
from pathways.programs.editors import Values, read_values
from pathways.programs.merge import Choice, merge
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
) -> pm.Program:
    """Create a draft; its creator becomes its first editor."""
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
) -> SaveResult:
    """Write a step's values, merged field by field with saves made since `loaded_revision`.

    `decisions` settle the conflicts shown at `decided_at_revision`; if the step was saved
    again since, they no longer apply and the conflict is shown anew.
    """
    require(user, program, Action.EDIT)
    # Lock the program before reading its status, so a submit for review cannot slip in
    # between the check and the write (submit_for_review takes the same lock).
    program = pm.Program.objects.select_for_update().get(pk=program.pk)
    require_editable(program)
    revision, _created = pm.StepRevision.objects.select_for_update().get_or_create(
        program=program, step_key=step.key
    )
    data = load_program_data(program)
    theirs = read_values(step, data)
    mine = {key: value for key, value in values.items() if key in theirs}
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
    _APPLY[step.kind](program, step, result.values)
    data = load_program_data(program)
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
    return SaveResult(revision.number, changed=True, kept_from_others=result.taken_from_theirs)


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


# Writing values -------------------------------------------------------------------------
# Each function writes one step kind's values (editors.py reads them back the same way).


def _group(values: Values, prefix: str) -> dict[str, Any]:
    start = f"{prefix}-"
    return {k[len(start) :]: v for k, v in values.items() if k.startswith(start)}


def _groups(values: Values, kind: str) -> dict[int, dict[str, Any]]:
    """{pk: fields} of every `kind-<pk>-<field>` value, e.g. every attention point."""
    found: dict[int, dict[str, Any]] = {}
    for key, value in values.items():
        head, _sep, rest = key.partition("-")
        pk, _sep, name = rest.partition("-")
        if head == kind and pk.isascii() and pk.isdigit() and name:
            found.setdefault(int(pk), {})[name] = value
    return found


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _day(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _program_actor_ids(program: pm.Program) -> set[int]:
    return set(program.actors.values_list("pk", flat=True))


def _actor(value: Any, allowed: set[int]) -> int | None:
    # Forms already restrict choices; this guards against an actor deleted meanwhile.
    return value if value in allowed else None


def _apply_basis(program: pm.Program, step: Step, values: Values) -> None:
    basis = _group(values, "basis")
    program.title = _text(basis.get("title")) or program.title
    program.region = _text(basis.get("region")) or program.region
    program.purpose = _text(basis.get("purpose"))
    program.approving_body = _text(basis.get("approving_body"))
    program.save(update_fields=["title", "region", "purpose", "approving_body", "updated_at"])
    program.working_group.all().delete()
    pm.WorkingGroupMember.objects.bulk_create(
        pm.WorkingGroupMember(
            program=program,
            position=i,
            name=_text(row.get("name")),
            organisation=_text(row.get("organisation")),
            sector=_text(row.get("sector")),
            role=_text(row.get("role")),
        )
        for i, row in enumerate(values.get("wg", []), start=1)
    )


def _apply_criteria(program: pm.Program, step: Step, values: Values) -> None:
    valid_criteria = set(
        gm.Criterion.objects.filter(model_version=program.model_version).values_list(
            "pk", flat=True
        )
    )
    for criterion_id, answer in _groups(values, "criterion").items():
        if criterion_id in valid_criteria:
            applies = {"yes": True, "no": False}.get(answer.get("applies"))
            pm.CriterionAssessment.objects.update_or_create(
                program=program,
                criterion_id=criterion_id,
                defaults={"applies": applies, "reason": _text(answer.get("reason"))},
            )
    valid_needs = set(
        gm.Need.objects.filter(model_version=program.model_version).values_list("pk", flat=True)
    )
    for need_id, answer in _groups(values, "need").items():
        if need_id in valid_needs:
            pm.NeedAssessment.objects.update_or_create(
                program=program,
                need_id=need_id,
                defaults={"assessment": _text(answer.get("assessment"))},
            )


def _apply_points(program: pm.Program, step: Step, values: Values) -> None:
    allowed = _program_actor_ids(program)
    step_points = set(
        gm.AttentionPoint.objects.filter(section__in=step.point_sections).values_list(
            "pk", flat=True
        )
    )
    existing = set(program.point_answers.values_list("attention_point_id", flat=True))
    for point_id, answer in _groups(values, "point").items():
        if point_id not in step_points:
            continue
        fields = {
            "status": _text(answer.get("status")),
            "answer": _text(answer.get("answer")),
            "reason": _text(answer.get("reason")),
            "responsible_id": _actor(answer.get("responsible"), allowed),
        }
        if point_id not in existing and not any(fields.values()):
            continue  # an untouched point needs no row
        pm.AttentionPointAnswer.objects.update_or_create(
            program=program, attention_point_id=point_id, defaults=fields
        )


def _apply_target_group(program: pm.Program, step: Step, values: Values) -> None:
    target = _group(values, "target")
    groupings = set(
        gm.TargetGrouping.objects.filter(model_version=program.model_version).values_list(
            "pk", flat=True
        )
    )
    grouping = target.get("grouping")
    program.target_grouping_id = grouping if grouping in groupings else None
    for name in pm.TARGET_GROUP_TEXT_FIELDS:
        setattr(program, name, _text(target.get(name)))
    persons = target.get("estimated_persons")
    program.estimated_persons = persons if isinstance(persons, int) else None
    program.save(
        update_fields=[
            "target_grouping",
            "estimated_persons",
            *pm.TARGET_GROUP_TEXT_FIELDS,
            "updated_at",
        ]
    )
    systems = {
        cs.pk: cs for cs in gm.CodeSystem.objects.filter(model_version=program.model_version)
    }
    program.diagnosis_codes.all().delete()
    codes = []
    for i, row in enumerate(values.get("codes", []), start=1):
        system = systems.get(row.get("system"))
        if system is None:
            continue
        pm.check_code_format(system, row["code"])  # the model's invariant, enforced here too
        codes.append(
            pm.DiagnosisCode(
                program=program,
                code_system=system,
                code=row["code"],
                label=_text(row.get("label")),
                position=i,
            )
        )
    pm.DiagnosisCode.objects.bulk_create(codes)
    _apply_points(program, step, values)


ACTOR_REF = re.compile(r"a[1-9][0-9]{0,5}")


def next_actor_ref(program: pm.Program) -> str:
    """The next free "aN" of the program (refs are never reused within a program's life
    while the actor exists; the caller holds the program's lock)."""
    numbers = [
        int(ref[1:])
        for ref in program.actors.values_list("ref", flat=True)
        if ref[:1] == "a" and ref[1:].isdigit()
    ]
    return f"a{max(numbers, default=0) + 1}"


def _apply_actors(program: pm.Program, step: Step, values: Values) -> None:
    """The list is the program's actors in order: rows with a known id update that actor,
    rows without create one, and actors missing from the list are removed."""
    existing = {a.pk: a for a in program.actors.all()}
    types = set(
        gm.ActorType.objects.filter(model_version=program.model_version).values_list(
            "pk", flat=True
        )
    )
    rows = [dict(row) for row in values.get("actors", [])]
    kept: set[int] = set()
    for row in rows:
        if row.get("id") in existing and row["id"] not in kept:
            kept.add(row["id"])
        else:
            row["id"] = None  # unknown, foreign or repeated id: a new actor
    pm.ProgramActor.objects.filter(program=program).exclude(pk__in=kept).delete()
    taken_refs = set(program.actors.values_list("ref", flat=True))
    for position, row in enumerate(rows, start=1):
        fields = {
            "actor_type_id": row.get("actor_type") if row.get("actor_type") in types else None,
            "name": _text(row.get("name")),
            "unit": _text(row.get("unit")),
            "contact_point": _text(row.get("contact_point")),
            "visitation_entry": _text(row.get("visitation_entry")),
            "position": position,
        }
        actor = existing.get(row["id"]) if row["id"] else None
        if actor is not None:
            for name, value in fields.items():
                setattr(actor, name, value)
            actor.save()
        else:
            ref = row.get("ref")  # given by an imported document; forms never send one
            if not (isinstance(ref, str) and ACTOR_REF.fullmatch(ref)) or ref in taken_refs:
                ref = next_actor_ref(program)
            taken_refs.add(ref)
            pm.ProgramActor.objects.create(program=program, ref=ref, **fields)
    allowed = _program_actor_ids(program)
    roles = _group(values, "roles")
    program.patient_responsible_doctor_id = _actor(roles.get("patient_responsible_doctor"), allowed)
    program.municipal_coordinator_id = _actor(roles.get("municipal_coordinator"), allowed)
    program.patient_responsible_doctor_note = _text(roles.get("patient_responsible_doctor_note"))
    program.municipal_coordinator_note = _text(roles.get("municipal_coordinator_note"))
    program.save(
        update_fields=[
            "patient_responsible_doctor",
            "municipal_coordinator",
            "patient_responsible_doctor_note",
            "municipal_coordinator_note",
            "updated_at",
        ]
    )


def _apply_part(program: pm.Program, step: Step, values: Values) -> None:
    allowed = _program_actor_ids(program)
    part = _group(values, "part")
    answer, _created = pm.PartAnswer.objects.get_or_create(program=program, section=step.section)
    for name in ("relevance", *pm.PART_TEXT_FIELDS):
        setattr(answer, name, _text(part.get(name)))
    answer.responsible_id = _actor(part.get("responsible"), allowed)
    answer.save()
    answer.collaborating.set([pk for pk in part.get("collaborating") or [] if pk in allowed])
    _apply_points(program, step, values)
    step_transitions = {t.pk for t in step.transitions}
    for transition_id, t in _groups(values, "transition").items():
        if transition_id not in step_transitions:
            continue
        pm.TransitionAnswer.objects.update_or_create(
            program=program,
            transition_id=transition_id,
            defaults={
                "relevance": _text(t.get("relevance")),
                "not_relevant_reason": _text(t.get("not_relevant_reason")),
                "trigger": _text(t.get("trigger")),
                "handover": _text(t.get("handover")),
                "sending_id": _actor(t.get("sending"), allowed),
                "receiving_id": _actor(t.get("receiving"), allowed),
                "conference_convener_id": _actor(t.get("conference_convener"), allowed),
                "conference_follow_up_id": _actor(t.get("conference_follow_up"), allowed),
            },
        )


def _apply_implementation(program: pm.Program, step: Step, values: Values) -> None:
    implementation = _group(values, "implementation")
    for name in ("agreements_forum", "dissemination", "publication_place"):
        setattr(program, name, _text(implementation.get(name)))
    program.start_date = _day(implementation.get("start_date"))
    program.save(
        update_fields=[
            "agreements_forum",
            "dissemination",
            "publication_place",
            "start_date",
            "updated_at",
        ]
    )
    _apply_points(program, step, values)


def _apply_follow_up(program: pm.Program, step: Step, values: Values) -> None:
    follow_up = _group(values, "follow_up")
    program.follow_up_how_and_when = _text(follow_up.get("how_and_when"))
    program.follow_up_responsible_id = _actor(
        follow_up.get("responsible"), _program_actor_ids(program)
    )
    program.follow_up_indicators = _text(follow_up.get("indicators"))
    program.follow_up_data_sources = list(follow_up.get("data_sources") or [])
    program.follow_up_data_sources_note = _text(follow_up.get("data_sources_note"))
    program.next_review_date = _day(follow_up.get("next_review_date"))
    program.save()


_APPLY = {
    StepKind.BASIS: _apply_basis,
    StepKind.CRITERIA: _apply_criteria,
    StepKind.TARGET_GROUP: _apply_target_group,
    StepKind.ACTORS: _apply_actors,
    StepKind.PART: _apply_part,
    StepKind.IMPLEMENTATION: _apply_implementation,
    StepKind.FOLLOW_UP: _apply_follow_up,
}
