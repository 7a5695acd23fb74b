""" "Mine programmer": search by title, program code or diagnosis code (as typed in either
form), filter by status and region; the filters live in the URL."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse

from pathways.programs.models import Membership, Program, ProgramStatus, Role
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner(demo_program):
    return Membership.objects.filter(program=demo_program, role=Role.EDITOR).first().user


@pytest.fixture
def other(planner):
    """A second program of the same planner: another region, in review, no codes."""
    program = ProgramFactory(owner=planner, title="Sjældne bindevævssygdomme", region="syddanmark")
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.IN_REVIEW)
    return program


def titles(client, **params) -> list[str]:
    page = client.get(reverse("programs:list"), params)
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    table = soup.find(id="program-table")
    rows = table.find("tbody").find_all("th") if table else []
    return [row.find("a").get_text() for row in rows]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, {"demo", "other"}),
        ({"q": "bindevæv"}, {"other"}),
        ({"q": "Q99.2"}, {"demo"}),  # WHO form of the stored DQ992
        ({"q": "dq 992"}, {"demo"}),
        ({"q": "orpha 908"}, {"demo"}),
        ({"q": "Angelman"}, {"demo"}),  # a diagnosis by name
        ({"status": "in_review"}, {"other"}),
        ({"region": "nordjylland"}, {"demo"}),
        ({"region": "syddanmark", "status": "draft"}, set()),
        ({"status": "bogus"}, {"demo", "other"}),  # a tampered URL filters nothing, no 500
    ],
    # Sets print in hash order, which differs between xdist workers: name each case.
    ids=lambda value: (
        "&".join(f"{k}={v}" for k, v in value.items()) or "all"
        if isinstance(value, dict)
        else "+".join(sorted(value)) or "none"
    ),
)
def test_search_and_filters(client, planner, demo_program, other, params, expected):
    client.force_login(planner)
    names = {demo_program.title: "demo", other.title: "other"}
    assert {names[t] for t in titles(client, **params)} == expected


def test_the_code_of_the_program_finds_it(client, planner, demo_program, other):
    client.force_login(planner)
    assert titles(client, q=other.code.lower()) == [other.title]


def test_the_filters_are_kept_in_the_url_and_shown_in_the_form(client, planner, other):
    client.force_login(planner)
    page = client.get(reverse("programs:list"), {"q": "bindevæv", "status": "in_review"})
    soup = BeautifulSoup(page.content, "html.parser")
    form = soup.find("form", id="program-filters")
    assert form["method"] == "get"
    assert form.find("input", attrs={"name": "q"})["value"] == "bindevæv"
    assert (
        form.find("select", attrs={"name": "status"}).find("option", selected=True)["value"]
        == "in_review"
    )
    assert soup.find("a", string="Nulstil")["href"] == reverse("programs:list")


def test_no_match_says_so_and_offers_all(client, planner, demo_program):
    client.force_login(planner)
    html = client.get(reverse("programs:list"), {"q": "findes ikke"}).content.decode()
    assert 'id="no-matches"' in html and "Du er ikke medlem" not in html


def test_others_programs_are_never_found(client, demo_program, other):
    stranger = ProgramFactory(title="Andens program").created_by
    client.force_login(stranger)
    assert titles(client, q="Fragilt") == []
    assert titles(client, q=demo_program.code) == []


def test_the_search_form_reads_in_english(client, planner, demo_program):
    client.force_login(planner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("programs:list")).content.decode()
    assert "Search your programs" in html and "a diagnosis code (e.g. Q87.1 or DQ871)" in html
