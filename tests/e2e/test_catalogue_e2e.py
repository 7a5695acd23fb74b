"""The national catalogue in a browser: a search from the home page lands in the catalogue
with its results, pages and filter messages free of WCAG 2.1 A/AA violations (axe-core),
in Danish and in English, for a reader who is not signed in."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, expect

from tests.catalogue.builders import catalogue_program
from tests.e2e.test_accessibility_e2e import Audit, visit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["da", "en"])
def test_searching_the_catalogue_from_the_home_page(
    browser: Browser, live_server, loaded_model, language
):
    for n in range(26):
        catalogue_program(
            title=f"Forløbsprogram {n:02}",
            codes=(("icd-10", "DQ871"),),
            responsible="Aalborg Kommune",
        )
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, reduced_motion="reduce"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/")
    host = urlsplit(page.url).hostname
    context.add_cookies(
        [{"name": "django_language", "value": language, "domain": host, "path": "/"}]
    )
    audit = Audit()
    visit(page, "/")
    audit.check(page, "home")

    page.locator("#home-search").fill("q87.1")
    page.locator("#home-search").press("Enter")
    expect(page).to_have_url(f"{live_server.url}/katalog/?q=q87.1")
    expect(page.locator("#catalogue-table tbody tr")).to_have_count(25)
    audit.check(page, "catalogue, first page")

    page.locator("nav .pagination a[rel=next]").click()
    expect(page.locator("#catalogue-table tbody tr")).to_have_count(1)
    assert "q=q87.1" in page.url
    audit.check(page, "catalogue, second page")

    visit(page, "/katalog/?region=atlantis&livsfase=alderdom")
    expect(page.locator("#id_region-error")).to_be_visible()
    audit.check(page, "catalogue, tampered filters")
    context.close()
    audit.assert_clean()
