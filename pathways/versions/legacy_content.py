"""Label-keyed history turned into the program document (migration versions 0004).

Before the program document (programs/document.py) existed, a published version stored its
steps as readable pairs, {step key: [[label, value], ...]}, and a step save's audit entry
recorded {label: display value}. This module reverses that format: step key → the step's
fields, label → document path, display value → raw value.

Frozen on purpose: the label table below is the one the old item builder
(programs/snapshots.py as of 1 Dec 2026) wrote, in Danish and in the English translation of
the time (audit entries carry the saver's UI language, and versions published before
1 Dec 2026 the approver's). Nothing here imports the app's models or forms: the migration
passes its historical models in (`apps`), so later changes to the app cannot change what
the migration does.

The old format lost information in places; each decoder says what it does then. In short:
an attention point kept only its answer, or only its reason when not relevant; a
transition kept no relevance code when relevant and nothing but its reason when not; rows
(working group, actors) were joined with " – " after dropping empty fields; actors were
named, not referred to. A value that cannot be read back is left empty in a version's
document and kept under its old label in an audit entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FORMAT = "forloebsprogram/1"  # programs/document.py FORMAT when this was written
DOC_KEY_PREFIX = "doc:"  # programs/document.py path_key()
DA, EN = "da", "en"

Path = tuple[str, ...]

# The old builder's labels: Danish msgid → the English translation it had.
_ENGLISH = {
    "Titel": "Title",
    "Region": "Region",
    "Formål": "Purpose",
    "Godkendende organ": "Approving body",
    "Arbejdsgruppe": "Working group",
    "Kriterium: %(t)s": "Criterion: %(t)s",
    "Kriterium: %(t)s – begrundelse": "Criterion: %(t)s – justification",
    "Behov: %(t)s": "Need: %(t)s",
    "Målgruppe": "Target group",
    "Symptom- eller funktionskompleks": "Symptom or function complex",
    "Diagnosekoder": "Diagnosis codes",
    "Inklusion": "Inclusion",
    "Eksklusion": "Exclusion",
    "Mistanke uden diagnose": "Suspected condition without diagnosis",
    "Flere målgrupper": "Several target groups",
    "Uden for målgruppen": "Outside the target group",
    "Anslået antal personer": "Estimated number of people",
    "Aktører": "Actors",
    "Patientansvarlig læge": "Patient-responsible doctor",
    "Patientansvarlig læge – bemærkning": "Patient-responsible doctor – comment",
    "Koordinerende kontakt i kommunen": "Coordinating contact in the municipality",
    "Koordinerende kontakt – bemærkning": "Coordinating contact – comment",
    "Relevant for målgruppen": "Relevant for the target group",
    "Begrundelse, hvis ikke relevant": "Justification, if not relevant",
    "Sundhedsfaglig indsats": "Healthcare intervention",
    "Ansvarlig aktør": "Responsible actor",
    "Samarbejdende aktører": "Collaborating actors",
    "Koordinering": "Coordination",
    "Kommunikationskanaler": "Communication channels",
    "Digitale værktøjer": "Digital tools",
    "Vidensdeling": "Knowledge sharing",
    "Frister": "Deadlines",
    "Overgang: %(t)s": "Transition: %(t)s",
    "Afgivende: %(a)s": "Sending: %(a)s",
    "Modtagende: %(a)s": "Receiving: %(a)s",
    "Udløses af: %(v)s": "Triggered by: %(v)s",
    "Overdrages: %(v)s": "Handed over: %(v)s",
    "Indkalder til konference: %(a)s": "Convenes conference: %(a)s",
    "Følger op: %(a)s": "Follows up: %(a)s",
    "Aftaler og forum": "Agreements and forum",
    "Udbredelse": "Dissemination",
    "Offentliggørelse": "Publication",
    "Startdato": "Start date",
    "Hvordan og hvornår": "How and when",
    "Ansvarlig": "Responsible",
    "Indikatorer": "Indicators",
    "Datakilder": "Data sources",
    "Om datakilderne": "About the data sources",
    "Næste revision": "Next revision",
    # An attention point's items: "<reference> <title>: " + one of these.
    "status": "status",
    "svar": "response",
    "begrundelse": "justification",
    "ansvarlig": "responsible",
    "Ja": "Yes",
    "Nej": "No",
}

# Choice code → (Danish label, English label), as the old builder showed them.
REGIONS = {
    "hovedstaden": ("Region Hovedstaden", "Region Hovedstaden"),
    "sjaelland": ("Region Sjælland", "Region Sjælland"),
    "syddanmark": ("Region Syddanmark", "Region Syddanmark"),
    "midtjylland": ("Region Midtjylland", "Region Midtjylland"),
    "nordjylland": ("Region Nordjylland", "Region Nordjylland"),
}
MEMBER_SECTORS = {
    "region": ("Region", "Region"),
    "hospital": ("Sygehus", "Hospital"),
    "municipality": ("Kommune", "Municipality"),
    "general_practice": ("Almen praksis", "General practice"),
    "patient_organisation": ("Patientforening", "Patient association"),
    "user_representative": (
        "Bruger- eller pårørenderepræsentant",
        "Representative of users or relatives",
    ),
    "other": ("Andet", "Other"),
}
POINT_STATUSES = {
    "addressed": ("Håndteret", "Addressed"),
    "adapted": ("Tilpasset lokalt", "Adapted locally"),
    "not_relevant": ("Ikke relevant", "Not relevant"),
}
RELEVANCE = {
    "yes": ("Ja, relevant for målgruppen", "Yes, relevant for the target group"),
    "no": ("Nej, ikke relevant", "No, not relevant"),
}
DATA_SOURCES = {
    "audit": ("Audit", "Audit"),
    "survey": ("Spørgeskema (survey)", "Questionnaire (survey)"),
    "interview": ("Interview", "Interview"),
    "records": ("Journaldata og registre", "Medical records and registries"),
}
ROW_SEPARATOR = " – "  # between a row's non-empty fields
LIST_SEPARATOR = ", "  # between collaborating actors and between data sources
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def text(msgid: str, language: str) -> str:
    return _ENGLISH[msgid] if language == EN else msgid


def _label_of(choices: dict[str, tuple[str, str]], language: str) -> dict[str, str]:
    """Label → code in one language."""
    index = 1 if language == EN else 0
    return {labels[index]: code for code, labels in choices.items()}


class Unmappable(ValueError):
    """The old text cannot be read back as the document's raw value."""


