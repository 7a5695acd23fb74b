"""The rows a build added to the database, kept so that tests get them back in milliseconds.

Loading the generic model from YAML and building the demo program (a score of step saves
through the services) take seconds, and dozens of tests need them. A RowSnapshot records
every row a build added, with its primary key, so a test gets exactly the same rows by one
bulk insert per table instead of building them again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Model

T = TypeVar("T")
_CHUNK = 500  # primary keys per DELETE: well below every backend's parameter limit


def _tables() -> list[type[Model]]:
    """Every table Django manages, many-to-many link tables included."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    inherited = [model for model in models if model._meta.parents]
    # bulk_create cannot write multi-table inheritance; none exists, keep it that way here.
    assert not inherited, f"RowSnapshot cannot copy multi-table inheritance: {inherited}"
    return models


def _primary_keys(model: type[Model]) -> set[Any]:
    return set(model._base_manager.values_list("pk", flat=True))


@dataclass(frozen=True)
class RowSnapshot:
    """Rows per table, as `values()` returns them (foreign keys as their `_id` columns)."""

    tables: tuple[tuple[type[Model], tuple[dict[str, Any], ...]], ...]

    @classmethod
    def of(cls, build: Callable[[], T]) -> tuple[T, RowSnapshot]:
        """Run `build` and record every row it added (it commits: call outside a test)."""
        models = _tables()
        before = {model: _primary_keys(model) for model in models}
        result = build()
        tables = []
        for model in models:
            pk = model._meta.pk.attname
            rows = tuple(
                row for row in model._base_manager.values() if row[pk] not in before[model]
            )
            if rows:
                tables.append((model, rows))
        return result, cls(tuple(tables))

    def rows_of(self, model: type[Model]) -> tuple[dict[str, Any], ...]:
        return next((rows for m, rows in self.tables if m is model), ())

    def is_present(self) -> bool:
        """All or nothing is there: rows are put back and removed in one transaction."""
        model, rows = self.tables[0]
        return model._base_manager.filter(pk=rows[0][model._meta.pk.attname]).exists()

    def restore(self) -> None:
        # Foreign keys are checked at commit (Django declares them DEFERRABLE INITIALLY
        # DEFERRED on SQLite and PostgreSQL), so the tables go in any order.
        with transaction.atomic():
            for model, rows in self.tables:
                model._base_manager.bulk_create([model(**row) for row in rows])

    def remove(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for model, rows in reversed(self.tables):
                pk = model._meta.pk
                keys = [row[pk.attname] for row in rows]
                for start in range(0, len(keys), _CHUNK):
                    chunk = keys[start : start + _CHUNK]
                    cursor.execute(
                        "DELETE FROM {table} WHERE {column} IN ({marks})".format(  # noqa: S608
                            table=connection.ops.quote_name(model._meta.db_table),
                            column=connection.ops.quote_name(pk.column),
                            marks=", ".join(["%s"] * len(chunk)),
                        ),
                        chunk,
                    )
