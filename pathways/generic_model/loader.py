"""Writes a checked generic-model document to the database, all or nothing.

A version is loaded once; loading it again with other content applies the file as a
correction of our transcription of the same publication (see `_Correction`): entries keep
their rows, so every program written against the version keeps its answers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext as _

from pathways.generic_model import models as m
from pathways.generic_model.schema import ModelDocument, ModelFileError, read_model_file


@dataclass(frozen=True)
class LoadResult:
    model_version: m.ModelVersion
    created: bool
    # What a corrected file changed in a version loaded before, one line per entry.
    changes: tuple[str, ...] = ()

    @property
    def updated(self) -> bool:
        return bool(self.changes)


def content_hash(document: ModelDocument) -> str:
    """SHA-256 of the checked content: equal fingerprints need no comparison entry by entry."""
    canonical = json.dumps(asdict(document), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_generic_model_file(path: Path) -> LoadResult:
    """Check the file, then load it: a new version is created, a loaded one corrected."""
    document = read_model_file(path)
    return load_generic_model(document, source_file=str(path))


@transaction.atomic
def load_generic_model(document: ModelDocument, *, source_file: str) -> LoadResult:
    digest = content_hash(document)
    info = document.model
    existing = (
        m.ModelVersion.objects.select_for_update()
        .filter(slug=info["slug"], version=info["version"])
        .first()
    )
    if existing is not None:
        if existing.content_hash == digest:
            return LoadResult(model_version=existing, created=False)
        changes = _Correction(existing, document, source_file).apply()
        # A fingerprint from before (e.g. before sections had step roles) with nothing to
        # change is simply renewed.
        existing.content_hash = digest
        update = ["content_hash"]
        if changes:
            existing.source_file = source_file
            update.append("source_file")
        existing.save(update_fields=update)
        return LoadResult(model_version=existing, created=False, changes=tuple(changes))

    version = m.ModelVersion.objects.create(
        **_model_values(document),
        slug=info["slug"],
        version=info["version"],
        content_hash=digest,
        source_file=source_file,
    )
    sections = _write_sections(version, document)
    actors = _write_actor_types(version, document, sections)
    _write_attention_points(document, sections, actors)
    _write_catalogues(version, document, sections, actors)
    return LoadResult(model_version=version, created=True)


# --- What each entry of the file holds, as column values -------------------------------------
# Shared by the first load and by corrections, so the two cannot write an entry differently.


def _model_values(document: ModelDocument) -> dict[str, Any]:
    info = document.model
    fields = ("name", "publisher", "publication_year", "publication_date", "source_document")
    return {
        **{f: info[f] for f in fields},
        "source_url": info["source_url"],
        "note": info["note"],
        "pathway_diagram": document.pathway_diagram,
    }


def _parent_number(number: str) -> str | None:
    return number.rsplit(".", 1)[0] if "." in number else None


def _section_values(item: dict[str, Any]) -> dict[str, Any]:
    return {k: item[k] for k in ("title", "kind", "summary", "guidance", "step_role", "phases")}


def _actor_values(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": item["name"],
        "sector": item["sector"],
        "description": item["description"],
        "is_role": item["is_role"],
        "reform_2024_note": item["reform_2024"],
    }


def _point_values(item: dict[str, Any]) -> dict[str, Any]:
    return {k: item[k] for k in ("group", "title", "text")}


def _catalogue_values(fields: tuple[str, ...]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda item: {f: item[f] for f in fields}


# Each keyed list of the file: its model and the columns its entries hold besides key,
# position and links.
_TEXT_ENTRY = ("title", "text")
_KEYED_LISTS: dict[str, tuple[type[models.Model], tuple[str, ...]]] = {
    "criteria": (m.Criterion, _TEXT_ENTRY),
    "needs": (m.Need, _TEXT_ENTRY),
    "target_group_questions": (m.TargetGroupQuestion, _TEXT_ENTRY),
    "target_groupings": (m.TargetGrouping, ("title", "description", "example_diagnoses")),
    "code_systems": (m.CodeSystem, ("name", "description", "pattern", "example")),
    "transitions": (
        m.Transition,
        ("title", "from_stage", "to_stage", "trigger", "handover", "arrangements", "phases"),
    ),
    "resources": (m.Resource, ("name", "appendix", "kind", "offers", "url")),
    "legal_references": (m.LegalReference, ("law", "provision", "title", "summary", "url")),
}
# The file's name of a column where the two differ (named in what a correction reports).
_FILE_FIELD = {"reform_2024_note": "reform_2024"}


# --- First load --------------------------------------------------------------------------------


def _write_sections(version: m.ModelVersion, doc: ModelDocument) -> dict[str, m.Section]:
    sections: dict[str, m.Section] = {}
    questions: list[m.GuidanceQuestion] = []
    for position, item in enumerate(doc.sections, start=1):
        parent_number = _parent_number(item["number"])
        section = m.Section.objects.create(
            model_version=version,
            parent=sections.get(parent_number) if parent_number else None,
            number=item["number"],
            position=position,
            **_section_values(item),
        )
        sections[section.number] = section
        questions += _questions(section, item)
    m.GuidanceQuestion.objects.bulk_create(questions)
    return sections


def _questions(section: m.Section, item: dict[str, Any]) -> list[m.GuidanceQuestion]:
    return [
        m.GuidanceQuestion(section=section, position=position, text=text)
        for position, text in enumerate(item["questions"], start=1)
    ]


def _write_actor_types(
    version: m.ModelVersion, doc: ModelDocument, sections: dict[str, m.Section]
) -> dict[str, m.ActorType]:
    # bulk_create sets primary keys on PostgreSQL and on SQLite >= 3.35 (both supported).
    created = m.ActorType.objects.bulk_create(
        m.ActorType(
            model_version=version, key=item["key"], position=position, **_actor_values(item)
        )
        for position, item in enumerate(doc.actor_types, start=1)
    )
    actors = {actor.key: actor for actor in created}
    through = m.ActorType.sections.through
    through.objects.bulk_create(
        through(actortype_id=actors[item["key"]].pk, section_id=sections[number].pk)
        for item in doc.actor_types
        for number in dict.fromkeys(item["sections"])
    )
    return actors


def _point_identities(doc: ModelDocument) -> list[tuple[str, int]]:
    """Each attention point's (section, position): its number within its section, in the
    file's order. Programs refer to a point by it ("4.1.3/2")."""
    positions: dict[str, int] = {}
    identities = []
    for item in doc.attention_points:
        number = item["section"]
        positions[number] = positions.get(number, 0) + 1
        identities.append((number, positions[number]))
    return identities


