"""JSON out and back in: the program document (document.py) as a file.

Export writes the document with the program's metadata and the generic model it follows.
Import checks the file against the JSON Schema (schema/program-document.schema.json), the
named model version and the step forms themselves, then creates a new draft through the
same services as a planner would; anything wrong refuses the whole file, naming the entry
and the problem, and nothing is created.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from pathways.generic_model.models import ModelVersion
from pathways.programs import models as pm
from pathways.programs import regions, services
from pathways.programs.data import load_program_data
from pathways.programs.document import DocumentError, program_document, step_values
from pathways.programs.step_kinds import checked_values
from pathways.programs.steps import StepKind

SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / "program-document.schema.json"
MAX_FILE_BYTES = 10 * 1024 * 1024


class ImportRefused(Exception):
    """The file cannot become a program; the message names the entry and the problem."""


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def export_document(program: pm.Program) -> dict[str, Any]:
    return program_document(load_program_data(program))


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def read_json(raw: bytes | str, refused: type[Exception]) -> Any:
    """UTF-8 JSON text as Python values, or `refused` saying where the file is broken
    (also the backup file's reader, pathways/backup/format.py)."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise refused(
                _("Filen er ikke UTF-8-tekst (byte %(at)d).") % {"at": error.start}
            ) from None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise refused(
            _("Filen er ikke gyldig JSON: %(problem)s (linje %(line)d, kolonne %(column)d).")
            % {"problem": error.msg, "line": error.lineno, "column": error.colno}
        ) from None


def first_schema_error(validator: Draft202012Validator, value: Any) -> str | None:
    """The first place `value` breaks the schema, as "path: message" (None if it fits)."""
    errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    first = errors[0]
    where = ".".join(str(p) for p in first.absolute_path) or _("(hele filen)")
    return f"{where}: {first.message}"


def parse(raw: bytes | str) -> dict[str, Any]:
    """The file as a document that fits the schema, or ImportRefused."""
    if isinstance(raw, bytes) and len(raw) > MAX_FILE_BYTES:
        raise ImportRefused(_("Filen er større end 10 MB."))
    document = read_json(raw, ImportRefused)
    problem = first_schema_error(Draft202012Validator(schema()), document)
    if problem:
        raise ImportRefused(problem)
    return document


def model_version_of(document: dict[str, Any]) -> ModelVersion:
    named = document["model"]
    version = ModelVersion.objects.filter(slug=named["slug"], version=named["version"]).first()
    if version is None or version.publisher != named["publisher"]:
        raise ImportRefused(
            _(
                "model: den generiske model %(slug)s version %(version)s (%(publisher)s) er ikke "
                "indlæst her."
            )
            % named
        )
    return version


@transaction.atomic
def import_document(*, user: AbstractBaseUser, raw: bytes | str, source: str) -> pm.Program:
    """A new draft program from an exported file; `user` becomes its editor."""
    document = parse(raw)
    model_version_of(document)  # an unknown model is named first, before the region
    basis = document["content"]["grundlag"]
    if not (isinstance(basis.get("region"), str) and regions.is_known(basis["region"])):
        raise ImportRefused(
            _("content.grundlag.region: ukendt region %(region)r.")
            % {"region": basis.get("region")}
        )
    # The document is a program's content: it keeps the region it was written for (shown
    # with its successor), as the program it came from does.
    program = create_from_document(
        user=user,
        document=document,
        title=basis["title"],
        region=basis["region"],
        region_from_document=True,
    )
    services.audit(
        program=program,
        user=user,
        action=pm.AuditAction.PROGRAM_IMPORTED,
        after={
            "source": source,
            "code": document.get("program", {}).get("code", ""),
            "model": str(program.model_version),
        },
    )
    return program


@transaction.atomic
def create_from_document(
    *,
    user: AbstractBaseUser,
    document: dict[str, Any],
    title: str,
    region: str,
    region_from_document: bool = False,
) -> pm.Program:
    """A new draft holding `document`'s content, titled `title` and written for `region`;
    `user` becomes its editor. Every step is saved through the same services and checked
    by the same forms as a planner's save (ImportRefused names the first entry refused).
    The caller records where the content came from."""
    version = model_version_of(document)
    content = dict(document["content"])
    try:
        program = services.create_program(
            user=user,
            title=title,
            region=region,
            model_version=version,
            region_from_document=region_from_document,
        )
    except services.ServiceError as error:
        raise ImportRefused(str(error)) from None
    steps = [s for s in load_program_data(program).steps if s.kind != StepKind.REVIEW]
    unknown = set(content) - {s.key for s in steps}
    if unknown:
        raise ImportRefused(
            _("content.%(step)s: modellen har intet trin med den nøgle.") % {"step": min(unknown)}
        )
    # The basis step stores title and region too: the new program's, not the document's.
    for step in steps:
        if step.kind == StepKind.BASIS:
            content[step.key] = {**content.get(step.key, {}), "title": title, "region": region}
    # Actors first, on their own: every other answer (the actors step's roles too) refers
    # to them by ref.
    for step in steps:
        if step.kind == StepKind.ACTORS:
            _import_step(
                program, user, step, {"actors": content.get(step.key, {}).get("actors", [])}
            )
    for step in sorted(steps, key=lambda s: s.kind != StepKind.ACTORS):
        _import_step(program, user, step, content.get(step.key, {}))
    return pm.Program.objects.get(pk=program.pk)


def _import_step(program, user, step, doc: dict[str, Any]) -> None:
    data = load_program_data(program)
    try:
        values = step_values(step, doc, data)
    except DocumentError as error:
        raise ImportRefused(f"content.{error.where}: {error.problem}") from None
    # The same forms a planner fills in check the values (choices, code formats, limits,
    # control characters): a file can hold nothing a page could not.
    accepted, error = checked_values(step, data, values)
    if error is not None:
        field_id, label, message = error
        where = label or field_id or step.key
        raise ImportRefused(f"content.{step.key}: {where}: {message}")
    if "actors" in accepted:
        for row, given in zip(accepted["actors"], values["actors"], strict=True):
            row["ref"] = given["ref"]
    revision = data.revisions[step.key].number
    services.save_step(
        program=program, user=user, step=step, values=accepted, loaded_revision=revision
    )
