"""The municipal reviewer's page: per municipal actor of the program, everything the
program asks of it, part by part, with the part's legal basis (programs/actor_duties.py).

The expectations are read from the demo file (fixtures/demo/nordjylland-udviklingshaemning.yaml)
and the model's and companions' own data, not copied into the test."""

from __future__ import annotations

import pytest
import yaml
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pathways.generic_model import models as gm
from pathways.programs import models as pm
from pathways.programs.actor_duties import LegalBasis, _from_companion, municipal_actor_duties
from pathways.programs.data import load_program_data
from tests.conftest import DEMO_FILE
from tests.factories import UserFactory, small_program

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 32  # load_program_data and the model's legal references


def url(program) -> str:
    return reverse("programs:municipal_actors", args=[program.code])


def page(client, program) -> BeautifulSoup:
    response = client.get(url(program))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


# The demo file's actor refs ("koord") → the refs the program gave its actors ("a16").
DEMO_ACTORS = {
    a["ref"]: a["name"] for a in yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["actors"]
}


def actor_section(soup: BeautifulSoup, demo_ref: str):
    actor = pm.ProgramActor.objects.get(program__is_example=True, name=DEMO_ACTORS[demo_ref])
    return soup.find("section", id=f"actor-{actor.ref}")


def duties_by_part(section) -> dict[str, list[str]]:
    """Part heading → the duties listed under it (their first line)."""
    found = {}
    for part in section.find_all("section", class_="duty-part"):
        found[part.h3.get_text(strip=True)] = [
            li.find(class_="duty-what").get_text(strip=True)
            for li in part.find_all("li", class_="duty")
        ]
    return found


def legal_in(section, heading_start: str) -> list[str]:
    part = next(
        p
        for p in section.find_all("section", class_="duty-part")
        if p.h3.get_text(strip=True).startswith(heading_start)
    )
    return [" ".join(li.get_text(" ", strip=True).split()) for li in part.select(".legal")]


def transition(key: str) -> gm.Transition:
    return gm.Transition.objects.get(key=key, model_version__slug="sst-sjaeldne")


def part_title(number: str) -> str:
    section = gm.Section.objects.get(number=number, model_version__slug="sst-sjaeldne")
    return f"{section.number} {section.title}"


@pytest.fixture
def editor_client(client, demo_program):
    client.force_login(demo_program.created_by)
    return client


# --- What the demo asks of its municipal actors -------------------------------------------


def test_the_coordinating_caseworker_gets_its_tools_items_points_and_parts(
    editor_client, demo_program
):
    koord = actor_section(page(editor_client, demo_program), "koord")
    assert (
        koord.h2.get_text(strip=True)
        == "Koordinerende sagsbehandler, handicapområdet i bopælskommunen"
    )
    facts = koord.find("dl", class_="actor-facts").get_text(" ", strip=True)
    assert "Fast tovholder for familien på tværs af kommunens forvaltninger" in facts  # unit
    assert "direkte nummer står i familiens sundhedspas" in facts  # contact point
    parts = duties_by_part(koord)

    # The actors step names it the municipal coordinator.
    assert "Koordinerende kontakt i kommunen" in parts["Aktører"]
    # 4.3: the coordination meeting for 16–18-year-olds, an item of the transition's
    # checklist (the fifth: social conditions) with its "when", and attention point 4.3/2.
    to_adult = transition("barn-ung-til-voksen")
    in_43 = parts[part_title("4.3")]
    assert "Koordineringsværktøj: Koordineringsmøde for unge 16-18 år" in in_43
    assert (
        f"Sørger for: {to_adult.arrangements[4]} (På 16-årsmødet; værgemål og samtykke til "
        "forældrenes inddragelse afklares senest ved 17½ år)"
    ) in in_43
    assert any(d.startswith("Ansvarlig for opmærksomhedspunkt 4.3/2 ") for d in in_43)
    assert "Samarbejder om delen" in in_43
    # 4.4: responsible for the part, the network meeting, and the conference it convenes.
    in_44 = parts[part_title("4.4")]
    assert "Ansvarlig for delen" in in_44
    assert "Koordineringsværktøj: Netværksmøde" in in_44
    first_day = transition("boerneinstitution-fritidsordning")
    assert f"Indkalder til konference i overgangen {first_day.title}" in in_44
    assert f"Følger op på konferencen i overgangen {first_day.title}" in in_44
    # The tool's note comes with it.
    assert "koordinerende sagsbehandler indkalder børne- og voksenområdet" in koord.get_text()


