"""Canonical dumps of stored data, to prove that a request changed nothing it should not.

`program_rows` is every stored row that belongs to a program (found from the models, so a
new table is covered without editing this file); `content_by_step` is what a reader sees
of each step (the program document, labelled). Compare a dump taken before a request with
one taken after.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.translation import override

from pathways.programs.data import load_program_data
from pathways.programs.document import program_document
from pathways.programs.models import Program
from pathways.programs.readable import readable_document


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def _rows(queryset: models.QuerySet) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in queryset.order_by("pk").values()]


def _owned_by_program() -> list[tuple[type[models.Model], str]]:
    """(model, lookup) for every table whose rows belong to one program, directly or via a
    row that does (review verdicts via their round, many-to-many rows via their answer)."""
    found: list[tuple[type[models.Model], str]] = []
    direct: dict[type[models.Model], str] = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.many_to_one and field.related_model is Program:
                direct[model] = field.name
                found.append((model, field.name))
    for model in apps.get_models(include_auto_created=True):
        if model in direct or model is Program:
            continue
        for field in model._meta.concrete_fields:
            if field.many_to_one and field.related_model in direct:
                found.append((model, f"{field.name}__{direct[field.related_model]}"))
                break
    return found


def program_rows(program: Program | int) -> dict[str, list[dict[str, Any]]]:
    pk = program.pk if isinstance(program, Program) else program
    dump = {"program": _rows(Program.objects.filter(pk=pk))}
    for model, lookup in _owned_by_program():
        dump[f"{model._meta.label}.{lookup}"] = _rows(model.objects.filter(**{lookup: pk}))
    return dump


def other_programs_rows(program: Program) -> dict[int, dict[str, list[dict[str, Any]]]]:
    return {
        pk: program_rows(pk)
        for pk in Program.objects.exclude(pk=program.pk).values_list("pk", flat=True)
    }


def users_rows() -> list[dict[str, Any]]:
    """Accounts without their last login (signing in legitimately changes that)."""
    return [
        {k: v for k, v in row.items() if k != "last_login"}
        for row in _rows(get_user_model().objects.all())
    ]


def content_by_step(program: Program) -> dict[str, list[list[str]]]:
    """What each step says, in one language so that the labels compare."""
    data = load_program_data(Program.objects.get(pk=program.pk))
    with override("da"):
        return {
            step.key: [[item.label, item.text] for item in items]
            for step, items in readable_document(program_document(data), data)
        }
