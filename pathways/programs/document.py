"""The program document: a program's content in one language-free form.

Keyed by the steps' stable keys and the generic model's own identifiers (criterion, need,
code system, grouping and transition keys; attention points by their reference, e.g.
"4.1.3/2"; actor types by key) and the program's own actor refs ("a1"); values are raw
(text, ISO dates, codes, choice codes, booleans). Labels are applied only when shown.

It is built from the step values (step_kinds/) by renaming their database ids to these
identifiers, and read back the same way, so the document and the forms cannot disagree.
JSON export and import (exchange.py) read and write exactly this.
"""

from __future__ import annotations

from typing import Any

from pathways.programs.data import ProgramData
from pathways.programs.step_kinds import Values, read_values
from pathways.programs.steps import Step, StepKind

FORMAT = "forloebsprogram/1"

# Fields whose value is one of the program's actors (or a list of them).
ACTOR_FIELDS = frozenset(
    {
        "responsible",
        "collaborating",
        "sending",
        "receiving",
        "conference_convener",
        "conference_follow_up",
        "patient_responsible_doctor",
        "municipal_coordinator",
    }
)
# Keyed groups of fields: value-key prefix → (document key, how the model names its entries).
GROUPS = {
    "criterion": "criteria",
    "need": "needs",
    "point": "attention_points",
    "transition": "transitions",
}
LISTS = {"wg": "working_group", "codes": "codes", "actors": "actors"}
APPLIES = {"yes": True, "no": False, "": None}
Path = tuple[str, ...]
# How a field's path is written as one key (audit entries): "doc:attention_points|4.1/2|answer".
PATH_KEY_PREFIX = "doc:"


def path_key(path: Path) -> str:
    return PATH_KEY_PREFIX + "|".join(path)


def key_path(key: str) -> Path | None:
    return (
        tuple(key[len(PATH_KEY_PREFIX) :].split("|")) if key.startswith(PATH_KEY_PREFIX) else None
    )


class DocumentError(ValueError):
    """The document does not fit the program's model: names the entry and the problem."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class Names:
    """Database id ↔ identifier, for one program and its model version."""

    def __init__(self, data: ProgramData) -> None:
        points = [p for ps in data.points_by_section.values() for p in ps]
        transitions = [t for s in data.steps for t in s.transitions]
        self.to_name: dict[str, dict[int, str]] = {
            "criterion": {c.pk: c.key for c in data.criteria},
            "need": {n.pk: n.key for n in data.needs},
            "point": {p.pk: p.reference for p in points},
            "transition": {t.pk: t.key for t in transitions},
            "system": {c.pk: c.key for c in data.code_systems},
            "grouping": {g.pk: g.key for g in data.groupings},
            "actor_type": {a.pk: a.key for a in data.actor_types},
            "actor": {a.pk: a.ref for a in data.actors},
        }
        self.to_id = {kind: {v: k for k, v in m.items()} for kind, m in self.to_name.items()}

    def name(self, kind: str, pk: Any) -> Any:
        if pk is None:
            return None
        return self.to_name[kind].get(pk)

    def id(self, kind: str, name: Any, where: str) -> int | None:
        if name is None:
            return None
        if name not in self.to_id[kind]:
            raise DocumentError(where, f"ukendt {_KIND_NAMES[kind]} {name!r}")
        return self.to_id[kind][name]


_KIND_NAMES = {
    "criterion": "kriterium",
    "need": "behov",
    "point": "opmærksomhedspunkt",
    "transition": "overgang",
    "system": "kodesystem",
    "grouping": "målgruppe",
    "actor_type": "aktørtype",
    "actor": "aktør",
}


def flatten(step_doc: dict[str, Any]) -> dict[Path, Any]:
    """Every answer of a step's document content under its path, e.g.
    ("attention_points", "4.1/2", "answer")."""
    flat: dict[Path, Any] = {}
    for field, value in step_doc.items():
        if field in GROUPS.values() and isinstance(value, dict):
            for name, answers in value.items():
                for sub, v in (answers or {}).items():
                    flat[(field, name, sub)] = v
        else:
            flat[(field,)] = value
    return flat


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict, dict]:
    """Two step documents' differences as (before, after), keyed by path_key: what an audit
    entry records of a step save."""
    old, new = flatten(before), flatten(after)
    paths = [p for p in dict.fromkeys([*old, *new]) if old.get(p) != new.get(p)]
    return {path_key(p): old.get(p) for p in paths}, {path_key(p): new.get(p) for p in paths}


# Program → document ---------------------------------------------------------------------


def program_document(data: ProgramData) -> dict[str, Any]:
    """The whole program: metadata, the model it follows, and every step's content."""
    p, version = data.program, data.program.model_version
    names = Names(data)
    return {
        "format": FORMAT,
        "model": {
            "publisher": version.publisher,
            "name": version.name,
            "slug": version.slug,
            "version": version.version,
        },
        "program": {
            "code": p.code,
            "status": p.status,
            "is_example": p.is_example,
        },
        "content": {
            step.key: step_document(step, read_values(step, data), names)
            for step in data.steps
            if step.kind != StepKind.REVIEW
        },
    }


