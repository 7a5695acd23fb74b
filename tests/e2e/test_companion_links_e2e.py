"""In Chromium, by keyboard: a planner reads what Socialstyrelsen says beside the model,
picks a coordination tool as the part's "how", registers a need without an offer, saves
with Enter, and finds both on the review screen, in Danish and in English."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from pathways.programs.models import OfferGap, PartCoordinationTool
from tests.e2e.browsing import log_in

pytestmark = pytest.mark.django_db(transaction=True)

HEADINGS = {
    "da": ("Hvad de ledsagende referencer siger", "Koordineringsværktøjer"),
    "en": ("What the companion references say", "Coordination tools"),
}


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_tool_and_a_need_without_an_offer_by_keyboard(
    browser: Browser, live_server, demo, language
):
    context = browser.new_context(base_url=live_server.url, reduced_motion="reduce")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, "planlaegger", language)
    guidance, tools = HEADINGS[language]

    page.goto(f"/programmer/{demo.code}/trin/del-4-4/")
    expect(page.locator("#companion-guidance-heading")).to_have_text(guidance)
    expect(page.locator("#coordination-tools-heading")).to_have_text(tools)
    # The guidance folds open from the keyboard.
    summary = page.locator(".companion-guidance summary").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".companion-guidance details").first).to_have_attribute("open", "")

    # The tools fold open from the keyboard; the empty row after the demo's netværksmøde:
    # type to choose, as a keyboard user does.
    page.locator("#coordination-tools summary").focus()
    page.keyboard.press("Enter")
    row = page.locator("#coordination-tools fieldset").last
    row.locator("select[name$='-tool']").focus()
    page.keyboard.type("Handleplan")
    row.locator("select[name$='-responsible']").focus()
    page.keyboard.type("Koordinerende")
    row.locator("textarea[name$='-note']").fill("Årligt, før skoleåret")
    page.locator(".sticky-actions button[name=save]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # 4.4 names no offers, so it has no gap register; 4.9.1 has.
    page.goto(f"/programmer/{demo.code}/trin/del-4-9-1/")
    page.locator("#offer-gaps summary").click()
    need = page.locator("#offer-gaps fieldset").last.locator("input[name$='-need']")
    need.fill("Mestringskursus for søskende over 12 år")
    page.locator("#offer-gaps fieldset").last.locator("select[name$='-phase']").select_option(
        "ungdom"
    )
    with page.expect_navigation():
        need.press("Enter")  # the form's default button is "Gem"

    tool = PartCoordinationTool.objects.filter(program=demo, section__number="4.4").last()
    assert (tool.tool.key, tool.responsible.name, tool.note) == (
        "handleplan",
        "Koordinerende sagsbehandler, handicapområdet i bopælskommunen",
        "Årligt, før skoleåret",
    )
    gap = OfferGap.objects.get(program=demo, need="Mestringskursus for søskende over 12 år")
    assert gap.phase == "ungdom"

    # The step shows the saved need; the review screen lists both.
    page.goto(f"/programmer/{demo.code}/trin/del-4-9-1/")
    expect(page.locator("#offer-gaps summary")).to_contain_text("2")
    expect(page.locator("#offer-gaps input[name$='-need']").nth(1)).to_have_value(
        "Mestringskursus for søskende over 12 år"
    )
    page.goto(f"/programmer/{demo.code}/gennemgang/")
    main = page.locator("main")
    expect(main).to_contain_text("Mestringskursus for søskende over 12 år")
    expect(main).to_contain_text(tool.tool.title)
    context.close()
