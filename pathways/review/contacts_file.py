"""Loading consultation contact people from a YAML file (fixtures/README.md, "Consultation
contacts"): checked whole before anything is written, written in one transaction, and
loading the same file again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from pathways.programs.models import MemberSector, Organisation
from pathways.review.models import PartyContact


class ContactsFileError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class LoadResult:
    organisations: int
    people: int
    added: int


def _read(path: Path) -> list[dict]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContactsFileError([f"{path}: {error}"]) from None
    if not isinstance(raw, dict) or raw.get("format") != 1:
        raise ContactsFileError([f"{path}: 'format: 1' mangler"])
    entries = raw.get("contacts")
    if not isinstance(entries, list) or not entries:
        raise ContactsFileError([f"{path}: 'contacts' skal være en liste"])
    problems = []
    checked = []
    for n, entry in enumerate(entries, start=1):
        where = f"{path}: contacts[{n}]"
        if not isinstance(entry, dict) or not str(entry.get("organisation", "")).strip():
            problems.append(f"{where}: 'organisation' mangler")
            continue
        sector = entry.get("sector", "")
        if sector and sector not in MemberSector.values:
            problems.append(f"{where}: ukendt sektor '{sector}'")
        people = entry.get("people")
        if not isinstance(people, list) or not people:
            problems.append(f"{where}: 'people' skal være en liste med mindst én person")
            continue
        for m, person in enumerate(people, start=1):
            name = str(person.get("name", "")).strip() if isinstance(person, dict) else ""
            email = str(person.get("email", "")).strip() if isinstance(person, dict) else ""
            try:
                validate_email(email)
            except ValidationError:
                problems.append(f"{where}.people[{m}]: ugyldig e-mailadresse '{email}'")
            if not name:
                problems.append(f"{where}.people[{m}]: 'name' mangler")
        checked.append(entry)
    if problems:
        raise ContactsFileError(problems)
    return checked


@transaction.atomic
def load_contacts_file(path: Path) -> LoadResult:
    entries = _read(path)
    added = people = 0
    for entry in entries:
        name = " ".join(str(entry["organisation"]).split())
        organisation = Organisation.objects.filter(name__iexact=name).first()
        if organisation is None:
            organisation = Organisation.objects.create(name=name, sector=entry.get("sector", ""))
        for person in entry["people"]:
            people += 1
            _contact, created = PartyContact.objects.update_or_create(
                organisation=organisation,
                email=person["email"].strip(),
                defaults={"name": person["name"].strip()},
            )
            added += created
    return LoadResult(organisations=len(entries), people=people, added=added)
