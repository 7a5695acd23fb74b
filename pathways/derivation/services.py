"""Writes of "Brug som udgangspunkt": starting a program from another, and resolving its
local items. Each checks the user's right on the locked rows and writes an audit entry."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pathways.derivation import local_items
from pathways.derivation.gaps import open_items
from pathways.derivation.models import Derivation, LocalState
from pathways.mail import display_name
from pathways.programs import exchange, regions
from pathways.programs import models as pm
from pathways.programs.access import Action, require
from pathways.programs.data import load_program_data
from pathways.programs.document import program_document
from pathways.programs.services import ServiceError, audit, require_editable
from pathways.programs.steps import build_steps
from pathways.versions.models import ProgramVersion


def source_document(
    user: AbstractBaseUser, program: pm.Program, version: ProgramVersion | None
) -> dict[str, Any]:
    """What a new program copies: a published version's document (every signed-in user may
    read it), or, without a version, the draft, which only its members may read (404)."""
    if version is not None:
        if version.program_id != program.pk:
            raise ValueError("The version is not the source program's.")
        if not user.is_authenticated:
            raise ServiceError(_("Log ind for at bruge et program som udgangspunkt."))
        return version.document
    require(user, program, Action.READ)
    return program_document(load_program_data(program))


@transaction.atomic
def start_from(
    *,
    user: AbstractBaseUser,
    source_program: pm.Program,
    source_version: ProgramVersion | None,
    region: str,
    title: str,
) -> pm.Program:
    """A new draft for `region` with the source's content, `user` its editor. What is local
    to the source's region is listed (local_items.py) until the group has dealt with it."""
    document = source_document(user, source_program, source_version)
    if not regions.is_valid_on(region, regions.today()):
        raise ServiceError(
            _("Regionen %(region)s kan ikke vælges til et nyt program.")
            % {"region": regions.region_name(region)}
        )
    try:
        steps = build_steps(exchange.model_version_of(document))
        program = exchange.create_from_document(
            user=user,
            document=local_items.prepare(document, steps),
            title=title,
            region=region,
        )
    except exchange.ImportRefused as error:
        raise ServiceError(
            _("Programmet kan ikke bruges som udgangspunkt her: %(problem)s") % {"problem": error}
        ) from None
    if source_version is not None:
        source_title, source_region = source_version.title, source_version.region
        source_status = ""
    else:
        source_title, source_region = source_program.title, source_program.region
        source_status = source_program.status
    data = load_program_data(program)
    items = local_items.find(
        document, program_document(data), data, local_items.place_names(source_region)
    )
    Derivation.objects.create(
        program=program,
        source_program=source_program,
        source_version=source_version,
        source_title=source_title or source_program.code,
        source_region=source_region,
        source_status=source_status,
        created_by=user,
        local_items=items,
    )
    number = source_version.number if source_version is not None else source_status
    audit(
        program=program,
        user=user,
        action=pm.AuditAction.PROGRAM_DERIVED,
        after={
            "source": f"{source_program.code} {number}",
            "title": title,
            "region": region,
            "model": str(program.model_version),
        },
    )
    audit(
        program=source_program,
        user=user,
        action=pm.AuditAction.PROGRAM_DERIVED,
        after={"derived": program.code, "region": region, "version": number},
    )
    return program


def _decision(state: str, user: AbstractBaseUser) -> dict[str, Any]:
    return {
        "state": state,
        "user": user.pk,
        "by": display_name(user),
        "at": timezone.now().isoformat(),
    }


@transaction.atomic
def confirm_local_item(*, program: pm.Program, user: AbstractBaseUser, key: str) -> dict:
    """An editor confirms that a copied local item holds for this program as it is."""
    require(user, program, Action.EDIT)
    # The program's lock guards its derivation too: step saves take it before resolving.
    program = pm.Program.objects.select_for_update().get(pk=program.pk)
    require_editable(program)
    derivation = Derivation.objects.filter(program=program).first()
    item = next((i for i in open_items(derivation) if local_items.key(i) == key), None)
    if item is None:
        raise ServiceError(_("Den lokale oplysning er allerede afklaret eller findes ikke."))
    derivation.decisions[key] = _decision(LocalState.CONFIRMED, user)
    derivation.save(update_fields=["decisions"])
    # The field, labelled by the log like a comment's; an actor by its name (as copied).
    if item["kind"] == local_items.ACTOR:
        after = {"name": item.get("where", "")}
    else:
        after = {"field": local_items.key({"path": item["path"][1:]})}
    audit(
        program=program,
        user=user,
        action=pm.AuditAction.LOCAL_ITEM_CONFIRMED,
        step_key=item["path"][0],
        after=after,
    )
    return item


def resolve_changed(
    *, program: pm.Program, user: AbstractBaseUser, step_key: str, step_doc: dict
) -> None:
    """After a step save (on the locked program): every open item of the step whose value
    now differs from what was copied counts as changed by the group."""
    derivation = Derivation.objects.filter(program=program).first()
    changed = [
        local_items.key(item)
        for item in open_items(derivation)
        if item["path"][0] == step_key
        and local_items.current_value(item, step_doc) != item["copied"]
    ]
    if changed:
        for key in changed:
            derivation.decisions[key] = _decision(LocalState.CHANGED, user)
        derivation.save(update_fields=["decisions"])
