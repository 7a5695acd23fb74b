"""Checks and loads a companion reference (fixtures/references/*.yaml), all or nothing.

The same guarantees as the model's loader (loader.py): the whole file is checked before
anything is written, with file, entry and problem for every fault; the write is one
transaction; loading the same file again changes nothing; a new version loads beside the
old one. Structure is checked against companion.schema.json, then what a schema cannot say:
that the model it names is loaded, that the sections and actor types it names exist there,
that keys are unique and that a paragraph marked as moved says where to.

Reloading a version with other content corrects it in place by key, so programs keep their
links; removing an entry a program links to is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.db import transaction
from django.db.models.deletion import ProtectedError

from pathways.generic_model import models as m
from pathways.generic_model.schema import ModelFileError

SCHEMA_FILE = Path(__file__).with_name("companion.schema.json")
# The columns every entry has; the rest of an entry goes to CompanionEntry.details.
COMMON = ("key", "title", "text", "source_section", "sections")


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def is_companion_file(raw: Any) -> bool:
    return isinstance(raw, dict) and "companion" in raw


@dataclass
class CompanionDocument:
    info: dict[str, Any]
    lists: dict[str, list[dict[str, Any]]]
    model_version: m.ModelVersion
    digest: str


@dataclass(frozen=True)
class CompanionLoadResult:
    companion: m.CompanionVersion
    created: bool
    changes: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def updated(self) -> bool:
        return bool(self.changes)


def read_companion_file(path: Path) -> CompanionDocument:
    label = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ModelFileError([f"{label}: kan ikke læses: {error}"]) from None
    except yaml.YAMLError as error:
        raise ModelFileError([f"{label}: er ikke gyldig YAML: {error}"]) from None
    return check_companion(raw, file_label=label)


def check_companion(raw: Any, *, file_label: str) -> CompanionDocument:
    problems = [
        f"{file_label}: {_where(raw, list(error.absolute_path))}: {error.message}"
        for error in sorted(_validator().iter_errors(raw), key=lambda e: list(e.absolute_path))
    ]
    if problems:
        raise ModelFileError(problems)
    info = raw["companion"]
    lists = {name: raw.get(name) or [] for name in m.CompanionList.values}
    model = m.ModelVersion.objects.filter(
        slug=info["model"]["slug"], version=info["model"]["version"]
    ).first()
    if model is None:
        raise ModelFileError(
            [
                f"{file_label}: companion.model: modellen {info['model']['slug']} version "
                f"{info['model']['version']} er ikke indlæst (indlæs den først)"
            ]
        )
    _check_references(problems, file_label, lists, model)
    if problems:
        raise ModelFileError(problems)
    digest = hashlib.sha256(
        json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    ).hexdigest()
    return CompanionDocument(info=info, lists=lists, model_version=model, digest=digest)


def _where(raw: Any, path: list[Any]) -> str:
    """`offers[3] (familiekursus)` for a path into the file, or the top-level name."""
    if not path:
        return "filen"
    if len(path) >= 2 and isinstance(path[1], int):
        entry = raw[path[0]][path[1]]
        key = entry.get("key", "") if isinstance(entry, dict) else ""
        rest = ".".join(str(p) for p in path[2:])
        return f"{path[0]}[{path[1]}]{f' ({key})' if key else ''}{f'.{rest}' if rest else ''}"
    return ".".join(str(p) for p in path)


def _check_references(
    problems: list[str], label: str, lists: dict[str, list[dict]], model: m.ModelVersion
) -> None:
    sections = set(model.sections.values_list("number", flat=True))
    actor_types = set(model.actor_types.values_list("key", flat=True))
    companion_actors = {a["key"] for a in lists["actors"]}

    def report(list_name: str, index: int, entry: dict, problem: str) -> None:
        problems.append(f"{label}: {list_name}[{index}] ({entry['key']}): {problem}")

    for list_name, entries in lists.items():
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            if entry["key"] in seen:
                report(list_name, index, entry, "nøglen er brugt før i listen")
            seen.add(entry["key"])
            for number in entry.get("sections", []):
                if number not in sections:
                    report(list_name, index, entry, f"modellen har intet afsnit {number}")
            ages = entry.get("ages") or {}
            if ages.get("from", 0) > ages.get("to", 120):
                report(list_name, index, entry, "alderen 'from' er større end 'to'")
            if entry.get("same_as") and entry["same_as"] not in actor_types:
                report(list_name, index, entry, f"modellen har ingen aktørtype {entry['same_as']}")
            for key in entry.get("responsible", []):
                if key not in companion_actors:
                    report(list_name, index, entry, f"ingen aktør {key} i listen actors")
            mapping = entry.get("mapping")
            if mapping == "moved" and not entry.get("current_paragraph"):
                report(list_name, index, entry, "flyttet, men current_paragraph mangler")
            if mapping == "unmapped" and entry.get("current_paragraph"):
                report(list_name, index, entry, "ikke kortlagt, men angiver alligevel et nyt sted")
            if mapping in ("unmapped", "repealed") and not entry.get("mapping_note"):
                report(list_name, index, entry, "mapping_note skal sige hvorfor")
    numbers = [r["number"] for r in lists["recommendations"] if "number" in r]
    if len(numbers) != len(set(numbers)):
        problems.append(f"{label}: recommendations: to anbefalinger har samme nummer")


def load_companion_file(path: Path) -> CompanionLoadResult:
    return load_companion(read_companion_file(path), source_file=str(path))


@transaction.atomic
def load_companion(doc: CompanionDocument, *, source_file: str) -> CompanionLoadResult:
    info = doc.info
    values = {
        "kind": info["kind"],
        "name": info["name"],
        "publisher": info["publisher"],
        "publication_year": info["publication_year"],
        "source_document": info["source_document"],
        "source_url": info.get("source_url", ""),
        "note": info.get("note", ""),
        "model_version": doc.model_version,
        "content_hash": doc.digest,
        "source_file": source_file,
    }
    existing = (
        m.CompanionVersion.objects.select_for_update()
        .filter(slug=info["slug"], version=info["version"])
        .first()
    )
    if existing is not None and existing.content_hash == doc.digest:
        return CompanionLoadResult(existing, created=False, counts=_counts(existing))
    if existing is None:
        companion = m.CompanionVersion.objects.create(
            slug=info["slug"], version=info["version"], **values
        )
        for list_name, entries in doc.lists.items():
            for position, entry in enumerate(entries, start=1):
                m.CompanionEntry.objects.create(
                    companion=companion, **_entry_values(doc, list_name, entry, position)
                )
        return CompanionLoadResult(companion, created=True, counts=_counts(companion))
    return _correct(existing, doc, values)


def _entry_values(doc: CompanionDocument, list_name: str, entry: dict, position: int) -> dict:
    same_as = entry.get("same_as")
    return {
        "list_name": list_name,
        "key": entry["key"],
        "title": entry["title"],
        "text": entry["text"],
        "source_section": entry["source_section"],
        "sections": entry.get("sections", []),
        "details": {k: v for k, v in entry.items() if k not in COMMON and k != "same_as"},
        "same_as": doc.model_version.actor_types.get(key=same_as) if same_as else None,
        "position": position,
    }


def _correct(
    companion: m.CompanionVersion, doc: CompanionDocument, values: dict
) -> CompanionLoadResult:
    """Apply a changed file to a loaded version, entry by entry (rows keep their ids)."""
    changes: list[str] = []
    for name, value in values.items():
        if name not in ("content_hash", "source_file") and getattr(companion, name) != value:
            changes.append(f"companion.{name}: rettet")
            setattr(companion, name, value)
    companion.content_hash = doc.digest
    companion.source_file = values["source_file"]
    companion.save()
    stored = {(e.list_name, e.key): e for e in companion.entries.all()}
    wanted: set[tuple[str, str]] = set()
    for list_name, entries in doc.lists.items():
        for position, entry in enumerate(entries, start=1):
            key = (list_name, entry["key"])
            wanted.add(key)
            new = _entry_values(doc, list_name, entry, position)
            row = stored.get(key)
            if row is None:
                m.CompanionEntry.objects.create(companion=companion, **new)
                changes.append(f"{list_name}[{entry['key']}]: tilføjet")
                continue
            fields = [n for n, v in new.items() if getattr(row, n) != v]
            if fields:
                for n in fields:
                    setattr(row, n, new[n])
                row.save()
                changes.append(f"{list_name}[{entry['key']}]: {', '.join(fields)} rettet")
    for key, row in stored.items():
        if key not in wanted:
            try:
                row.delete()
            except ProtectedError:
                raise ModelFileError(
                    [
                        f"{values['source_file']}: {key[0]}[{key[1]}]: kan ikke fjernes; "
                        "programmer henviser til det"
                    ]
                ) from None
            changes.append(f"{key[0]}[{key[1]}]: fjernet")
    return CompanionLoadResult(
        companion, created=False, changes=tuple(changes), counts=_counts(companion)
    )


def _counts(companion: m.CompanionVersion) -> dict[str, int]:
    counts: dict[str, int] = {}
    for list_name in companion.entries.values_list("list_name", flat=True):
        counts[list_name] = counts.get(list_name, 0) + 1
    return counts
