"""The gap register page (issue 14): every need without an offer of the program, part by
part and by life phase, with the offers each part links (ended ones marked); for every
member, not for outsiders."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from pathways.programs.models import Membership, OfferGap, PartOffer, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page(client, program) -> BeautifulSoup:
    response = client.get(reverse("programs:offer_gaps", args=[program.code]))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


@pytest.fixture
def reader(demo_program):
    user = UserFactory()
    Membership.objects.create(program=demo_program, user=user, role=Role.READER)
    return user


def test_a_reader_sees_each_need_under_its_part_and_life_phase(client, demo_program, reader):
    client.force_login(reader)
    soup = page(client, demo_program)
    assert text(soup.find(id="gap-count")) == "2 behov uden tilbud er registreret."
    sections = {text(s.find("h2")): s for s in soup.select("section.offer-register-part")}
    adults = sections["4.9.1 Patientuddannelse og mestring"]
    family = sections["4.9.2 Pårørendeperspektivet"]
    assert [text(h) for h in adults.find_all("h4")] == ["Voksenliv"]
    assert "Patientuddannelse tilpasset voksne med udviklingshæmning" in text(adults.find("ul"))
    assert [text(h) for h in family.find_all("h4")] == ["Fødsel og barndom"]
    assert "Søskendegrupper i Nordjylland" in text(family.find("ul"))
    link = family.find("a", string=lambda s: s and "4.9.2" in s)
    assert link["href"] == reverse("programs:step", args=[demo_program.code, "del-4-9-2"]) + (
        "#offer-gaps"
    )
    # The offers with provider and status; the ended one says so, and no identifier shows.
    rows = {text(r.th): text(r) for r in family.select("table.offers tbody tr")}
    assert rows["Sjældne Familiedage"].startswith(
        "Sjældne Familiedage Sjældne Diagnoser afsluttet (kortlagt 2018)"
    )
    assert [text(r.th) for r in family.select("tr.ended")] == ["Sjældne Familiedage"]
    assert "i drift (kortlagt 2018)" in " ".join(rows.values())
    # Parts with a coordination tool but no offer are listed too (4.3, 4.8).
    (youth,) = [s for title, s in sections.items() if title.startswith("4.3 ")]
    assert "Koordineringsmøde for unge 16-18 år" in text(youth)
    assert "sjaeldne-diagnoser" not in soup.decode()


def test_the_program_page_links_to_the_register(client, demo_program, reader):
    client.force_login(reader)
    response = client.get(reverse("programs:detail", args=[demo_program.code]))
    url = reverse("programs:offer_gaps", args=[demo_program.code])
    assert f'href="{url}"' in response.content.decode()


def test_an_outsider_gets_404(client, demo_program):
    client.force_login(UserFactory())
    response = client.get(reverse("programs:offer_gaps", args=[demo_program.code]))
    assert response.status_code == 404


def test_a_program_without_links_says_so(client, demo_program, reader):
    OfferGap.objects.filter(program=demo_program).delete()
    PartOffer.objects.filter(program=demo_program).delete()
    demo_program.coordination_tools.all().delete()
    client.force_login(reader)
    soup = page(client, demo_program)
    assert soup.find(id="no-offer-gaps") is not None
    assert text(soup.find(id="gap-count")) == "0 behov uden tilbud er registreret."


def test_english_labels_on_request(client, demo_program, reader):
    client.force_login(reader)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    soup = page(client, demo_program)
    assert text(soup.h1) == "Needs without an offer"
    assert text(soup.find(id="gap-count")) == "2 needs without an offer are registered."
    assert "ended (as mapped in 2018)" in text(soup)
    assert "All ages" not in text(soup)  # both demo needs name their life phase
