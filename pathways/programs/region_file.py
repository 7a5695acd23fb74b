"""Reads, checks and loads the regions file (fixtures/regions/*.yaml; format in
fixtures/README.md): Danish regions and approving bodies with the dates they exist.

The whole file is checked first and every problem is reported with its entry; the load
then writes in one transaction, so a bad file changes nothing. Loading the same file again
changes nothing; a corrected file updates the rows by code and key. A region that a program
or a published version names is never deleted (the program keeps the region it was
written for): ending it is done with `valid_to` and a `successor`.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from pathways.programs.models import ApprovingBody, Organisation, Program, Region

FORMAT_VERSION = 1
CODE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
TOP_LEVEL_KEYS = ("format", "note", "sources", "regions", "approving_bodies")
REGION_FIELDS = ("code", "name", "valid_from", "valid_to", "successor")
BODY_FIELDS = ("key", "name", "region", "valid_from", "valid_to", "municipalities")


class RegionFileError(Exception):
    """The file cannot be loaded; `problems` lists each one as "file: entry: problem"."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class LoadResult:
    regions: int
    bodies: int
    changed: bool


class _Checker:
    def __init__(self, file_label: str) -> None:
        self.file_label = file_label
        self.problems: list[str] = []

    def add(self, where: str, problem: str) -> None:
        self.problems.append(f"{self.file_label}: {where}: {problem}")

    def entry(self, where: str, raw: Any, fields: tuple[str, ...]) -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self.add(
                where,
                _("skal være en samling af felter (navn: værdi), ikke %(type)s")
                % {"type": type(raw).__name__},
            )
            return None
        unknown = sorted(set(raw) - set(fields))
        if unknown:
            self.add(
                where, _("ukendte felter: %(fields)s (stavefejl?)") % {"fields": ", ".join(unknown)}
            )
        return raw

    def text(self, where: str, raw: dict, name: str, *, max_length: int) -> str:
        value = raw.get(name)
        if not isinstance(value, str) or not value.strip():
            self.add(where, _("feltet '%(name)s' mangler") % {"name": name})
            return ""
        value = " ".join(value.split())
        if len(value) > max_length:
            self.add(
                where,
                _("feltet '%(name)s' er %(length)d tegn; højst %(max)d er tilladt")
                % {"name": name, "length": len(value), "max": max_length},
            )
        return value

    def code(self, where: str, raw: dict, name: str, *, max_length: int) -> str:
        value = self.text(where, raw, name, max_length=max_length)
        if value and not CODE.fullmatch(value):
            self.add(
                where,
                _("feltet '%(name)s' har værdien '%(value)s'; %(hint)s")
                % {
                    "name": name,
                    "value": value,
                    "hint": _("brug små bogstaver, tal og bindestreg"),
                },
            )
        return value

    def date(self, where: str, raw: dict, name: str) -> datetime.date | None:
        value = raw.get(name)
        if value is None:
            return None
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.add(
                where,
                _("feltet '%(name)s' skal være en dato på formen ÅÅÅÅ-MM-DD") % {"name": name},
            )
            return None

    def period(self, where: str, raw: dict) -> tuple[datetime.date | None, datetime.date | None]:
        start, end = self.date(where, raw, "valid_from"), self.date(where, raw, "valid_to")
        if start and end and end < start:
            self.add(
                where,
                _("'valid_to' (%(end)s) ligger før 'valid_from' (%(start)s)")
                % {
                    "end": end.isoformat(),
                    "start": start.isoformat(),
                },
            )
        return start, end


def _where(list_name: str, index: int, raw: Any, name: str) -> str:
    label = raw.get(name) if isinstance(raw, dict) else None
    return f"{list_name}[{index + 1}]" + (f" ({label})" if isinstance(label, str) and label else "")


def _covers(outer: dict, start: datetime.date | None, end: datetime.date | None) -> bool:
    """Whether `outer`'s period contains the period start..end (None: open)."""
    starts_before = outer["valid_from"] and (start is None or start < outer["valid_from"])
    ends_after = outer["valid_to"] and (end is None or end > outer["valid_to"])
    return not (starts_before or ends_after)


