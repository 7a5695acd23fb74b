"""The part step's transitions as a planner uses them, in Danish and in English: several
actors ticked by keyboard, the checklist, a transition of the group's own pasted from Word,
an untouched save that changes nothing, and Back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from pathways.programs.models import AuditEntry, OwnTransition, StepRevision, TransitionAnswer
from tests.e2e.test_accessibility_e2e import open_as, visit

pytestmark = pytest.mark.django_db(transaction=True)

STEP = "del-4-3"
# What Word puts on the clipboard: Windows line ends, curly quotes, a non-breaking space,
# an en dash and a tab.
WORD = "Overlevering “samlet” til\u00a0voksenafdeling – med plan\r\n\tpunkt 2\r\nSlut"


def _shot(page, name: str) -> None:
    """Screenshots for a person to look at: set SCREENSHOT_DIR to keep them."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=False)


@pytest.mark.parametrize("language", ["da", "en"])
def test_a_planner_works_the_transitions_by_keyboard_and_paste(
    browser: Browser,
    live_server,
    demo,
    language,
):
    page = open_as(browser, live_server, "planlaegger", language)
    url = f"/programmer/{demo.code}/trin/{STEP}/"

    # An untouched save changes nothing: no new revision, no log entry.
    visit(page, url)
    revision = StepRevision.objects.get(program=demo, step_key=STEP).number
    entries = AuditEntry.objects.filter(program=demo).count()
    with page.expect_navigation():
        page.locator(".sticky-actions button[name=save]").click()
    assert StepRevision.objects.get(program=demo, step_key=STEP).number == revision
    assert AuditEntry.objects.filter(program=demo).count() == entries

    # Keyboard: tick a second receiving actor of the first transition with Space.
    transition = page.locator("fieldset[id^=transition-]").first
    transition_pk = int(transition.get_attribute("id").rsplit("-", 1)[1])
    # Each transition and its list of actors are folded to one line: open both.
    page.locator(f"details:has(> #transition-{transition_pk}) > summary").click()
    transition.locator(f"#div_id_transition-{transition_pk}-receiving summary").click()
    boxes = transition.locator("input[type=checkbox][name$='-receiving']")
    unticked = next(i for i in range(boxes.count()) if not boxes.nth(i).is_checked())
    boxes.nth(unticked).focus()
    page.keyboard.press("Space")
    expect(boxes.nth(unticked)).to_be_checked()

    # A transition of the group's own, its handover pasted from Word.
    page.locator("#own-transitions details[data-fold=new] > summary").click()  # folded
    page.locator("#id_own-0-title").fill("Fra STU til beskæftigelse")
    handover = page.locator("#id_own-0-handover")
    handover.focus()
    page.keyboard.insert_text(WORD)  # as a paste inserts it: one input, all characters
    expect(handover).to_have_value(WORD.replace("\r\n", "\n"))
    _shot(page, f"part-step-{language}")
    with page.expect_navigation():
        page.locator(".sticky-actions button[name=save]").click()
    expect(page.locator(".alert-success")).to_be_visible()

    answer = TransitionAnswer.objects.get(program=demo, transition_id=transition_pk)
    assert answer.receivers.count() >= 2
    own = OwnTransition.objects.get(program=demo, title="Fra STU til beskæftigelse")
    assert own.handover == WORD.replace("\r\n", "\n")  # every character kept, line ends "\n"

    # Back returns to the step as it was before the save, with nothing lost on reload.
    page.go_back()
    page.reload()
    expect(page.locator("input[name$='-title'][value='Fra STU til beskæftigelse']")).to_have_count(
        1
    )
