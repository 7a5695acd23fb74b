"""Writing a step by keyboard alone, in a 900-pixel-high Chromium window.

Enter in a one-line field saves and stays on the step; the skip link lands on the step's
first field; the focused element is never outside the window nor under the sticky "Gem"
bar (checked after every key press); every "Mangler i dette trin" link puts focus on its
field; every field has a name of its own, without the asterisk of a required field.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from pathways.programs.models import AttentionPointAnswer, PartAnswer, Program, ProgramActor
from tests.factories import PASSWORD, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Waits until a focus scroll has come to rest (Bootstrap scrolls smoothly), then says where
# the focused element is: outside the window, or under the sticky bar.
WHERE_IS_FOCUS = """async () => {
    let last = -1, still = 0;
    for (let i = 0; i < 120 && still < 3; i++) {
        await new Promise(resolve => requestAnimationFrame(resolve));
        still = scrollY === last ? still + 1 : 0;
        last = scrollY;
    }
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const r = el.getBoundingClientRect();
    const problems = [];
    if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth)
        problems.push('not fully in the window');
    const bar = document.querySelector('.sticky-actions');
    if (bar && !bar.contains(el)) {
        const b = bar.getBoundingClientRect();
        if (r.left < b.right && r.right > b.left && r.top < b.bottom && r.bottom > b.top)
            problems.push('under the sticky bar');
    }
    return {
        what: `${el.tagName}#${el.id} ${el.name || el.textContent.trim().slice(0, 40)}`,
        problems: problems.join(', '),
        top: Math.round(r.top), bottom: Math.round(r.bottom),
    };
}"""


# Whether focus is on the summary of a closed fold that holds `selector`.
OPENS_TO = """s => {
    const el = document.activeElement;
    const fold = el && el.matches('details > summary') ? el.parentElement : null;
    return !!fold && !fold.open && !!fold.querySelector(s);
}"""


class Keyboard:
    """Presses keys like a person at the keyboard, and checks the focus after each one."""

    def __init__(self, page: Page, *, check_focus: bool = True) -> None:
        self.page = page
        self.stops = 0
        # (Off without JavaScript: the check waits on animation frames, which then never come.)
        self.check_focus = check_focus

    def press(self, key: str) -> dict | None:
        self.page.keyboard.press(key)
        return self.check()

    def check(self) -> dict | None:
        self.stops += 1
        if not self.check_focus:
            return None
        where = self.page.evaluate(WHERE_IS_FOCUS)
        assert not (where and where["problems"]), f"focus {where}"
        return where

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def focused(self, selector: str) -> bool:
        return self.page.evaluate("s => document.activeElement.matches(s)", selector)

    def to(self, selector: str, key: str = "Tab", limit: int = 300) -> None:
        """Tab (or Shift+Tab) until `selector` has focus, opening with Enter a folded block
        (folding.js) whose summary is reached and which holds the field, as a person
        looking for it would."""
        for _ in range(limit):
            self.press(key)
            if self.focused(selector):
                return
            if self.page.evaluate(OPENS_TO, selector):
                self.press("Enter")
        raise AssertionError(f"{selector} not reached with {limit} × {key}")

    def through_the_whole_page(self) -> int:
        """Tab from the top until focus comes round again; every stop is checked."""
        self.page.evaluate("document.activeElement && document.activeElement.blur()")
        self.press("Tab")
        first = self.page.evaluate("document.activeElement.outerHTML")
        for count in range(1, 2000):
            self.press("Tab")
            if self.page.evaluate("document.activeElement.outerHTML") == first:
                return count
        raise AssertionError("focus never came round")

    def enter_stays(self, url: str, said: str = "Trinnet er gemt") -> None:
        """Enter submits the form; the answer is the same step, saved."""
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        assert urlsplit(self.page.url).path == url, f"Enter left the step for {self.page.url}"
        expect(self.page.locator(".alert-success")).to_contain_text(said)


@pytest.fixture
def writer(loaded_model):
    return UserFactory(username="tastatur")


@pytest.fixture
def program(writer):
    program = ProgramFactory(owner=writer, title="Skrevet med tastaturet")
    # One actor, so that the actor fields have something to choose with the arrow keys.
    ProgramActor.objects.create(program=program, name="Børneafdelingen", position=1, ref="a1")
    return program


@pytest.fixture
def window(browser: Browser, live_server, writer):
    context = browser.new_context(
        base_url=live_server.url, locale="da-DK", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/konto/login/")
    page.get_by_label("Brugernavn").fill(writer.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", name="Mine forløbsprogrammer")).to_be_visible()
    yield page
    context.close()


def step_path(program: Program, key: str) -> str:
    return f"/programmer/{program.code}/trin/{key}/"


def test_implementation_step_is_written_by_keyboard_and_enter_never_leaves_it(window, program):
    # The implementation step (4.10; step 19 when the issue was written, 20 since "Forløbet
    # som helhed" came before the parts), with "Aftaler og forum" and "Startdato", which hid
    # under the bar.
    url = step_path(program, "implementering")
    window.goto(url)
    keys = Keyboard(window)
    keys.press("Tab")
    assert keys.focused(".skip-link")
    keys.press("Enter")  # the skip link: straight to the step's first field
    assert keys.focused("#id_implementation-agreements_forum")
    keys.type("Sundhedsaftalen; samordningsudvalget følger op.")
    keys.to("#id_implementation-dissemination")
    keys.type("Undervisning af alle afdelinger.")
    keys.to("#id_implementation-start_date")
    keys.type("09092027")  # the same in day-month and month-day order
    keys.enter_stays(url)  # Enter in a one-line field: saved, on the same step
    program.refresh_from_db()
    assert program.agreements_forum == "Sundhedsaftalen; samordningsudvalget følger op."
    assert program.start_date == datetime.date(2027, 9, 9)

    # Enter in the same field again, nothing changed: nothing to save, still here.
    keys.press("Tab")
    keys.press("Enter")
    keys.to("#id_implementation-start_date")
    keys.enter_stays(url, said="Ingen ændringer at gemme")

    keys.to("input[type=radio][name$='-status']")
    keys.press("Space")  # "Håndteret"
    keys.to("textarea[name$='-answer']")
    keys.type("Aftalt i arbejdsgruppen.")
    keys.to("select[name$='-responsible']")
    keys.press("ArrowDown")  # the program's actor
    keys.to(".sticky-actions button[name=save]")
    keys.enter_stays(url)
    answer = AttentionPointAnswer.objects.get(program=program, status="addressed")
    assert answer.answer == "Aftalt i arbejdsgruppen."
    assert answer.responsible.name == "Børneafdelingen"

    assert keys.through_the_whole_page() > 20


def test_part_step_is_written_by_keyboard_and_enter_never_leaves_it(window, program):
    url = step_path(program, "del-4-1-2")
    window.goto(url)
    keys = Keyboard(window)
    keys.press("Tab")
    keys.press("Enter")  # the skip link: on the summary of the step's first, folded block
    assert keys.focused("details > summary")
    keys.to("#id_part-relevance_0")  # Enter opens the block, Tab enters it
    keys.press("Space")  # "Ja, relevant for målgruppen"
    keys.to("#id_part-effort")
    keys.type("Udredning hos børnelæge.")
    keys.to("#id_part-responsible")
    keys.press("ArrowDown")
    keys.to("input[type=checkbox][name='part-collaborating']")
    keys.press("Space")
    keys.to("#id_part-coordination")
    keys.type("Fælles konference.")
    keys.to("input[type=radio][name$='-status']")
    keys.press("ArrowDown")  # moves to and chooses "Tilpasset lokalt"
    keys.to("textarea[name$='-answer']")
    keys.type("Lokalt tilpasset.")
    keys.to("#id_own-0-title")  # a one-line field; left empty, the row is ignored
    keys.enter_stays(url)

    part = PartAnswer.objects.get(program=program)
    assert (part.relevance, part.effort, part.coordination) == (
        "yes",
        "Udredning hos børnelæge.",
        "Fælles konference.",
    )
    assert part.responsible.name == "Børneafdelingen"
    assert [a.name for a in part.collaborating.all()] == ["Børneafdelingen"]
    assert AttentionPointAnswer.objects.get(program=program).status == "adapted"
    assert keys.through_the_whole_page() > 20


def test_skip_link_lands_on_the_first_field_before_the_step_menu(window, program):
    keys = Keyboard(window)
    for key, first in [
        ("grundlag", "#id_basis-title"),
        ("aktoerer", "#id_actors-0-actor_type"),
        # A part step's blocks are folded: the first block's summary (Enter opens it).
        ("del-4-4", "details:has(#id_part-relevance_0) > summary"),
        ("opfoelgning", "#id_follow_up-how_and_when"),
    ]:
        window.goto(step_path(program, key))
        keys.press("Tab")
        keys.press("Enter")
        assert keys.focused(first), key
        # The 22 step buttons come after the step's own fields and its "Gem" bar.
        order = window.evaluate(
            """() => [document.querySelector('#step-fields'),
                      document.querySelector('.sticky-actions'),
                      document.querySelector('button[name=goto]')]
                .map(el => Array.from(document.querySelectorAll('*')).indexOf(el))"""
        )
        assert order == sorted(order), key


def test_without_javascript_the_skip_link_and_enter_work_too(
    browser: Browser, live_server, program
):
    context = browser.new_context(
        base_url=live_server.url,
        locale="da-DK",
        viewport={"width": 1280, "height": 900},
        java_script_enabled=False,
    )
    page = context.new_page()
    page.goto("/konto/login/")
    page.get_by_label("Brugernavn").fill("tastatur")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    url = step_path(program, "maalgruppe")
    page.goto(url)
    keys = Keyboard(page, check_focus=False)
    keys.press("Tab")
    keys.press("Enter")
    keys.press("Tab")  # one Tab after the skip link (the step menu comes after the fields)
    assert keys.focused("#id_target-grouping")
    keys.to("#id_codes-0-system")
    keys.press("ArrowDown")  # ICD-10
    keys.press("Tab")
    keys.type("dg71.2")  # lower case, with the WHO dot: normalised, not refused
    keys.enter_stays(url)
    assert list(program.diagnosis_codes.values_list("code", flat=True)) == ["DG712"]
    context.close()


def gap_link_lands(page: Page, link) -> None:
    target = link.get_attribute("href")[1:]
    text = link.text_content()
    link.click()
    landed = page.evaluate(
        """id => {
            const el = document.activeElement;
            const target = document.getElementById(id) || document.getElementById(id + '_0');
            return {
                field: el.matches('input:not([type=hidden]), select, textarea'),
                named: !!target && (target === el || target.contains(el)),
                what: el.tagName + '#' + el.id,
            };
        }""",
        target,
    )
    assert landed["field"] and landed["named"], f"{text} (#{target}): focus on {landed['what']}"
    Keyboard(page).check()


def test_every_gap_link_on_every_step_focuses_its_field(window, writer):
    program = ProgramFactory(owner=writer, title="Tomt program")
    window.goto(step_path(program, "grundlag"))
    steps = window.locator("button[name=goto]").evaluate_all("els => els.map(e => e.value)")
    followed = 0
    for key in steps:
        if key == "gennemgang":
            continue
        window.goto(step_path(program, key))
        links = window.locator(".gaps a, .advice a")
        for i in range(links.count()):
            gap_link_lands(window, links.nth(i))
            followed += 1
    assert followed > 100  # every step of an empty program has its gaps

    # From the review screen a gap link opens its step with focus on the field.
    window.goto(f"/programmer/{program.code}/gennemgang/")
    window.locator("a[href$='/trin/del-4-4/#id_part-relevance_0']").first.click()
    expect(window.locator("#id_part-relevance_0")).to_be_focused()


# Every field of the step form with the legends of the fieldsets around it: a screen
# reader speaks the group's legend on entering it, then the field's name.
GROUPS = """() => Object.fromEntries(Array.from(document.querySelectorAll(
        'form.step-form input:not([type=hidden]):not([type=submit]), '
        + 'form.step-form select, form.step-form textarea')).map(el => {
    const groups = [];
    for (let f = el.closest('fieldset'); f; f = f.parentElement.closest('fieldset')) {
        const legend = f.querySelector(':scope > legend');
        if (legend) groups.unshift(legend.textContent.trim().replace(/\\s+/g, ' '));
    }
    return [el.id, {groups: groups.join(' / '),
                    asterisk: !!(el.labels && el.labels[0]
                                 && el.labels[0].querySelector('.asteriskField')),
                    // (Chromium's CDP reports "required" for text boxes only, not selects)
                    required: el.required || el.getAttribute('aria-required') === 'true'}];
}))"""


def spoken_fields(page: Page) -> list[dict]:
    """Each field's accessible name as Chromium computes it, with its groups."""
    cdp = page.context.new_cdp_session(page)
    fields = page.evaluate(GROUPS)
    ids = {}  # backend node id → the element's id attribute, from one walk of the DOM
    stack = [cdp.send("DOM.getDocument", {"depth": -1})["root"]]
    while stack:
        node = stack.pop()
        attributes = node.get("attributes", [])
        named = dict(zip(attributes[::2], attributes[1::2], strict=True))
        if "id" in named:
            ids[node["backendNodeId"]] = named["id"]
        stack.extend(node.get("children", []))
    spoken = []
    for node in cdp.send("Accessibility.getFullAXTree")["nodes"]:
        element_id = ids.get(node.get("backendDOMNodeId"))
        if node.get("ignored") or element_id not in fields:
            continue
        spoken.append(
            {
                "id": element_id,
                "name": node.get("name", {}).get("value", ""),
                "groups": fields[element_id]["groups"],
                "required": fields[element_id]["required"],
                "asterisk": fields[element_id]["asterisk"],
            }
        )
    cdp.detach()
    return spoken