def check_document(raw: Any, *, file_label: str) -> tuple[list[dict], list[dict]]:
    """The file's regions and bodies as checked rows; raise RegionFileError with every
    problem found."""
    check = _Checker(file_label)
    if not isinstance(raw, dict):
        check.add(_("filen"), _("skal indeholde en samling af afsnit (format:, regions: …)"))
        raise RegionFileError(check.problems)
    unknown = sorted(set(raw) - set(TOP_LEVEL_KEYS))
    if unknown:
        check.add(_("filen"), _("ukendte hovedafsnit: %(keys)s") % {"keys": ", ".join(unknown)})
    if raw.get("format") != FORMAT_VERSION:
        check.add(
            "format",
            _("filformatet skal være %(expected)s, filen angiver %(given)r")
            % {"expected": FORMAT_VERSION, "given": raw.get("format")},
        )

    def entries(name: str) -> list[Any]:
        value = raw.get(name)
        if not isinstance(value, list) or not value:
            check.add(name, _("skal være en liste (punkter, der starter med '- ')"))
            return []
        return value

    regions: list[dict] = []
    for index, item in enumerate(entries("regions")):
        where = _where("regions", index, item, "code")
        entry = check.entry(where, item, REGION_FIELDS)
        if entry is None:
            continue
        code = check.code(where, entry, "code", max_length=20)
        start, end = check.period(where, entry)
        successor = entry.get("successor")
        if successor is not None and not isinstance(successor, str):
            check.add(where, _("feltet '%(name)s' skal være tekst") % {"name": "successor"})
            successor = None
        if code and any(r["code"] == code for r in regions):
            check.add(where, _("koden '%(code)s' findes to gange") % {"code": code})
        regions.append(
            {
                "code": code,
                "name": check.text(where, entry, "name", max_length=200),
                "valid_from": start,
                "valid_to": end,
                "successor": successor or "",
                "where": where,
            }
        )
    by_code = {r["code"]: r for r in regions if r["code"]}
    for region in regions:
        following = by_code.get(region["successor"])
        if region["successor"] and following is None:
            check.add(
                region["where"],
                _("efterfølgeren '%(code)s' findes ikke under regions")
                % {"code": region["successor"]},
            )
        elif following is not None:
            if region["valid_to"] is None:
                check.add(region["where"], _("en region med efterfølger skal have 'valid_to'"))
            elif following["valid_from"] != region["valid_to"] + datetime.timedelta(days=1):
                check.add(
                    region["where"],
                    _("efterfølgeren '%(code)s' skal gælde fra dagen efter %(end)s")
                    % {"code": following["code"], "end": region["valid_to"].isoformat()},
                )

    bodies: list[dict] = []
    for index, item in enumerate(entries("approving_bodies")):
        where = _where("approving_bodies", index, item, "key")
        entry = check.entry(where, item, BODY_FIELDS)
        if entry is None:
            continue
        key = check.code(where, entry, "key", max_length=60)
        if key and any(b["key"] == key for b in bodies):
            check.add(where, _("nøglen '%(key)s' findes to gange") % {"key": key})
        region_code = check.text(where, entry, "region", max_length=20)
        start, end = check.period(where, entry)
        region = by_code.get(region_code)
        if region_code and region is None:
            check.add(
                where, _("regionen '%(code)s' findes ikke under regions") % {"code": region_code}
            )
        elif region is not None and not _covers(region, start, end):
            check.add(where, _("organet gælder uden for regionens gyldighedsperiode"))
        municipalities = entry.get("municipalities", [])
        if not isinstance(municipalities, list) or not all(
            isinstance(m, str) and m.strip() for m in municipalities
        ):
            check.add(
                where,
                _("feltet '%(name)s' skal være en liste af tekster") % {"name": "municipalities"},
            )
            municipalities = []
        bodies.append(
            {
                "key": key,
                "name": check.text(where, entry, "name", max_length=200),
                "region": region_code,
                "valid_from": start,
                "valid_to": end,
                "municipalities": [" ".join(m.split()) for m in municipalities],
            }
        )
    if check.problems:
        raise RegionFileError(check.problems)
    for region in regions:
        del region["where"]
    return regions, bodies


