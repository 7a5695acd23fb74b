"""A planner in another region starts from a published program: a new draft with the same
content, its origin recorded, and what is local to the source's region listed as gaps."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from pathways.derivation.models import Derivation
from pathways.programs.data import load_program_data
from pathways.programs.document import flatten, program_document
from pathways.programs.models import AuditAction, AuditEntry, Membership, Program, Role
from tests.derivation.helpers import derive, soup_of
from tests.factories import ProgramFactory, UserFactory, published_version

pytestmark = pytest.mark.django_db


def _differences(a: dict, b: dict) -> set[tuple]:
    found = set()
    for step in set(a["content"]) | set(b["content"]):
        one, two = flatten(a["content"].get(step, {})), flatten(b["content"].get(step, {}))
        found |= {(step, *p) for p in set(one) | set(two) if one.get(p) != two.get(p)}
    return found


def test_a_planner_in_syddanmark_starts_from_the_published_demo(client, demo_program):
    version = published_version(demo_program)
    planner = UserFactory()
    client.force_login(planner)
    url = reverse("derivation:start", args=[demo_program.code]) + "?version=1.0"
    page = soup_of(client.get(url))
    assert page.select_one("#id_title")["value"] == version.title
    assert page.select_one("#id_region option[selected]")["value"] == ""  # never assumed

    response = client.post(url, {"title": "Udviklingshæmning i Syddanmark", "region": "syddanmark"})

    program = Program.objects.exclude(pk=demo_program.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:detail", args=[program.code]) + "#local-items"
    assert (program.region, program.title, program.status) == (
        "syddanmark",
        "Udviklingshæmning i Syddanmark",
        "draft",
    )
    assert not program.is_example
    assert Membership.objects.get(program=program).user == planner  # its first editor
    # The content is the source's, except the new title and region and what cannot be right
    # for another region: the approving body and the dates.
    copied = program_document(load_program_data(program))
    assert _differences(version.document, copied) == {
        ("grundlag", "title"),
        ("grundlag", "region"),
        ("grundlag", "approving_body"),
        ("implementering", "start_date"),
        ("opfoelgning", "next_review_date"),
    }
    derivation = Derivation.objects.get(program=program)
    assert (derivation.source_program, derivation.source_version) == (demo_program, version)
    assert (derivation.source_region, derivation.created_by) == ("nordjylland", planner)
    # Logged on both programs.
    mine = AuditEntry.objects.get(program=program, action=AuditAction.PROGRAM_DERIVED)
    assert mine.after["source"] == f"{demo_program.code} 1.0"
    theirs = AuditEntry.objects.get(program=demo_program, action=AuditAction.PROGRAM_DERIVED)
    assert theirs.after == {"derived": program.code, "region": "syddanmark", "version": "1.0"}
    assert theirs.user == planner


def test_what_is_local_is_listed_and_what_is_not_is_not(demo_program):
    program = derive(demo_program)
    items = {tuple(i["path"]): i for i in program.derivation.local_items}
    kinds = {path: item["kind"] for path, item in items.items()}
    assert kinds[("grundlag", "working_group")] == "working_group"
    assert kinds[("grundlag", "approving_body")] == "cleared"
    assert kinds[("implementering", "start_date")] == "cleared"
    assert kinds[("opfoelgning", "next_review_date")] == "cleared"
    assert kinds[("implementering", "publication_place")] == "field"
    assert kinds[("implementering", "agreements_forum")] == "field"
    actors = program_document(load_program_data(program))["content"]["aktoerer"]["actors"]
    assert {p[2] for p in kinds if p[:2] == ("aktoerer", "actors")} == {a["ref"] for a in actors}
    # A text naming the source's region or one of its municipalities.
    purpose = items[("grundlag", "purpose")]
    assert (purpose["kind"], purpose["places"]) == ("mention", ["Region Nordjylland"])
    assert items[("forloeb", "children_and_adults")]["places"] == ["Aalborg", "Hjørring"]
    # Not local: the diagnosis codes, the criteria's reasons, the new title.
    assert not any(p[0] == "kriterier" for p in items)
    assert ("grundlag", "title") not in items
    assert not any("codes" in p for p in items)


def test_the_program_page_shows_the_origin_and_lists_the_local_items(client, demo_program):
    program = derive(demo_program)
    client.force_login(program.created_by)
    page = soup_of(client.get(reverse("programs:detail", args=[program.code])))

    origin = page.select_one("#derivation-origin")
    assert "version 1.0" in origin.get_text()
    assert "Region Nordjylland" in origin.get_text()
    assert origin.a["href"] == reverse("versions:detail", args=[demo_program.code, "1.0"])
    count = len(program.derivation.local_items)
    heading = page.select_one("#local-items h2").get_text(" ", strip=True)
    assert heading == f"Skal tilpasses lokalt ({count})"
    assert len(page.select("#local-items li")) == count
    links = {a.get_text(strip=True): a["href"] for a in page.select("#local-items li a")}
    actor = "Aktør: Børne- og Ungeafdelingen, Aalborg Universitetshospital"
    step = reverse("programs:step", args=[program.code, "aktoerer"])
    assert links[actor] == f"{step}#id_actors-0-name"
    assert links["Startdato"].endswith("trin/implementering/#id_implementation-start_date")


def test_an_outsider_cannot_start_from_a_draft_but_its_members_can(client, generic_model):
    owner = UserFactory()
    source = ProgramFactory(owner=owner)
    url = reverse("derivation:start", args=[source.code])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Kopi", "region": "syddanmark"}).status_code == 404
    assert Program.objects.count() == 1

    reader = UserFactory()
    Membership.objects.create(program=source, user=reader, role=Role.READER)
    client.force_login(reader)
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Kopi", "region": "syddanmark"})
    assert response.status_code == 302
    derivation = Derivation.objects.get(source_program=source)
    assert derivation.source_version is None
    assert derivation.source_status == "draft"
    page = soup_of(client.get(reverse("programs:detail", args=[derivation.program.code])))
    assert "udkast pr." in page.select_one("#derivation-origin").get_text()


def test_signed_out_the_start_page_asks_to_log_in(client, demo_program):
    published_version(demo_program)
    url = reverse("derivation:start", args=[demo_program.code])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_version_or_region_is_refused_at_its_field(client, demo_program):
    published_version(demo_program)
    client.force_login(UserFactory())
    base = reverse("derivation:start", args=[demo_program.code])
    assert client.get(base + "?version=7.0").status_code == 404
    assert client.get(base + "?version=udkast").status_code == 404  # the draft: members only
    response = client.post(base, {"title": "Kopi", "region": "atlantis"})
    assert response.status_code == 200
    error = soup_of(response).select_one("#id_region").find_parent("div").get_text()
    assert "kan ikke vælges" in error
    assert Program.objects.count() == 1


def test_the_version_page_and_the_program_page_offer_the_button(client, demo_program):
    published_version(demo_program)
    client.force_login(UserFactory())
    page = soup_of(client.get(reverse("versions:detail", args=[demo_program.code, "1.0"])))
    button = page.select_one("a.start-from")
    assert button["href"] == reverse("derivation:start", args=[demo_program.code]) + "?version=1.0"
    client.force_login(demo_program.created_by)
    page = soup_of(client.get(reverse("programs:detail", args=[demo_program.code])))
    assert page.select_one("a.start-from")["href"] == reverse(
        "derivation:start", args=[demo_program.code]
    )


def test_the_start_button_include_sends_a_signed_out_reader_through_the_login():
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    html = render_to_string(
        "derivation/_start_button.html",
        {"code": "ABC234", "number": "2.0", "user": AnonymousUser()},
    )
    href = BeautifulSoup(html, "html.parser").a["href"]
    assert (
        href == reverse("login") + "?next=/programmer/ABC234/brug-som-udgangspunkt/%3Fversion%3D2.0"
    )