# The generic model and the program, as plain data ----------------------------------------


@dataclass(frozen=True)
class StepSpec:
    key: str
    kind: str  # basis, criteria, target_group, actors, part, implementation, follow_up
    points: tuple[tuple[str, str], ...] = ()  # (reference "4.1/2", title)
    transitions: tuple[tuple[str, str], ...] = ()  # (key, title)


@dataclass(frozen=True)
class Catalogue:
    """What the old labels were built from: one generic-model version's entries."""

    model: dict[str, str]  # publisher, name, slug, version
    steps: tuple[StepSpec, ...]
    criteria: tuple[tuple[str, str], ...] = ()  # (key, title)
    needs: tuple[tuple[str, str], ...] = ()
    code_systems: tuple[tuple[str, str], ...] = ()  # (key, name)
    groupings: tuple[tuple[str, str], ...] = ()  # (key, title)
    actor_types: tuple[tuple[str, str], ...] = ()  # (key, name)

    def step(self, key: str) -> StepSpec | None:
        return next((s for s in self.steps if s.key == key), None)


@dataclass(frozen=True)
class Actor:
    """One of the program's actors as stored now (its ref is what documents use)."""

    ref: str
    name: str
    actor_type: str | None = None  # the actor type's key
    unit: str = ""
    contact_point: str = ""
    visitation_entry: str = ""

    def row(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "actor_type": self.actor_type,
            "name": self.name,
            "unit": self.unit,
            "contact_point": self.contact_point,
            "visitation_entry": self.visitation_entry,
        }


def _owning_part(number: str, roles: dict[str, str]) -> str | None:
    """generic_model.models.owning_part, frozen: the nearest part at or above `number`."""
    while number:
        if roles.get(number) == "part":
            return number
        number = number.rsplit(".", 1)[0] if "." in number else ""
    return None


