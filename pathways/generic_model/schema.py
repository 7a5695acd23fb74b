"""Reads a generic-model file (YAML, see fixtures/README.md) into checked, plain data.

Every problem is collected with the entry it belongs to, so one run tells the editor of the
file everything that is wrong. Nothing here touches the database; loader.py writes.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from pathways.generic_model.models import (
    POINT_STEP_ROLES,
    REQUIRED_STEP_ROLES,
    UNIQUE_STEP_ROLES,
    ResourceKind,
    SectionKind,
    Sector,
    StepRole,
    owning_part,
)

FORMAT_VERSION = 1
SECTION_NUMBER = re.compile(r"\d+(\.\d+)*")
KEY = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
SLUG = KEY

TOP_LEVEL_KEYS = (
    "format",
    "model",
    "sections",
    "actor_types",
    "attention_points",
    "criteria",
    "needs",
    "code_systems",
    "target_groupings",
    "target_group_questions",
    "transitions",
    "resources",
    "legal_references",
    "pathway_diagram",
)


class ModelFileError(Exception):
    """The file cannot be loaded; `problems` lists each one as "file: entry: problem"."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ModelDocument:
    """The checked content of one model file; lists keep the file's order."""

    model: dict[str, Any]
    sections: list[dict[str, Any]] = field(default_factory=list)
    actor_types: list[dict[str, Any]] = field(default_factory=list)
    attention_points: list[dict[str, Any]] = field(default_factory=list)
    criteria: list[dict[str, Any]] = field(default_factory=list)
    needs: list[dict[str, Any]] = field(default_factory=list)
    code_systems: list[dict[str, Any]] = field(default_factory=list)
    target_groupings: list[dict[str, Any]] = field(default_factory=list)
    target_group_questions: list[dict[str, Any]] = field(default_factory=list)
    transitions: list[dict[str, Any]] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    legal_references: list[dict[str, Any]] = field(default_factory=list)
    # Phases, lanes, entry points and band of the pathway diagram; empty when the file has none.
    pathway_diagram: dict[str, Any] = field(default_factory=dict)


class _Problems:
    def __init__(self, file_label: str):
        self.file_label = file_label
        self.items: list[str] = []

    def add(self, where: str, problem: str) -> None:
        self.items.append(f"{self.file_label}: {where}: {problem}")


