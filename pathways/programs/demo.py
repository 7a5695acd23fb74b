"""Loads the example program (fixtures/demo/*.yaml) through the same services as the browser.

Demo accounts have a published password, so the command refuses to run with DEBUG off.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from pathways.generic_model import models as gm
from pathways.programs import models as pm
from pathways.programs import services
from pathways.programs.data import load_program_data
from pathways.programs.step_kinds import Values, raw, read_values
from pathways.programs.steps import Step, StepKind

DEMO_PASSWORD = "sjaelden-demo"  # noqa: S105 - published on purpose; DEBUG only


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    email: str


DEMO_USERS = (
    DemoUser("planlaegger", "Anne", "Planlægger", "planlaegger@example.org"),
    DemoUser("medredaktoer", "Bo", "Medredaktør", "medredaktoer@example.org"),
    DemoUser("ny", "Nina", "Nyansat", "ny@example.org"),
    DemoUser("kommune", "Karin", "Kommunal", "kommune@example.org"),
    DemoUser("godkender", "Gert", "Godkender", "godkender@example.org"),
    DemoUser("laeser", "Lis", "Læser", "laeser@example.org"),
)
DEMO_ORGANISATION = "Aalborg Kommune"


class DemoDataError(Exception):
    pass


def ensure_demo_users() -> dict[str, AbstractBaseUser]:
    User = get_user_model()
    users = {}
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "email": demo.email,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        users[demo.username] = user
    return users


@transaction.atomic
def load_demo_program(path: Path) -> tuple[pm.Program, bool]:
    """Create the example program unless it exists; return (program, created)."""
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    users = ensure_demo_users()
    owner = users["planlaegger"]
    title = content["program"]["title"]
    existing = pm.Program.objects.filter(is_example=True, title=title).first()
    if existing is not None:
        return existing, False

    model = content["model"]
    version = gm.ModelVersion.objects.filter(
        slug=model["slug"], version=str(model["version"])
    ).first()
    if version is None:
        raise DemoDataError(
            f"The generic model {model['slug']} {model['version']} is not "
            "loaded; run load_generic_model first."
        )
    program = services.create_program(
        user=owner,
        title=title,
        region=content["program"]["region"],
        model_version=version,
        is_example=True,
    )
    # The demo's people are made up: nobody is told they were added.
    services.add_member(
        program=program,
        user=owner,
        identifier="medredaktoer",
        role=pm.Role.EDITOR,
        notify=False,
    )
    organisation, _ = pm.Organisation.objects.get_or_create(
        name=DEMO_ORGANISATION, defaults={"sector": "municipality"}
    )
    services.add_member(
        program=program,
        user=owner,
        identifier="kommune",
        role=pm.Role.REVIEWER,
        organisation=organisation,
        notify=False,
    )
    services.add_member(
        program=program, user=owner, identifier="laeser", role=pm.Role.READER, notify=False
    )
    # Approvers are appointed by staff (the admin), not invited by editors.
    pm.Membership.objects.create(program=program, user=users["godkender"], role=pm.Role.APPROVER)
    _DemoWriter(program, owner, content).write_all()
    return pm.Program.objects.get(pk=program.pk), True


class _DemoWriter:
    def __init__(self, program: pm.Program, user: AbstractBaseUser, content: dict[str, Any]):
        self.program = program
        self.user = user
        self.c = content
        self.refs: dict[str, int] = {}

    def save(self, step: Step, content: dict[str, Any]) -> None:
        """Save the demo's nested content for `step` as an editor's form would."""
        revision = pm.StepRevision.objects.get(program=self.program, step_key=step.key)
        values = read_values(step, load_program_data(self.program))
        values.update(_as_values(content))
        services.save_step(
            program=self.program,
            user=self.user,
            step=step,
            values=values,
            loaded_revision=revision.number,
        )

    def actor(self, ref: str | None) -> int | None:
        if not ref:
            return None
        if ref not in self.refs:
            raise DemoDataError(f"Unknown actor ref '{ref}' in the demo file.")
        return self.refs[ref]

    def actors(self, refs: str | list[str] | None) -> list[int]:
        """One ref or a list of them (a transition's sending or receiving actors)."""
        given = refs if isinstance(refs, list) else [refs] if refs else []
        return sorted(self.actor(ref) for ref in given)

    def companion_links(self, data, part: dict[str, Any]) -> dict[str, list]:
        """A part's coordination tools, offers and needs without an offer; entries by
        their key in the loaded companion references (load them before the demo)."""
        entries = {(e.list_name, e.key): e.pk for e in data.companion.entries}

        def entry(list_name: str, key: str) -> int:
            if (list_name, key) not in entries:
                raise DemoDataError(
                    f"The demo names {list_name} {key!r}, which no loaded companion reference "
                    "has; load fixtures/references/ first."
                )
            return entries[(list_name, key)]

        links: dict[str, list] = {}
        if "coordination_tools" in part:
            links["tools"] = [
                {
                    "tool": entry("coordination_tools", x["tool"]),
                    "responsible": self.actor(x.get("responsible")),
                    "note": x.get("note", ""),
                }
                for x in part["coordination_tools"]
            ]
        if "offers" in part or "offer_gaps" in part:
            links["offers"] = [
                {"offer": entry("offers", x["offer"]), "note": x.get("note", "")}
                for x in part.get("offers", [])
            ]
            links["offer_gaps"] = [
                {"need": x["need"], "phase": x.get("phase", ""), "note": x.get("note", "")}
                for x in part.get("offer_gaps", [])
            ]
        return links

    def arrangements(self, answers: list[dict[str, Any]]) -> dict[str, Any]:
        """The checklist answers, in the order of the model's list for the transition."""
        values: dict[str, Any] = {}
        for n, answer in enumerate(answers, start=1):
            values[f"arrangement_{n}_responsible"] = self.actor(answer.get("responsible"))
            values[f"arrangement_{n}_when"] = answer.get("when", "")
        return values

    def points(self, data, step: Step, answers: list[dict[str, Any]]) -> dict[int, dict]:
        by_position = {(p.section.number, p.position): p for p in data.points_for(step)}
        number = step.point_sections[0].number
        result = {}
        for answer in answers:
            point = by_position.get((number, answer["position"]))
            if point is None:
                raise DemoDataError(f"No attention point {number}/{answer['position']}.")
            result[point.pk] = {
                "status": answer.get("status", ""),
                "answer": answer.get("answer", ""),
                "reason": answer.get("reason", ""),
                "responsible": self.actor(answer.get("responsible")),
            }
        return result

    def write_all(self) -> None:
        data = load_program_data(self.program)
        steps = {s.kind: s for s in data.steps if not s.is_part}
        c = self.c

        self.save(
            steps[StepKind.BASIS],
            {
                "basis": {
                    "title": c["program"]["title"],
                    "region": c["program"]["region"],
                    "purpose": c["program"]["purpose"],
                    "approving_body": c["program"].get("approving_body", ""),
                },
                "working_group": [
                    {k: m.get(k, "") for k in ("name", "organisation", "sector", "role")}
                    for m in c["working_group"]
                ],
            },
        )

        criteria = {x.key: x.pk for x in data.criteria}
        needs = {x.key: x.pk for x in data.needs}
        self.save(
            steps[StepKind.CRITERIA],
            {
                "criteria": {
                    criteria[x["key"]]: {"applies": x["applies"], "reason": x["reason"]}
                    for x in c["criteria"]
                },
                "needs": {needs[x["key"]]: {"assessment": x["assessment"]} for x in c["needs"]},
            },
        )

        # Actors first: every later step refers to them.
        actor_types = {a.key: a.pk for a in data.actor_types}
        companion_actors = {
            e.key: e.pk for e in data.companion.entries if e.list_name == gm.CompanionList.ACTOR
        }
        self.save(
            steps[StepKind.ACTORS],
            {
                "actors": [
                    {
                        "id": None,
                        "actor_type": actor_types.get(a.get("actor_type")),
                        "companion_actor": companion_actors.get(a.get("companion_actor")),
                        "name": a["name"],
                        "unit": a.get("unit", ""),
                        "contact_point": a.get("contact_point", ""),
                        "visitation_entry": a.get("visitation_entry", ""),
                        "delivered_from_2027_by": a.get("delivered_from_2027_by", ""),
                        "specialisation_level": a.get("specialisation_level", ""),
                    }
                    for a in c["actors"]
                ],
                "roles": {},
            },
        )
        created = list(self.program.actors.order_by("position"))
        self.refs = {a["ref"]: actor.pk for a, actor in zip(c["actors"], created, strict=True)}
        doctor, coordinator = c["patient_responsible_doctor"], c["municipal_coordinator"]
        data = load_program_data(self.program)
        self.save(
            steps[StepKind.ACTORS],
            {
                "actors": [
                    {
                        "id": a.pk,
                        "actor_type": a.actor_type_id,
                        "companion_actor": a.companion_actor_id,
                        "name": a.name,
                        "unit": a.unit,
                        "contact_point": a.contact_point,
                        "visitation_entry": a.visitation_entry,
                        "delivered_from_2027_by": a.delivered_from_2027_by,
                        "specialisation_level": a.specialisation_level,
                    }
                    for a in data.actors
                ],
                "roles": {
                    "patient_responsible_doctor": self.actor(doctor["actor"]),
                    "patient_responsible_doctor_note": doctor.get("note", ""),
                    "municipal_coordinator": self.actor(coordinator["actor"]),
                    "municipal_coordinator_note": coordinator.get("note", ""),
                },
            },
        )

        if StepKind.PATHWAY in steps:  # a model without the step: the file's block is unused
            self.save(steps[StepKind.PATHWAY], {"pathway": dict(c.get("pathway", {}))})

        t = c["target_group"]
        groupings = {g.key: g.pk for g in data.groupings}
        systems = {s.key: s.pk for s in data.code_systems}
        target_step = steps[StepKind.TARGET_GROUP]
        self.save(
            target_step,
            {
                "target": {
                    "grouping": groupings.get(t.get("grouping")),
                    **{k: t.get(k, "") for k in pm.TARGET_GROUP_TEXT_FIELDS},
                    "estimated_persons": t.get("estimated_persons"),
                },
                "codes": [
                    {
                        "system": systems[x["system"]],
                        "code": str(x["code"]),
                        "label": x.get("label", ""),
                    }
                    for x in t["codes"]
                ],
                "points": self.points(data, target_step, t.get("attention_points", [])),
            },
        )

        transitions = {tr.key: tr.pk for s in data.steps for tr in s.transitions}
        for step in (s for s in data.steps if s.is_part):
            part = c["parts"].get(step.section.number)
            if part is None:
                raise DemoDataError(f"The demo file has no part {step.section.number}.")
            self.save(
                step,
                {
                    "part": {
                        "relevance": "yes" if part.get("relevant", True) else "no",
                        **{k: part.get(k, "") for k in pm.PART_TEXT_FIELDS},
                        "responsible": self.actor(part.get("responsible")),
                        "collaborating": [self.actor(r) for r in part.get("collaborating", [])],
                        "patient_responsible_doctor": self.actor(
                            part.get("patient_responsible_doctor")
                        ),
                    },
                    "points": self.points(data, step, part.get("attention_points", [])),
                    "transitions": {
                        transitions[x["key"]]: {
                            "relevance": "yes" if x.get("relevant", True) else "no",
                            "not_relevant_reason": x.get("reason", ""),
                            "sending": self.actors(x.get("sending")),
                            "receiving": self.actors(x.get("receiving")),
                            "trigger": x.get("trigger", ""),
                            "handover": x.get("handover", ""),
                            "conference_convener": self.actor(x.get("conference_convener")),
                            "conference_follow_up": self.actor(x.get("conference_follow_up")),
                            **self.arrangements(x.get("arrangements", [])),
                        }
                        for x in part.get("transitions", [])
                    },
                    **self.companion_links(data, part),
                },
            )

        i = c["implementation"]
        implementation_step = steps[StepKind.IMPLEMENTATION]
        self.save(
            implementation_step,
            {
                "implementation": {
                    k: i.get(k, "")
                    for k in ("agreements_forum", "dissemination", "publication_place")
                }
                | {"start_date": _date(i.get("start_date"))},
                "points": self.points(data, implementation_step, i.get("attention_points", [])),
            },
        )

        f = c["follow_up"]
        self.save(
            steps[StepKind.FOLLOW_UP],
            {
                "follow_up": {
                    "how_and_when": f.get("how_and_when", ""),
                    "responsible": self.actor(f.get("responsible")),
                    "indicators": f.get("indicators", ""),
                    "data_sources": list(f.get("data_sources", [])),
                    "data_sources_note": f.get("data_sources_note", ""),
                    "next_review_date": _date(f.get("next_review_date")),
                }
            },
        )


_LISTS = {
    "working_group": "wg",
    "codes": "codes",
    "actors": "actors",
    "tools": "tools",
    "offers": "offers",
    "offer_gaps": "offer_gaps",
}
_KEYED = {"criteria": "criterion", "needs": "need", "points": "point", "transitions": "transition"}


def _as_values(content: dict[str, Any]) -> Values:
    """The demo file's nested answers as step values (step_kinds/; field id → raw value)."""
    values: Values = {}
    for name, part in content.items():
        if name in _LISTS:
            values[_LISTS[name]] = raw(part)
        elif name in _KEYED:
            for pk, fields in part.items():
                values.update({f"{_KEYED[name]}-{pk}-{k}": _raw(v) for k, v in fields.items()})
        else:
            values.update({f"{name}-{k}": _raw(v) for k, v in part.items()})
    return values


def _raw(value: Any) -> Any:
    if isinstance(value, bool):  # a criterion's "applies", as the form posts it
        return "yes" if value else "no"
    return raw(value)


def _date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))