def step_document(step: Step, values: Values, names: Names) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for key, value in values.items():
        if key in LISTS:
            doc[LISTS[key]] = [_row_out(key, row, names) for row in value]
            continue
        head, _sep, rest = key.partition("-")
        if head in GROUPS:
            pk, _sep, field = rest.partition("-")
            name = names.name(head, int(pk))
            doc.setdefault(GROUPS[head], {}).setdefault(name, {})[field] = _value_out(
                field, value, names
            )
        else:
            doc[rest] = _value_out(rest, value, names)
    return doc


def _value_out(field: str, value: Any, names: Names) -> Any:
    if field in ACTOR_FIELDS:
        if isinstance(value, list):
            return sorted(names.name("actor", v) for v in value)
        return names.name("actor", value)
    if field == "applies":
        return APPLIES.get(value)
    if field == "grouping":
        return names.name("grouping", value)
    return value


def _row_out(kind: str, row: dict[str, Any], names: Names) -> dict[str, Any]:
    if kind == "codes":
        return {**row, "system": names.name("system", row.get("system"))}
    if kind == "actors":
        out = {k: v for k, v in row.items() if k != "id"}
        return {
            "ref": names.name("actor", row.get("id")),
            **out,
            "actor_type": names.name("actor_type", row.get("actor_type")),
        }
    return dict(row)


# Document → step values -----------------------------------------------------------------


def step_values(step: Step, doc: dict[str, Any], data: ProgramData) -> Values:
    """A step's document content as values for services.save_step, on `data`'s ids.

    Starts from the empty step (the program's stored values with nothing filled in is not
    needed: every field the document omits is empty), so an imported step is exactly the
    document."""
    names = Names(data)
    template = read_values(step, data)
    values: Values = {}
    where = step.key
    known = {LISTS.get(k, k) for k in template if k in LISTS}
    for key in template:
        if key in LISTS:
            continue
        head, _sep, rest = key.partition("-")
        known.add(GROUPS.get(head, rest))
    for field in doc:
        if field not in known:
            raise DocumentError(f"{where}.{field}", "ukendt felt i dette trin")
    for key, empty in template.items():
        if key in LISTS:
            rows = doc.get(LISTS[key], [])
            if not isinstance(rows, list):
                raise DocumentError(f"{where}.{LISTS[key]}", "skal være en liste")
            values[key] = [
                _row_in(key, row, names, f"{where}.{LISTS[key]}[{i}]") for i, row in enumerate(rows)
            ]
            refs = [row.get("ref") for row in values[key] if "ref" in row]
            if len(refs) != len(set(refs)):
                raise DocumentError(f"{where}.{LISTS[key]}", "to aktører har samme ref")
            continue
        head, _sep, rest = key.partition("-")
        if head in GROUPS:
            pk, _sep, field = rest.partition("-")
            name = names.name(head, int(pk))
            group = doc.get(GROUPS[head], {})
            for entry in group:
                names.id(head, entry, f"{where}.{GROUPS[head]}.{entry}")  # unknown → error
            value = group.get(name, {}).get(field, _missing(field, empty))
            values[key] = _value_in(field, value, names, f"{where}.{GROUPS[head]}.{name}.{field}")
        else:
            value = doc.get(rest, _missing(rest, empty))
            values[key] = _value_in(rest, value, names, f"{where}.{rest}")
    return values


def _missing(field: str, example: Any) -> Any:
    """What a field the document leaves out holds: empty, in the document's own terms."""
    if field in ACTOR_FIELDS or field in ("applies", "grouping"):
        return [] if isinstance(example, list) else None
    return _blank(example)


def _blank(example: Any) -> Any:
    if isinstance(example, list):
        return []
    if isinstance(example, str):
        return ""
    return None


def _value_in(field: str, value: Any, names: Names, where: str) -> Any:
    if field in ACTOR_FIELDS:
        if isinstance(value, list):
            return sorted(names.id("actor", v, where) for v in value)
        return names.id("actor", value, where)
    if field == "applies":
        if value not in (True, False, None):
            raise DocumentError(where, "skal være true, false eller null")
        return {True: "yes", False: "no", None: ""}[value]
    if field == "grouping":
        return names.id("grouping", value, where)
    return value


def _row_in(kind: str, row: Any, names: Names, where: str) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise DocumentError(where, "skal være et objekt")
    if kind == "codes":
        return {**row, "system": names.id("system", row.get("system"), where + ".system")}
    if kind == "actors":
        out = {k: v for k, v in row.items() if k != "ref"}
        out["id"] = names.to_id["actor"].get(row.get("ref"))  # None: a new actor, named by ref
        out["ref"] = row.get("ref")
        out["actor_type"] = names.id("actor_type", row.get("actor_type"), where + ".actor_type")
        return out
    return dict(row)
