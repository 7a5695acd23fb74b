"""Short pages, in Chromium at 1280×900: a part step with everything folded fits in two
screens, points open and "Næste ubesvarede" works by keyboard, the actor picker filters,
adds and removes by keyboard and the save stores exactly the chosen actors, and the review
screen is a summary whose steps expand. axe finds nothing on the folded and opened pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from pathways.programs.data import load_program_data
from pathways.programs.models import AttentionPointAnswer, PartAnswer
from pathways.programs.page_cache import content_changed
from pathways.programs.steps import find_step
from tests.e2e.test_accessibility_e2e import Audit, open_as, visit

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH, HEIGHT = 1280, 900
STEP = "del-4-4"  # the largest part step: six transitions, two points


def _open(browser: Browser, live_server, language: str = "da") -> Page:
    page = open_as(browser, live_server, "planlaegger", language)
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def _height(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollHeight")


def _focused(page: Page, expression: str):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_folded_part_step_fits_in_two_screens_and_axe_finds_nothing(
    browser: Browser, live_server, demo, language
):
    page = _open(browser, live_server, language)
    audit = Audit()
    base = f"/programmer/{demo.code}"
    for step in (STEP, "del-4-6"):
        visit(page, f"{base}/trin/{step}/")
        page.locator("#close-all").click()
        expect(page.locator("details[data-fold][open]")).to_have_count(0)
        height = _height(page)
        print(f"{step} ({language}) folded: {height} px")
        assert height <= 2 * HEIGHT, f"{step}: {height} px with everything folded"
        audit.check(page, f"{step} folded")

    # Everything open, an actor list open and filtered: still no violations.
    visit(page, f"{base}/trin/{STEP}/")
    page.locator("#open-all").click()
    picker = page.locator("#div_id_part-collaborating")
    picker.locator("summary").click()
    picker.locator("input[type=search]").fill("a")
    print(f"{STEP} ({language}) all open: {_height(page)} px")
    audit.check(page, f"{STEP} opened, with a filtered actor list")

    visit(page, f"{base}/gennemgang/")
    page.locator("#review-del-4-4 > summary").click()
    audit.check(page, "review screen with a step opened")
    audit.assert_clean()


def test_points_open_in_place_and_next_unanswered_works_by_keyboard(
    browser: Browser, live_server, demo
):
    data = load_program_data(demo)
    first, second = data.points_for(find_step(data.steps, STEP))
    AttentionPointAnswer.objects.filter(program=demo, attention_point__in=[first, second]).update(
        status="", answer=""
    )
    page = _open(browser, live_server)
    url = f"/programmer/{demo.code}/trin/{STEP}/"
    visit(page, url)
    fold_1 = page.locator(f"details:has(> #point-{first.pk})")
    fold_2 = page.locator(f"details:has(> #point-{second.pk})")
    for fold in (fold_1, fold_2):
        expect(fold).not_to_have_attribute("open", re.compile(".*"))
        expect(fold.locator("summary .fold-status")).to_have_text("mangler")

    # A point opens and closes in place with Enter on its one line.
    fold_2.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(fold_2).to_have_attribute("open", "")
    page.keyboard.press("Enter")
    expect(fold_2).not_to_have_attribute("open", re.compile(".*"))

    # "Næste ubesvarede" opens the next unanswered point after the one last worked on (here
    # round to the first) with focus on its first field.
    page.locator("#next-unanswered").focus()
    page.keyboard.press("Enter")
    expect(fold_1).to_have_attribute("open", "")
    assert _focused(page, "el.name") == f"point-{first.pk}-status"
    page.keyboard.press("Space")  # the first status: Håndteret
    page.keyboard.press("Tab")
    assert _focused(page, "el.name") == f"point-{first.pk}-answer"
    page.keyboard.type("Koordinator i kommunen sender viden videre.")
    expect(fold_1.locator("summary .fold-status")).to_have_text("besvaret")

    page.locator("#next-unanswered").focus()
    page.keyboard.press("Enter")
    expect(fold_2).to_have_attribute("open", "")
    assert _focused(page, "el.name") == f"point-{second.pk}-status"
    page.keyboard.press("ArrowDown")  # Tilpasset lokalt
    page.keyboard.press("Tab")
    page.keyboard.type("Rådgivning fra sygehuset efter aftale.")
    expect(fold_2.locator("summary .fold-status")).to_have_text("besvaret")

    page.locator("#next-unanswered").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#fold-announcer")).to_have_text("Alt på siden er besvaret.")

    page.locator(".sticky-actions button[name=save]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    stored = AttentionPointAnswer.objects.filter(program=demo, attention_point__in=[first, second])
    answers = {a.attention_point_id: a for a in stored}
    assert answers[first.pk].status == "addressed" and answers[first.pk].is_answered
    assert answers[second.pk].status == "adapted" and answers[second.pk].is_answered

    # A link to a folded point's field opens it: the gap link, and an address with a hash.
    AttentionPointAnswer.objects.filter(program=demo, attention_point=second).update(answer="")
    content_changed(demo.pk)  # written past the services, which renew kept pages
    visit(page, url)
    expect(fold_2).not_to_have_attribute("open", re.compile(".*"))
    page.locator(".gaps a", has_text=second.title).click()
    expect(fold_2).to_have_attribute("open", "")
    expect(page.locator(f"#id_point-{second.pk}-answer")).to_be_visible()
    visit(page, f"/programmer/{demo.code}/")
    visit(page, f"{url}#id_point-{first.pk}-answer")  # a new page load with the hash
    expect(page.locator(f"#id_point-{first.pk}-answer")).to_be_visible()


def test_the_actor_picker_filters_adds_and_removes_by_keyboard_and_saves_exactly_those(
    browser: Browser, live_server, demo
):
    answer = PartAnswer.objects.get(program=demo, section__number="4.4")
    before = {a.pk: a.name for a in answer.collaborating.all()}
    removed_pk, removed = next(iter(before.items()))
    added = next(a for a in demo.actors.order_by("-position") if a.pk not in before)
    page = _open(browser, live_server)
    visit(page, f"/programmer/{demo.code}/trin/{STEP}/")

    page.locator("details[data-fold=part] > summary").focus()
    page.keyboard.press("Enter")
    picker = page.locator("#div_id_part-collaborating")
    tokens = picker.locator("button.actor-token")
    expect(tokens).to_have_count(len(before))
    expect(picker.get_by_role("button", name=f"Fjern {removed}")).to_be_visible()
    expect(picker.locator("fieldset.actor-group legend", has_text="Sygehus")).to_have_count(1)

    # Open the list, type to filter, Enter to the first actor shown, Space to choose it.
    picker.locator("summary").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert _focused(page, "el.type") == "search"
    page.keyboard.type(added.name)
    shown = picker.locator(".form-check:visible")
    expect(shown).to_have_count(1)
    expect(shown).to_contain_text(added.name)
    page.keyboard.press("Enter")  # moves to the actor; never submits the step
    assert _focused(page, "el.value") == str(added.pk)
    page.keyboard.press("Space")
    expect(picker.get_by_role("button", name=f"Fjern {added.name}")).to_be_visible()
    expect(tokens).to_have_count(len(before) + 1)

    # Remove one by its token: focus moves to the next token, the box is unticked.
    picker.get_by_role("button", name=f"Fjern {removed}").focus()
    page.keyboard.press("Enter")
    expect(picker.get_by_role("button", name=f"Fjern {removed}")).to_have_count(0)
    expect(picker.locator(f"input[value='{removed_pk}']")).not_to_be_checked()
    assert _focused(page, "el.className").startswith("btn btn-sm actor-token")
    expect(page.locator("#actor-picker-announcer")).to_have_text(f"{removed} er fjernet.")

    page.locator(".sticky-actions button[name=save]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_be_visible()
    answer.refresh_from_db()
    expected = (set(before) - {removed_pk}) | {added.pk}
    assert set(answer.collaborating.values_list("pk", flat=True)) == expected


def test_the_review_screen_is_a_summary_whose_steps_expand(browser: Browser, live_server, demo):
    page = _open(browser, live_server)
    visit(page, f"/programmer/{demo.code}/gennemgang/")
    steps = page.locator("#review-steps details.review-summary")
    expect(steps).to_have_count(21)
    folded = _height(page)
    print(f"review folded: {folded} px")
    assert folded <= 2 * HEIGHT

    step = page.locator("#review-del-4-4")
    expect(step.locator(":scope > summary")).to_contain_text("færdig")
    expect(step.locator(":scope > summary")).to_contain_text("0 mangler")
    expect(step.locator(".review-item").first).not_to_be_visible()
    step.locator(":scope > summary").focus()
    page.keyboard.press("Enter")
    expect(step.locator(".review-item").first).to_be_visible()
    assert _height(page) > folded + HEIGHT  # the step's full content, in place
    print(f"review with 4.4 open: {_height(page)} px")

    # "Redigér" lands on the field, its folded block opened.
    edit = step.locator(".review-item a[href$='#id_part-effort']")
    edit.click()
    expect(page).to_have_url(re.compile("/trin/del-4-4/#id_part-effort$"))
    expect(page.locator("details[data-fold=part]")).to_have_attribute("open", "")
    expect(page.locator("#id_part-effort")).to_be_visible()