def load_catalogue(apps, model_version_id: int) -> Catalogue:
    """The model version's entries and steps (programs/steps.py build_steps, frozen)."""
    get = apps.get_model
    version = get("generic_model", "ModelVersion").objects.get(pk=model_version_id)
    mine = {"model_version_id": model_version_id}
    sections = list(
        get("generic_model", "Section")
        .objects.filter(**mine)
        .exclude(step_role="")
        .order_by("position")
    )
    roles = {s.number: s.step_role for s in sections}
    by_role = {s.step_role: s for s in sections if s.step_role != "part"}
    points: dict[int, list[tuple[str, str]]] = {}
    for p in (
        get("generic_model", "AttentionPoint")
        .objects.filter(section__model_version_id=model_version_id)
        .select_related("section")
        .order_by("section__position", "position")
    ):
        points.setdefault(p.section_id, []).append((f"{p.section.number}/{p.position}", p.title))
    transitions = list(
        get("generic_model", "Transition")
        .objects.filter(**mine)
        .select_related("section")
        .order_by("position")
    )

    def entries(model: str, label: str) -> tuple[tuple[str, str], ...]:
        rows = get("generic_model", model).objects.filter(**mine).order_by("position")
        return tuple((row.key, getattr(row, label)) for row in rows)

    def framing(key: str, kind: str, role: str | None, asks_points: bool) -> list[StepSpec]:
        section = by_role.get(role) if role else None
        if role and section is None:
            return []
        asked = tuple(points.get(section.pk, [])) if asks_points and section else ()
        return [StepSpec(key, kind, points=asked)]

    steps = [
        *framing("grundlag", "basis", None, False),
        *framing("kriterier", "criteria", "criteria", False),
        *framing("maalgruppe", "target_group", "target_group", True),
        *framing("aktoerer", "actors", "actors", False),
    ]
    for section in (s for s in sections if s.step_role == "part"):
        steps.append(
            StepSpec(
                "del-" + section.number.replace(".", "-"),
                "part",
                points=tuple(points.get(section.pk, [])),
                transitions=tuple(
                    (t.key, t.title)
                    for t in transitions
                    if _owning_part(t.section.number, roles) == section.number
                ),
            )
        )
    steps += [
        *framing("implementering", "implementation", "implementation", True),
        *framing("opfoelgning", "follow_up", "follow_up", False),
    ]
    return Catalogue(
        model={
            "publisher": version.publisher,
            "name": version.name,
            "slug": version.slug,
            "version": version.version,
        },
        steps=tuple(steps),
        criteria=entries("Criterion", "title"),
        needs=entries("Need", "title"),
        code_systems=entries("CodeSystem", "name"),
        groupings=entries("TargetGrouping", "title"),
        actor_types=entries("ActorType", "name"),
    )


def load_actors(apps, program_id: int) -> list[Actor]:
    """The program's actors as stored now, in order: their refs name the actors of its
    versions and audit entries (the old format named them only)."""
    actors = (
        apps.get_model("programs", "ProgramActor")
        .objects.filter(program_id=program_id)
        .select_related("actor_type")
        .order_by("position", "pk")
    )
    return [
        Actor(
            ref=a.ref,
            name=a.name,
            actor_type=a.actor_type.key if a.actor_type_id else None,
            unit=a.unit,
            contact_point=a.contact_point,
            visitation_entry=a.visitation_entry,
        )
        for a in actors
    ]


class Reading:
    """What reading one version or one audit entry knows: the model, and the actors."""

    def __init__(self, catalogue: Catalogue, actors: list[Actor]) -> None:
        self.catalogue = catalogue
        self.current = list(actors)
        self.names: dict[str, str] = {}  # actor name → ref (the first actor of that name)
        for actor in actors:
            self.names.setdefault(actor.name, actor.ref)
        numbers = [int(a.ref[1:]) for a in actors if re.fullmatch(r"a[1-9][0-9]*", a.ref)]
        self._next_ref = max(numbers, default=0) + 1

    def new_ref(self) -> str:
        """A ref no current actor has: for an actor of a version that is gone since."""
        ref = f"a{self._next_ref}"
        self._next_ref += 1
        return ref

    def type_names(self) -> dict[str, str]:
        return dict(self.catalogue.actor_types)


# Decoders: the old display text → {document path: raw value} --------------------------

Decoder = Callable[[Any, str, Reading], dict[Path, Any]]


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise Unmappable(repr(value))
    return value


def _as_text(value: Any, language: str, reading: Reading) -> str:
    return _str(value)


def _choice(choices: dict[str, tuple[str, str]]) -> Callable[[Any, str, Reading], str]:
    def decode(value: Any, language: str, reading: Reading) -> str:
        shown = _str(value)
        if shown == "":
            return ""
        codes = _label_of(choices, language)
        if shown not in codes:
            raise Unmappable(shown)
        return codes[shown]

    return decode


def _applies(value: Any, language: str, reading: Reading) -> bool | None:
    shown = _str(value)
    found = {"": None, text("Ja", language): True, text("Nej", language): False}
    if shown not in found:
        raise Unmappable(shown)
    return found[shown]


def _date(value: Any, language: str, reading: Reading) -> str | None:
    shown = _str(value)
    if shown == "":
        return None
    if not ISO_DATE.fullmatch(shown):  # dates were shown as ISO in every language
        raise Unmappable(shown)
    return shown