def read_region_file(path: Path) -> tuple[list[dict], list[dict]]:
    label = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegionFileError([_("%(file)s: filen findes ikke") % {"file": label}]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RegionFileError(
            [_("%(file)s: filen kan ikke læses: %(error)s") % {"file": label, "error": exc}]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("linje %(line)d") % {"line": mark.line + 1} if mark else _("filen")
        problem = getattr(exc, "problem", None) or str(exc)
        raise RegionFileError(
            [
                _("%(file)s: %(where)s: ugyldig YAML: %(problem)s")
                % {"file": label, "where": where, "problem": problem}
            ]
        ) from None
    return check_document(raw, file_label=label)


def load_region_file(path: Path) -> LoadResult:
    regions, bodies = read_region_file(path)
    return load_regions(regions, bodies, file_label=str(path))


@transaction.atomic
def load_regions(regions: list[dict], bodies: list[dict], *, file_label: str) -> LoadResult:
    """Make the tables say what the checked file says (update by code and key)."""
    from pathways.versions.models import ProgramVersion  # versions depends on programs

    existing = {r.code: r for r in Region.objects.select_for_update()}
    dropped = set(existing) - {r["code"] for r in regions}
    used = sorted(
        dropped
        & (
            set(Program.objects.values_list("region", flat=True))
            | set(ProgramVersion.objects.values_list("region", flat=True))
        )
    )
    if used:
        raise RegionFileError(
            [
                _(
                    "%(file)s: regions: regionen '%(code)s' mangler i filen, men programmer er "
                    "skrevet til den; lad den stå med 'valid_to' og 'successor'"
                )
                % {"file": file_label, "code": code}
                for code in used
            ]
        )
    changed = bool(dropped)
    ApprovingBody.objects.filter(region__code__in=dropped).delete()
    Region.objects.filter(code__in=dropped).delete()

    stored: dict[str, Region] = {}
    for position, item in enumerate(regions, start=1):
        fields = {
            "name": item["name"],
            "valid_from": item["valid_from"],
            "valid_to": item["valid_to"],
            "position": position,
        }
        changed |= _put(Region, existing.get(item["code"]), {"code": item["code"]}, fields, stored)
    for item in regions:  # successors once every region exists
        region = stored[item["code"]]
        successor_id = stored[item["successor"]].pk if item["successor"] else None
        if region.successor_id != successor_id:
            region.successor_id = successor_id
            region.save(update_fields=["successor"])
            changed = True

    existing_bodies = {b.key: b for b in ApprovingBody.objects.all()}
    gone = set(existing_bodies) - {b["key"] for b in bodies}
    if gone:
        ApprovingBody.objects.filter(key__in=gone).delete()
        changed = True
    for position, item in enumerate(bodies, start=1):
        fields = {
            "name": item["name"],
            "region_id": stored[item["region"]].pk,
            "valid_from": item["valid_from"],
            "valid_to": item["valid_to"],
            "municipalities": item["municipalities"],
            "position": position,
        }
        changed |= _put(
            ApprovingBody, existing_bodies.get(item["key"]), {"key": item["key"]}, fields, {}
        )
    changed |= _municipal_organisations(bodies)
    return LoadResult(regions=len(regions), bodies=len(bodies), changed=changed)


def _municipal_organisations(bodies: list[dict]) -> bool:
    """Every municipality a body lists is an organisation a consultation can go to."""
    named = {m for item in bodies for m in item["municipalities"]}
    known = set(
        Organisation.objects.filter(municipality__in=named).values_list("municipality", flat=True)
    )
    missing = sorted(named - known)
    for municipality in missing:
        Organisation.objects.update_or_create(
            name=f"{municipality} Kommune",
            defaults={"municipality": municipality, "sector": "municipality"},
        )
    return bool(missing)


def _put(model, row, identity: dict, fields: dict, stored: dict) -> bool:
    """Create or update one row; whether anything changed."""
    changed = False
    if row is None:
        row = model.objects.create(**identity, **fields)
        changed = True
    elif any(getattr(row, name) != value for name, value in fields.items()):
        for name, value in fields.items():
            setattr(row, name, value)
        row.save()
        changed = True
    stored[next(iter(identity.values()))] = row
    return changed
