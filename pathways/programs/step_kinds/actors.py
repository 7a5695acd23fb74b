"""Step "Aktører": the program's own actors (made local from the model's actor types, or
local ones) and who holds the key roles: the patient-responsible doctor and the municipal
coordinating contact. Every later step refers to these actors."""

from __future__ import annotations

import re
from itertools import groupby

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pathways.generic_model import models as gm
from pathways.programs import models as pm
from pathways.programs.data import ProgramData
from pathways.programs.forms import ActorChoices, ActorField, LineField, row_list, text_area
from pathways.programs.step_kinds.base import (
    Findings,
    Gap,
    StepDefinition,
    StepForms,
    Values,
    actor_choices,
    actor_or_none,
    blank,
    formset,
    prefixed,
    rows,
    text,
    unprefixed,
)
from pathways.programs.steps import Step, StepKind

ACTOR_FIELDS = (
    "id",
    "actor_type",
    "companion_actor",
    "name",
    "unit",
    "contact_point",
    "visitation_entry",
    "delivered_from_2027_by",
    "specialisation_level",
)
DELIVERY_OPTIONS = "reform-delivery-options"  # id of the page's list of suggested deliverers
ACTOR_REF = re.compile(r"a[1-9][0-9]{0,5}")


class ProgramActorForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    actor_type = forms.TypedChoiceField(
        label=gettext_lazy("Aktørtype fra modellen"), coerce=int, empty_value=None, required=False
    )
    name = LineField(
        label=gettext_lazy("Navn"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Den konkrete enhed, fx 'Børn og Unge, Aalborg UH'. Tom: aktørtypens navn."
        ),
    )
    unit = LineField(label=gettext_lazy("Afdeling eller enhed"), max_length=200, required=False)
    contact_point = LineField(label=gettext_lazy("Kontaktpunkt"), max_length=300, required=False)
    visitation_entry = LineField(
        label=gettext_lazy("Visitation og henvisning"), max_length=300, required=False
    )
    # Asked where the actor's type carries the model's reform note (the page shows the field
    # with the note); free text or one of the program's actors, suggested in a datalist.
    delivered_from_2027_by = LineField(
        label=gettext_lazy("Leveres fra 1. januar 2027 af"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "Hvem udfører den del af opgaven, som reformen flytter, i programmets område fra "
            "1. januar 2027? Sundhedsrådet beslutter det; skriv fx regionen, kommunen eller en "
            "af programmets aktører."
        ),
        widget=forms.TextInput(attrs={"list": DELIVERY_OPTIONS}),
    )
    # The model asks it of each hospital actor (chapter 4); shown on every row, since a
    # local actor can be a hospital unit too.
    specialisation_level = forms.ChoiceField(
        label=gettext_lazy("Specialiseringsniveau"),
        choices=[("", gettext_lazy("— ikke angivet —")), *pm.SpecialisationLevel.choices],
        required=False,
        help_text=gettext_lazy(
            "For sygehusaktører: det niveau i specialeplanen, aktøren varetager opgaven på."
        ),
    )

    def __init__(
        self,
        *args: object,
        actor_type_choices: list,
        reform_notes: dict[int, str],
        companion_actor_choices: list[tuple[int, str]] = (),
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor_type"].choices = [
            ("", gettext_lazy("— lokal aktør —")),
            *(
                (group, [(pk, _reform_marked(name, pk in reform_notes)) for pk, name in options])
                for group, options in actor_type_choices
            ),
        ]
        self.actor_type_names = {
            pk: name for _group, options in actor_type_choices for pk, name in options
        }
        self.fields["companion_actor"] = forms.TypedChoiceField(
            label=gettext_lazy("… eller aktør kun fra de ledsagende referencer"),
            choices=[("", gettext_lazy("— ingen —")), *companion_actor_choices],
            coerce=int,
            empty_value=None,
            required=False,
            help_text=gettext_lazy(
                "Fx UU-vejleder, værge eller SPS fra Socialstyrelsens forløbsbeskrivelse: "
                "aktører, modellen ikke har. Aktører, begge har, står under modellens typer."
            ),
        )
        self.companion_actor_names = dict(companion_actor_choices)
        self.reform_notes = reform_notes

    @property
    def reform_note(self) -> str:
        """The model's reform note for the actor type chosen (as posted, or as stored)."""
        try:
            return self.reform_notes.get(int(self["actor_type"].value()), "")
        except (TypeError, ValueError):
            return ""

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("name") and not cleaned.get("DELETE"):
            type_name = self.actor_type_names.get(
                cleaned.get("actor_type")
            ) or self.companion_actor_names.get(cleaned.get("companion_actor"))
            if type_name:
                cleaned["name"] = type_name
            elif self.has_changed():
                self.add_error("name", _("Angiv et navn eller vælg en aktørtype."))
        return cleaned