def test_a_receiving_actor_sees_the_transition_and_what_is_handed_over(editor_client, demo_program):
    soup = page(editor_client, demo_program)
    school = transition("skolestart-skole")
    ppr = duties_by_part(actor_section(soup, "ppr"))
    assert f"Modtager i overgangen {school.title}" in ppr[part_title("4.4")]
    assert f"Indkalder til konference i overgangen {school.title}" in ppr[part_title("4.4")]
    assert (
        "Status om funktionsevne, kognitive og motoriske forhold"
        in actor_section(soup, "ppr").get_text()
    )
    # The adult disability services receive the change of administration at 18 (4.9.1)
    # and arrange a new assessment at 18 (the fifth item of its checklist).
    change = transition("skift-mellem-forvaltninger")
    socv = duties_by_part(actor_section(soup, "socv"))[part_title("4.9.1")]
    assert f"Modtager i overgangen {change.title}" in socv
    when = "Ved 18 år, med lægelig status fra Neurologisk Afdeling"
    assert f"Sørger for: {change.arrangements[4]} ({when})" in socv
    # …and the children's side hands it over.
    socb = duties_by_part(actor_section(soup, "socb"))[part_title("4.9.1")]
    assert f"Afgiver i overgangen {change.title}" in socb


def test_the_health_visitor_answers_for_its_attention_points(editor_client, demo_program):
    sundpl = duties_by_part(actor_section(page(editor_client, demo_program), "sundpl"))
    assert any(
        d.startswith("Ansvarlig for opmærksomhedspunkt 4.1.3/") for d in sundpl[part_title("4.1.3")]
    )


def test_only_actors_of_the_municipal_sector_get_a_section(editor_client, demo_program):
    soup = page(editor_client, demo_program)
    data = load_program_data(demo_program)
    shown = {
        s["id"].removeprefix("actor-") for s in soup.find_all("section", class_="actor-duties")
    }
    municipal = {a.ref for a in data.actors if a.sector == gm.Sector.MUNICIPALITY}
    assert shown == municipal
    names = {a.ref: a.name for a in data.actors}
    demo_refs = {ref for ref, name in DEMO_ACTORS.items() if name in {names[r] for r in shown}}
    # "uu" comes from Socialstyrelsen's description alone (no model type): one actor list.
    assert {"koord", "socb", "socv", "ppr", "sundpl", "ungeind", "genop", "uu"} <= demo_refs
    uu = duties_by_part(actor_section(soup, "uu"))
    assert list(uu) == [part_title("4.4")] and uu[part_title("4.4")]
    # The paediatric department is responsible for many parts, and is a hospital.
    assert actor_section(soup, "auh-boern") is None
    headings = [h.get_text(strip=True) for h in soup.find_all("h2")]
    assert "Børne- og Ungeafdelingen, Aalborg Universitetshospital" not in headings


def test_each_actor_names_the_catalogue_entry_it_comes_from(editor_client, demo_program):
    soup = page(editor_client, demo_program)

    def actor_type(ref: str) -> str:
        facts = actor_section(soup, ref).find("dl", class_="actor-facts")
        return next(
            " ".join(div.dd.get_text(" ", strip=True).split())
            for div in facts.find_all("div")
            if div.dt.get_text(strip=True) == "Aktørtype"
        )

    assert actor_type("koord") == "Koordinerende sagsbehandler"  # the model's actor type
    # The UU-vejledning has no type in the model: Socialstyrelsen's description names it.
    uu = pm.ProgramActor.objects.get(program=demo_program, name=DEMO_ACTORS["uu"])
    companion = uu.companion_actor.companion
    assert actor_type("uu") == (
        f"{uu.companion_actor.title} ({companion.publisher} {companion.version})"
    )


