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
from pathways.programs.step_kinds import StepDefinition, Values, definition_of, read_values
from pathways.programs.step_kinds import departures as departures_
from pathways.programs.steps import Step, StepKind

FORMAT = "forloebsprogram/1"

# Keyed groups of fields: value-key prefix → (document key, how the model names its entries).
GROUPS = {
    "criterion": "criteria",
    "need": "needs",
    "point": "attention_points",
    "transition": "transitions",
}
APPLIES = {"yes": True, "no": False, "": None}
# The group's reasons for departing from the model's advice, by the advice's key: only the
# given ones (an empty reason is no decision).
DEPARTURES = "departures"
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
            "companion": _companion_names(data),
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
    "companion": "opslag i en ledsagende reference",
}


def linkable_entries(data: ProgramData) -> list:
    """The companion entries a program can name: the current ones and those it links."""
    return [
        *data.companion.entries,
        *(t.tool for rows in data.coordination_tools.values() for t in rows),
        *(o.offer for rows in data.offer_links.values() for o in rows),
        *(a.companion_actor for a in data.actors if a.companion_actor_id),
    ]


def _companion_names(data: ProgramData) -> dict[int, str]:
    return {e.pk: e.identifier for e in linkable_entries(data)}


def flatten(step_doc: dict[str, Any]) -> dict[Path, Any]:
    """Every answer of a step's document content under its path, e.g.
    ("attention_points", "4.1/2", "answer")."""
    flat: dict[Path, Any] = {}
    for field, value in step_doc.items():
        if field == DEPARTURES and isinstance(value, dict):
            for key, reason in value.items():
                flat[(field, key)] = reason
        elif field in GROUPS.values() and isinstance(value, dict):
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
    kind = definition_of(step)
    doc: dict[str, Any] = {}
    for key, value in values.items():
        if key in kind.lists:
            doc[kind.lists[key]] = [_row_out(kind, row, names) for row in value]
            continue
        head, _sep, rest = key.partition("-")
        if head in GROUPS:
            pk, _sep, field = rest.partition("-")
            name = names.name(head, int(pk))
            doc.setdefault(GROUPS[head], {}).setdefault(name, {})[field] = _value_out(
                kind, field, value, names
            )
        elif departures_.is_reason(key):
            if isinstance(value, str) and value.strip():
                doc.setdefault(DEPARTURES, {})[rest] = value
        else:
            doc[rest] = _value_out(kind, rest, value, names)
    return doc


def _value_out(kind: StepDefinition, field: str, value: Any, names: Names) -> Any:
    if field in kind.yes_no_fields:
        return APPLIES.get(value)
    refers_to = kind.refers_to(field)
    if refers_to is None:
        return value
    if isinstance(value, list):
        return sorted(names.name(refers_to, v) for v in value)
    return names.name(refers_to, value)


def _row_out(kind: StepDefinition, row: dict[str, Any], names: Names) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "id" in row:  # a row that is one of the program's actors: named by its ref
        out["ref"] = names.name("actor", row["id"])
    for field, value in row.items():
        if field != "id":
            out[field] = _value_out(kind, field, value, names)
    return out


# Document → step values -----------------------------------------------------------------


def step_values(step: Step, doc: dict[str, Any], data: ProgramData) -> Values:
    """A step's document content as values for services.save_step, on `data`'s ids.

    Starts from the empty step (the program's stored values with nothing filled in is not
    needed: every field the document omits is empty), so an imported step is exactly the
    document."""
    kind = definition_of(step)
    names = Names(data)
    template = read_values(step, data)
    values: Values = {}
    where = step.key
    known = {kind.lists[k] for k in template if k in kind.lists} | {DEPARTURES}
    for key in template:
        if key in kind.lists or departures_.is_reason(key):
            continue
        head, _sep, rest = key.partition("-")
        known.add(GROUPS.get(head, rest))
    for field in doc:
        if field not in known:
            raise DocumentError(f"{where}.{field}", "ukendt felt i dette trin")
    values.update(_departures_in(doc.get(DEPARTURES, {}), template, f"{where}.{DEPARTURES}"))
    for key, empty in template.items():
        if departures_.is_reason(key):
            continue
        if key in kind.lists:
            name = kind.lists[key]
            rows = doc.get(name, [])
            if not isinstance(rows, list):
                raise DocumentError(f"{where}.{name}", "skal være en liste")
            values[key] = [
                _row_in(kind, row, names, f"{where}.{name}[{i}]") for i, row in enumerate(rows)
            ]
            refs = [row.get("ref") for row in values[key] if "ref" in row]
            if len(refs) != len(set(refs)):
                raise DocumentError(f"{where}.{name}", "to aktører har samme ref")
            continue
        head, _sep, rest = key.partition("-")
        if head in GROUPS:
            pk, _sep, field = rest.partition("-")
            name = names.name(head, int(pk))
            group = doc.get(GROUPS[head], {})
            for entry in group:
                names.id(head, entry, f"{where}.{GROUPS[head]}.{entry}")  # unknown → error
            value = group.get(name, {}).get(field, _missing(kind, field, empty))
            values[key] = _value_in(
                kind, field, value, names, f"{where}.{GROUPS[head]}.{name}.{field}"
            )
        else:
            value = doc.get(rest, _missing(kind, rest, empty))
            values[key] = _value_in(kind, rest, value, names, f"{where}.{rest}")
    return values


def _departures_in(found: Any, template: Values, where: str) -> Values:
    """The reasons a document gives, and an empty one for any other advice the step gives
    now. A reason for advice this program does not give (yet) is kept as well: its step's
    content may only come later in the same document."""
    if not isinstance(found, dict):
        raise DocumentError(where, "skal være et objekt")
    values = {key: "" for key in template if departures_.is_reason(key)}
    for key, reason in found.items():
        if not departures_.is_reason(departures_.value_key(key)):
            raise DocumentError(f"{where}.{key}", "ugyldig nøgle")
        if not isinstance(reason, str):
            raise DocumentError(f"{where}.{key}", "skal være en tekst")
        values[departures_.value_key(key)] = reason
    return values


def _missing(kind: StepDefinition, field: str, example: Any) -> Any:
    """What a field the document leaves out holds: empty, in the document's own terms."""
    if kind.refers_to(field) or field in kind.yes_no_fields:
        return [] if isinstance(example, list) else None
    if isinstance(example, list):
        return []
    if isinstance(example, str):
        return ""
    return None


def _value_in(kind: StepDefinition, field: str, value: Any, names: Names, where: str) -> Any:
    if field in kind.yes_no_fields:
        if value not in (True, False, None):
            raise DocumentError(where, "skal være true, false eller null")
        return {True: "yes", False: "no", None: ""}[value]
    refers_to = kind.refers_to(field)
    if refers_to is None:
        return value
    if isinstance(value, list):
        return sorted(names.id(refers_to, v, where) for v in value)
    return names.id(refers_to, value, where)


def _row_in(kind: StepDefinition, row: Any, names: Names, where: str) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise DocumentError(where, "skal være et objekt")
    out: dict[str, Any] = {}
    if "ref" in row:  # one of the program's actors: its id if it exists, else a new one
        out["id"] = names.to_id["actor"].get(row.get("ref"))
    for field, value in row.items():
        if field != "ref":
            out[field] = _value_in(kind, field, value, names, f"{where}.{field}")
    if "ref" in row:
        out["ref"] = row.get("ref")
    return out
