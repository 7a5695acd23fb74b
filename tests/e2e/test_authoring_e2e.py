"""A planner writes a whole program in the browser, and sees what is missing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ACTOR_SELECTS = (
    "select[name$='-responsible'], select[name$='-conference_convener'], "
    "select[name$='-conference_follow_up'], "
    "select[name$='-patient_responsible_doctor'], "
    "select[name$='-municipal_coordinator']"
)


def log_in(page: Page, username: str) -> None:
    page.goto("/konto/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", name="Mine forløbsprogrammer")).to_be_visible()


def create_program(page: Page, title: str) -> None:
    page.get_by_role("link", name="Nyt program").click()
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Region").select_option("nordjylland")
    page.get_by_role("button", name="Opret program").click()
    expect(page.get_by_role("heading", name=re.compile("Trin 1"))).to_be_visible()


def answer_everything_on_this_step(page: Page) -> None:
    """What a diligent planner does: every question answered, every point addressed."""
    if page.locator("#open-all").count():
        page.locator("#open-all").click()  # points and transitions are folded to one line
    for radio in page.locator(
        "input[type=radio][value=yes], input[type=radio][value=addressed]"
    ).all():
        radio.check()
    # (not the empty rows for a transition or part of the group's own, nor the rows of
    # tools, offers and needs drawn from the companion references: they stay empty; nor a
    # reason for departing from advice: a diligent planner follows it)
    for area in page.locator(
        "form.step-form textarea:not([name^='own']):not([name^='departure'])"
        ":not([name^='tools']):not([name^='offers']):not([name^='offer_gaps'])"
    ).all():
        if not area.input_value():
            area.fill("Aftalt i arbejdsgruppen: ansvar, koordinering og vidensdeling.")
    for select in page.locator(ACTOR_SELECTS).all():
        if (select.get_attribute("name") or "").startswith(("own", "tools")):
            continue  # an empty row of the group's own parts, or of tools, stays empty
        if select.locator("option").count() > 1:  # no actors yet before step 4
            select.select_option(index=1)
    for transition in page.locator("fieldset[id^=transition-]").all():
        for picker in transition.locator("details.actor-choices").all():
            if picker.get_attribute("open") is None:
                picker.locator("summary").click()  # the list of actors to choose from
        for side in ("sending", "receiving"):  # several may be ticked; one will do here
            boxes = transition.locator(f"input[type=checkbox][name$='-{side}']")
            if boxes.count():
                boxes.first.check()


def choose_option_containing(page: Page, selector: str, text: str) -> None:
    select = page.locator(selector)
    label = select.locator("option", has_text=text).first.text_content()
    select.select_option(label=label)


def save_and_continue(page: Page) -> None:
    page.get_by_role("button", name="Gem og fortsæt").click()
    expect(page.locator(".alert-success")).to_contain_text("Trinnet er gemt")


def test_new_planner_writes_a_program_to_100_percent(page: Page, loaded_model):
    UserFactory(username="nyplanner")
    log_in(page, "nyplanner")
    create_program(page, "Sjældne sygdomme med overvækst")

    # 1 Basis and working group.
    page.get_by_label("Formål").fill("Ensartede forløb for børn og voksne med overvækst.")
    page.locator("#id_wg-0-name").fill("Lene Dahl")
    page.locator("#id_wg-0-sector").select_option("municipality")
    page.locator("#id_wg-1-name").fill("Per Sørensen")
    page.locator("#id_wg-1-sector").select_option("patient_organisation")
    save_and_continue(page)

    # 2 Criteria and needs.
    answer_everything_on_this_step(page)
    save_and_continue(page)

    # 3 Target group, with a malformed code first: the message names the problem.
    page.locator("#id_target-grouping").select_option(index=7)
    choose_option_containing(page, "#id_codes-0-system", "ICD-10")
    page.locator("#id_codes-0-code").fill("Q-87")
    answer_everything_on_this_step(page)
    page.get_by_role("button", name="Gem og fortsæt").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_codes-0-code_error")).to_contain_text(
        "'Q-87' er ikke en gyldig ICD-10-kode"
    )
    expect(page.locator("#error-summary")).to_contain_text("'Q-87' er ikke en gyldig")
    expect(page.locator("#id_target-inclusion")).not_to_have_value("")  # nothing lost
    page.locator("#id_codes-0-code").fill("DQ87.3")
    save_and_continue(page)

    # 4 Actors from the catalogue, then their key roles.
    for row, label in enumerate(["Pædiatrisk", "Klinisk genetisk", "Kommunal sygepleje"]):
        choose_option_containing(page, f"#id_actors-{row}-actor_type", label)
    page.get_by_role("button", name="Gem", exact=True).click()
    answer_everything_on_this_step(page)
    save_and_continue(page)

    # 5–21 the pathway as a whole, every part of the pathway, implementation and follow-up.
    while not page.get_by_role("heading", name="Gennemgang").is_visible():
        answer_everything_on_this_step(page)
        for field in page.locator("input[type=date]").all():
            field.fill("2027-09-01")
        for box in page.locator("input[type=checkbox][name$='data_sources']").all():
            box.check()
        save_and_continue(page)

    expect(page.locator("#review-coverage")).to_contain_text("100 %")
    expect(page.locator("#complete-message")).to_be_visible()


def test_a_left_out_answer_is_listed_as_missing_with_a_link_to_it(page: Page, loaded_model):
    UserFactory(username="planner2")
    log_in(page, "planner2")
    create_program(page, "Sjældne bindevævssygdomme")
    page.locator("nav.side-menu").get_by_role("button", name=re.compile("4.2 Overgang")).click()
    answer_everything_on_this_step(page)
    last_point = page.locator("fieldset.attention-point-answer").last
    last_point.locator("textarea").first.fill("")
    save_and_continue(page)

    page.locator("nav.side-menu").get_by_role("button", name=re.compile("Gennemgang")).click()
    missing = page.locator("#missing-list")
    gap = missing.get_by_role("link", name=re.compile(r"4\.2\/4 .* mangler programmets svar"))
    expect(gap).to_be_visible()
    gap.click()
    expect(page).to_have_url(re.compile(r"/trin/del-4-2/#point-\d+$"))


def test_keyboard_users_reach_the_skip_link_first(page: Page, loaded_model):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Spring til indhold"