def _integer(value: Any, language: str, reading: Reading) -> int | None:
    shown = _str(value)
    if shown == "":
        return None
    if not re.fullmatch(r"[0-9]{1,9}", shown):
        raise Unmappable(shown)
    return int(shown)


def _keyed(entries: tuple[tuple[str, str], ...]) -> Callable[[Any, str, Reading], str | None]:
    """A model entry shown by its title (the grouping): back to its key."""

    def decode(value: Any, language: str, reading: Reading) -> str | None:
        shown = _str(value)
        if shown == "":
            return None
        keys = {title: key for key, title in reversed(entries)}
        if shown not in keys:
            raise Unmappable(shown)
        return keys[shown]

    return decode


def _actor(value: Any, language: str, reading: Reading) -> str | None:
    """An actor shown by name: the ref of the (first) actor of that name."""
    shown = _str(value)
    if shown == "":
        return None
    if shown not in reading.names:
        raise Unmappable(shown)
    return reading.names[shown]


def _actors(value: Any, language: str, reading: Reading) -> list[str]:
    """Names joined by ", " (which a name may contain itself): split where the pieces are
    known names, trying longer names first; sorted refs, as documents list them."""
    shown = _str(value)
    names = sorted(reading.names, key=len, reverse=True)

    def split(rest: str) -> list[str] | None:
        if rest == "":
            return []
        for name in names:
            if rest == name:
                return [name]
            if name and rest.startswith(name + LIST_SEPARATOR):
                tail = split(rest[len(name) + len(LIST_SEPARATOR) :])
                if tail is not None:
                    return [name, *tail]
        return None

    found = split(shown)
    if found is None:
        raise Unmappable(shown)
    return sorted(reading.names[name] for name in found)


def _data_sources(value: Any, language: str, reading: Reading) -> list[str]:
    """Labels joined by ", " (none contains one); a code the old builder did not know was
    shown as itself, and stays."""
    shown = _str(value)
    codes = _label_of(DATA_SOURCES, language)
    return sorted(codes.get(part, part) for part in shown.split(LIST_SEPARATOR)) if shown else []


def _working_group(value: Any, language: str, reading: Reading) -> list[dict[str, str]]:
    """ "name – organisation – sector – role" a line, empty fields left out.

    The sector (required) is found by its label: organisation is what lies between the name
    and it, role what follows. Lossy: a name holding " – " gives its tail to the
    organisation; when both the second and third piece are sector labels (an organisation
    called "Region"), the row is read as having an organisation and no role."""
    sectors = _label_of(MEMBER_SECTORS, language)
    rows = []
    for line in _str(value).split("\n"):
        if not line:
            continue
        parts = line.split(ROW_SEPARATOR)
        candidates = [i for i in range(1, len(parts)) if parts[i] in sectors]
        if not candidates:  # no sector shown: keep the text, in order
            at, sector = len(parts), ""
        else:
            at = 2 if 2 in candidates else candidates[0]
            sector = sectors[parts[at]]
        rows.append(
            {
                "name": parts[0],
                "organisation": ROW_SEPARATOR.join(parts[1:at]),
                "sector": sector,
                "role": ROW_SEPARATOR.join(parts[at + 1 :]),
            }
        )
    return rows


def _codes(value: Any, language: str, reading: Reading) -> list[dict[str, str]]:
    """ "<system name> <code> – <label>" a line; codes hold no spaces, so this is exact."""
    systems = sorted(reading.catalogue.code_systems, key=lambda s: len(s[1]), reverse=True)
    rows = []
    for line in _str(value).split("\n"):
        if not line:
            continue
        system = next((s for s in systems if line.startswith(s[1] + " ")), None)
        if system is None:
            raise Unmappable(line)
        code, _sep, label = line[len(system[1]) + 1 :].partition(ROW_SEPARATOR)
        rows.append({"system": system[0], "code": code, "label": label})
    return rows


def actor_line(actor: Actor, type_names: dict[str, str]) -> str:
    """How the old builder showed an actor."""
    fields = (
        actor.name,
        type_names.get(actor.actor_type or "", ""),
        actor.unit,
        actor.contact_point,
        actor.visitation_entry,
    )
    return ROW_SEPARATOR.join(x for x in fields if x)


