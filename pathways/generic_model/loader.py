"""Writes a checked generic-model document to the database, all or nothing."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from pathways.generic_model import models as m
from pathways.generic_model.schema import ModelDocument, ModelFileError, read_model_file


@dataclass(frozen=True)
class LoadResult:
    model_version: m.ModelVersion
    created: bool


def content_hash(document: ModelDocument, *, step_roles: bool = True) -> str:
    """SHA-256 of the checked content; without `step_roles`, as computed before sections had
    them (the fingerprint stored for versions loaded then)."""
    content = asdict(document)
    if not step_roles:
        for section in content["sections"]:
            section.pop("step_role", None)
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_generic_model_file(path: Path) -> LoadResult:
    """Check the file, then load it unless that exact version is already there.

    The same version with the same content is a no-op; the same version with other content
    is refused, because programs written against a version must not change underneath.
    """
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
        if existing.content_hash == digest or _same_as_loaded_before_step_roles(existing, document):
            return LoadResult(model_version=existing, created=False)
        raise ModelFileError(
            [
                _(
                    "%(file)s: model: version %(version)s af '%(slug)s' er allerede indlæst "
                    "med andet indhold; giv den rettede fil et nyt versionsnummer"
                )
                % {"file": source_file, "version": info["version"], "slug": info["slug"]}
            ]
        )

    version = m.ModelVersion.objects.create(
        slug=info["slug"],
        name=info["name"],
        publisher=info["publisher"],
        version=info["version"],
        publication_year=info["publication_year"],
        publication_date=info["publication_date"],
        source_document=info["source_document"],
        source_url=info["source_url"],
        note=info["note"],
        content_hash=digest,
        source_file=source_file,
    )
    sections = _write_sections(version, document)
    actors = _write_actor_types(version, document, sections)
    _write_attention_points(document, sections, actors)
    _write_catalogues(version, document, sections, actors)
    return LoadResult(model_version=version, created=True)


def _same_as_loaded_before_step_roles(existing: m.ModelVersion, document: ModelDocument) -> bool:
    """A version loaded before the file named step roles got them from migration 0003; it is
    unchanged if everything else hashes as it did then and the file's roles are those."""
    if existing.content_hash != content_hash(document, step_roles=False):
        return False
    stored = dict(existing.sections.values_list("number", "step_role"))
    return stored == {s["number"]: s["step_role"] for s in document.sections}


def _write_sections(version: m.ModelVersion, doc: ModelDocument) -> dict[str, m.Section]:
    sections: dict[str, m.Section] = {}
    questions: list[m.GuidanceQuestion] = []
    for position, item in enumerate(doc.sections, start=1):
        parent_number = item["number"].rsplit(".", 1)[0] if "." in item["number"] else None
        section = m.Section.objects.create(
            model_version=version,
            parent=sections.get(parent_number) if parent_number else None,
            number=item["number"],
            title=item["title"],
            kind=item["kind"],
            summary=item["summary"],
            guidance=item["guidance"],
            position=position,
            step_role=item["step_role"],
        )
        sections[section.number] = section
        questions += [
            m.GuidanceQuestion(section=section, position=q_position, text=text)
            for q_position, text in enumerate(item["questions"], start=1)
        ]
    m.GuidanceQuestion.objects.bulk_create(questions)
    return sections


def _write_actor_types(
    version: m.ModelVersion, doc: ModelDocument, sections: dict[str, m.Section]
) -> dict[str, m.ActorType]:
    # bulk_create sets primary keys on PostgreSQL and on SQLite >= 3.35 (both supported).
    created = m.ActorType.objects.bulk_create(
        m.ActorType(
            model_version=version,
            key=item["key"],
            name=item["name"],
            sector=item["sector"],
            description=item["description"],
            is_role=item["is_role"],
            reform_2024_note=item["reform_2024"],
            position=position,
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


def _write_attention_points(
    doc: ModelDocument, sections: dict[str, m.Section], actors: dict[str, m.ActorType]
) -> None:
    positions: dict[str, int] = {}
    points = []
    for item in doc.attention_points:
        number = item["section"]
        positions[number] = positions.get(number, 0) + 1
        points.append(
            m.AttentionPoint(
                section=sections[number],
                position=positions[number],
                group=item["group"],
                title=item["title"],
                text=item["text"],
            )
        )
    m.AttentionPoint.objects.bulk_create(points)
    through = m.AttentionPoint.actors.through
    through.objects.bulk_create(
        through(attentionpoint_id=point.pk, actortype_id=actors[key].pk)
        for point, item in zip(points, doc.attention_points, strict=True)
        for key in dict.fromkeys(item["actors"])
    )


def _write_catalogues(
    version: m.ModelVersion,
    doc: ModelDocument,
    sections: dict[str, m.Section],
    actors: dict[str, m.ActorType],
) -> None:
    for model, items in (
        (m.Criterion, doc.criteria),
        (m.Need, doc.needs),
        (m.TargetGroupQuestion, doc.target_group_questions),
    ):
        model.objects.bulk_create(
            model(
                model_version=version,
                section=sections[item["section"]],
                key=item["key"],
                title=item["title"],
                text=item["text"],
                position=position,
            )
            for position, item in enumerate(items, start=1)
        )

    m.TargetGrouping.objects.bulk_create(
        m.TargetGrouping(
            model_version=version,
            section=sections[item["section"]],
            key=item["key"],
            title=item["title"],
            description=item["description"],
            example_diagnoses=item["example_diagnoses"],
            position=position,
        )
        for position, item in enumerate(doc.target_groupings, start=1)
    )
    m.CodeSystem.objects.bulk_create(
        m.CodeSystem(
            model_version=version,
            section=sections[item["section"]],
            key=item["key"],
            name=item["name"],
            description=item["description"],
            pattern=item["pattern"],
            example=item["example"],
            position=position,
        )
        for position, item in enumerate(doc.code_systems, start=1)
    )

    for position, item in enumerate(doc.transitions, start=1):
        transition = m.Transition.objects.create(
            model_version=version,
            section=sections[item["section"]],
            key=item["key"],
            title=item["title"],
            from_stage=item["from_stage"],
            to_stage=item["to_stage"],
            trigger=item["trigger"],
            handover=item["handover"],
            arrangements=item["arrangements"],
            position=position,
        )
        transition.sending_actors.set([actors[k] for k in item["sending_actors"]])
        transition.receiving_actors.set([actors[k] for k in item["receiving_actors"]])

    m.Resource.objects.bulk_create(
        m.Resource(
            model_version=version,
            key=item["key"],
            name=item["name"],
            appendix=item["appendix"],
            kind=item["kind"],
            offers=item["offers"],
            url=item["url"],
            actor=actors.get(item["actor"]) if item["actor"] else None,
            position=position,
        )
        for position, item in enumerate(doc.resources, start=1)
    )

    for position, item in enumerate(doc.legal_references, start=1):
        reference = m.LegalReference.objects.create(
            model_version=version,
            key=item["key"],
            law=item["law"],
            provision=item["provision"],
            title=item["title"],
            summary=item["summary"],
            url=item["url"],
            position=position,
        )
        reference.sections.set([sections[number] for number in item["sections"]])
