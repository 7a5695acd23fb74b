"""Nothing a planner types is lost, tried in a real browser: a plain "Gem" on every step in
both languages changes nothing; two editors' saves merge field by field; leaving a step
with unsaved text warns and offers the text back; a long paste is never cut."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from pathways.programs.data import load_program_data
from pathways.programs.models import AuditEntry, Program
from pathways.programs.step_kinds import read_values
from pathways.programs.steps import StepKind
from tests.e2e.browsing import log_in

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = {"da": "Ingen ændringer at gemme.", "en": "No changes to save."}


def stored_state(program: Program) -> dict:
    data = load_program_data(Program.objects.get(pk=program.pk))
    return {
        "values": {s.key: read_values(s, data) for s in data.steps if s.kind != StepKind.REVIEW},
        "revisions": {key: r.number for key, r in data.revisions.items()},
        "audit": AuditEntry.objects.filter(program=program).count(),
    }


def save_button(page: Page):
    return page.locator(".sticky-actions button[name=save]")


def step_url(program: Program, key: str) -> str:
    return f"/programmer/{program.code}/trin/{key}/"


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_plain_save_on_every_step_changes_nothing(page: Page, demo, language):
    log_in(page, "planlaegger", language)
    before = stored_state(demo)
    steps = [s for s in load_program_data(demo).steps if s.kind != StepKind.REVIEW]
    for step in steps:
        page.goto(step_url(demo, step.key))
        # Date inputs must show their stored value, whatever the interface language.
        for date_input in page.locator("input[type=date]").all():
            name = date_input.get_attribute("name")
            assert date_input.input_value() == before["values"][step.key][name], name
        with page.expect_navigation():
            save_button(page).click()
        expect(page.locator("[role=status]")).to_contain_text(SAVED[language])
        assert stored_state(demo) == before, f"a plain save changed step {step.key}"


def test_two_editors_on_one_step_merge_by_field_and_conflict_only_on_the_same_field(
    browser: Browser, live_server, demo
):
    anne = browser.new_context(base_url=live_server.url).new_page()
    bo = browser.new_context(base_url=live_server.url).new_page()
    log_in(anne, "planlaegger")
    log_in(bo, "medredaktoer")
    url = step_url(demo, "grundlag")

    # Different fields: both kept, no conflict page.
    anne.goto(url)
    bo.goto(url)
    anne.locator("#id_basis-approving_body").fill("Sundhedsråd Nordjylland")
    save_button(anne).click()
    expect(anne.locator("[role=status]")).to_contain_text("Trinnet er gemt.")
    bo.locator("#id_basis-purpose").fill("Bos nye formål")
    save_button(bo).click()
    expect(bo.locator("[role=status]")).to_contain_text("bevaret")
    expect(bo.locator("#conflict")).to_have_count(0)
    program = Program.objects.get(pk=demo.pk)
    assert (program.approving_body, program.purpose) == (
        "Sundhedsråd Nordjylland",
        "Bos nye formål",
    )

    # The same field: a conflict that shows Anne's text; deciding it touches nothing else.
    anne.goto(url)
    bo.goto(url)
    anne.locator("#id_basis-purpose").fill("Annes formål")
    save_button(anne).click()
    expect(anne.locator("[role=status]")).to_contain_text("Trinnet er gemt.")
    bo.locator("#id_basis-purpose").fill("Bos formål igen")
    save_button(bo).click()
    conflict = bo.locator("#conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator(".conflict-theirs")).to_have_text("Annes formål")
    expect(conflict.locator(".conflict-mine")).to_have_text("Bos formål igen")
    expect(conflict.locator(".conflict-field")).to_have_count(1)
    conflict.get_by_role("button", name="Gem med mine valg").click()
    expect(bo.locator("[role=status]")).to_contain_text("Trinnet er gemt.")
    program = Program.objects.get(pk=demo.pk)
    assert (program.purpose, program.approving_body) == (
        "Bos formål igen",
        "Sundhedsråd Nordjylland",
    )
    anne.context.close()
    bo.context.close()


def test_leaving_a_step_with_unsaved_text_warns_and_offers_the_text_back(page: Page, demo):
    log_in(page, "planlaegger")
    url = step_url(demo, "grundlag")
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.accept()  # the planner leaves anyway

    page.on("dialog", on_dialog)
    leave_by = {
        "top navigation": lambda: page.locator("header nav a[href='/programmer/']").click(),
        "program title": lambda: page.locator("main form p a").first.click(),
        "reload": lambda: page.reload(),
        "browser back": lambda: page.go_back(),
    }
    for way, leave in leave_by.items():
        page.goto(url)
        text = f"Skrevet før: {way}"
        field = page.locator("#id_basis-purpose")
        field.click()
        field.press("Control+a")
        field.press_sequentially(text)
        dialogs.clear()
        leave()
        page.wait_for_load_state()
        assert dialogs == ["beforeunload"], way
        page.goto(url)
        notice = page.locator("#draft-notice")
        expect(notice).to_be_visible()
        notice.get_by_role("button", name="Hent mine ændringer").click()
        expect(page.locator("#id_basis-purpose")).to_have_value(text)
        # Saved now: the copy in the browser is gone and nothing is offered again.
        with page.expect_navigation():
            save_button(page).click()
        expect(page.locator("#draft-notice")).to_have_count(0)
        assert Program.objects.get(pk=demo.pk).purpose == text

    # Closing the tab: the browser asks too, and the text is offered in a new tab.
    page.goto(url)
    field = page.locator("#id_basis-purpose")
    field.click()
    field.press_sequentially(" – lukket fane")
    dialogs.clear()
    page.close(run_before_unload=True)
    page.wait_for_event("close")
    assert dialogs == ["beforeunload"]
    again = page.context.new_page()
    again.goto(url)
    again.locator("#draft-notice").get_by_role("button", name="Hent mine ændringer").click()
    expect(again.locator("#id_basis-purpose")).to_have_value(re.compile("lukket fane$"))


def test_a_long_paste_is_kept_whole_and_refused_at_the_field(page: Page, demo):
    log_in(page, "planlaegger")
    page.goto(step_url(demo, "grundlag"))
    purpose = page.locator("#id_basis-purpose")
    limit = int(purpose.get_attribute("data-maxlength"))
    long_text = "Koordinering på tværs af sektorer. " * (limit // 35 + 40)
    purpose.fill(long_text)
    counter = page.locator("#id_basis-purpose-counter")
    expect(counter).to_be_visible()
    expect(counter).to_contain_text("for meget")
    assert purpose.input_value() == long_text  # not cut by the browser
    save_button(page).click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_basis-purpose")).to_have_value(long_text)
    assert Program.objects.get(pk=demo.pk).purpose != long_text
