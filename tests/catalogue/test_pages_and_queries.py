"""The catalogue and "Mine programmer" come in pages of 25 that keep the search, with the
same number of queries for 3 programs as for 30."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from pathways.catalogue.models import CatalogueEntry
from tests.catalogue.builders import catalogue_program
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def soup_of(client, url, **params) -> BeautifulSoup:
    response = client.get(url, params)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def published(count: int, *, start: int = 0, region: str = "nordjylland", owner=None):
    return [
        catalogue_program(
            title=f"Program {n:03}",
            region=region,
            owner=owner,
            codes=(("icd-10", "DQ871"),),
            responsible="Aalborg Kommune",
        )
        for n in range(start, start + count)
    ]


def test_the_catalogue_pages_keep_the_search(client, generic_model):
    published(27)
    catalogue_program(title="Program i Syddanmark", region="syddanmark")
    soup = soup_of(client, "/katalog/", region="nordjylland", q="Q87.1")
    assert len(soup.select("#catalogue-table tbody tr")) == 25
    assert "27 programmer · side 1 af 2" in soup.find(id="result-count").get_text(" ", strip=True)
    nav = soup.find("nav", attrs={"aria-label": "Sider"})
    current = nav.find("a", attrs={"aria-current": "page"})
    assert current.get_text(" ", strip=True) == "Side 1"
    following = nav.find("a", rel="next")["href"]
    assert "region=nordjylland" in following and "q=Q87.1" in following
    assert "page=2" in following
    second = soup_of(client, "/katalog/" + following)
    titles = [th.get_text(strip=True) for th in second.select("#catalogue-table tbody th")]
    assert titles == ["Program 025", "Program 026"]
    assert second.find("a", rel="prev")["href"].count("region=nordjylland") == 1


def test_one_page_has_no_page_navigation(client, generic_model):
    published(2)
    assert soup_of(client, "/katalog/").find("nav", attrs={"aria-label": "Sider"}) is None


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "Q87.1", "region": "nordjylland", "livsfase": "ungdom", "aktoer": "Aalborg"},
        {"page": "2"},
    ],
    ids=["list", "search", "page-2"],
)
def test_the_catalogue_needs_the_same_queries_for_3_programs_as_for_30(
    client, generic_model, django_assert_num_queries, params
):
    owner = UserFactory()
    published(2, owner=owner)
    catalogue_program(title="Program udkast 0", owner=owner, publish=False)
    client.force_login(owner)
    few_signed_in = _count(client, params)
    client.logout()
    few = _count(client, params)

    published(26, start=2, owner=owner)
    catalogue_program(title="Program udkast 1", owner=owner, publish=False)
    assert CatalogueEntry.objects.count() == 28
    with django_assert_num_queries(few):
        assert client.get("/katalog/", params).status_code == 200
    client.force_login(owner)
    with django_assert_num_queries(few_signed_in):
        assert client.get("/katalog/", params).status_code == 200
    # Signed in: the session, the user, the person's memberships, the page's draft codes
    # and (filtering a member's drafts by life phase) the model's parts.
    assert few <= 6 and few_signed_in <= few + 5


def _count(client, params) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/katalog/", params).status_code == 200
    return len(ctx.captured_queries)


def test_my_programs_come_in_pages_that_keep_the_filters(client, generic_model):
    owner = UserFactory()
    for n in range(27):
        ProgramFactory(owner=owner, title=f"Mit program {n:02}")
    ProgramFactory(owner=owner, title="Andet", region="syddanmark")
    client.force_login(owner)
    url = reverse("programs:list")
    soup = soup_of(client, url, region="nordjylland")
    assert len(soup.select("#program-table tbody tr")) == 25
    assert "27 programmer · side 1 af 2" in soup.find(id="program-count").get_text(" ", strip=True)
    following = soup.find("nav", attrs={"aria-label": "Sider"}).find("a", rel="next")["href"]
    assert "region=nordjylland" in following
    second = soup_of(client, url + following)
    assert len(second.select("#program-table tbody tr")) == 2
    assert "Andet" not in second.get_text()


def test_my_programs_need_the_same_queries_for_3_programs_as_for_30(
    client, generic_model, django_assert_num_queries
):
    owner = UserFactory()
    for _ in range(3):
        ProgramFactory(owner=owner)
    client.force_login(owner)
    few = _count_url(client, reverse("programs:list"))
    for _ in range(27):
        ProgramFactory(owner=owner)
    with django_assert_num_queries(few):
        assert client.get(reverse("programs:list")).status_code == 200


def _count_url(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)
