"""Tasks the health reform moves from 1 January 2027: the actors step shows the model's
note where such an actor is chosen, records who delivers the task, and completeness
advises (never requires) that decision."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pathways.programs import exchange
from pathways.programs.completeness import assess
from pathways.programs.data import load_program_data
from pathways.programs.document import program_document
from pathways.programs.models import Program, ProgramActor
from pathways.programs.steps import find_step
from tests.factories import program_with_actors
from tests.programs.helpers import post_step

pytestmark = pytest.mark.django_db

NURSING_SCOPE = "den akutte specialiserede sygepleje"
DECISION = "Region Nordjylland (akutsygeplejen, efter Sundhedsråd Limfjordens beslutning)"


@pytest.fixture
def program(generic_model):
    """A program with a municipal nursing actor (reform-flagged) and a paediatric one (not)."""
    return program_with_actors(
        generic_model,
        [
            ("kommunal-sygepleje", "Sygeplejen i Aalborg Kommune"),
            ("paediatri", "Børne- og Ungeafdelingen"),
        ],
    )


def actors_url(program: Program) -> str:
    return reverse("programs:step", args=[program.code, "aktoerer"])


def actors_report(program: Program):
    return assess(load_program_data(Program.objects.get(pk=program.pk))).for_step("aktoerer")


def test_the_actors_step_shows_the_reform_note_with_its_scope_where_it_applies(client, program):
    client.force_login(program.created_by)
    page = client.get(actors_url(program)).content.decode()
    assert NURSING_SCOPE in page
    assert page.count('class="reform-note') == 1  # the nursing actor, not the paediatric one
    assert 'name="actors-0-delivered_from_2027_by"' in page
    assert 'name="actors-1-delivered_from_2027_by"' not in page
    # Where an actor type is chosen, the reform-flagged ones are marked.
    assert "Kommunal sygepleje (sundhedsreform 2027)</option>" in page
    assert "Pædiatrisk afdeling (børne- og ungeafdeling)</option>" in page  # not marked
    # The program's actors are offered as who delivers the task.
    assert '<option value="Børne- og Ungeafdelingen">' in page


def test_no_decision_is_advice_not_a_gap_and_a_decision_settles_it(client, program):
    report = actors_report(program)
    advice = [a.message for a in report.advice]
    assert any("Sygeplejen i Aalborg Kommune" in m and "1. januar 2027" in m for m in advice)
    assert not any("Børne- og Ungeafdelingen" in m and "2027" in m for m in advice)
    assert not any("sundhedsreform" in g.message.lower() for g in report.gaps)
    assert report.advice[-1].anchor == "id_actors-0-delivered_from_2027_by"

    client.force_login(program.created_by)
    post_step(client, actors_url(program), {"actors-0-delivered_from_2027_by": DECISION})
    actor = ProgramActor.objects.get(program=program, ref="a1")
    assert actor.delivered_from_2027_by == DECISION
    assert not any("Sundhedsreformen" in a.message for a in actors_report(program).advice)


def test_the_decision_is_in_the_document_the_export_and_comes_back_on_import(client, program):
    client.force_login(program.created_by)
    post_step(client, actors_url(program), {"actors-0-delivered_from_2027_by": DECISION})
    data = load_program_data(Program.objects.get(pk=program.pk))
    key = find_step(data.steps, "aktoerer").key
    rows = program_document(data)["content"][key]["actors"]
    assert rows[0]["delivered_from_2027_by"] == DECISION and rows[1]["delivered_from_2027_by"] == ""

    exported = client.get(reverse("programs:export_json", args=[program.code])).json()
    assert exported["content"][key]["actors"][0]["delivered_from_2027_by"] == DECISION
    imported = exchange.import_document(
        user=program.created_by, raw=exchange.dumps(exported), source="x.json"
    )
    assert imported.actors.get(ref="a1").delivered_from_2027_by == DECISION
