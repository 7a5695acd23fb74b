"""A planner pastes a Word list into a long text field and sees it as a list in the preview
below the field, in both languages; after saving, the reading view shows the same list."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pathways.programs.models import Membership, Program, Role
from tests.e2e.browsing import log_in
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASTED = "Kommunen sørger for:\n•\tHjælpemidler\n•\tAflastning"
TEXTS = {
    "da": {
        "show": "Vis forhåndsvisning",
        "hide": "Skjul forhåndsvisning",
        "region": "Forhåndsvisning",
    },
    "en": {"show": "Show preview", "hide": "Hide preview", "region": "Preview"},
}


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_pasted_word_list_shows_as_a_list_in_the_preview(page: Page, loaded_model, language):
    editor = UserFactory(username="planner")
    program = ProgramFactory(owner=editor)
    log_in(page, "planner", language)
    page.goto(f"/programmer/{program.code}/trin/grundlag/")
    texts = TEXTS[language]

    area = page.locator("#id_basis-purpose")
    area.click()
    page.keyboard.insert_text(PASTED)  # as a paste: one insertion, tabs and all

    toggle = page.get_by_role("button", name=texts["show"]).first
    expect(toggle).to_have_attribute("aria-controls", "id_basis-purpose-preview")
    toggle.click()
    preview = page.get_by_role("region", name=texts["region"])
    expect(preview.get_by_role("listitem")).to_have_text(["Hjælpemidler", "Aflastning"])
    expect(preview.locator("p")).to_have_text("Kommunen sørger for:")
    expect(page.get_by_role("button", name=texts["hide"])).to_have_attribute(
        "aria-expanded", "true"
    )

    # It follows the typing: a third item, and bold text.
    area.press("End")
    page.keyboard.insert_text("\n•\tTransport\n\n**Vigtigt**")
    expect(preview.get_by_role("listitem")).to_have_text(
        ["Hjælpemidler", "Aflastning", "Transport"]
    )
    expect(preview.locator("strong")).to_have_text("Vigtigt")

    # Saved as typed, and read as the same list.
    with page.expect_navigation():
        page.locator(".sticky-actions button[name=save]").click()
    stored = Program.objects.get(pk=program.pk).purpose
    assert stored == PASTED + "\n•\tTransport\n\n**Vigtigt**"
    reader = UserFactory(username="reader")
    Membership.objects.create(program=program, user=reader, role=Role.READER)
    page.context.clear_cookies()
    log_in(page, "reader", language)
    page.goto(f"/programmer/{program.code}/trin/grundlag/")
    expect(page.locator(".review-item .formatted-text li")).to_have_text(
        ["Hjælpemidler", "Aflastning", "Transport"]
    )
