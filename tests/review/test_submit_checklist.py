"""Before pressing "Send i høring" the planner sees what it needs, on the program page and
on the review screen; the review screen offers the button itself."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse

from pathways.programs.models import Membership, Program, ProgramStatus, Role
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def checklist(html: str) -> list[tuple[str, str]]:
    """(met/unmet, text) of each requirement as listed."""
    soup = BeautifulSoup(html, "html.parser")
    found = soup.find(id="review-checklist")
    assert found is not None, "no checklist"
    return [
        ("met" if "met" in li["class"] else "unmet", " ".join(li.get_text(" ").split()))
        for li in found.find_all("li")
    ]


def editor_of(program):
    return Membership.objects.filter(program=program, role=Role.EDITOR).first().user


def test_a_new_program_lists_what_is_missing_with_a_link(client, generic_model):
    editor = UserFactory()
    program = ProgramFactory(owner=editor)
    client.force_login(editor)
    html = client.get(reverse("programs:detail", args=[program.code])).content.decode()
    items = checklist(html)
    assert [state for state, _ in items] == ["unmet"]
    assert "Intet mangler i trinene (" in items[0][1]
    soup = BeautifulSoup(html, "html.parser")
    links = [a["href"] for a in soup.find(id="review-checklist").find_all("a")]
    assert links == [reverse("programs:review", args=[program.code]) + "#completeness"]
    # The button opens the form; with gaps left, the form sends the planner to the gaps.
    start = soup.find(id="submit-for-review")["href"]
    response = client.get(start, follow=True)
    assert response.redirect_chain[-1][0] == reverse("programs:review", args=[program.code])
    assert "kan ikke sendes i høring, før intet mangler" in response.content.decode()


def test_the_demo_is_sent_from_the_review_screen_through_the_round_form(client, demo_program):
    editor = editor_of(demo_program)
    client.force_login(editor)
    review_url = reverse("programs:review", args=[demo_program.code])
    html = client.get(review_url).content.decode()
    assert [s for s, _ in checklist(html)] == ["met"]
    soup = BeautifulSoup(html, "html.parser")
    start = soup.find(id="submit-for-review")["href"]
    assert start == reverse("review:submit", args=[demo_program.code])
    form = BeautifulSoup(client.get(start).content, "html.parser").find(id="start-round-form")
    deadline = form.find("input", attrs={"name": "deadline"})["value"]  # four weeks, filled in
    client.post(form["action"], {"deadline": deadline, "cover_letter": "Se især 4.3."})
    program = Program.objects.get(pk=demo_program.pk)
    assert program.status == ProgramStatus.IN_REVIEW
    review_round = program.review_rounds.get()
    assert review_round.cover_letter == "Se især 4.3."
    assert review_round.deadline.isoformat() == deadline


def test_the_checklist_reads_in_english(client, demo_program):
    client.force_login(editor_of(demo_program))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("programs:detail", args=[demo_program.code])).content.decode()
    texts = [text for _, text in checklist(html)]
    assert "Before the program can be sent for review:" in html
    assert texts == ["✓ Done: Nothing is missing in the steps"]


def test_readers_and_reviewers_see_no_checklist(client, demo_program):
    reviewer = Membership.objects.filter(program=demo_program, role=Role.REVIEWER).first().user
    client.force_login(reviewer)
    for url in (
        reverse("programs:detail", args=[demo_program.code]),
        reverse("programs:review", args=[demo_program.code]),
    ):
        assert 'id="review-checklist"' not in client.get(url).content.decode()