class _Entry:
    """Reads the fields of one mapping, reporting missing, malformed and unknown fields."""

    def __init__(self, problems: _Problems, where: str, raw: Any):
        self.problems = problems
        self.where = where
        self.raw = raw if isinstance(raw, dict) else {}
        self.seen: set[str] = set()
        self.valid = isinstance(raw, dict)
        if not self.valid:
            self.report(
                _("skal være en samling af felter (navn: værdi), ikke %(type)s")
                % {"type": type(raw).__name__}
            )

    def report(self, problem: str) -> None:
        self.problems.add(self.where, problem)

    def text(self, name: str, *, max_length: int | None = None, required: bool = True) -> str:
        self.seen.add(name)
        value = self.raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required and self.valid:
                self.report(_("feltet '%(name)s' mangler") % {"name": name})
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.report(
                _("feltet '%(name)s' skal være tekst; skriv det i anførselstegn, fx \"%(value)s\"")
                % {"name": name, "value": value}
            )
            return ""
        if not isinstance(value, str):
            self.report(_("feltet '%(name)s' skal være tekst") % {"name": name})
            return ""
        value = value.strip()
        if max_length is not None and len(value) > max_length:
            self.report(
                _("feltet '%(name)s' er %(length)d tegn; højst %(max)d er tilladt")
                % {"name": name, "length": len(value), "max": max_length}
            )
        return value

    def pattern(self, name: str, regex: re.Pattern[str], hint: str, **kwargs: Any) -> str:
        value = self.text(name, **kwargs)
        if value and not regex.fullmatch(value):
            self.report(
                _("feltet '%(name)s' har værdien '%(value)s'; %(hint)s")
                % {"name": name, "value": value, "hint": hint}
            )
        return value

    def choice(self, name: str, choices: type, *, required: bool = True) -> str:
        value = self.text(name, required=required)
        allowed = [str(v) for v in choices.values]
        if value and value not in allowed:
            self.report(
                _("feltet '%(name)s' har den ukendte værdi '%(value)s'; tilladt er: %(allowed)s")
                % {"name": name, "value": value, "allowed": ", ".join(allowed)}
            )
        return value

    def url(self, name: str) -> str:
        value = self.text(name, max_length=400, required=False)
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                self.report(
                    _("feltet '%(name)s' er ikke en gyldig webadresse: '%(value)s'")
                    % {"name": name, "value": value}
                )
        return value

    def integer(self, name: str) -> int | None:
        self.seen.add(name)
        value = self.raw.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.report(_("feltet '%(name)s' skal være et helt tal") % {"name": name})
        return None

    def date(self, name: str) -> datetime.date | None:
        self.seen.add(name)
        value = self.raw.get(name)
        if value is None:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.report(
                _("feltet '%(name)s' skal være en dato på formen ÅÅÅÅ-MM-DD") % {"name": name}
            )
            return None

    def flag(self, name: str) -> bool:
        self.seen.add(name)
        value = self.raw.get(name, False)
        if not isinstance(value, bool):
            self.report(_("feltet '%(name)s' skal være true eller false") % {"name": name})
            return False
        return value

    def strings(self, name: str, *, required: bool = False) -> list[str]:
        self.seen.add(name)
        value = self.raw.get(name)
        if value is None:
            if required and self.valid:
                self.report(_("feltet '%(name)s' mangler") % {"name": name})
            return []
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            self.report(
                _("feltet '%(name)s' skal være en liste af tekster (afsnitsnumre i anførselstegn)")
                % {"name": name}
            )
            return []
        return [" ".join(item.split()) for item in value]

    def finish(self) -> None:
        unknown = sorted(set(self.raw) - self.seen)
        if unknown:
            self.report(
                _("ukendte felter: %(fields)s (stavefejl?)") % {"fields": ", ".join(unknown)}
            )