def test_a_local_actor_without_a_catalogue_type_is_not_included(client, demo_program):
    owner = demo_program.created_by
    program = small_program(owner=owner)  # its one actor has no catalogue type
    client.force_login(owner)
    soup = page(client, program)
    assert soup.find("section", class_="actor-duties") is None
    assert soup.find(id="no-municipal-actors") is not None


def test_a_part_judged_not_relevant_asks_nothing(editor_client, demo_program):
    section = gm.Section.objects.get(number="4.6", model_version=demo_program.model_version)
    before = duties_by_part(actor_section(page(editor_client, demo_program), "genop"))
    assert "Ansvarlig for delen" in before[part_title("4.6")]
    pm.PartAnswer.objects.filter(program=demo_program, section=section).update(
        relevance=pm.Relevance.NOT_RELEVANT, not_relevant_reason="Ikke i dette program."
    )
    soup = page(editor_client, demo_program)
    assert part_title("4.6") not in soup.get_text()
    for part in municipal_actor_duties(load_program_data(demo_program)):
        assert all(p.step.key != "del-4-6" for p in part.parts)
    # The municipal rehabilitation had its duties in 4.6 only: nothing is asked of it now.
    genop = actor_section(soup, "genop")
    assert genop.find("section", class_="duty-part") is None
    assert "Programmet beder endnu ikke aktøren om noget." in genop.get_text()


def test_a_transition_judged_not_relevant_asks_nothing(editor_client, demo_program):
    school = transition("skolestart-skole")
    pm.TransitionAnswer.objects.filter(program=demo_program, transition=school).update(
        relevance=pm.Relevance.NOT_RELEVANT, not_relevant_reason="Følges i et andet program."
    )
    soup = page(editor_client, demo_program)
    assert school.title not in actor_section(soup, "ppr").get_text()
    assert school.title not in actor_section(soup, "koord").get_text()


# --- Legal basis --------------------------------------------------------------------------


def test_a_moved_social_services_paragraph_is_shown_where_it_stands_today(
    editor_client, demo_program
):
    koord = actor_section(page(editor_client, demo_program), "koord")
    legal = legal_in(koord, "4.3 ")
    # SEL § 42 (lost earnings) is now barnets lov § 87; the cited one is named as former.
    assert any(
        line.startswith("barnets lov § 87 (tidligere SEL § 42): Tabt arbejdsfortjeneste")
        for line in legal
    )
    assert not any(line.startswith("SEL § 42") for line in legal)
    # The model's own references for the part's sections are there too (4.3.1: barnets lov
    # §§ 122–123 A on preparing adult life), with where they come from.
    assert any(
        line.startswith("Barnets lov § 122-123 A: Forberedelse af overgangen til voksenlivet")
        and "Generisk model 1.0" in line
        for line in legal
    )


def test_an_unmapped_paragraph_is_flagged(editor_client, demo_program):
    koord = actor_section(page(editor_client, demo_program), "koord")
    sel_66 = next(line for line in legal_in(koord, "4.4 ") if line.startswith("SEL § 66"))
    assert "ikke kortlagt til gældende regler" in sel_66
    assert "Tjek den gældende bestemmelse" in sel_66


@pytest.mark.parametrize(
    ("details", "label"),
    [
        (
            {
                "source_paragraph": "SEL § 42",
                "mapping": "moved",
                "current_paragraph": "barnets lov § 87",
            },
            "barnets lov § 87 (tidligere SEL § 42)",
        ),
        ({"source_paragraph": "SEL § 141", "mapping": "unchanged"}, "SEL § 141"),
        (
            {"source_paragraph": "SEL § 66", "mapping": "unmapped", "mapping_note": "Hvorfor"},
            "SEL § 66 (ikke kortlagt til gældende regler)",
        ),
        # A repealed paragraph is never shown as in force, even beside a named successor.
        (
            {
                "source_paragraph": "SEL § 9",
                "mapping": "repealed",
                "current_paragraph": "barnets lov § 1",
                "mapping_note": "Ophævet",
            },
            "SEL § 9 (ophævet)",
        ),
    ],
)
def test_a_companion_paragraph_reads_as_it_stands_today(details, label):
    companion = gm.CompanionVersion(publisher="Socialstyrelsen", version="2019")
    entry = gm.CompanionEntry(companion=companion, title="Titel", details=details)
    basis = _from_companion(entry)
    assert isinstance(basis, LegalBasis)
    assert basis.label == label
    assert bool(basis.flag) == (details["mapping"] in ("unmapped", "repealed"))


