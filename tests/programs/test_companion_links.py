"""A part draws on the companion references: the group sees Socialstyrelsen's guidance
beside the model's, picks a coordination tool as the part's "how", links offers and
registers needs without an offer; all of it is in the program document and the reading
view, and an ended offer is never shown as current."""

from __future__ import annotations

from html import escape

import pytest
from django.urls import reverse

from pathways.generic_model import models as gm
from pathways.programs import models as pm
from tests.factories import program_with_actors
from tests.programs.helpers import form_fields, post_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(generic_model):
    return program_with_actors(
        generic_model,
        [("koordinerende-sagsbehandler", "Koordinerende sagsbehandler, Aalborg Kommune")],
    )


def entry(list_name: str, key: str) -> gm.CompanionEntry:
    return gm.CompanionEntry.objects.get(list_name=list_name, key=key)


def step_url(program, key: str) -> str:
    return reverse("programs:step", args=[program.code, key])


def test_the_part_shows_the_social_sector_guidance_beside_the_models(client, program):
    client.force_login(program.created_by)
    page = client.get(step_url(program, "del-4-3")).content.decode()
    assert "Hvad de ledsagende referencer siger" in page
    assert entry("coordination_tools", "koordineringsmoede-16-18").title in page
    assert entry("recommendations", "forberedelse-af-overgange").title in page
    # A part the companion does not name shows no tool list.
    assert (
        'id="coordination-tools"' not in client.get(step_url(program, "del-4-1-1")).content.decode()
    )


SOCIAL_PARTS = ["4.1.3", "4.3", "4.4", "4.6", "4.8", "4.9.1", "4.9.2"]


@pytest.mark.parametrize("number", SOCIAL_PARTS)
def test_each_part_touching_the_social_sector_shows_the_companions_guidance(
    client, program, number
):
    """At least 4.1.3's social assessment, the age and social transitions, rehabilitation,
    contact persons and coordination, and patient education and relatives (issue 14)."""
    client.force_login(program.created_by)
    page = client.get(step_url(program, "del-" + number.replace(".", "-"))).content.decode()
    shown = [
        e
        for e in gm.CompanionEntry.objects.filter(
            list_name__in=["recommendations", "coordination_tools", "timings", "actors"]
        )
        if number in e.sections
    ]
    assert shown
    assert [e.title for e in shown if escape(e.title) not in page] == []


def test_a_coordination_tool_is_the_parts_how_with_who_and_when(client, program):
    client.force_login(program.created_by)
    tool = entry("coordination_tools", "koordineringsmoede-16-18")
    actor = program.actors.get()
    response = post_step(
        client,
        step_url(program, "del-4-3"),
        {
            "tools-0-tool": str(tool.pk),
            "tools-0-responsible": str(actor.pk),
            "tools-0-note": "Fra 16 år, to gange årligt",
        },
    )
    assert response.status_code == 302
    (stored,) = pm.PartCoordinationTool.objects.filter(program=program)
    assert (stored.tool, stored.responsible, stored.note) == (
        tool,
        actor,
        "Fra 16 år, to gange årligt",
    )
    document = client.get(reverse("programs:export_json", args=[program.code])).json()
    (row,) = document["content"]["del-4-3"]["coordination_tools"]
    assert row["tool"] == f"socialstyrelsen-sjaeldne-handicap@2019:{tool.key}"
    review = client.get(reverse("programs:review", args=[program.code])).content.decode()
    assert f"{tool.title} – {actor.name} – Fra 16 år, to gange årligt" in review


def test_offers_and_needs_without_an_offer_are_stored_and_an_ended_offer_reads_as_ended(
    client, program
):
    client.force_login(program.created_by)
    ended = entry("offers", "sjaeldne-familiedage")
    ongoing = entry("offers", "laer-at-tackle")
    response = post_step(
        client,
        step_url(program, "del-4-9-1"),
        {
            "offers-0-offer": str(ended.pk),
            "offers-1-offer": str(ongoing.pk),
            "offers-TOTAL_FORMS": "2",
            "offer_gaps-0-need": "Kursus for voksne med udviklingshæmning",
            "offer_gaps-0-phase": "voksen",
        },
    )
    assert response.status_code == 302
    assert list(
        pm.PartOffer.objects.filter(program=program).values_list("offer__key", flat=True)
    ) == ["sjaeldne-familiedage", "laer-at-tackle"]
    (gap,) = pm.OfferGap.objects.filter(program=program)
    assert (gap.need, gap.phase) == ("Kursus for voksne med udviklingshæmning", "voksen")
    review = client.get(reverse("programs:review", args=[program.code])).content.decode()
    assert f"{ended.title} ({ended.details['provider']}) — afsluttet" in review
    assert f"{ongoing.title} ({ongoing.details['provider']})" in review
    assert "Kursus for voksne med udviklingshæmning – Voksenliv" in review
    # The step page offers the same choice again, the ended one marked in the list.
    fields = form_fields(client.get(step_url(program, "del-4-9-1")).content.decode())
    assert fields["offers-0-offer"] == str(ended.pk)


def test_a_tool_the_part_does_not_offer_is_refused_at_the_field(client, program):
    client.force_login(program.created_by)
    foreign = entry("coordination_tools", "rammeaftaler")  # named for 2.3 and 4.10 only
    response = post_step(client, step_url(program, "del-4-3"), {"tools-0-tool": str(foreign.pk)})
    assert response.status_code == 200
    assert "Det valgte hører ikke til denne del af forløbet" in response.content.decode()
    assert not pm.PartCoordinationTool.objects.exists()


def test_an_imported_document_keeps_the_links(client, program, demo_program):
    client.force_login(demo_program.created_by)
    exported = client.get(reverse("programs:export_json", args=[demo_program.code])).json()
    links = exported["content"]["del-4-9-2"]
    assert [row["offer"].rsplit(":", 1)[1] for row in links["offers"]] == [
        "sjaeldne-familiedage",
        "foreningernes-familieweekender",
    ]
    assert links["offer_gaps"][0]["phase"] == "barndom"