def _actor_rows(value: Any, language: str, reading: Reading) -> list[dict[str, Any]]:
    """ "name – actor type – unit – contact point – visitation" a line, empty fields left out.

    Refs: the program's actor that the old builder would show exactly so gives its ref and
    its fields (this also settles which fields were empty); else the program's unused
    actor of the same name gives its ref; else a new ref (the actor is gone since). Lossy
    without a match: the pieces after the actor type are taken as unit, contact point and
    visitation entry in that order (an empty unit shifts the others), the last taking any
    surplus."""
    type_names = reading.type_names()
    type_keys = {name: key for key, name in reversed(reading.catalogue.actor_types)}
    unused = list(reading.current)
    rows = []
    for line in _str(value).split("\n"):
        if not line:
            continue
        same = next((a for a in unused if actor_line(a, type_names) == line), None)
        if same is not None:
            unused.remove(same)
            rows.append(same.row())
            continue
        parts = line.split(ROW_SEPARATOR)
        name, rest = parts[0], parts[1:]
        actor_type = None
        if rest and rest[0] in type_keys:
            actor_type, rest = type_keys[rest[0]], rest[1:]
        rest = [*rest[:2], ROW_SEPARATOR.join(rest[2:])] if len(rest) > 3 else rest
        unit, contact_point, visitation_entry = [*rest, "", "", ""][:3]
        named = next((a for a in unused if a.name == name), None)
        if named is not None:
            unused.remove(named)
        ref = named.ref if named is not None else reading.new_ref()
        rows.append(Actor(ref, name, actor_type, unit, contact_point, visitation_entry).row())
    return rows


TRANSITION_EMPTY: dict[str, Any] = {
    "relevance": "",
    "not_relevant_reason": "",
    "sending": None,
    "receiving": None,
    "trigger": "",
    "handover": "",
    "conference_convener": None,
    "conference_follow_up": None,
}
_TRANSITION_LINES = (  # field, the old line's msgid, what its placeholder held
    ("sending", "Afgivende: %(a)s", "%(a)s"),
    ("receiving", "Modtagende: %(a)s", "%(a)s"),
    ("trigger", "Udløses af: %(v)s", "%(v)s"),
    ("handover", "Overdrages: %(v)s", "%(v)s"),
    ("conference_convener", "Indkalder til konference: %(a)s", "%(a)s"),
    ("conference_follow_up", "Følger op: %(a)s", "%(a)s"),
)


def _transition(key: str) -> Decoder:
    """One transition, shown as one text: "" (never answered), "<not relevant>: reason",
    or six lines "Afgivende: …", "Modtagende: …", "Udløses af: …", "Overdrages: …",
    "Indkalder til konference: …", "Følger op: …".

    Lossy: a relevant transition did not show its relevance code, so it reads as "yes"
    when any of the six is filled and "" (not chosen) otherwise; a not-relevant one showed
    only its reason; trigger and handover may span lines, and the first line that starts
    "Overdrages: " is taken to start the handover."""

    def decode(value: Any, language: str, reading: Reading) -> dict[Path, Any]:
        shown = _str(value)
        found = dict(TRANSITION_EMPTY)
        not_relevant = RELEVANCE["no"][1 if language == EN else 0] + ": "
        if shown.startswith(not_relevant):
            found.update(relevance="no", not_relevant_reason=shown[len(not_relevant) :])
        elif shown:
            prefixes = {f: text(m, language).replace(p, "") for f, m, p in _TRANSITION_LINES}
            lines = shown.split("\n")
            if len(lines) < 6:
                raise Unmappable(shown)
            middle = "\n".join(lines[2:-2])
            handover_at = "\n" + prefixes["handover"]
            if not middle.startswith(prefixes["trigger"]) or handover_at not in middle:
                raise Unmappable(shown)
            trigger, _sep, handover = middle[len(prefixes["trigger"]) :].partition(handover_at)
            shown_as = {
                "sending": lines[0],
                "receiving": lines[1],
                "conference_convener": lines[-2],
                "conference_follow_up": lines[-1],
            }
            for name, line in shown_as.items():
                if not line.startswith(prefixes[name]):
                    raise Unmappable(shown)
                found[name] = _actor(line[len(prefixes[name]) :], language, reading)
            found.update(trigger=trigger, handover=handover)
            filled = any(found[name] not in (None, "") for name in TRANSITION_EMPTY)
            found["relevance"] = "yes" if filled else ""
        return {("transitions", key, name): v for name, v in found.items()}

    return decode


def _one(path: Path, decode: Callable[[Any, str, Reading], Any]) -> Decoder:
    return lambda value, language, reading: {path: decode(value, language, reading)}


# The label table, per step ---------------------------------------------------------------

_Field = tuple[str, Decoder]  # (the old label's msgid or text, its decoder)


