"""The chapter 4 introduction's items get fields (issue 11): the step "Forløbet som helhed"
(parallel social assessment, children and adults, the control programme), which the model's
`pathway` role gives, and the specialisation level of each hospital actor in the actors step.
Both are advice where empty, never gaps; both travel through the document, export and import."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from pathways.generic_model import loader
from pathways.programs import exchange
from pathways.programs.completeness import assess
from pathways.programs.data import load_program_data
from pathways.programs.document import program_document
from pathways.programs.models import Program, ProgramActor
from pathways.programs.steps import build_steps, find_step
from tests.factories import program_with_actors
from tests.programs.helpers import post_step

pytestmark = pytest.mark.django_db

ANSWERS = {
    "pathway-social_assessment": "Kommunen starter den socialfaglige udredning ved mistanke.",
    "pathway-children_and_adults": "Børn følges i børneafdelingen; ved 18 år neurologien.",
    "pathway-control_program": "Årlig kontrol på regionsfunktionsniveau; egen læge imellem.",
}
DOCUMENT_NAMES = ("social_assessment", "children_and_adults", "control_program")


@pytest.fixture
def program(generic_model):
    """A program with a hospital actor (paediatrics) and a municipal one."""
    return program_with_actors(
        generic_model,
        [("paediatri", "Børne- og Ungeafdelingen"), ("socialforvaltning", "Børnehandicapområdet")],
    )


def url(program: Program, step_key: str) -> str:
    return reverse("programs:step", args=[program.code, step_key])


def report(program: Program, step_key: str):
    return assess(load_program_data(Program.objects.get(pk=program.pk))).for_step(step_key)


# The step comes from the model's data --------------------------------------------------------


def _loaded(data: dict, write_model_file, version: str, change) -> list:
    changed = copy.deepcopy(data)
    changed["model"]["version"] = version
    change(changed)
    return build_steps(loader.load_generic_model_file(write_model_file(changed)).model_version)


def _section(data: dict, number: str) -> dict:
    return next(s for s in data["sections"] if s["number"] == number)


def test_the_pathway_step_is_where_the_model_puts_the_role_and_nowhere_without_it(
    generic_model, generic_model_data, write_model_file
):
    shipped = {s.key: s for s in build_steps(generic_model)}
    assert shipped["forloeb"].section.number == "4"
    assert shipped["forloeb"].point_sections == ()
    keys = list(shipped)
    assert keys.index("forloeb") == keys.index("aktoerer") + 1
    assert keys[keys.index("forloeb") + 1].startswith("del-")

    # A model without the role has no such step (and 4.1 shows the chapter's guidance again).
    def without(d):
        del _section(d, "4")["step_role"]

    steps = _loaded(generic_model_data, write_model_file, "8.0", without)
    assert "forloeb" not in [s.key for s in steps]
    assert [s.key for s in steps] == [k for k in keys if k != "forloeb"]
    first_part = next(s for s in steps if s.is_part)
    assert "4" in [g.number for g in first_part.guidance]

    # A model that gives the role to another section: that section's step, same key.
    def elsewhere(d):
        del _section(d, "4")["step_role"]
        _section(d, "4.9")["step_role"] = "pathway"

    steps = {s.key: s for s in _loaded(generic_model_data, write_model_file, "9.0", elsewhere)}
    assert steps["forloeb"].section.number == "4.9"


def test_the_step_page_asks_the_three_fields_and_a_save_stores_them(client, program):
    client.force_login(program.created_by)
    page = client.get(url(program, "forloeb")).content.decode()
    for name in ANSWERS:
        assert f'name="{name}"' in page
    assert "Parallel social udredning" in page and "Kontrolprogram" in page

    post_step(client, url(program, "forloeb"), ANSWERS)
    stored = Program.objects.get(pk=program.pk)
    assert stored.pathway_social_assessment == ANSWERS["pathway-social_assessment"]
    assert stored.pathway_children_and_adults == ANSWERS["pathway-children_and_adults"]
    assert stored.pathway_control_program == ANSWERS["pathway-control_program"]


def test_empty_fields_are_advice_not_gaps(client, program):
    found = report(program, "forloeb")
    assert found.gaps == []
    assert [a.anchor for a in found.advice] == [f"id_pathway-{n}" for n in DOCUMENT_NAMES]

    client.force_login(program.created_by)
    post_step(client, url(program, "forloeb"), ANSWERS)
    assert report(program, "forloeb").advice == []


def test_the_fields_are_in_the_document_the_export_and_come_back_on_import(client, program):
    client.force_login(program.created_by)
    post_step(client, url(program, "forloeb"), ANSWERS)
    document = program_document(load_program_data(Program.objects.get(pk=program.pk)))
    assert document["content"]["forloeb"] == {
        **{name: ANSWERS[f"pathway-{name}"] for name in DOCUMENT_NAMES},
        "own_parts": [],  # none added (tests/programs/test_transitions.py adds one)
    }

    exported = client.get(reverse("programs:export_json", args=[program.code])).json()
    assert exported["content"]["forloeb"] == document["content"]["forloeb"]
    imported = exchange.import_document(
        user=program.created_by, raw=exchange.dumps(exported), source="x.json"
    )
    assert imported.pathway_control_program == ANSWERS["pathway-control_program"]
    assert (
        exchange.export_document(imported)["content"]["forloeb"] == exported["content"]["forloeb"]
    )


# Specialisation level of hospital actors -----------------------------------------------------


def test_the_actors_step_asks_the_specialisation_level_and_stores_it(client, program):
    client.force_login(program.created_by)
    page = client.get(url(program, "aktoerer")).content.decode()
    assert 'name="actors-0-specialisation_level"' in page
    assert '<option value="hoejt_specialiseret">Højt specialiseret funktion</option>' in page

    post_step(
        client, url(program, "aktoerer"), {"actors-0-specialisation_level": "regionsfunktion"}
    )
    assert ProgramActor.objects.get(program=program, ref="a1").specialisation_level == (
        "regionsfunktion"
    )
    refused = post_step(
        client, url(program, "aktoerer"), {"actors-0-specialisation_level": "landsdelsfunktion"}
    )
    assert 'href="#id_actors-0-specialisation_level"' in refused.content.decode()  # the error
    assert ProgramActor.objects.get(program=program, ref="a1").specialisation_level == (
        "regionsfunktion"
    )


def test_a_hospital_actor_without_a_level_is_advice_and_others_are_not_asked(client, program):
    found = report(program, "aktoerer")
    levels = [a for a in found.advice if "Specialiseringsniveau" in a.message]
    assert [a.anchor for a in levels] == ["id_actors-0-specialisation_level"]
    assert "Børne- og Ungeafdelingen" in levels[0].message
    assert not any("Specialiseringsniveau" in g.message for g in found.gaps)

    client.force_login(program.created_by)
    post_step(client, url(program, "aktoerer"), {"actors-0-specialisation_level": "hovedfunktion"})
    assert not any("Specialiseringsniveau" in a.message for a in report(program, "aktoerer").advice)


def test_the_level_is_in_the_document_and_comes_back_on_import(client, program):
    client.force_login(program.created_by)
    post_step(
        client, url(program, "aktoerer"), {"actors-0-specialisation_level": "hoejt_specialiseret"}
    )
    data = load_program_data(Program.objects.get(pk=program.pk))
    key = find_step(data.steps, "aktoerer").key
    rows = program_document(data)["content"][key]["actors"]
    assert [r["specialisation_level"] for r in rows] == ["hoejt_specialiseret", ""]

    exported = exchange.export_document(program)
    imported = exchange.import_document(
        user=program.created_by, raw=exchange.dumps(exported), source="x.json"
    )
    assert imported.actors.get(ref="a1").specialisation_level == "hoejt_specialiseret"


# The demo program ----------------------------------------------------------------------------


def test_the_demo_answers_the_pathway_step_and_every_hospital_level_and_reform_decision(
    demo_program,
):
    data = load_program_data(demo_program)
    found = assess(data)
    assert found.for_step("forloeb").advice == []
    assert found.for_step("aktoerer").advice == []  # no level and no reform decision missing
    hospital = [a for a in data.actors if a.actor_type and a.actor_type.sector == "hospital"]
    assert len(hospital) >= 5 and all(a.specialisation_level for a in hospital)
    levels = {a.name: a.specialisation_level for a in hospital}
    assert levels["Center for Sjældne Sygdomme, Aarhus Universitetshospital"] == (
        "hoejt_specialiseret"
    )
    assert levels["Børne- og Ungeafdelingen, Aalborg Universitetshospital"] == "regionsfunktion"
    flagged = [a for a in data.actors if a.actor_type and a.actor_type.reform_2024_note]
    assert flagged and all(a.delivered_from_2027_by for a in flagged)
