"""The program page answers in the same number of queries however large the program and
however many versions it has; its version list comes in pages (?versioner=N, bookmarkable)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pathways.programs.views import VERSIONS_PAGE_SIZE
from tests.factories import published_version, small_program
from tests.programs.test_query_counts import count_queries

pytestmark = pytest.mark.django_db

PROGRAM_PAGE_BUDGET = 34


def test_program_page_queries_do_not_grow_with_the_program(client, demo_program):
    small_one = small_program(owner=demo_program.created_by)
    client.force_login(demo_program.created_by)
    small = count_queries(client, reverse("programs:detail", args=[small_one.code]))
    large = count_queries(client, reverse("programs:detail", args=[demo_program.code]))
    assert large == small <= PROGRAM_PAGE_BUDGET


def _version_links(html: str) -> list[str]:
    listed = html.split('id="version-list"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r">Version (\d+\.\d+)</a>", listed)


def test_versions_come_in_pages_with_the_same_queries_on_the_first_and_last(client, generic_model):
    from tests.factories import UserFactory

    owner = UserFactory()
    program = small_program(owner=owner)
    for _ in range(VERSIONS_PAGE_SIZE + 2):
        published_version(program, major=False)
    client.force_login(owner)
    url = reverse("programs:detail", args=[program.code])

    first = client.get(url).content.decode()
    assert _version_links(first) == [f"1.{n}" for n in range(11, 1, -1)]
    assert "Gældende:</strong> <a" in first.split('id="version-list"', 1)[1]
    # The navigation keeps the list's place on the page, and the diff form every version.
    assert 'href="?versioner=2#versions-heading"' in first
    assert first.count('<option value="1.0"') == 2  # "fra" and "til"

    last = client.get(url, {"versioner": 2}).content.decode()
    assert _version_links(last) == ["1.1", "1.0"]
    assert "Gældende:" not in last.split('id="version-list"', 1)[1].split("</ul>", 1)[0]
    assert 'aria-current="page"' in last

    assert count_queries(client, url) == count_queries(client, f"{url}?versioner=2")
    assert client.get(url, {"versioner": "x"}).status_code == 200  # nonsense: the first page