def _point_fields(spec: StepSpec) -> list[tuple[str, str, Decoder]]:
    """(prefix, suffix msgid, decoder): "<reference> <title>: " + suffix. The answer shows
    only under "svar" and the reason only under "begrundelse" (when not relevant), so the
    other one of the two is lost."""
    fields = []
    for reference, title in spec.points:
        prefix = f"{reference} {title}: "
        path = ("attention_points", reference)
        fields += [
            (prefix, "status", _one((*path, "status"), _choice(POINT_STATUSES))),
            (prefix, "svar", _one((*path, "answer"), _as_text)),
            (prefix, "begrundelse", _one((*path, "reason"), _as_text)),
            (prefix, "ansvarlig", _one((*path, "responsible"), _actor)),
        ]
    return fields


def _fields(spec: StepSpec, catalogue: Catalogue) -> list[tuple[str, dict[str, str], Decoder]]:
    """(msgid, its parameters, decoder) for every item the old builder wrote for the step."""
    plain: list[tuple[str, Decoder]] = []
    keyed: list[tuple[str, dict[str, str], Decoder]] = []
    if spec.kind == "basis":
        plain = [
            ("Titel", _one(("title",), _as_text)),
            ("Region", _one(("region",), _choice(REGIONS))),
            ("Formål", _one(("purpose",), _as_text)),
            ("Godkendende organ", _one(("approving_body",), _as_text)),
            ("Arbejdsgruppe", _one(("working_group",), _working_group)),
        ]
    elif spec.kind == "criteria":
        for key, title in catalogue.criteria:
            keyed += [
                ("Kriterium: %(t)s", {"t": title}, _one(("criteria", key, "applies"), _applies)),
                (
                    "Kriterium: %(t)s – begrundelse",
                    {"t": title},
                    _one(("criteria", key, "reason"), _as_text),
                ),
            ]
        for key, title in catalogue.needs:
            keyed.append(
                ("Behov: %(t)s", {"t": title}, _one(("needs", key, "assessment"), _as_text))
            )
    elif spec.kind == "target_group":
        plain = [
            ("Målgruppe", _one(("grouping",), _keyed(catalogue.groupings))),
            ("Symptom- eller funktionskompleks", _one(("custom_target_description",), _as_text)),
            ("Diagnosekoder", _one(("codes",), _codes)),
            ("Inklusion", _one(("inclusion",), _as_text)),
            ("Eksklusion", _one(("exclusion",), _as_text)),
            ("Mistanke uden diagnose", _one(("suspected_undiagnosed",), _as_text)),
            ("Flere målgrupper", _one(("multiple_groups",), _as_text)),
            ("Uden for målgruppen", _one(("outside_target_group",), _as_text)),
            ("Anslået antal personer", _one(("estimated_persons",), _integer)),
        ]
    elif spec.kind == "actors":
        plain = [
            ("Aktører", _one(("actors",), _actor_rows)),
            ("Patientansvarlig læge", _one(("patient_responsible_doctor",), _actor)),
            (
                "Patientansvarlig læge – bemærkning",
                _one(("patient_responsible_doctor_note",), _as_text),
            ),
            ("Koordinerende kontakt i kommunen", _one(("municipal_coordinator",), _actor)),
            ("Koordinerende kontakt – bemærkning", _one(("municipal_coordinator_note",), _as_text)),
        ]
    elif spec.kind == "part":
        plain = [
            ("Relevant for målgruppen", _one(("relevance",), _choice(RELEVANCE))),
            ("Begrundelse, hvis ikke relevant", _one(("not_relevant_reason",), _as_text)),
            ("Sundhedsfaglig indsats", _one(("effort",), _as_text)),
            ("Ansvarlig aktør", _one(("responsible",), _actor)),
            ("Samarbejdende aktører", _one(("collaborating",), _actors)),
            ("Koordinering", _one(("coordination",), _as_text)),
            ("Kommunikationskanaler", _one(("communication_channels",), _as_text)),
            ("Digitale værktøjer", _one(("digital_tools",), _as_text)),
            ("Vidensdeling", _one(("knowledge_sharing",), _as_text)),
            ("Frister", _one(("deadlines",), _as_text)),
        ]
        for key, title in spec.transitions:
            keyed.append(("Overgang: %(t)s", {"t": title}, _transition(key)))
    elif spec.kind == "implementation":
        plain = [
            ("Aftaler og forum", _one(("agreements_forum",), _as_text)),
            ("Udbredelse", _one(("dissemination",), _as_text)),
            ("Offentliggørelse", _one(("publication_place",), _as_text)),
            ("Startdato", _one(("start_date",), _date)),
        ]
    elif spec.kind == "follow_up":
        plain = [
            ("Hvordan og hvornår", _one(("how_and_when",), _as_text)),
            ("Ansvarlig", _one(("responsible",), _actor)),
            ("Indikatorer", _one(("indicators",), _as_text)),
            ("Datakilder", _one(("data_sources",), _data_sources)),
            ("Om datakilderne", _one(("data_sources_note",), _as_text)),
            ("Næste revision", _one(("next_review_date",), _date)),
        ]
    return [(msgid, {}, decode) for msgid, decode in plain] + keyed