def _write_attention_points(
    doc: ModelDocument, sections: dict[str, m.Section], actors: dict[str, m.ActorType]
) -> None:
    points = [
        m.AttentionPoint(section=sections[number], position=position, **_point_values(item))
        for (number, position), item in zip(
            _point_identities(doc), doc.attention_points, strict=True
        )
    ]
    m.AttentionPoint.objects.bulk_create(points)
    through = m.AttentionPoint.actors.through
    through.objects.bulk_create(
        through(attentionpoint_id=point.pk, actortype_id=actors[key].pk)
        for point, item in zip(points, doc.attention_points, strict=True)
        for key in dict.fromkeys(item["actors"])
    )


def _keyed_fks(
    list_name: str,
    item: dict[str, Any],
    sections: dict[str, m.Section],
    actors: dict[str, m.ActorType],
) -> dict[str, Any]:
    if list_name == "resources":
        return {"actor": actors.get(item["actor"]) if item["actor"] else None}
    if list_name == "legal_references":
        return {}
    return {"section": sections[item["section"]]}


def _keyed_links(
    list_name: str,
    item: dict[str, Any],
    sections: dict[str, m.Section],
    actors: dict[str, m.ActorType],
) -> dict[str, list[models.Model]]:
    if list_name == "transitions":
        return {
            "sending_actors": [actors[k] for k in dict.fromkeys(item["sending_actors"])],
            "receiving_actors": [actors[k] for k in dict.fromkeys(item["receiving_actors"])],
        }
    if list_name in ("resources", "legal_references"):
        return {"sections": [sections[n] for n in dict.fromkeys(item["sections"])]}
    return {}


