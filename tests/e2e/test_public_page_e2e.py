"""The public page of a published program, as a visitor without an account meets it in
Chromium: no WCAG 2.1 A or AA violations (axe-core), in Danish and in English, and the
keyboard reaches the skip link, the actor jump list and, through it, an actor's section."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from pathways.programs.models import Program
from tests.e2e.test_accessibility_e2e import Audit, open_as, visit
from tests.factories import published_version

pytestmark = pytest.mark.django_db(transaction=True)


def visitor(browser: Browser, live_server, language: str) -> Page:
    # axe is injected as an inline script, which the site's CSP forbids: the test context
    # bypasses CSP (the pages themselves are unchanged).
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, reduced_motion="reduce"
    )
    context.set_default_timeout(15_000)
    host = re.sub(r"^https?://|:\d+$", "", live_server.url)
    context.add_cookies(
        [{"name": "django_language", "value": language, "domain": host, "path": "/"}]
    )
    return context.new_page()


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_public_pages_have_no_wcag_a_or_aa_violations(
    browser: Browser, live_server, demo, language
):
    program = Program.objects.get(pk=demo.pk)
    published_version(program)
    published_version(program, major=False, change_note="Rettede kontaktoplysninger")
    page = visitor(browser, live_server, language)
    audit = Audit()

    visit(page, f"/p/{program.code}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("#diagram-text summary").click()  # the diagram's text open too
    audit.check(page, "public page (current version)")
    visit(page, f"/p/{program.code}/1.0/")
    expect(page.locator("#newer-version")).to_be_visible()
    audit.check(page, "public page (older version, with the newer-version notice)")

    visit(page, f"/p/{program.code}/feedback/?version=1.1")
    page.locator("main button[type=submit]").click()  # empty: the field's error shown
    expect(page.locator("#id_message")).to_have_attribute("aria-invalid", "true")
    audit.check(page, "feedback form with an error")
    page.locator("#id_message").fill("Telefonnummeret i afsnit 6.8 er forkert.")
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/feedback/tak/$"))
    audit.check(page, "feedback thanks")
    page.context.close()

    # The editors read it on the program page.
    editor = open_as(browser, live_server, "planlaegger", language)
    visit(editor, f"/programmer/{program.code}/")
    expect(editor.locator("#reader-feedback")).to_contain_text("Telefonnummeret i afsnit 6.8")
    audit.check(editor, "program page with feedback from readers")
    editor.context.close()
    audit.assert_clean()


def test_the_keyboard_reaches_the_skip_link_and_an_actors_section(
    browser: Browser, live_server, demo
):
    program = Program.objects.get(pk=demo.pk)
    published_version(program)
    page = visitor(browser, live_server, "da")
    visit(page, f"/p/{program.code}/")

    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()

    # On through the page until the actor jump list has the focus.
    jump_links = page.locator("#actor-jump a")
    for _n in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('#actor-jump')"):
            break
    else:
        pytest.fail("Tab never reached the actor jump list")
    expect(jump_links.first).to_be_focused()
    target = jump_links.first.get_attribute("href")
    name = jump_links.first.inner_text()

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    section = page.locator(target)
    expect(section).to_be_in_viewport()
    expect(section.locator("h3")).to_have_text(name)
    # Focus moved with it: the next Tab lands on the first link inside the actor's section.
    page.keyboard.press("Tab")
    inside = page.evaluate(
        "(id) => document.activeElement.closest('section.public-actor')?.id", target[1:]
    )
    assert inside == target[1:]
    page.context.close()
