"""Every write to a program goes through these functions.

Each is keyword-only, runs in one transaction, checks the user's right and writes an
audit entry. Step saves carry the revision the form was loaded from: if someone saved the
step in between, the save is refused with a StepConflict listing what differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pathways.generic_model import models as gm
from pathways.programs import models as pm
from pathways.programs.access import Action, require
from pathways.programs.completeness import assess
from pathways.programs.data import load_program_data
from pathways.programs.editors import Payload
from pathways.programs.snapshots import changed_items, step_snapshot
from pathways.programs.steps import Step, StepKind, build_steps


class ServiceError(Exception):
    """A refused request, with a message for the user."""


@dataclass
class StepConflict(Exception):
    """Someone else saved the step after this form was loaded."""

    changes: list[tuple[str, str, str]]  # (label, saved value, your value)
    saved_by: str
    saved_at: datetime | None
    current_revision: int


def audit(
    *,
    program: pm.Program,
    user: AbstractBaseUser | None,
    action: str,
    step_key: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> None:
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
    refresh_completeness_summary(program)
    audit(
        program=program,
        user=user,
        action="program_created",
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
) -> pm.Membership:
    """Editors invite co-editors, reviewers (for an organisation) and readers."""
    require(user, program, Action.EDIT)
    if role not in INVITABLE_ROLES:
        raise ServiceError(_("Godkendere udpeges af administratoren."))
    if role == pm.Role.REVIEWER and organisation is None:
        raise ServiceError(_("Angiv hvilken organisation høringsparten taler for."))
    identifier = identifier.strip()
    User = get_user_model()
    candidate = User.objects.filter(
        Q(username__iexact=identifier) | Q(email__iexact=identifier), is_active=True
    ).first()
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
        action="member_added",
        after={
            "user": candidate.get_username(),
            "role": role,
            "organisation": str(organisation or ""),
        },
    )
    return membership


@transaction.atomic
def save_step(
    *,
    program: pm.Program,
    user: AbstractBaseUser,
    step: Step,
    payload: Payload,
    loaded_revision: int,
) -> int:
    """Write one step's payload; return the step's new revision number."""
    require(user, program, Action.EDIT)
    require_editable(program)
    revision, _created = pm.StepRevision.objects.select_for_update().get_or_create(
        program=program, step_key=step.key
    )
    program = pm.Program.objects.select_for_update().get(pk=program.pk)
    before = step_snapshot(step, load_program_data(program))
    _APPLY[step.kind](program, step, payload)
    data = load_program_data(pm.Program.objects.get(pk=program.pk))
    after = step_snapshot(step, data)

    if revision.number != loaded_revision:
        # Leaving by exception rolls the transaction back: nothing of this save remains.
        raise StepConflict(
            changes=changed_items(before, after),
            saved_by=revision.saved_by.get_username() if revision.saved_by else "",
            saved_at=revision.saved_at,
            current_revision=revision.number,
        )

    revision.number += 1
    revision.saved_by = user
    revision.saved_at = timezone.now()
    revision.save()
    data.revisions[step.key] = revision
    refresh_completeness_summary(program, data)
    changes = changed_items(before, after)
    if changes:
        audit(
            program=program,
            user=user,
            action="step_saved",
            step_key=step.key,
            before={label: old for label, old, _new in changes},
            after={label: new for label, _old, new in changes},
        )
    return revision.number


def require_editable(program: pm.Program) -> None:
    current = pm.Program.objects.values_list("status", flat=True).get(pk=program.pk)
    if current not in pm.EDITABLE_STATUSES:
        raise ServiceError(
            _("Programmet kan ikke ændres, mens det har status '%(status)s'.")
            % {"status": pm.ProgramStatus(current).label}
        )


def refresh_completeness_summary(program: pm.Program, data=None) -> None:
    report = assess(data or load_program_data(program))
    pm.Program.objects.filter(pk=program.pk).update(
        coverage_percent=report.coverage_percent,
        gap_count=report.gap_count,
        updated_at=timezone.now(),
    )


# Applying payloads ------------------------------------------------------------------------


def _set(obj: Any, values: dict[str, Any], names: list[str]) -> None:
    for name in names:
        setattr(obj, name, values.get(name) if values.get(name) is not None else "")


def _program_actor_ids(program: pm.Program) -> set[int]:
    return set(program.actors.values_list("pk", flat=True))


def _actor(value: int | None, allowed: set[int]) -> int | None:
    # Forms already restrict choices; this guards against an actor deleted meanwhile.
    return value if value in allowed else None


def _apply_basis(program: pm.Program, step: Step, payload: Payload) -> None:
    basis = payload["basis"]
    program.title = basis["title"]
    program.region = basis["region"]
    program.purpose = basis.get("purpose") or ""
    program.approving_body = basis.get("approving_body") or ""
    program.save(update_fields=["title", "region", "purpose", "approving_body", "updated_at"])
    program.working_group.all().delete()
    pm.WorkingGroupMember.objects.bulk_create(
        pm.WorkingGroupMember(
            program=program,
            position=i,
            name=row["name"],
            organisation=row.get("organisation") or "",
            sector=row["sector"],
            role=row.get("role") or "",
        )
        for i, row in enumerate(payload["working_group"], start=1)
    )


def _apply_criteria(program: pm.Program, step: Step, payload: Payload) -> None:
    valid_criteria = set(
        gm.Criterion.objects.filter(model_version=program.model_version).values_list(
            "pk", flat=True
        )
    )
    for criterion_id, values in payload["criteria"].items():
        if criterion_id in valid_criteria:
            pm.CriterionAssessment.objects.update_or_create(
                program=program,
                criterion_id=criterion_id,
                defaults={"applies": values.get("applies"), "reason": values.get("reason", "")},
            )
    valid_needs = set(
        gm.Need.objects.filter(model_version=program.model_version).values_list("pk", flat=True)
    )
    for need_id, values in payload["needs"].items():
        if need_id in valid_needs:
            pm.NeedAssessment.objects.update_or_create(
                program=program,
                need_id=need_id,
                defaults={"assessment": values.get("assessment", "")},
            )


def _apply_points(program: pm.Program, step: Step, payload: Payload) -> None:
    allowed = _program_actor_ids(program)
    step_points = set(
        gm.AttentionPoint.objects.filter(section__in=step.point_sections).values_list(
            "pk", flat=True
        )
    )
    for point_id, values in payload.get("points", {}).items():
        if point_id not in step_points:
            continue
        pm.AttentionPointAnswer.objects.update_or_create(
            program=program,
            attention_point_id=point_id,
            defaults={
                "status": values.get("status") or "",
                "answer": values.get("answer") or "",
                "reason": values.get("reason") or "",
                "responsible_id": _actor(values.get("responsible"), allowed),
            },
        )


def _apply_target_group(program: pm.Program, step: Step, payload: Payload) -> None:
    target = payload["target"]
    groupings = set(
        gm.TargetGrouping.objects.filter(model_version=program.model_version).values_list(
            "pk", flat=True
        )
    )
    grouping = target.get("grouping")
    program.target_grouping_id = grouping if grouping in groupings else None
    _set(program, target, pm.TARGET_GROUP_TEXT_FIELDS)
    program.estimated_persons = target.get("estimated_persons")
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
    for i, row in enumerate(payload["codes"], start=1):
        system = systems.get(row["system"])
        if system is None:
            continue
        pm.check_code_format(system, row["code"])  # the model's invariant, enforced here too
        codes.append(
            pm.DiagnosisCode(
                program=program,
                code_system=system,
                code=row["code"],
                label=row.get("label") or "",
                position=i,
            )
        )
    pm.DiagnosisCode.objects.bulk_create(codes)
    _apply_points(program, step, payload)


def _apply_actors(program: pm.Program, step: Step, payload: Payload) -> None:
    existing = {a.pk: a for a in program.actors.all()}
    types = set(
        gm.ActorType.objects.filter(model_version=program.model_version).values_list(
            "pk", flat=True
        )
    )
    deleted = {pk for pk in payload.get("deleted_actor_ids", []) if pk in existing}
    pm.ProgramActor.objects.filter(program=program, pk__in=deleted).delete()
    for position, row in enumerate(payload["actors"], start=1):
        fields = {
            "actor_type_id": row.get("actor_type") if row.get("actor_type") in types else None,
            "name": row["name"],
            "unit": row.get("unit") or "",
            "contact_point": row.get("contact_point") or "",
            "visitation_entry": row.get("visitation_entry") or "",
            "position": position,
        }
        actor = existing.get(row.get("id")) if row.get("id") not in deleted else None
        if actor is not None:
            for name, value in fields.items():
                setattr(actor, name, value)
            actor.save()
        else:
            pm.ProgramActor.objects.create(program=program, **fields)
    allowed = _program_actor_ids(program)
    roles = payload["roles"]
    program.patient_responsible_doctor_id = _actor(roles.get("patient_responsible_doctor"), allowed)
    program.municipal_coordinator_id = _actor(roles.get("municipal_coordinator"), allowed)
    _set(program, roles, ["patient_responsible_doctor_note", "municipal_coordinator_note"])
    program.save(
        update_fields=[
            "patient_responsible_doctor",
            "municipal_coordinator",
            "patient_responsible_doctor_note",
            "municipal_coordinator_note",
            "updated_at",
        ]
    )


def _apply_part(program: pm.Program, step: Step, payload: Payload) -> None:
    allowed = _program_actor_ids(program)
    values = payload["part"]
    answer, _created = pm.PartAnswer.objects.get_or_create(program=program, section=step.section)
    _set(answer, values, ["relevance", *pm.PART_TEXT_FIELDS])
    answer.responsible_id = _actor(values.get("responsible"), allowed)
    answer.save()
    answer.collaborating.set([pk for pk in values.get("collaborating", []) if pk in allowed])
    _apply_points(program, step, payload)
    step_transitions = {t.pk for t in step.transitions}
    for transition_id, t in payload.get("transitions", {}).items():
        if transition_id not in step_transitions:
            continue
        pm.TransitionAnswer.objects.update_or_create(
            program=program,
            transition_id=transition_id,
            defaults={
                "relevance": t.get("relevance") or "",
                "not_relevant_reason": t.get("not_relevant_reason") or "",
                "trigger": t.get("trigger") or "",
                "handover": t.get("handover") or "",
                "sending_id": _actor(t.get("sending"), allowed),
                "receiving_id": _actor(t.get("receiving"), allowed),
                "conference_convener_id": _actor(t.get("conference_convener"), allowed),
                "conference_follow_up_id": _actor(t.get("conference_follow_up"), allowed),
            },
        )


def _apply_implementation(program: pm.Program, step: Step, payload: Payload) -> None:
    values = payload["implementation"]
    _set(program, values, ["agreements_forum", "dissemination", "publication_place"])
    program.start_date = values.get("start_date")
    program.save(
        update_fields=[
            "agreements_forum",
            "dissemination",
            "publication_place",
            "start_date",
            "updated_at",
        ]
    )
    _apply_points(program, step, payload)


def _apply_follow_up(program: pm.Program, step: Step, payload: Payload) -> None:
    values = payload["follow_up"]
    program.follow_up_how_and_when = values.get("how_and_when") or ""
    program.follow_up_responsible_id = _actor(
        values.get("responsible"), _program_actor_ids(program)
    )
    program.follow_up_indicators = values.get("indicators") or ""
    program.follow_up_data_sources = list(values.get("data_sources") or [])
    program.follow_up_data_sources_note = values.get("data_sources_note") or ""
    program.next_review_date = values.get("next_review_date")
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
