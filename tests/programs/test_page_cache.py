"""Kept step pages and review screens (programs/page_cache.py): fast, and never stale.

The whole suite runs with PAGE_CACHE_VERIFY, which renders every kept page afresh and
compares; these tests check what a person sees around it, with the check off where it
would hide the difference (query counts, the check itself).
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pathways.programs import page_cache, regions
from pathways.programs.models import AttentionPointAnswer, Membership, Program, Role
from tests.factories import ProgramFactory, UserFactory
from tests.programs.helpers import form_fields, post_step

pytestmark = pytest.mark.django_db

KEPT_PAGE_BUDGET = 6  # session, user, program, membership, tokens: no program content
PURPOSE = "basis-purpose"


def member(program: Program, role: str, username: str | None = None):
    memberships = Membership.objects.filter(program=program, role=role).select_related("user")
    if username:
        memberships = memberships.filter(user__username=username)
    return memberships.first().user


def step_url(program: Program, key: str = "grundlag") -> str:
    return reverse("programs:step", args=[program.code, key])


def queries_of(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def without_tokens(html: str) -> str:
    """The page with its CSRF tokens (masked afresh for every request) taken out."""
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("url_of", [step_url, lambda p: reverse("programs:review", args=[p.code])])
def test_a_page_seen_again_is_served_kept_without_reading_the_program(
    client, demo_program, settings, url_of
):
    settings.PAGE_CACHE_VERIFY = False  # it would render the page again to compare
    client.force_login(demo_program.created_by)
    url = url_of(demo_program)
    first_count, first = queries_of(client, url)
    kept_count, kept = queries_of(client, url)
    assert kept_count <= KEPT_PAGE_BUDGET < first_count
    assert without_tokens(kept) == without_tokens(first)


def test_a_colleagues_save_shows_at_once_on_a_page_kept_for_me(demo_program):
    me, colleague = Client(), Client()
    me.force_login(member(demo_program, Role.EDITOR, "planlaegger"))
    colleague.force_login(member(demo_program, Role.EDITOR, "medredaktoer"))
    url = step_url(demo_program)
    me.get(url)
    me.get(url)  # kept now
    post_step(colleague, url, {PURPOSE: "Skrevet af kollegaen"})
    assert form_fields(me.get(url).content.decode())[PURPOSE] == "Skrevet af kollegaen"


def test_the_kept_form_carries_each_sessions_own_token_so_it_saves(demo_program):
    """Two browsers of the same person: the second is served the page the first had
    rendered, and its save is accepted (a token from the other session would be a 403)."""
    editor = member(demo_program, Role.EDITOR, "planlaegger")
    laptop, phone = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    laptop.force_login(editor)
    phone.force_login(editor)
    url = step_url(demo_program)
    laptop.get(url)
    fields = form_fields(phone.get(url).content.decode())
    response = phone.post(url, {**fields, PURPOSE: "Fra telefonen", "save": "1"})
    assert response.status_code == 302
    assert Program.objects.get(pk=demo_program.pk).purpose == "Fra telefonen"


def test_a_reader_and_an_editor_each_get_their_own_page(client, demo_program):
    reader = UserFactory()
    Membership.objects.create(program=demo_program, user=reader, role=Role.READER)
    url = step_url(demo_program)
    client.force_login(demo_program.created_by)
    client.get(url)
    client.force_login(reader)
    page = client.get(url).content.decode()
    assert "Læsevisning" in page and 'name="revision"' not in page


def test_danish_and_english_are_kept_apart(client, demo_program):
    client.force_login(demo_program.created_by)
    url = step_url(demo_program)
    client.get(url, headers={"accept-language": "da"})
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "Save and continue" in english and "Gem og fortsæt" not in english


def test_a_page_kept_on_new_years_eve_shows_the_sundhedsraad_on_new_years_day(
    client, generic_model, monkeypatch
):
    """The suggested approving bodies depend on the day when the program names no start
    date: a page kept in 2026 is not served in 2027."""
    monkeypatch.setattr(regions, "today", lambda: datetime.date(2026, 12, 31))
    planner = UserFactory()
    program = ProgramFactory(owner=planner, region="nordjylland", on=datetime.date(2026, 12, 1))
    client.force_login(planner)
    url = step_url(program)
    assert "Sundhedsråd Limfjorden" not in client.get(url).content.decode()
    monkeypatch.setattr(regions, "today", lambda: datetime.date(2027, 1, 1))
    assert '<option value="Sundhedsråd Limfjorden">' in client.get(url).content.decode()


def test_text_a_refused_comment_carried_comes_back_on_a_kept_page(client, demo_program):
    client.force_login(demo_program.created_by)
    url = step_url(demo_program)
    client.get(url)
    client.get(url)  # kept
    refused = client.post(
        reverse("review:comment_add", args=[demo_program.code, "grundlag"]),
        {"body": "x" * 5_001},
    )
    assert refused.status_code == 302
    assert "x" * 5_001 in client.get(refused.url).content.decode()


def test_the_check_finds_a_page_a_write_did_not_renew(client, demo_program):
    """The suite's safety net can fail: a row changed past the services and signals."""
    client.force_login(demo_program.created_by)
    url = step_url(demo_program, "del-4-4")
    client.get(url)
    AttentionPointAnswer.objects.filter(program=demo_program).update(answer="")
    with pytest.raises(AssertionError, match="stale"):
        client.get(url)


def test_a_process_keeps_a_bounded_number_of_pages(monkeypatch):
    monkeypatch.setattr(page_cache, "MAX_PAGES", 3)
    kept = page_cache._Kept()
    for n in range(5):
        kept.put(("page", n), page_cache.Page(content="x", title="", layout=""))
    assert kept.get(("page", 0)) is None and kept.get(("page", 4)) is not None
    monkeypatch.setattr(page_cache, "MAX_CHARACTERS", 10)
    kept.put(("big", 1), page_cache.Page(content="y" * 8, title="", layout=""))
    kept.put(("big", 2), page_cache.Page(content="z" * 8, title="", layout=""))
    assert kept.get(("big", 1)) is None and kept.get(("big", 2)) is not None
