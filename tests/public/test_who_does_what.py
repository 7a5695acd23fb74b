"""'Hvem gør hvad' and the life phases: a reader finds their own part of the program."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from pathways.generic_model import models as gm
from pathways.programs import models as pm
from tests.factories import UserFactory, published_version, small_program

pytestmark = pytest.mark.django_db


def soup_of(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def words(element) -> str:
    return " ".join(element.get_text(" ").split())


def actor_ref(version, name: str) -> dict:
    rows = [
        row
        for step in version.document["content"].values()
        if isinstance(step, dict)
        for row in step.get("actors") or []
    ]
    return next(row for row in rows if row["name"] == name)


def test_an_actor_section_lists_its_contact_route_parts_and_transitions(client, published_demo):
    program, version = published_demo
    actor = actor_ref(version, "Børne- og Ungeafdelingen, Aalborg Universitetshospital")
    soup = soup_of(client, f"/p/{program.code}/")
    section = soup.select_one(f"#aktoer-{actor['ref']}")
    assert section is not None and section.name == "section"
    text = words(section)
    assert actor["contact_point"] in text
    assert actor["visitation_entry"] in text
    assert "Patientansvarlig læge" in text  # its role in the whole program
    responsible = [words(li) for li in section.select("li") if "ansvarlig" in words(li)]
    assert any("Udredning og evt. diagnostik ved fødslen" in line for line in responsible)
    assert "Afgiver: Fra barn/ung til voksen (transition)" in text
    # The jump list leads to every actor's section.
    jump = [a["href"] for a in soup.select("#actor-jump a")]
    assert f"#aktoer-{actor['ref']}" in jump
    assert all(soup.select_one(href) is not None for href in jump)


def test_the_receiving_side_of_a_transition_is_listed_with_the_receiver(client, published_demo):
    program, version = published_demo
    actor = actor_ref(version, "Neurologisk Afdeling, Aalborg Universitetshospital")
    section = soup_of(client, f"/p/{program.code}/").select_one(f"#aktoer-{actor['ref']}")
    assert "Modtager: Fra barn/ung til voksen (transition)" in words(section)


@pytest.fixture
def program_with_idle_actor(generic_model):
    """small_program's one actor (a1, responsible for 4.4 and sending one of its
    transitions), an actor with nothing to do (a2), and a part judged not relevant that
    names a1 all the same."""
    program = small_program(owner=UserFactory())
    actor = program.actors.get(ref="a1")
    actor.contact_point = "Sekretariatet, telefon 1234"
    actor.save()
    pm.ProgramActor.objects.create(program=program, name="Tavs aktør", position=2, ref="a2")
    pm.PartAnswer.objects.create(
        program=program,
        section=generic_model.sections.get(number="4.5"),
        relevance="no",
        not_relevant_reason="Ikke for denne gruppe",
        responsible=actor,
    )
    version = published_version(program)
    return program, version


def test_an_actor_without_tasks_says_so_and_not_relevant_parts_are_left_out(
    client, program_with_idle_actor
):
    program, _version = program_with_idle_actor
    soup = soup_of(client, f"/p/{program.code}/")
    busy, idle = soup.select_one("#aktoer-a1"), soup.select_one("#aktoer-a2")
    assert "Ingen opgaver navngivet" in words(idle)
    assert "Ingen opgaver navngivet" not in words(busy)
    assert "Sekretariatet, telefon 1234" in words(busy)
    title_44 = gm.Section.objects.get(model_version=program.model_version, number="4.4").title
    title_45 = gm.Section.objects.get(model_version=program.model_version, number="4.5").title
    assert title_44 in words(busy)
    # Judged not relevant: in no actor's list, no phase, no part (the diagram shows it dashed).
    for where in ("#hvem-goer-hvad", "#livsfaser", "#forloebets-dele"):
        assert title_45 not in words(soup.select_one(where)), where
    assert "Afgiver:" in words(busy)


def test_each_life_phase_lists_the_parts_that_happen_in_it(client, program_with_idle_actor):
    program, _version = program_with_idle_actor
    soup = soup_of(client, f"/p/{program.code}/")
    headings = [words(h) for h in soup.select("#livsfaser h3")]
    assert headings == [
        "Graviditet",
        "Fødsel og barndom",
        "Ungdom og overgang til voksenlivet",
        "Voksenliv",
        "Ældre",
    ]
    title_44 = gm.Section.objects.get(model_version=program.model_version, number="4.4").title
    # Section 4.4 happens in childhood, youth and adult life (the model's phases).
    for phase, listed in [
        ("graviditet", False),
        ("barndom", True),
        ("ungdom", True),
        ("voksen", True),
        ("aeldre", False),
    ]:
        section = soup.select_one(f"#livsfase-{phase}")
        links = {a["href"]: a.find_parent("li") for a in section.select("a")}
        assert ("#part-4-4" in links) is listed, phase
        if listed:
            line = words(links["#part-4-4"])
            assert title_44 in line
            assert "Børneafdelingen" in line  # the responsible actor
    assert soup.select_one("#part-4-4") is not None


def test_a_part_without_phases_is_in_every_phase(client, published_demo):
    program, version = published_demo
    soup = soup_of(client, f"/p/{program.code}/")
    phases = soup.select("#livsfaser section")
    assert len(phases) == 5
    everywhere = set.intersection(*({a["href"] for a in p.select("a")} for p in phases))
    assert "#part-4-1-2" in everywhere  # Familieudredning: all phases
