"""The backup file: its name and version, how moments are written, and reading it back.

One JSON document (schema/backup.schema.json) holding every program with everything that
belongs to it. Rows are named by their own identifiers (program code, version number,
username, organisation name, actor ref), never by database keys; rows without one (comments,
personal links) get a ref that is their place in the file ("c1", "i1").
"""

from __future__ import annotations

import base64
import datetime
import json
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from pathways.programs.exchange import first_schema_error, read_json

FORMAT = "forloebsprogrammer-backup"
FORMAT_VERSION = 1
SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / "backup.schema.json"


class BackupRefused(Exception):
    """The file cannot be restored here; the message says why (and what to do)."""


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def moment(value: datetime.datetime | None) -> str | None:
    """A moment in UTC, ISO 8601: the same text whichever database or time zone wrote it."""
    return None if value is None else value.astimezone(datetime.UTC).isoformat()


def day(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def read_moment(text: str | None) -> datetime.datetime | None:
    return None if text is None else _read(datetime.datetime, text)


def read_day(text: str | None) -> datetime.date | None:
    return None if text is None else _read(datetime.date, text)


def _read(kind, text: str):
    # The schema checks the form; this catches what it cannot, such as 2025-02-30.
    try:
        return kind.fromisoformat(text)
    except ValueError:
        raise BackupRefused(_("Ugyldig dato eller tidspunkt: %(text)r.") % {"text": text}) from None


def pdf_out(data: bytes) -> str:
    return base64.b64encode(bytes(data)).decode("ascii")


def pdf_in(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def dumps(backup: dict[str, Any]) -> str:
    return json.dumps(backup, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def parse(raw: bytes | str) -> dict[str, Any]:
    """The file as a backup that fits the schema, or BackupRefused naming the problem."""
    backup = read_json(raw, BackupRefused)
    if not isinstance(backup, dict) or backup.get("format") != FORMAT:
        raise BackupRefused(_("Filen er ikke en sikkerhedskopi af forløbsprogrammer."))
    if backup.get("format_version") != FORMAT_VERSION:
        raise BackupRefused(
            _("Sikkerhedskopien har formatversion %(found)s; her kan kun version %(known)s læses.")
            % {"found": backup.get("format_version"), "known": FORMAT_VERSION}
        )
    problem = first_schema_error(Draft202012Validator(schema()), backup)
    if problem:
        raise BackupRefused(problem)
    return backup