def _write_catalogues(
    version: m.ModelVersion,
    doc: ModelDocument,
    sections: dict[str, m.Section],
    actors: dict[str, m.ActorType],
) -> None:
    for list_name, (model, fields) in _KEYED_LISTS.items():
        items = getattr(doc, list_name)
        created = model.objects.bulk_create(
            model(
                model_version=version,
                key=item["key"],
                position=position,
                **_catalogue_values(fields)(item),
                **_keyed_fks(list_name, item, sections, actors),
            )
            for position, item in enumerate(items, start=1)
        )
        for entry, item in zip(created, items, strict=True):
            for relation, targets in _keyed_links(list_name, item, sections, actors).items():
                if targets:
                    getattr(entry, relation).set(targets)


# --- Correction of a loaded version ------------------------------------------------------------


class _Correction:
    """Applies a corrected file to the version loaded from an earlier state of it.

    Entries are matched by their identity in the file (section number, key, and for an
    attention point its section and number within the section), so the rows programs refer
    to stay: texts, links and order are updated in place, new entries are added, and an
    entry the file no longer has is removed only if nothing refers to it. A file that would
    move a step (another `step_role`) or remove an answered entry is refused, naming each
    such entry; the caller's transaction then leaves the version as it was. A section may gain
    an optional role (`pathway`): that adds a step and moves none.
    """

    def __init__(self, version: m.ModelVersion, document: ModelDocument, source_file: str):
        self.version = version
        self.doc = document
        self.file = source_file
        self.changes: list[str] = []
        self.moved: dict[str, int] = {}  # list name → entries only moved in the list
        self.problems: list[str] = []
        self.obsolete: list[tuple[str, models.Model]] = []
        self.sections: dict[str, m.Section] = {}
        self.actors: dict[str, m.ActorType] = {}

    def apply(self) -> list[str]:
        self._model_info()
        self._sections()
        if self.problems:  # a moved step: nothing else is worth checking
            raise ModelFileError(self.problems)
        self._actor_types()
        self._attention_points()
        for list_name in _KEYED_LISTS:
            self._keyed(list_name)
        self._remove_obsolete()
        if self.problems:
            raise ModelFileError(self.problems)
        for list_name, count in self.moved.items():
            self.changes.append(
                _("Ny plads i listen: %(count)d i %(list)s") % {"count": count, "list": list_name}
            )
        return self.changes

    # Reporting -------------------------------------------------------------------------------

    def _corrected(self, entry: str, fields: list[str]) -> None:
        if fields == ["position"]:
            # An entry inserted in a list moves every later one: one line for the list.
            self.moved[entry.split(" ")[0]] = self.moved.get(entry.split(" ")[0], 0) + 1
            return
        names = ", ".join(_FILE_FIELD.get(f, f) for f in fields)
        self.changes.append(_("Rettet: %(entry)s (%(fields)s)") % {"entry": entry, "fields": names})

    def _added(self, entry: str) -> None:
        self.changes.append(_("Tilføjet: %(entry)s") % {"entry": entry})

    def _refuse(self, entry: str, problem: str) -> None:
        self.problems.append(f"{self.file}: {entry}: {problem}")

    # Writing ---------------------------------------------------------------------------------

    @staticmethod
    def _set_fields(obj: models.Model, values: dict[str, Any]) -> list[str]:
        changed = [name for name, value in values.items() if _column(obj, name) != _id(value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
        return changed

    @staticmethod
    def _set_links(obj: models.Model, links: dict[str, list[models.Model]]) -> list[str]:
        changed = []
        for relation, targets in links.items():
            manager = getattr(obj, relation)
            if set(manager.values_list("pk", flat=True)) != {t.pk for t in targets}:
                manager.set(targets)
                changed.append(relation)
        return changed

    def _model_info(self) -> None:
        changed = self._set_fields(self.version, _model_values(self.doc))
        if changed:
            self._corrected("model", changed)

    def _sections(self) -> None:
        stored = {s.number: s for s in self.version.sections.prefetch_related("questions")}
        for position, item in enumerate(self.doc.sections, start=1):
            number = item["number"]
            entry = f"sections {number}"
            parent = self.sections.get(_parent_number(number) or "")
            section = stored.get(number)
            old_role = section.step_role if section else ""
            # An optional framing step (the pathway as a whole) may be added: the programs
            # gain an empty step and every other step keeps its address.
            added_step = not old_role and item["step_role"] in m.OPTIONAL_STEP_ROLES
            if item["step_role"] != old_role and not added_step:
                # A program's steps and their addresses follow the roles (README).
                self._refuse(
                    entry,
                    _(
                        "step_role er '%(old)s' i den indlæste version og '%(new)s' i filen; "
                        "et andet trin i programmerne kræver et nyt versionsnummer"
                    )
                    % {"old": old_role, "new": item["step_role"]},
                )
                continue
            values = {**_section_values(item), "position": position, "parent": parent}
            if section is None:
                section = m.Section.objects.create(
                    model_version=self.version, number=number, **values
                )
                m.GuidanceQuestion.objects.bulk_create(_questions(section, item))
                self._added(entry)
            else:
                changed = self._set_fields(section, values)
                if [q.text for q in section.questions.all()] != item["questions"]:
                    section.questions.all().delete()
                    m.GuidanceQuestion.objects.bulk_create(_questions(section, item))
                    changed.append("questions")
                if changed:
                    self._corrected(entry, changed)
            self.sections[number] = section
        self.obsolete += [(f"sections {n}", s) for n, s in stored.items() if n not in self.sections]

    def _actor_types(self) -> None:
        stored = {a.key: a for a in self.version.actor_types.all()}
        for position, item in enumerate(self.doc.actor_types, start=1):
            key = item["key"]
            entry = f"actor_types {key}"
            values = {**_actor_values(item), "position": position}
            links = {"sections": [self.sections[n] for n in dict.fromkeys(item["sections"])]}
            actor = stored.get(key)
            if actor is None:
                actor = m.ActorType.objects.create(model_version=self.version, key=key, **values)
                self._set_links(actor, links)
                self._added(entry)
            else:
                changed = self._set_fields(actor, values) + self._set_links(actor, links)
                if changed:
                    self._corrected(entry, changed)
            self.actors[key] = actor
        self.obsolete += [
            (f"actor_types {k}", a) for k, a in stored.items() if k not in self.actors
        ]

    def _attention_points(self) -> None:
        stored = {
            (p.section.number, p.position): p
            for p in m.AttentionPoint.objects.filter(section__model_version=self.version)
            .select_related("section")
            .prefetch_related("actors")
        }
        seen = set()
        for identity, item in zip(
            _point_identities(self.doc), self.doc.attention_points, strict=True
        ):
            number, position = identity
            entry = f"attention_points {number}/{position}"
            links = {"actors": [self.actors[k] for k in dict.fromkeys(item["actors"])]}
            point = stored.get(identity)
            if point is None:
                point = m.AttentionPoint.objects.create(
                    section=self.sections[number], position=position, **_point_values(item)
                )
                self._set_links(point, links)
                self._added(entry)
            else:
                changed = self._set_fields(point, _point_values(item)) + self._set_links(
                    point, links
                )
                if changed:
                    self._corrected(entry, changed)
            seen.add(identity)
        self.obsolete += [
            (f"attention_points {n}/{p}", point)
            for (n, p), point in stored.items()
            if (n, p) not in seen
        ]

    def _keyed(self, list_name: str) -> None:
        model, fields = _KEYED_LISTS[list_name]
        stored = {e.key: e for e in model.objects.filter(model_version=self.version)}
        seen = set()
        for position, item in enumerate(getattr(self.doc, list_name), start=1):
            key = item["key"]
            entry = f"{list_name} {key}"
            values = {
                **_catalogue_values(fields)(item),
                **_keyed_fks(list_name, item, self.sections, self.actors),
                "position": position,
            }
            links = _keyed_links(list_name, item, self.sections, self.actors)
            obj = stored.get(key)
            if obj is None:
                obj = model.objects.create(model_version=self.version, key=key, **values)
                self._set_links(obj, links)
                self._added(entry)
            else:
                changed = self._set_fields(obj, values) + self._set_links(obj, links)
                if changed:
                    self._corrected(entry, changed)
            seen.add(key)
        self.obsolete += [(f"{list_name} {k}", e) for k, e in stored.items() if k not in seen]

    def _remove_obsolete(self) -> None:
        """Remove what the file no longer has, unless a program refers to it."""
        published = _published_references(self.version)
        # Sections last: removing one takes its attention points with it.
        for entry, obj in sorted(self.obsolete, key=lambda e: isinstance(e[1], m.Section)):
            programs = set(published.get(_document_name(obj), ()))
            if not programs:
                try:
                    obj.delete()
                except ProtectedError as error:
                    programs = {_program_code(o) for o in error.protected_objects}
                else:
                    self.changes.append(_("Fjernet: %(entry)s") % {"entry": entry})
                    continue
            self._refuse(
                entry,
                _(
                    "findes ikke længere i filen, men programmet %(programs)s har besvaret "
                    "eller henviser til den; tilføj den igen, eller giv filen et nyt "
                    "versionsnummer"
                )
                % {"programs": ", ".join(sorted(programs))},
            )


def _column(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)


def _id(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _program_code(obj: models.Model) -> str:
    """The code of the program a protecting row belongs to (or is: a program's grouping)."""
    program = obj if obj._meta.label == "programs.Program" else getattr(obj, "program", None)
    return program.code if program is not None else str(obj)


def _document_name(obj: models.Model) -> tuple[str, str] | None:
    """How a program document names `obj` (programs/document.py), if it can name it."""
    if isinstance(obj, m.AttentionPoint):
        return ("point", f"{obj.section.number}/{obj.position}")
    kinds = {
        m.Criterion: "criteria",
        m.Need: "needs",
        m.Transition: "transitions",
        m.CodeSystem: "system",
        m.TargetGrouping: "grouping",
        m.ActorType: "actor_type",
    }
    kind = kinds.get(type(obj))
    return (kind, obj.key) if kind else None


# Where a program document names model entries: keyed groups (their keys are the names) and
# single fields (their values are).
_DOCUMENT_GROUPS = {
    "criteria": "criteria",
    "needs": "needs",
    "attention_points": "point",
    "transitions": "transitions",
}
_DOCUMENT_FIELDS = ("system", "grouping", "actor_type")


def _published_references(version: m.ModelVersion) -> dict[tuple[str, str], set[str]]:
    """The model entries named in published versions of programs on `version`, with the
    programs' codes: a published version is read back through its model's entries."""
    program_version = apps.get_model("versions", "ProgramVersion")
    found: dict[tuple[str, str], set[str]] = {}

    def walk(value: Any, code: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in _DOCUMENT_GROUPS and isinstance(inner, dict):
                    for name in inner:
                        found.setdefault((_DOCUMENT_GROUPS[key], name), set()).add(code)
                elif key in _DOCUMENT_FIELDS and isinstance(inner, str):
                    found.setdefault((key, inner), set()).add(code)
                walk(inner, code)
        elif isinstance(value, list):
            for inner in value:
                walk(inner, code)

    published = program_version.objects.filter(program__model_version=version).values_list(
        "program__code", "document"
    )
    for code, document in published:
        walk(document, code)
    return found