def test_every_field_on_every_step_has_a_name_of_its_own(browser: Browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    page = context.new_page()
    page.goto("/konto/login/")
    page.get_by_label("Brugernavn").fill("planlaegger")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page).to_have_url(re.compile("/programmer/"))
    page.goto(step_path(demo, "grundlag"))
    steps = page.locator("button[name=goto]").evaluate_all("els => els.map(e => e.value)")
    problems = []
    names: dict[str, set[str]] = {}
    for key in steps:
        if key == "gennemgang":
            continue
        page.goto(step_path(demo, key))
        # Folded blocks hide their fields from the accessibility tree until opened.
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        fields = spoken_fields(page)
        names[key] = {f["name"] for f in fields}
        assert len(fields) > 5, key
        said = Counter(f"{f['groups']} :: {f['name']}" for f in fields)
        problems += [
            f"{key}: {n} fields are all called {what!r}" for what, n in said.items() if n > 1
        ]
        for f in fields:
            if not f["name"] or "*" in f["name"]:
                problems.append(f"{key}: #{f['id']} is called {f['name']!r}")
            if f["asterisk"] and not f["required"]:
                problems.append(f"{key}: #{f['id']} shows * but is not announced as required")
    context.close()
    assert not problems, "\n".join(problems)
    # The two notes on the actors step (both were "Bemærkning").
    assert {"Patientansvarlig læge – bemærkning", "Koordinerende kontakt – bemærkning"} <= (
        names["aktoerer"]
    )
