"""The national catalogue: what anyone, signed in or not, finds at /katalog/, and how the
search and filters find it."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse

from pathways.programs.models import Membership, Program, ProgramStatus, Role
from tests.catalogue.builders import catalogue_program
from tests.factories import UserFactory, published_version

pytestmark = pytest.mark.django_db

URL = "/katalog/"


def page(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def titles(client, **params) -> list[str]:
    table = page(client, **params).find(id="catalogue-table")
    rows = table.find("tbody").find_all("th") if table else []
    return [row.find("a").get_text(strip=True) for row in rows]


@pytest.fixture
def fragile_x(generic_model):
    """Published: ICD-10, ORPHA and OMIM codes; Aalborg Kommune responsible for part 4.4;
    target grouping "udviklingshæmning"; only 4.4 relevant (childhood to adult life)."""
    return catalogue_program(
        title="Fragilt X-syndrom",
        codes=(("icd-10", "DQ992"), ("orpha", "ORPHA:908"), ("omim", "300624")),
        responsible="Aalborg Kommune, Familie- og Beskæftigelsesforvaltningen",
        grouping="udviklingshaemning",
        relevant_parts=("4.4",),
    )


@pytest.fixture
def prader_willi(generic_model):
    """Published in Syddanmark: ICD-10 DQ871 and ICPC-2; Odense Kommune responsible;
    only 4.1.1 relevant (pregnancy)."""
    return catalogue_program(
        title="Prader-Willi syndrom",
        region="syddanmark",
        codes=(("icd-10", "DQ871"), ("icpc-2", "P85")),
        responsible="Odense Kommune",
        grouping="lav-eller-asymmetrisk-vaekst",
        relevant_parts=("4.1.1",),
    )


@pytest.fixture
def draft(generic_model):
    """Never published; its owner is a member."""
    return catalogue_program(
        title="Hemmeligt udkast om Angelman",
        codes=(("icd-10", "DQ935"),),
        responsible="Aalborg Kommune",
        publish=False,
    )


NAMES = {"Fragilt X-syndrom": "fragile_x", "Prader-Willi syndrom": "prader_willi"}


def found(client, **params) -> set[str]:
    return {NAMES.get(t, t) for t in titles(client, **params)}


def test_anyone_sees_every_published_program_and_no_draft(client, fragile_x, prader_willi, draft):
    soup = page(client)
    assert found(client) == {"fragile_x", "prader_willi"}
    assert "Angelman" not in soup.get_text()
    assert soup.find(id="result-count").get_text(strip=True) == "2 programmer"


def test_a_row_links_to_the_public_page_and_shows_the_published_version(client, fragile_x):
    row = page(client).find(id="catalogue-table").find("tbody").find("tr")
    assert row.find("a")["href"] == f"/p/{fragile_x.code}/"
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[0] == "Region Nordjylland"
    assert cells[1] == "Offentliggjort"
    assert cells[2].startswith("1.0, ")
    assert "ICD-10 DQ992 (Q99.2)" in cells[3] and "ORPHA:908" in cells[3]
    # No link to the program's working page for someone who is not a member.
    assert reverse("programs:detail", args=[fragile_x.code]) not in str(row)


def test_the_published_title_is_shown_after_the_draft_was_renamed(client, fragile_x):
    Program.objects.filter(pk=fragile_x.pk).update(
        title="Nyt arbejdsnavn", status=ProgramStatus.DRAFT
    )
    html = page(client).get_text()
    assert "Fragilt X-syndrom" in html and "Nyt arbejdsnavn" not in html
    assert titles(client, q="arbejdsnavn") == []


def test_the_newest_published_version_is_the_one_listed(client, fragile_x):
    Program.objects.filter(pk=fragile_x.pk).update(title="Fragilt X, anden udgave")
    published_version(Program.objects.get(pk=fragile_x.pk), major=False)
    row = page(client).find(id="catalogue-table").find("tbody").find("tr")
    assert row.find("th").get_text(strip=True) == "Fragilt X, anden udgave"
    assert row.find_all("td")[2].get_text(strip=True).startswith("1.1, ")


def test_members_also_see_their_own_drafts(client, fragile_x, draft):
    client.force_login(draft.created_by)
    assert found(client) == {"fragile_x", draft.title}
    link = page(client).find("a", string=draft.title)
    assert link["href"] == reverse("programs:detail", args=[draft.code])
    assert "Ikke offentliggjort" in page(client).get_text()
    # Others, signed in or not, do not.
    client.force_login(UserFactory())
    assert found(client) == {"fragile_x"}


def test_a_member_of_a_published_program_sees_it_once_with_both_links(client, fragile_x):
    member = fragile_x.created_by
    client.force_login(member)
    Program.objects.filter(pk=fragile_x.pk).update(title="Omdøbt udkast")
    assert titles(client) == ["Fragilt X-syndrom"]
    # Found by what the draft says too, since the member may read it; shown as published.
    assert titles(client, q="Omdøbt") == ["Fragilt X-syndrom"]
    row = page(client).find(id="catalogue-table").find("tbody").find("th")
    hrefs = [a["href"] for a in row.find_all("a")]
    assert hrefs == [f"/p/{fragile_x.code}/", reverse("programs:detail", args=[fragile_x.code])]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"region": "syddanmark"}, {"prader_willi"}),
        ({"region": "hovedstaden"}, set()),
        ({"status": "published"}, {"fragile_x", "prader_willi"}),
        ({"status": "draft"}, set()),
        ({"maalgruppe": "udviklingshaemning"}, {"fragile_x"}),
        ({"livsfase": "graviditet"}, {"prader_willi"}),
        ({"livsfase": "ungdom"}, {"fragile_x"}),
        ({"livsfase": "aeldre"}, set()),
        ({"region": "nordjylland", "livsfase": "barndom", "q": "fragilt"}, {"fragile_x"}),
        ({"region": "syddanmark", "maalgruppe": "udviklingshaemning"}, set()),
    ],
    ids=lambda value: (
        "&".join(f"{k}={v}" for k, v in value.items())
        if isinstance(value, dict)
        else "+".join(sorted(value)) or "none"
    ),
)
def test_filters(client, fragile_x, prader_willi, params, expected):
    assert found(client, **params) == expected


def test_the_status_filter_reads_the_programs_status(client, fragile_x, prader_willi):
    """A published program whose next version is being written is found as a draft, and
    still listed with its published version."""
    Program.objects.filter(pk=fragile_x.pk).update(status=ProgramStatus.DRAFT)
    assert found(client, status="draft") == {"fragile_x"}
    assert found(client, status="published") == {"prader_willi"}


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Q99.2", {"fragile_x"}),  # WHO form of the stored DQ992
        ("q99.2", {"fragile_x"}),
        ("DQ992", {"fragile_x"}),
        ("dq 99.2", {"fragile_x"}),
        ("Q87.1", {"prader_willi"}),  # finds the program coded DQ871
        ("DQ871", {"prader_willi"}),
        ("ORPHA:908", {"fragile_x"}),
        ("orpha 908", {"fragile_x"}),
        ("Orpha-908", {"fragile_x"}),
        ("300624", {"fragile_x"}),  # OMIM
        ("OMIM 300624", {"fragile_x"}),
        ("p85", {"prader_willi"}),  # ICPC-2
        ("Q87.2", set()),
        ("ORPHA:90", set()),  # a code is matched whole, not as the start of another
    ],
)
def test_a_diagnosis_code_is_found_in_any_spelling(
    client, fragile_x, prader_willi, typed, expected
):
    assert found(client, q=typed) == expected


def test_the_search_finds_titles(client, fragile_x, prader_willi):
    assert found(client, q="prader") == {"prader_willi"}


@pytest.mark.parametrize("field", ["q", "aktoer"])
def test_programs_in_which_an_actor_has_a_responsibility(client, fragile_x, prader_willi, field):
    assert found(client, **{field: "Aalborg Kommune"}) == {"fragile_x"}
    assert found(client, **{field: "odense kommune"}) == {"prader_willi"}
    assert found(client, **{field: "Hjørring Kommune"}) == set()


def test_an_actor_only_listed_has_no_responsibility(client, generic_model):
    """An actor the program lists but gives no task is not found by the actor filter."""
    from pathways.programs.models import ProgramActor

    program = catalogue_program(title="Uden ansvar", publish=False)
    ProgramActor.objects.create(program=program, name="Aalborg Kommune", position=1, ref="a1")
    published_version(program)
    assert titles(client, aktoer="Aalborg Kommune") == []


def test_members_drafts_are_matched_by_what_they_say_now(client, fragile_x, draft):
    client.force_login(draft.created_by)
    assert found(client, q="Q93.5") == {draft.title}  # the draft's DQ935
    assert found(client, q="angelman") == {draft.title}
    assert found(client, aktoer="Aalborg Kommune") == {"fragile_x", draft.title}
    assert found(client, region="nordjylland", status="draft") == {draft.title}
    # The draft has no part judged irrelevant: every life phase.
    assert found(client, livsfase="graviditet") == {draft.title}
    assert found(client, maalgruppe="udviklingshaemning") == {"fragile_x"}


def test_a_members_draft_without_the_phase_is_not_found_by_it(client, generic_model):
    owner = UserFactory()
    program = catalogue_program(
        title="Kun graviditet", owner=owner, relevant_parts=("4.1.1",), publish=False
    )
    client.force_login(owner)
    assert titles(client, livsfase="graviditet") == [program.title]
    assert titles(client, livsfase="aeldre") == []


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"region": "atlantis"}, "region", "Regionen “atlantis” findes ikke"),
        ({"status": "bogus"}, "status", "Status “bogus” findes ikke"),
        ({"maalgruppe": "x"}, "maalgruppe", "Målgruppen “x” findes ikke"),
        ({"livsfase": "alderdom"}, "livsfase", "Livsfasen “alderdom” findes ikke"),
        ({"q": "x" * 201}, "q", "højst"),
        ({"aktoer": "a\x00b"}, "aktoer", "Null"),
    ],
    ids=["region", "status", "maalgruppe", "livsfase", "q-too-long", "nul-character"],
)
def test_a_tampered_filter_is_named_at_its_field_and_left_out(
    client, fragile_x, prader_willi, params, field, message
):
    params = {"region": "syddanmark", **params}
    soup = page(client, **params)
    error = soup.find(id=f"id_{field}-error")
    assert error is not None and message.lower() in error.get_text().lower()
    assert soup.find(id=f"id_{field}")["aria-invalid"] == "true"
    # The valid filters still apply.
    if field != "region":
        assert found(client, **params) == {"prader_willi"}


def test_a_page_number_that_is_not_a_page_gives_a_page(client, fragile_x):
    for number in ("abc", "0", "999", "-1"):
        assert titles(client, page=number) == ["Fragilt X-syndrom"]


def test_the_catalogue_reads_in_english(client, fragile_x):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    soup = page(client, livsfase="nope")
    text = soup.get_text(" ", strip=True)
    assert "Catalogue of pathway programmes" in text
    assert "1 programme" in text
    assert "Actor with a responsibility" in text
    assert "Published" in text
    assert "The life phase “nope” is not in the generic model" in text


def test_no_match_says_so(client, fragile_x):
    soup = page(client, q="findes ikke")
    assert soup.find(id="no-matches") is not None
    assert soup.find(id="result-count").get_text(strip=True) == "0 programmer"


def test_membership_in_another_role_also_counts(client, fragile_x, draft):
    reader = UserFactory()
    Membership.objects.create(program=draft, user=reader, role=Role.READER)
    client.force_login(reader)
    assert draft.title in titles(client)


def test_the_published_demo_program_is_in_the_catalogue(client, demo_program):
    """`make start` publishes the example through the real workflow: the catalogue lists
    it at once, and a search for one of its codes in WHO form finds it."""
    import yaml

    from pathways.review.demo_publication import publish_demo_program
    from tests.conftest import DEMO_FILE

    publication = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["publication"]
    publish_demo_program(demo_program, publication)
    assert titles(client, q="Q87.1", aktoer="Aalborg Kommune") == [demo_program.title]
