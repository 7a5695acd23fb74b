"""Each step kind is one definition, and a save loads the program once: what a save writes
reads back the same from the loaded program as from a fresh load."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse

from pathways.programs import services
from pathways.programs.completeness import assess
from pathways.programs.data import load_program_data
from pathways.programs.models import Program, StepSnapshot
from pathways.programs.step_kinds import DEFINITIONS, read_values
from pathways.programs.steps import StepKind, find_step
from tests.programs.helpers import post_step

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_every_step_kind_with_content_has_one_definition_and_its_template():
    assert set(DEFINITIONS) == set(StepKind) - {StepKind.REVIEW}
    for kind, definition in DEFINITIONS.items():
        assert definition.kind == kind
        assert (TEMPLATES / definition.template).is_file(), definition.template


def _changed(step, values: dict, data) -> dict:
    """Values with a change in every kind of field the step has."""
    changed = dict(values)
    actor_ids = [a.pk for a in data.actors]
    for key, value in values.items():
        texts = ("answer", "effort", "purpose", "reason")
        if isinstance(value, str) and (key.endswith(texts) or key.startswith("pathway-")):
            changed[key] = value + " (rettet)"
        elif key.endswith("-responsible") and actor_ids:
            changed[key] = actor_ids[-1]
        elif key.endswith(("-sending", "-receiving")) and actor_ids:
            changed[key] = sorted(actor_ids[:2])  # several actors on each side
        elif key.endswith("_responsible") and actor_ids:  # a checklist item
            changed[key] = actor_ids[0]
        elif key.endswith("-collaborating"):
            changed[key] = sorted(actor_ids[:2])
    if "wg" in values:
        changed["wg"] = [
            *values["wg"],
            {"name": "Ny", "organisation": "", "sector": "municipality", "role": ""},
        ]
    if "codes" in values:
        changed["codes"] = values["codes"][1:]
    if "actors" in values:
        # One actor removed (clears it wherever it was named), one added.
        changed["actors"] = [
            *values["actors"][1:],
            {
                "id": None,
                "actor_type": None,
                "name": "Ny aktør",
                "unit": "",
                "contact_point": "",
                "visitation_entry": "",
                "specialisation_level": "hovedfunktion",
            },
        ]
    return changed


def test_what_a_save_writes_reads_back_the_same_as_from_a_fresh_load(demo_program):
    editor = demo_program.created_by
    for step in load_program_data(demo_program).steps:
        if step.kind == StepKind.REVIEW:
            continue
        data = load_program_data(Program.objects.get(pk=demo_program.pk))
        values = read_values(step, data)
        result = services.save_step(
            program=demo_program,
            user=editor,
            step=step,
            values=_changed(step, values, data),
            loaded_revision=data.revisions[step.key].number,
            data=data,
        )
        assert result.changed, step.key
        fresh = load_program_data(Program.objects.get(pk=demo_program.pk))
        snapshot = StepSnapshot.objects.get(
            program=demo_program, step_key=step.key, number=result.revision
        )
        assert snapshot.values == read_values(step, fresh), step.key
        # The completeness summary was computed from what is stored.
        stored = Program.objects.get(pk=demo_program.pk)
        assert stored.gap_count == assess(fresh).gap_count, step.key


def test_removing_an_actor_clears_it_everywhere_and_the_summary_counts_that(demo_program):
    data = load_program_data(demo_program)
    doctor = demo_program.patient_responsible_doctor_id
    actors = find_step(data.steps, "aktoerer")
    values = read_values(actors, data)
    values["actors"] = [row for row in values["actors"] if row["id"] != doctor]
    before = Program.objects.get(pk=demo_program.pk).gap_count
    services.save_step(
        program=demo_program,
        user=demo_program.created_by,
        step=actors,
        values=values,
        loaded_revision=data.revisions["aktoerer"].number,
        data=data,
    )
    after = Program.objects.get(pk=demo_program.pk)
    assert after.patient_responsible_doctor_id is None
    assert after.gap_count > before  # the doctor's place, and the parts it was responsible for


@pytest.mark.parametrize("step_key", ["grundlag", "del-4-4", "opfoelgning"])
def test_a_save_loads_the_program_once(client, demo_program, step_key):
    client.force_login(demo_program.created_by)
    url = reverse("programs:step", args=[demo_program.code, step_key])
    field = {
        "grundlag": "basis-purpose",
        "del-4-4": "part-effort",
        "opfoelgning": "follow_up-indicators",
    }[step_key]
    with (
        mock.patch(
            "pathways.programs.views.load_program_data", wraps=load_program_data
        ) as view_loads,
        mock.patch(
            "pathways.programs.services.load_program_data", wraps=load_program_data
        ) as service_loads,
    ):
        response = post_step(client, url, {field: "Ændret tekst"})
    assert response.status_code == 302
    # One load for the page the planner saved from (GET), one for the save (POST).
    assert view_loads.call_count == 2
    assert service_loads.call_count == 0


def test_a_save_reloads_when_someone_saved_meanwhile(demo_program):
    """The loaded program is only trusted while nothing was saved since it was loaded."""
    stale = load_program_data(demo_program)
    step = find_step(stale.steps, "grundlag")
    other = find_step(stale.steps, "implementering")
    fresh = load_program_data(demo_program)
    values = read_values(other, fresh)
    values["implementation-dissemination"] = "Ny udbredelse"
    services.save_step(
        program=demo_program,
        user=demo_program.created_by,
        step=other,
        values=values,
        loaded_revision=fresh.revisions[other.key].number,
    )
    values = read_values(step, stale)
    values["basis-purpose"] = "Nyt formål"
    with mock.patch(
        "pathways.programs.services.load_program_data", wraps=load_program_data
    ) as loads:
        services.save_step(
            program=demo_program,
            user=demo_program.created_by,
            step=step,
            values=values,
            loaded_revision=stale.revisions[step.key].number,
            data=stale,
        )
    assert loads.call_count == 1
    assert Program.objects.get(pk=demo_program.pk).dissemination == "Ny udbredelse"


def test_a_part_records_its_own_patient_responsible_doctor(client, demo_program):
    from pathways.programs.document import program_document

    client.force_login(demo_program.created_by)
    actor = demo_program.actors.order_by("position").last()
    url = reverse("programs:step", args=[demo_program.code, "del-4-8"])
    response = post_step(client, url, {"part-patient_responsible_doctor": str(actor.pk)})
    assert response.status_code == 302
    document = program_document(load_program_data(Program.objects.get(pk=demo_program.pk)))
    assert document["content"]["del-4-8"]["patient_responsible_doctor"] == actor.ref
    page = client.get(url).content.decode()
    assert "Patientansvarlig læge i denne del" in page