@dataclass
class LabelTable:
    """Old label → decoder, per step and language, for one catalogue (built when asked)."""

    catalogue: Catalogue
    _tables: dict[tuple[str, str], dict[str, Decoder]] = field(default_factory=dict)

    def __call__(self, spec: StepSpec, language: str) -> dict[str, Decoder]:
        if (spec.key, language) not in self._tables:
            table: dict[str, Decoder] = {}
            for msgid, params, decode in _fields(spec, self.catalogue):
                table[text(msgid, language) % params if params else text(msgid, language)] = decode
            for prefix, suffix, decode in _point_fields(spec):
                table[prefix + text(suffix, language)] = decode
            self._tables[(spec.key, language)] = table
        return self._tables[(spec.key, language)]

    def language(self, labelled: list[tuple[StepSpec, str]]) -> str:
        """The language most of these labels are in (Danish unless English is more)."""
        only = {DA: 0, EN: 0}
        for spec, label in labelled:
            da, en = label in self(spec, DA), label in self(spec, EN)
            if da != en:
                only[DA if da else EN] += 1
        return EN if only[EN] > only[DA] else DA

    def decode(
        self, spec: StepSpec, label: str, values: list[Any], language: str, reading: Reading
    ) -> list[dict[Path, Any]] | None:
        """Each value read under `label` (the preferred language first); None if no
        language reads the label and all the values."""
        for lang in (language, EN if language == DA else DA):
            decode = self(spec, lang).get(label)
            if decode is None:
                continue
            try:
                return [decode(value, lang, reading) for value in values]
            except Unmappable:
                continue
        return None


# The empty step, as programs/document.py writes it ---------------------------------------


def _empty_point() -> dict[str, Any]:
    return {"status": "", "answer": "", "reason": "", "responsible": None}


def skeleton(spec: StepSpec, catalogue: Catalogue) -> dict[str, Any]:
    """Every field of the step, empty, in the order program_document writes them."""
    doc: dict[str, Any]
    if spec.kind == "basis":
        doc = {"title": "", "region": "", "purpose": "", "approving_body": "", "working_group": []}
    elif spec.kind == "criteria":
        doc = {}
        if catalogue.criteria:
            doc["criteria"] = {k: {"applies": None, "reason": ""} for k, _t in catalogue.criteria}
        if catalogue.needs:
            doc["needs"] = {k: {"assessment": ""} for k, _t in catalogue.needs}
    elif spec.kind == "target_group":
        doc = {
            "grouping": None,
            "custom_target_description": "",
            "inclusion": "",
            "exclusion": "",
            "suspected_undiagnosed": "",
            "multiple_groups": "",
            "outside_target_group": "",
            "estimated_persons": None,
            "codes": [],
        }
    elif spec.kind == "actors":
        doc = {
            "actors": [],
            "patient_responsible_doctor": None,
            "patient_responsible_doctor_note": "",
            "municipal_coordinator": None,
            "municipal_coordinator_note": "",
        }
    elif spec.kind == "part":
        doc = {
            "relevance": "",
            "not_relevant_reason": "",
            "effort": "",
            "coordination": "",
            "communication_channels": "",
            "digital_tools": "",
            "knowledge_sharing": "",
            "deadlines": "",
            "responsible": None,
            "collaborating": [],
        }
    elif spec.kind == "implementation":
        doc = {
            "agreements_forum": "",
            "dissemination": "",
            "publication_place": "",
            "start_date": None,
        }
    elif spec.kind == "follow_up":
        doc = {
            "how_and_when": "",
            "responsible": None,
            "indicators": "",
            "data_sources": [],
            "data_sources_note": "",
            "next_review_date": None,
        }
    else:
        doc = {}
    if spec.points:
        doc["attention_points"] = {reference: _empty_point() for reference, _t in spec.points}
    if spec.transitions:
        doc["transitions"] = {key: dict(TRANSITION_EMPTY) for key, _t in spec.transitions}
    return doc


