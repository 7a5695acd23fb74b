"""A planner pastes a list from Word into a long text field: it is stored as typed and read
as a list wherever answers are shown; the preview beside the field shows the same HTML."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from pathways.formatted_text import render
from pathways.programs.formatting import PREVIEW_MAX_CHARS
from pathways.programs.models import Membership, Program, ProgramStatus, Role
from pathways.review.models import Comment
from tests.factories import ProgramFactory, UserFactory, published_version
from tests.programs.helpers import post_step

pytestmark = pytest.mark.django_db

PASTED = "Kommunen sørger for:\n•\tHjælpemidler\n•\tAflastning i hjemmet\n\n**Vigtigt:** se [SST](https://www.sst.dk)"
ITEMS = ["Hjælpemidler", "Aflastning i hjemmet"]


def step_url(program, key="grundlag"):
    return reverse("programs:step", args=[program.code, key])


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def dd_of(page: BeautifulSoup, label: str):
    dt = next(dt for dt in page.find_all("dt") if dt.get_text(strip=True) == label)
    return dt.find_next_sibling("dd")


def list_items(element) -> list[str]:
    return [li.get_text(strip=True) for li in element.select("ul > li")]


@pytest.fixture
def editor(generic_model):
    return UserFactory()


@pytest.fixture
def program(editor) -> Program:
    """A program whose purpose the editor pasted from Word, through the step form."""
    program = ProgramFactory(owner=editor, title="Sjældne bindevævssygdomme")
    client = Client()
    client.force_login(editor)
    response = post_step(client, step_url(program), {"basis-purpose": PASTED})
    assert response.status_code == 302
    return Program.objects.get(pk=program.pk)


def test_the_text_is_stored_exactly_as_typed(program):
    assert program.purpose == PASTED


def test_the_reading_view_shows_a_pasted_word_list_as_a_list(client, program):
    reader = UserFactory()
    Membership.objects.create(program=program, user=reader, role=Role.READER)
    client.force_login(reader)
    page = soup(client.get(step_url(program)))
    assert "Læsevisning" in page.get_text()
    purpose = dd_of(page, "Formål")
    assert list_items(purpose) == ITEMS
    assert purpose.strong.get_text() == "Vigtigt:"
    assert purpose.a["href"] == "https://www.sst.dk"
    assert purpose.a["rel"] == ["noopener", "noreferrer"]
    # A value that is no long text (the title) is shown as it is, not as Markdown.
    assert dd_of(page, "Titel").get_text(strip=True) == "Sjældne bindevævssygdomme"


def test_the_review_screen_shows_a_pasted_word_list_as_a_list(client, editor, program):
    client.force_login(editor)
    page = soup(client.get(reverse("programs:review", args=[program.code])))
    assert list_items(dd_of(page, "Formål")) == ITEMS


def test_a_published_version_shows_the_list(client, editor, program):
    version = published_version(program, change_note="Første version")
    client.force_login(editor)
    page = soup(client.get(reverse("versions:detail", args=[program.code, version.number])))
    assert list_items(dd_of(page, "Formål")) == ITEMS


def test_hostile_text_is_shown_as_typed_and_never_run(client, editor, program):
    hostile = '<script>alert(1)</script><img src=x onerror="alert(1)"> [x](javascript:alert(1))'
    Program.objects.filter(pk=program.pk).update(purpose=hostile)
    client.force_login(editor)
    page = soup(client.get(reverse("programs:review", args=[program.code])))
    purpose = dd_of(page, "Formål")
    assert not purpose.find_all(["script", "img", "a"], href=lambda h: h and "javascript" in h)
    assert not purpose.find("img") and not purpose.find("script")
    assert "<script>alert(1)</script>" in purpose.get_text()


def test_comments_show_their_lists(client, editor, program):
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.IN_REVIEW)
    Comment.objects.create(
        program=program, step_key="grundlag", author=editor, body="Mangler:\n•\tA\n•\tB"
    )
    client.force_login(editor)
    page = soup(client.get(step_url(program)))
    assert list_items(page.select_one("article.comment")) == ["A", "B"]


@pytest.mark.parametrize(
    ("language", "link_text", "help_title"),
    [
        ("da", "Formatering: lister, fed, links (åbner i nyt faneblad)", "Formatering af tekst"),
        ("en", "Formatting: lists, bold, links (opens in a new tab)", "Formatting text"),
    ],
)
def test_each_long_text_field_links_the_formatting_help(
    client, editor, program, language, link_text, help_title
):
    client.cookies["django_language"] = language
    client.force_login(editor)
    page = soup(client.get(step_url(program)))
    area = page.find("textarea", attrs={"name": "basis-purpose"})
    assert area.has_attr("data-formatted")
    help_line = page.find(id=f"{area['id']}-formatting")
    assert help_line["data-for"] == area["id"]
    assert help_line["data-preview-url"] == reverse("formatting_preview")
    assert help_line.a.get_text() == link_text
    assert help_line.a["href"] == reverse("formatting_help")
    # Every text area of the step has it, and the one-line title has none.
    assert len(page.select("textarea[data-formatted]")) == len(page.select("p.formatting-help"))
    assert not page.find(id="id_basis-title-formatting")

    help_page = soup(client.get(help_line.a["href"]))
    assert help_page.h1.get_text() == help_title
    word_example = next(
        row for row in help_page.select("tbody tr") if "\t" in row.find("pre").get_text()
    )
    top = word_example.select_one("td .formatted-text > ul")
    assert len(top.find_all("li", recursive=False)) == 2
    assert len(top.li.find_next_sibling("li").select("ul > li")) == 1  # the sub-item


def preview(client: Client, text: str, **headers):
    return client.post(reverse("formatting_preview"), {"text": text}, **headers)


def test_the_preview_returns_the_same_html_as_every_output(client, editor):
    client.force_login(editor)
    response = preview(client, PASTED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.content.decode() == str(render(PASTED))
    assert "<li>Hjælpemidler</li>" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_the_preview_needs_a_login_a_csrf_token_and_a_post(editor):
    anonymous = Client()
    response = preview(anonymous, "x")
    assert response.status_code == 302 and reverse("login") in response.url

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert preview(strict, "x").status_code == 403
    page = strict.get(reverse("programs:list"))
    token = strict.cookies["csrftoken"].value
    assert page.status_code == 200
    assert preview(strict, "**x**", HTTP_X_CSRFTOKEN=token).content == b"<p><strong>x</strong></p>"

    assert strict.get(reverse("formatting_preview")).status_code == 405


def test_the_preview_refuses_an_oversized_text(client, editor):
    client.force_login(editor)
    assert preview(client, "a" * PREVIEW_MAX_CHARS).status_code == 200
    assert preview(client, "a" * (PREVIEW_MAX_CHARS + 1)).status_code == 413