ProgramActorFormSet = row_list(
    ProgramActorForm,
    title=gettext_lazy("Aktører"),
    anchor="actors",
    extra=3,
    max_num=200,
)


class ActorRolesForm(forms.Form):
    def __init__(self, *args: object, actor_choices: ActorChoices, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["patient_responsible_doctor"] = ActorField(
            actor_choices=actor_choices,
            label=gettext_lazy("Hvor er den patientansvarlige læge placeret?"),
        )
        # Each note names its role: two fields both called "Bemærkning" sound alike.
        self.fields["patient_responsible_doctor_note"] = text_area(
            gettext_lazy("Patientansvarlig læge – bemærkning"), rows=2
        )
        self.fields["municipal_coordinator"] = ActorField(
            actor_choices=actor_choices,
            label=gettext_lazy("Koordinerende kontakt i kommunen"),
        )
        self.fields["municipal_coordinator_note"] = text_area(
            gettext_lazy("Koordinerende kontakt – bemærkning"), rows=2
        )


ROLE_ACTORS = ("patient_responsible_doctor", "municipal_coordinator")
ROLE_NOTES = ("patient_responsible_doctor_note", "municipal_coordinator_note")


def _reform_marked(name: str, flagged: bool) -> str:
    # Where the actor is chosen: the reform may move this actor's task from 2027.
    return _("%(name)s (sundhedsreform 2027)") % {"name": name} if flagged else name


def reform_notes(data: ProgramData) -> dict[int, str]:
    """Actor type id → the model's note on how the health reform moves its task, for the
    types that carry one (generic model: `reform_2024` on actor types)."""
    return {a.pk: a.reform_2024_note for a in data.actor_types if a.reform_2024_note}


def _level(value: object) -> str:
    return value if value in pm.SpecialisationLevel.values else ""


def actor_type_choices(data: ProgramData) -> list[tuple[str, list[tuple[int, str]]]]:
    sector_labels = dict(gm.Sector.choices)
    by_sector = sorted(data.actor_types, key=lambda a: (a.sector, a.position))
    return [
        (str(sector_labels.get(sector, sector)), [(a.pk, a.name) for a in items])
        for sector, items in groupby(by_sector, key=lambda a: a.sector)
    ]


def companion_actor_choices(data: ProgramData) -> list[tuple[int, str]]:
    """The companion references' actors the model has no type for (the others are the
    model's types: CompanionEntry.same_as), and any such actor the program already has."""
    entries = [e for e in data.companion.of_list(gm.CompanionList.ACTOR) if e.same_as_id is None]
    linked = [a.companion_actor for a in data.actors if a.companion_actor_id]
    seen = {e.pk for e in entries}
    return [(e.pk, e.title) for e in [*entries, *(e for e in linked if e.pk not in seen)]]


def next_actor_ref(taken: set[str]) -> str:
    """The next free "aN" after every ref in `taken` (refs are not reused while the actor
    exists; the caller holds the program's lock)."""
    numbers = [int(ref[1:]) for ref in taken if ref[:1] == "a" and ref[1:].isdigit()]
    return f"a{max(numbers, default=0) + 1}"


class Actors(StepDefinition):
    kind = StepKind.ACTORS
    template = "programs/steps/actors.html"
    references = {
        "actor_type": "actor_type",
        "companion_actor": "companion",
        **{name: "actor" for name in ROLE_ACTORS},
    }
    lists = {"actors": "actors"}

    def read(self, step: Step, data: ProgramData) -> Values:
        p = data.program
        return {
            "actors": rows(
                data.actors,
                ACTOR_FIELDS,
                id=lambda a: a.pk,
                actor_type=lambda a: a.actor_type_id,
                companion_actor=lambda a: a.companion_actor_id,
            ),
            **prefixed(
                "roles",
                {
                    **{f"{name}": getattr(p, f"{name}_id") for name in ROLE_ACTORS},
                    **{name: getattr(p, name) for name in ROLE_NOTES},
                },
            ),
        }

    def forms(self, step: Step, data: ProgramData, values: Values, bind: dict) -> StepForms:
        found = StepForms(
            named={
                "actors": formset(
                    ProgramActorFormSet,
                    prefix="actors",
                    rows=values.get("actors", []),
                    bind=bind,
                    form_kwargs={
                        "actor_type_choices": actor_type_choices(data),
                        "reform_notes": reform_notes(data),
                        "companion_actor_choices": companion_actor_choices(data),
                    },
                ),
                "roles": ActorRolesForm(
                    prefix="roles",
                    initial=unprefixed("roles", values),
                    actor_choices=actor_choices(data),
                    **bind,
                ),
            }
        )
        actors = found.named["actors"]
        actors.delivery_options_id = DELIVERY_OPTIONS
        actors.delivery_options = [a.name for a in data.actors]
        return found

    def write(self, step: Step, data: ProgramData, values: Values) -> bool:
        """The list is the program's actors in order: rows with a known id update that actor,
        rows without create one, and actors missing from the list are removed (which clears
        them wherever other steps named them: the caller then reloads)."""
        program = data.program
        existing = {a.pk: a for a in data.actors}
        types = {t.pk: t for t in data.actor_types}
        companion_actors = {pk for pk, _name in companion_actor_choices(data)}
        given = [dict(row) for row in values.get("actors", [])]
        kept: set[int] = set()
        for row in given:
            if row.get("id") in existing and row["id"] not in kept:
                kept.add(row["id"])
            else:
                row["id"] = None  # unknown, foreign or repeated id: a new actor
        removed = set(existing) - kept
        if removed:
            pm.ProgramActor.objects.filter(program=program, pk__in=removed).delete()
        taken_refs = {existing[pk].ref for pk in kept}
        actors = []
        for position, row in enumerate(given, start=1):
            actor_type = types.get(row.get("actor_type"))
            companion_actor = row.get("companion_actor")
            fields = {
                "actor_type": actor_type,
                # One catalogue entry per actor: a model type wins over a companion's actor.
                "companion_actor_id": companion_actor
                if actor_type is None and companion_actor in companion_actors
                else None,
                "name": text(row.get("name")),
                "unit": text(row.get("unit")),
                "contact_point": text(row.get("contact_point")),
                "visitation_entry": text(row.get("visitation_entry")),
                "delivered_from_2027_by": text(row.get("delivered_from_2027_by")),
                "specialisation_level": _level(row.get("specialisation_level")),
                "position": position,
            }
            actor = existing.get(row["id"]) if row["id"] else None
            if actor is not None:
                for name, value in fields.items():
                    setattr(actor, name, value)
                actor.save()
            else:
                ref = row.get("ref")  # given by an imported document; forms never send one
                if not (isinstance(ref, str) and ACTOR_REF.fullmatch(ref)) or ref in taken_refs:
                    ref = next_actor_ref(taken_refs)
                taken_refs.add(ref)
                actor = pm.ProgramActor.objects.create(program=program, ref=ref, **fields)
            actors.append(actor)
        data.actors = actors
        allowed = {a.pk for a in actors}
        roles = unprefixed("roles", values)
        for name in ROLE_ACTORS:
            setattr(program, f"{name}_id", actor_or_none(roles.get(name), allowed))
        for name in ROLE_NOTES:
            setattr(program, name, text(roles.get(name)))
        program.save(update_fields=[*ROLE_ACTORS, *ROLE_NOTES, "updated_at"])
        return bool(removed)

    def check(self, step: Step, data: ProgramData, found: Findings) -> None:
        p = data.program
        if not data.actors:
            found.gaps.append(Gap(_("Programmet har ingen aktører"), "actors"))
        if p.patient_responsible_doctor_id is None:
            found.gaps.append(
                Gap(
                    _("Det er ikke angivet, hvor den patientansvarlige læge er placeret"),
                    "id_roles-patient_responsible_doctor",
                )
            )
        if p.municipal_coordinator_id is None:
            found.gaps.append(
                Gap(
                    _("Den koordinerende kontakt i kommunen er ikke angivet"),
                    "id_roles-municipal_coordinator",
                )
            )
        # A hospital actor with no level: advice (the model asks for it; a local actor's
        # sector is unknown, so only actors of a hospital type are named).
        for index, actor in enumerate(data.actors):
            hospital = (
                actor.actor_type is not None and actor.actor_type.sector == gm.Sector.HOSPITAL
            )
            if hospital and not actor.specialisation_level:
                found.advice.append(
                    Gap(
                        _("Specialiseringsniveauet for %(actor)s er ikke angivet")
                        % {"actor": actor.name},
                        f"id_actors-{index}-specialisation_level",
                        key=f"specialisation-{actor.ref}",
                    )
                )
        # A task the health reform moves, with no decision on who delivers it from 2027:
        # advice, since the sundhedsråd may not have decided yet.
        for index, actor in enumerate(data.actors):
            flagged = actor.actor_type is not None and actor.actor_type.reform_2024_note
            if flagged and blank(actor.delivered_from_2027_by):
                found.advice.append(
                    Gap(
                        _(
                            "Sundhedsreformen: det er ikke angivet, hvem der leverer opgaven "
                            "hos %(actor)s fra 1. januar 2027"
                        )
                        % {"actor": actor.name},
                        f"id_actors-{index}-delivered_from_2027_by",
                        key=f"reform-2027-{actor.ref}",
                    )
                )


DEFINITION = Actors()