def read_model_file(path: Path) -> ModelDocument:
    """Parse and check a model file; raise ModelFileError listing every problem found."""
    label = str(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelFileError([_("%(file)s: filen findes ikke") % {"file": label}]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelFileError(
            [_("%(file)s: filen kan ikke læses: %(error)s") % {"file": label, "error": exc}]
        ) from None
    try:
        raw = yaml.safe_load(raw_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("linje %(line)d") % {"line": mark.line + 1} if mark else _("filen")
        problem = getattr(exc, "problem", None) or str(exc)
        raise ModelFileError(
            [
                _("%(file)s: %(where)s: ugyldig YAML: %(problem)s")
                % {"file": label, "where": where, "problem": problem}
            ]
        ) from None
    return check_document(raw, file_label=label)


def check_document(raw: Any, *, file_label: str) -> ModelDocument:
    problems = _Problems(file_label)
    if not isinstance(raw, dict):
        problems.add(_("filen"), _("skal indeholde en samling af afsnit (model:, sections: …)"))
        raise ModelFileError(problems.items)

    unknown = sorted(set(raw) - set(TOP_LEVEL_KEYS))
    if unknown:
        problems.add(_("filen"), _("ukendte hovedafsnit: %(keys)s") % {"keys": ", ".join(unknown)})
    if raw.get("format") != FORMAT_VERSION:
        problems.add(
            "format",
            _("filformatet skal være %(expected)s, filen angiver %(given)r")
            % {"expected": FORMAT_VERSION, "given": raw.get("format")},
        )

    def entries(name: str) -> list[Any]:
        value = raw.get(name)
        if value is None:
            problems.add(name, _("listen mangler"))
            return []
        if not isinstance(value, list):
            problems.add(name, _("skal være en liste (punkter, der starter med '- ')"))
            return []
        return value

    document = ModelDocument(model=_check_model(problems, raw.get("model")))
    section_numbers = _check_sections(problems, entries("sections"), document)
    actor_keys = _check_actor_types(problems, entries("actor_types"), document, section_numbers)
    refs = _References(problems, section_numbers, actor_keys)
    _check_attention_points(problems, entries("attention_points"), document, refs)
    _check_simple_entries(problems, entries, document, refs)
    _check_code_systems(problems, entries("code_systems"), document, refs)
    _check_transitions(problems, entries("transitions"), document, refs)
    _check_resources(problems, entries("resources"), document, refs)
    _check_legal_references(problems, entries("legal_references"), document, refs)
    _check_step_roles(problems, document)
    _check_pathway_diagram(problems, raw.get("pathway_diagram"), document)

    if problems.items:
        raise ModelFileError(problems.items)
    return document


class _References:
    """Checks that references to sections and actors point at entries of the same file."""

    def __init__(self, problems: _Problems, sections: set[str], actors: set[str]):
        self.problems = problems
        self.sections = sections
        self.actors = actors

    def section(self, entry: _Entry, number: str) -> None:
        if number and number not in self.sections:
            entry.report(
                _("henviser til afsnit '%(number)s', som ikke findes i filen") % {"number": number}
            )

    def actor_list(self, entry: _Entry, keys: list[str]) -> None:
        for key in keys:
            if key not in self.actors:
                entry.report(
                    _("henviser til aktøren '%(key)s', som ikke findes under actor_types")
                    % {"key": key}
                )


def _where(list_name: str, index: int, label: str = "") -> str:
    return f"{list_name}[{index + 1}]" + (f" ({label})" if label else "")


def _label(raw: Any, *names: str) -> str:
    if not isinstance(raw, dict):
        return ""
    return " ".join(str(raw[n]) for n in names if raw.get(n) not in (None, ""))


def _check_model(problems: _Problems, raw: Any) -> dict[str, Any]:
    entry = _Entry(problems, "model", raw if raw is not None else "")
    model = {
        "slug": entry.pattern(
            "slug", SLUG, _("brug små bogstaver, tal og bindestreg"), max_length=60
        ),
        "name": entry.text("name", max_length=300),
        "publisher": entry.text("publisher", max_length=200),
        "version": entry.text("version", max_length=20),
        "publication_year": entry.integer("publication_year"),
        "publication_date": entry.date("publication_date"),
        "source_document": entry.text("source_document", max_length=400),
        "source_url": entry.url("source_url"),
        "note": entry.text("note", required=False),
    }
    entry.finish()
    return model


def _check_sections(problems: _Problems, raw_list: list[Any], doc: ModelDocument) -> set[str]:
    numbers: set[str] = set()
    for index, raw in enumerate(raw_list):
        entry = _Entry(problems, _where("sections", index, _label(raw, "number", "title")), raw)
        number = entry.pattern(
            "number",
            SECTION_NUMBER,
            _('et afsnitsnummer skrives som fx "4.1.3"'),
            max_length=16,
        )
        section = {
            "number": number,
            "title": entry.text("title", max_length=200),
            "kind": entry.choice("kind", SectionKind),
            "summary": entry.text("summary"),
            "guidance": entry.text("guidance"),
            "questions": entry.strings("questions"),
            "step_role": entry.choice("step_role", StepRole, required=False),
            "phases": entry.strings("phases"),
        }
        entry.finish()
        if number in numbers:
            entry.report(
                _("afsnitsnummeret '%(number)s' findes allerede tidligere i filen")
                % {"number": number}
            )
        elif number and "." in number:
            parent = number.rsplit(".", 1)[0]
            if parent not in numbers:
                entry.report(
                    _("det overordnede afsnit '%(parent)s' skal stå før '%(number)s'")
                    % {"parent": parent, "number": number}
                )
        numbers.add(number)
        doc.sections.append(section)
    return numbers


def _check_actor_types(
    problems: _Problems, raw_list: list[Any], doc: ModelDocument, sections: set[str]
) -> set[str]:
    keys: set[str] = set()
    refs = _References(problems, sections, set())
    for index, raw in enumerate(raw_list):
        entry = _Entry(problems, _where("actor_types", index, _label(raw, "key")), raw)
        key = _key(entry, keys)
        actor = {
            "key": key,
            "name": entry.text("name", max_length=200),
            "sector": entry.choice("sector", Sector),
            "description": entry.text("description"),
            "is_role": entry.flag("is_role"),
            "sections": entry.strings("sections"),
            "reform_2024": entry.text("reform_2024", required=False),
        }
        entry.finish()
        for number in actor["sections"]:
            refs.section(entry, number)
        doc.actor_types.append(actor)
    return keys


def _key(entry: _Entry, seen: set[str]) -> str:
    key = entry.pattern("key", KEY, _("brug små bogstaver, tal og bindestreg"), max_length=60)
    if key in seen:
        entry.report(_("nøglen '%(key)s' er brugt før i samme liste") % {"key": key})
    seen.add(key)
    return key


def _check_attention_points(
    problems: _Problems, raw_list: list[Any], doc: ModelDocument, refs: _References
) -> None:
    for index, raw in enumerate(raw_list):
        entry = _Entry(
            problems, _where("attention_points", index, _label(raw, "section", "title")), raw
        )
        if entry.valid and not raw.get("section"):
            entry.report(_("opmærksomhedspunktet mangler sit afsnit (section)"))
        point = {
            "section": entry.text("section", max_length=16, required=False),
            "group": entry.text("group", max_length=200, required=False),
            "title": entry.text("title", max_length=120),
            "text": entry.text("text"),
            "actors": entry.strings("actors"),
        }
        entry.finish()
        refs.section(entry, point["section"])
        refs.actor_list(entry, point["actors"])
        doc.attention_points.append(point)


def _check_simple_entries(
    problems: _Problems,
    entries: Callable[[str], list[Any]],
    doc: ModelDocument,
    refs: _References,
) -> None:
    """Criteria, needs and target-group questions share one shape: key, title, text, section."""
    for list_name in ("criteria", "needs", "target_group_questions"):
        keys: set[str] = set()
        for index, raw in enumerate(entries(list_name)):
            entry = _Entry(problems, _where(list_name, index, _label(raw, "key")), raw)
            item = {
                "key": _key(entry, keys),
                "title": entry.text("title", max_length=200),
                "text": entry.text("text"),
                "section": entry.text("section", max_length=16),
            }
            entry.finish()
            refs.section(entry, item["section"])
            getattr(doc, list_name).append(item)

    keys = set()
    for index, raw in enumerate(entries("target_groupings")):
        entry = _Entry(problems, _where("target_groupings", index, _label(raw, "key")), raw)
        item = {
            "key": _key(entry, keys),
            "title": entry.text("title", max_length=200),
            "description": entry.text("description"),
            "example_diagnoses": entry.strings("example_diagnoses"),
            "section": entry.text("section", max_length=16),
        }
        entry.finish()
        refs.section(entry, item["section"])
        doc.target_groupings.append(item)


def _check_code_systems(
    problems: _Problems, raw_list: list[Any], doc: ModelDocument, refs: _References
) -> None:
    keys: set[str] = set()
    for index, raw in enumerate(raw_list):
        entry = _Entry(problems, _where("code_systems", index, _label(raw, "key")), raw)
        item = {
            "key": _key(entry, keys),
            "name": entry.text("name", max_length=100),
            "description": entry.text("description"),
            "pattern": entry.text("pattern", max_length=300),
            "example": entry.text("example", max_length=40),
            "section": entry.text("section", max_length=16),
        }
        entry.finish()
        refs.section(entry, item["section"])
        if item["pattern"]:
            try:
                compiled = re.compile(item["pattern"])
            except re.error as exc:
                entry.report(
                    _("kodeformatet er ikke et gyldigt regulært udtryk: %(error)s") % {"error": exc}
                )
            else:
                if item["example"] and not compiled.fullmatch(item["example"]):
                    entry.report(
                        _("eksemplet '%(example)s' passer ikke til kodeformatet")
                        % {"example": item["example"]}
                    )
        doc.code_systems.append(item)


def _check_transitions(
    problems: _Problems, raw_list: list[Any], doc: ModelDocument, refs: _References
) -> None:
    keys: set[str] = set()
    for index, raw in enumerate(raw_list):
        entry = _Entry(problems, _where("transitions", index, _label(raw, "key")), raw)
        item = {
            "key": _key(entry, keys),
            "section": entry.text("section", max_length=16),
            "title": entry.text("title", max_length=200),
            "from_stage": entry.text("from_stage", max_length=200),
            "to_stage": entry.text("to_stage", max_length=200),
            "trigger": entry.text("trigger"),
            "sending_actors": entry.strings("sending_actors"),
            "receiving_actors": entry.strings("receiving_actors"),
            "handover": entry.strings("handover", required=True),
            "arrangements": entry.strings("arrangements"),
            "phases": entry.strings("phases"),
        }
        entry.finish()
        refs.section(entry, item["section"])
        refs.actor_list(entry, item["sending_actors"] + item["receiving_actors"])
        doc.transitions.append(item)


def _check_resources(
    problems: _Problems, raw_list: list[Any], doc: ModelDocument, refs: _References
) -> None:
    keys: set[str] = set()
    for index, raw in enumerate(raw_list):
        entry = _Entry(problems, _where("resources", index, _label(raw, "key")), raw)
        item = {
            "key": _key(entry, keys),
            "name": entry.text("name", max_length=200),
            "appendix": entry.text("appendix", max_length=4),
            "kind": entry.choice("kind", ResourceKind),
            "offers": entry.text("offers"),
            "url": entry.url("url"),
            "actor": entry.text("actor", max_length=60, required=False),
            "sections": entry.strings("sections"),
            # The transcriber's note on the source ("no address given"): kept in the file,
            # never loaded, so no output prints it.
            "source_note": entry.text("source_note", required=False),
        }
        entry.finish()
        if item["actor"]:
            refs.actor_list(entry, [item["actor"]])
        for number in item["sections"]:
            refs.section(entry, number)
        doc.resources.append(item)


def _check_legal_references(
    problems: _Problems, raw_list: list[Any], doc: ModelDocument, refs: _References
) -> None:
    keys: set[str] = set()
    for index, raw in enumerate(raw_list):
        entry = _Entry(problems, _where("legal_references", index, _label(raw, "key")), raw)
        item = {
            "key": _key(entry, keys),
            "law": entry.text("law", max_length=200),
            "provision": entry.text("provision", max_length=100, required=False),
            "title": entry.text("title", max_length=200),
            "summary": entry.text("summary"),
            "sections": entry.strings("sections"),
            "url": entry.url("url"),
            "source_note": entry.text("source_note", required=False),
        }
        entry.finish()
        for number in item["sections"]:
            refs.section(entry, number)
        doc.legal_references.append(item)


def _check_step_roles(problems: _Problems, doc: ModelDocument) -> None:
    """The roles must give a program every step it needs, and ask every point and transition.

    A program has one step each for criteria, target group, actors, implementation and
    follow-up, at most one for the pathway as a whole, and one step per `part` section; an
    attention point or a transition that no step asks would silently drop out of every
    program.
    """
    where = {
        s["number"]: _where("sections", i, f"{s['number']} {s['title']}".strip())
        for i, s in enumerate(doc.sections)
    }
    roles = {s["number"]: s["step_role"] for s in doc.sections if s["number"]}
    with_points = {p["section"] for p in doc.attention_points}

    first: dict[str, str] = {}
    for section in doc.sections:
        role, number = section["step_role"], section["number"]
        if role in UNIQUE_STEP_ROLES:
            if role in first:
                problems.add(
                    where[number],
                    _(
                        "step_role '%(role)s' er allerede givet til afsnit '%(other)s'; "
                        "kun ét afsnit kan have den"
                    )
                    % {"role": role, "other": first[role]},
                )
            else:
                first[role] = number
        if role == StepRole.PART and number not in with_points:
            problems.add(
                where[number],
                _(
                    "step_role 'part' gør afsnittet til et trin med opmærksomhedspunkter, "
                    "men afsnittet har ingen"
                ),
            )
    for role in REQUIRED_STEP_ROLES:
        if role not in first:
            problems.add(
                "sections",
                _("intet afsnit har step_role '%(role)s'; et program har brug for det trin")
                % {"role": role},
            )
    if StepRole.PART not in roles.values():
        problems.add(
            "sections",
            _("intet afsnit har step_role 'part'; et program skal have mindst én del af forløbet"),
        )

    for index, point in enumerate(doc.attention_points):
        number = point["section"]
        if number in roles and roles[number] not in POINT_STEP_ROLES:
            problems.add(
                _where("attention_points", index, f"{number} {point['title']}".strip()),
                _(
                    "afsnit '%(number)s' spørges ikke om opmærksomhedspunkter i noget trin; "
                    "giv afsnittet en step_role, der gør det (%(roles)s), eller flyt punktet"
                )
                % {"number": number, "roles": ", ".join(POINT_STEP_ROLES)},
            )
    for index, transition in enumerate(doc.transitions):
        number = transition["section"]
        if number in roles and owning_part(number, roles) is None:
            problems.add(
                _where("transitions", index, transition["key"]),
                _(
                    "afsnit '%(number)s' hører ikke under et afsnit med step_role 'part', "
                    "så overgangen spørges ikke i noget trin"
                )
                % {"number": number},
            )


def _check_pathway_diagram(problems: _Problems, raw: Any, doc: ModelDocument) -> None:
    """The diagram's axes (life phases, sector lanes), entry points and band, and every
    `phases` a section or transition names: where a part is drawn is data, checked here."""
    phase_keys: list[str] = []
    if raw is not None:
        entry = _Entry(problems, "pathway_diagram", raw)
        phases = _diagram_list(problems, entry, "phases", ("key", "label"))
        lanes = _diagram_list(problems, entry, "lanes", ("key", "label", "sectors"))
        phase_keys = [p["key"] for p in phases]
        sector_lane: dict[str, str] = {}
        for lane in lanes:
            for sector in lane["sectors"]:
                if sector not in Sector.values:
                    problems.add(
                        f"pathway_diagram lanes ({lane['key']})",
                        _("ukendt sektor '%(sector)s'; tilladt er: %(allowed)s")
                        % {"sector": sector, "allowed": ", ".join(Sector.values)},
                    )
                elif sector in sector_lane:
                    problems.add(
                        f"pathway_diagram lanes ({lane['key']})",
                        _("sektoren '%(sector)s' hører allerede til banen '%(lane)s'")
                        % {"sector": sector, "lane": sector_lane[sector]},
                    )
                else:
                    sector_lane[sector] = lane["key"]
        parts = {s["number"] for s in doc.sections if s["step_role"] == StepRole.PART}
        placed: dict[str, str] = {}
        for name in ("entry_points", "band"):
            for number in entry.strings(name):
                if number not in parts:
                    problems.add(
                        f"pathway_diagram {name}",
                        _("afsnit '%(number)s' er ikke en del af forløbet (step_role 'part')")
                        % {"number": number},
                    )
                elif number in placed:
                    problems.add(
                        f"pathway_diagram {name}",
                        _("afsnit '%(number)s' står allerede under %(other)s")
                        % {"number": number, "other": placed[number]},
                    )
                placed[number] = name
        entry.finish()
        doc.pathway_diagram = {
            "phases": phases,
            "lanes": lanes,
            "entry_points": [n for n, where in placed.items() if where == "entry_points"],
            "band": [n for n, where in placed.items() if where == "band"],
        }
    for list_name, items, label in (
        ("sections", doc.sections, "number"),
        ("transitions", doc.transitions, "key"),
    ):
        for index, item in enumerate(items):
            for phase in item["phases"]:
                if phase not in phase_keys:
                    problems.add(
                        _where(list_name, index, item[label]),
                        _(
                            "livsfasen '%(phase)s' findes ikke under pathway_diagram phases; "
                            "kendte faser: %(known)s"
                        )
                        % {"phase": phase, "known": ", ".join(phase_keys) or "—"},
                    )


def _diagram_list(
    problems: _Problems, parent: _Entry, name: str, fields: tuple[str, ...]
) -> list[dict[str, Any]]:
    parent.seen.add(name)
    raw_list = parent.raw.get(name)
    if not isinstance(raw_list, list) or not raw_list:
        parent.report(_("'%(name)s' skal være en liste med mindst ét punkt") % {"name": name})
        return []
    keys: set[str] = set()
    found = []
    for index, raw in enumerate(raw_list):
        entry = _Entry(problems, _where(f"pathway_diagram {name}", index, _label(raw, "key")), raw)
        item = {"key": _key(entry, keys), "label": entry.text("label", max_length=80)}
        if "sectors" in fields:
            item["sectors"] = entry.strings("sectors", required=True)
        entry.finish()
        found.append(item)
    return found
