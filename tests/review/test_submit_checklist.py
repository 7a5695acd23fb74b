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


def test_a_new_program_lists_both_requirements_unmet_with_links(client, generic_model):
    editor = UserFactory()
    program = ProgramFactory(owner=editor)
    client.force_login(editor)
    html = client.get(reverse("programs:detail", args=[program.code])).content.decode()
    items = checklist(html)
    assert [state for state, _ in items] == ["unmet", "unmet"]
    assert "Intet mangler i trinene (" in items[0][1]
    assert "Inviter mindst én høringspart (0 inviteret)" in items[1][1]
    soup = BeautifulSoup(html, "html.parser")
    links = [a["href"] for a in soup.find(id="review-checklist").find_all("a")]
    assert links == [
        reverse("programs:review", args=[program.code]) + "#completeness",
        reverse("programs:members", args=[program.code]),
    ]


def test_the_demo_needs_only_a_reviewer_then_is_sent_from_the_review_screen(client, demo_program):
    editor = editor_of(demo_program)
    Membership.objects.filter(program=demo_program, role=Role.REVIEWER).delete()
    client.force_login(editor)
    review_url = reverse("programs:review", args=[demo_program.code])
    assert [s for s, _ in checklist(client.get(review_url).content.decode())] == [
        "met",
        "unmet",
    ]
    Membership.objects.create(program=demo_program, user=UserFactory(), role=Role.REVIEWER)
    html = client.get(review_url).content.decode()
    assert [s for s, _ in checklist(html)] == ["met", "met"]
    soup = BeautifulSoup(html, "html.parser")
    button = soup.find("button", id="submit-for-review")
    form = button.find_parent("form")
    assert form["action"] == reverse("review:submit", args=[demo_program.code])
    client.post(form["action"])
    assert Program.objects.get(pk=demo_program.pk).status == ProgramStatus.IN_REVIEW


def test_the_checklist_reads_in_english(client, demo_program):
    client.force_login(editor_of(demo_program))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("programs:detail", args=[demo_program.code])).content.decode()
    texts = [text for _, text in checklist(html)]
    assert "Before the program can be sent for review:" in html
    assert texts[0] == "✓ Done: Nothing is missing in the steps"
    assert texts[1].startswith("✓ Done: Invite at least one consultation party (")


def test_readers_and_reviewers_see_no_checklist(client, demo_program):
    reviewer = Membership.objects.filter(program=demo_program, role=Role.REVIEWER).first().user
    client.force_login(reviewer)
    for url in (
        reverse("programs:detail", args=[demo_program.code]),
        reverse("programs:review", args=[demo_program.code]),
    ):
        assert 'id="review-checklist"' not in client.get(url).content.decode()
