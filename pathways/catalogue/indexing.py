"""Writes a program's catalogue row from its current published version (models.py).

Everything is read from the version's stored document through the PDF's view of it
(`pathways.pdf.render.version_document`), so the catalogue says what the published version
says, and never what the draft says since.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from pathways.catalogue.models import CODE_DELIMITER, PHASE_DELIMITER, CatalogueEntry
from pathways.generic_model.models import ModelVersion
from pathways.pdf.document import Document
from pathways.pdf.render import version_document
from pathways.programs.codes import international_form, normalise
from pathways.versions.models import ProgramVersion

log = logging.getLogger(__name__)


def current_version(program_id: int) -> ProgramVersion | None:
    """The program's newest published version (its document and PDF not loaded)."""
    return (
        ProgramVersion.objects.filter(program_id=program_id)
        .order_by("-major", "-minor")
        .defer("pdf", "document")
        .first()
    )


def index_version(version: ProgramVersion) -> CatalogueEntry | None:
    """Make `version` its program's catalogue row, if it is the program's newest version
    (an older one is never shown); returns the program's row."""
    newest = current_version(version.program_id)
    if newest is None or newest.pk != version.pk:
        return CatalogueEntry.objects.filter(program_id=version.program_id).first()
    fields = entry_fields(version)
    entry, _created = CatalogueEntry.objects.update_or_create(
        program_id=version.program_id, defaults=fields
    )
    return entry


def entry_fields(version: ProgramVersion) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "version": version,
        "number": version.number,
        "title": version.title,
        "region": version.region,
        "published_at": version.published_at,
        "grouping": "",
        "age_bands": "",
        "codes": "",
        "code_lines": "",
        "diagnoses": "",
        "actors_responsible": "",
        "next_review_date": None,
    }
    if not version.document:
        return fields  # published before documents were stored: title and region only
    doc = version_document(version)
    target_codes = [row for row in doc.target.get("codes") or [] if isinstance(row, dict)]
    grouping = doc.target.get("grouping")
    fields.update(
        title=version.title or doc.title,
        region=version.region or str(doc.basis.get("region") or ""),
        grouping=grouping if isinstance(grouping, str) else "",
        age_bands=_delimited(age_bands(doc, version.document), PHASE_DELIMITER),
        codes=_delimited(code_forms(target_codes), CODE_DELIMITER),
        code_lines="\n".join(doc.codes),
        diagnoses="\n".join(" ".join(str(row.get("label") or "").split()) for row in target_codes),
        actors_responsible="\n".join(responsible_actors(doc)),
        next_review_date=doc.next_review_date,
    )
    return fields


def _delimited(values: list[str], delimiter: str) -> str:
    """ "|a|b|": every value, also the first and last, has the delimiter on both sides."""
    return f"{delimiter}{delimiter.join(values)}{delimiter}" if values else ""


def age_bands(doc: Document, document: dict[str, Any]) -> list[str]:
    """The life-phase keys of the relevant parts, in the model's order. A part whose
    section names no phase spans them all, as the pathway diagram draws it."""
    named = document.get("model") or {}
    model = ModelVersion.objects.filter(
        slug=named.get("slug"), version=named.get("version")
    ).first()
    every = [key for key, _label in model.life_phases] if model else []
    covered: set[str] = set()
    for part in doc.parts:
        if part.relevant:
            covered |= set(part.step.section.life_phases_within(every))
    return [key for key in every if key in covered]


def code_forms(rows: list[dict[str, Any]]) -> list[str]:
    """Every form a search may give a code in: stored, WHO (ICD-10), and an OMIM number
    without the # or % of a phenotype entry."""
    forms: list[str] = []
    for row in rows:
        system = str(row.get("system") or "")
        stored = normalise(system, str(row.get("code") or "")).upper()
        found = [stored, international_form(system, stored).upper()]
        if system == "omim" and stored[:1] in "#%":
            found.append(stored[1:])
        forms += [f for f in found if f and f not in forms]
    return [f.replace(CODE_DELIMITER, "") for f in forms]


def responsible_actors(doc: Document) -> list[str]:
    """The names of the actors with a responsibility: each relevant part's responsible and
    patient-responsible doctor, the senders and receivers of its relevant transitions and
    the responsible of its attention points; the program's doctor, municipal coordinator
    and follow-up responsible; the responsible of the group's own parts. A transition side
    of several actors is one line ("A, B"): a search for either name still finds it."""
    names = [doc.doctor, doc.coordinator, doc.follow_up_responsible]
    for part in doc.parts:
        if not part.relevant:
            continue
        names += [part.responsible, part.doctor]
        for transition in part.transitions:
            if transition.relevant:
                names += [transition.sending, transition.receiving]
        names += [point.responsible for point in part.points if not point.not_relevant]
    names += [responsible for _title, _effort, responsible in doc.own_parts]
    found: list[str] = []
    for name in names:
        name = " ".join(name.split())  # one line each
        if name and name not in found:
            found.append(name)
    return found


def version_published(sender, instance: ProgramVersion, created: bool, **kwargs) -> None:
    """post_save of a ProgramVersion: a new version enters the catalogue in the same
    transaction as its publication, so the catalogue never lags behind it."""
    if created and not kwargs.get("raw"):
        index_version(instance)


def rebuild() -> tuple[int, list[str]]:
    """Every program's row again from its newest version; rows of programs without one
    go. Returns (rows written, the programs that failed, each with why)."""
    written, failed = 0, []
    program_ids = ProgramVersion.objects.values_list("program_id", flat=True).distinct()
    CatalogueEntry.objects.exclude(program_id__in=program_ids).delete()
    for program_id in sorted(set(program_ids)):
        version = current_version(program_id)
        try:
            with transaction.atomic():
                index_version(ProgramVersion.objects.get(pk=version.pk))
            written += 1
        except Exception as error:  # one bad document does not stop the others
            log.exception("Catalogue row of program %s failed", program_id)
            failed.append(f"{version.program_id} ({version.number}): {error}")
    return written, failed