# --- Links into the program --------------------------------------------------------------


@pytest.mark.parametrize("who", ["editor", "reviewer"])
def test_every_duty_links_to_an_element_of_its_step_page(client, demo_program, who):
    """The editor's step form and the reviewer's read-only step both hold each anchor,
    once."""
    data = load_program_data(demo_program)
    wanted: dict[str, set[str]] = {}
    for actor in municipal_actor_duties(data):
        for part in actor.parts:
            wanted.setdefault(part.step.key, set()).update(d.anchor for d in part.duties)
    assert len(wanted) > 10
    client.force_login(demo_program.memberships.filter(role=who).first().user)
    for step_key, anchors in wanted.items():
        html = client.get(reverse("programs:step", args=[demo_program.code, step_key]))
        ids = [e["id"] for e in BeautifulSoup(html.content, "html.parser").find_all(id=True)]
        assert anchors <= set(ids), (step_key, anchors - set(ids))
        assert len(ids) == len(set(ids)), step_key


def test_the_program_page_and_the_review_screen_link_to_it(editor_client, demo_program):
    for name in ("programs:detail", "programs:review"):
        soup = BeautifulSoup(
            editor_client.get(reverse(name, args=[demo_program.code])).content, "html.parser"
        )
        assert soup.find(id="municipal-actors-link")["href"] == url(demo_program)


# --- Who may read it, and what it costs ----------------------------------------------------


@pytest.mark.parametrize("role", list(pm.Role))
def test_every_member_may_read_it(client, demo_program, role):
    member = demo_program.memberships.filter(role=role).first().user
    client.force_login(member)
    assert client.get(url(demo_program)).status_code == 200


def test_the_municipal_reviewer_reads_it(client, demo_program):
    client.force_login(demo_program.memberships.get(user__username="kommune").user)
    assert client.get(url(demo_program)).status_code == 200


def test_an_outsider_gets_404_and_an_anonymous_visitor_is_sent_to_log_in(client, demo_program):
    response = client.get(url(demo_program))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(UserFactory())
    assert client.get(url(demo_program)).status_code == 404
    assert client.get(reverse("programs:municipal_actors", args=["NOSUCH"])).status_code == 404


def count_queries(client, address) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_program(client, demo_program):
    owner = demo_program.created_by
    small_one = small_program(owner=owner)
    # Its one actor, made municipal, so the small page has a section too.
    pm.ProgramActor.objects.filter(program=small_one).update(
        actor_type=gm.ActorType.objects.get(
            key="koordinerende-sagsbehandler", model_version=small_one.model_version
        )
    )
    client.force_login(owner)
    small = count_queries(client, url(small_one))
    large = count_queries(client, url(demo_program))
    assert large == small <= PAGE_BUDGET


def test_the_page_speaks_english_when_asked(client, demo_program):
    client.force_login(demo_program.created_by)
    client.cookies["django_language"] = "en"
    soup = page(client, demo_program)
    assert soup.h1.get_text(strip=True) == "Municipal actors"
    koord = actor_section(soup, "koord")
    assert "Legal basis" in [p.get_text(strip=True) for p in koord.select(".legal-basis p")]
    in_44 = duties_by_part(koord)[part_title("4.4")]
    assert "Responsible for the part" in in_44
    assert "Coordination tool: Netværksmøde" in in_44  # the companion's own words stay Danish
    assert any(
        line.startswith("barnets lov § 87 (formerly SEL § 42)") for line in legal_in(koord, "4.3 ")
    )
