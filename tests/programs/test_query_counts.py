"""Page query counts stay the same however large the program or the list is."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ProgramFactory, UserFactory, small_program

pytestmark = pytest.mark.django_db

# Each +4 for issue 14: the companion references (one query) and the three lists a
# program draws from them (coordination tools, offers, needs without an offer); each +1 for
# issue 16: whether the program is built on another (its local items, derivation/).
STEP_BUDGET = 37
REVIEW_BUDGET = 35
LIST_BUDGET = 8


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "step_key", ["grundlag", "maalgruppe", "aktoerer", "del-4-4", "implementering", "opfoelgning"]
)
def test_step_page_queries_do_not_grow_with_the_program(client, demo_program, step_key):
    small_one = small_program(owner=demo_program.created_by)
    client.force_login(demo_program.created_by)
    small = count_queries(client, reverse("programs:step", args=[small_one.code, step_key]))
    large = count_queries(client, reverse("programs:step", args=[demo_program.code, step_key]))
    assert large == small
    assert large <= STEP_BUDGET


def test_review_queries_do_not_grow_with_the_program(client, demo_program):
    small_one = small_program(owner=demo_program.created_by)
    client.force_login(demo_program.created_by)
    small = count_queries(client, reverse("programs:review", args=[small_one.code]))
    large = count_queries(client, reverse("programs:review", args=[demo_program.code]))
    assert large == small <= REVIEW_BUDGET


def test_list_queries_do_not_grow_with_the_number_of_programs(client, generic_model):
    owner = UserFactory()
    ProgramFactory(owner=owner)
    client.force_login(owner)
    one = count_queries(client, reverse("programs:list"))
    for _ in range(6):
        ProgramFactory(owner=owner)
    many = count_queries(client, reverse("programs:list"))
    assert many == one <= LIST_BUDGET
