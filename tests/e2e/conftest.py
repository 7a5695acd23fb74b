"""End-to-end tests: a real headless Chromium (Debian's package) against live_server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# inside one unless told it is safe. Only the e2e tests set this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)",
            pytrace=False,
        )
    from playwright.sync_api import expect, sync_playwright

    # The suite runs on every core (xdist): give assertions the patience of actions (15 s),
    # not Playwright's 5 s, so a busy machine does not fail a correct page.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # Reduced motion: Bootstrap then skips its colour transitions, so an accessibility check
    # right after a click sees a button's colours, not a frame halfway between two states.
    context = browser.new_context(base_url=live_server.url, locale="da-DK", reduced_motion="reduce")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def loaded_model(transactional_db, generic_model):
    """The shipped generic model, committed, for the server's threads to read."""
    return generic_model


@pytest.fixture
def demo(transactional_db, demo_program):
    """The demo program, its people signed in with the tests' password: the published demo
    password is refused outside development, as a region's real accounts would have their
    own."""
    for user in get_user_model().objects.filter(program_memberships__program=demo_program):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return demo_program