def _put(doc: dict[str, Any], path: Path, value: Any) -> None:
    if len(path) == 1:
        doc[path[0]] = value
    else:
        doc.setdefault(path[0], {}).setdefault(path[1], {})[path[2]] = value


def _pairs(items: Any) -> list[tuple[str, Any]]:
    """A stored step's [[label, value], ...], ignoring anything of another shape."""
    if not isinstance(items, list):
        return []
    return [
        (item[0], item[1])
        for item in items
        if isinstance(item, list | tuple) and len(item) == 2 and isinstance(item[0], str)
    ]


# A published version ---------------------------------------------------------------------


def version_document(
    content: Any,
    catalogue: Catalogue,
    actors: list[Actor],
    *,
    code: str,
    is_example: bool,
    number: str,
    title: str = "",
    region: str = "",
) -> dict[str, Any]:
    """The program document of a version that stored `content` (step key → [[label,
    value], ...]), with the metadata publish_version gives a new version's document.

    A label or value that cannot be read back leaves its field empty; `title` and `region`
    (the version's own columns) stand in when the content lacks them."""
    content = content if isinstance(content, dict) else {}
    table = LabelTable(catalogue)
    reading = Reading(catalogue, actors)
    language = table.language(
        [(spec, label) for spec in catalogue.steps for label, _v in _pairs(content.get(spec.key))]
    )
    steps = {spec.key: skeleton(spec, catalogue) for spec in catalogue.steps}
    # The actors line first: every other answer names one of the version's own actors.
    for spec in sorted(catalogue.steps, key=lambda s: s.kind != "actors"):
        pairs = _pairs(content.get(spec.key))
        if spec.kind == "actors":
            pairs.sort(key=lambda pair: pair[0] not in (text("Aktører", DA), text("Aktører", EN)))
        for label, value in pairs:
            decoded = table.decode(spec, label, [value], language, reading)
            for path, raw in (decoded[0] if decoded else {}).items():
                _put(steps[spec.key], path, raw)
                if path == ("actors",):
                    reading.names = {}
                    for row in raw:
                        reading.names.setdefault(row["name"], row["ref"])
    basis = steps.get("grundlag")
    if basis is not None:
        basis["title"] = basis["title"] or title or code
        basis["region"] = basis["region"] or region
    return {
        "format": FORMAT,
        "model": dict(catalogue.model),
        "program": {
            "code": code,
            "status": "published",
            "version": number,
            "is_example": is_example,
        },
        "content": steps,
    }


# A step save's audit entry ---------------------------------------------------------------


def is_legacy_entry(before: Any, after: Any) -> bool:
    """Whether a step save's entry has a key that is not a document path."""
    sides = [side for side in (before, after) if isinstance(side, dict)]
    return any(not key.startswith(DOC_KEY_PREFIX) for side in sides for key in side)


def audit_changes(
    step_key: str, before: Any, after: Any, catalogue: Catalogue, actors: list[Actor]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """A label-keyed step save's before/after keyed by document path (document.path_key)
    with raw values; None when nothing can be converted.

    Each label that reads back becomes the paths whose values differ (a transition's one
    text becomes its fields); a label that does not (unknown, a name no current actor has)
    stays as it is, and so does one whose paths show no difference, so no change recorded
    is lost. Actors are named by the program's current actors' refs."""
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return None
    spec = catalogue.step(step_key)
    if spec is None:
        return None
    table = LabelTable(catalogue)
    reading = Reading(catalogue, actors)
    keys = list(dict.fromkeys([*before, *after]))
    language = table.language([(spec, key) for key in keys])
    new_before: dict[str, Any] = {}
    new_after: dict[str, Any] = {}
    converted = False
    for key in keys:
        sides = [side for side in (before, after) if key in side]
        decoded = (
            None
            if key.startswith(DOC_KEY_PREFIX)
            else table.decode(spec, key, [side[key] for side in sides], language, reading)
        )
        old = decoded[0] if decoded and key in before else None
        new = decoded[-1] if decoded and key in after else None
        paths = list(dict.fromkeys([*(old or {}), *(new or {})]))
        if old is not None and new is not None:
            paths = [p for p in paths if old.get(p) != new.get(p)]
        if not decoded or not paths:
            if key in before:
                new_before[key] = before[key]
            if key in after:
                new_after[key] = after[key]
            continue
        converted = True
        for path in paths:
            doc_key = DOC_KEY_PREFIX + "|".join(path)
            if old is not None:
                new_before[doc_key] = old.get(path)
            if new is not None:
                new_after[doc_key] = new.get(path)
    return (new_before, new_after) if converted else None
