"""Issue 16's "Done when", as people do it in Chromium.

An anonymous visitor finds the published demo by ORPHA:908 and by Q99.2 from the home page,
opens its public page, finds what Aalborg Kommune must do and fetches the FHIR file, which
validates; axe finds no WCAG 2.1 A/AA violation on any page. A planner in Region Syddanmark
starts from the demo, sees the local items listed as gaps, and cannot send the program for
review until every one is changed or confirmed.
"""

from __future__ import annotations

import re

import pytest
import yaml
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect

from pathways.derivation.gaps import open_items
from pathways.derivation.models import Derivation
from pathways.derivation.services import confirm_step_items
from pathways.programs.models import Program
from pathways.review.demo_publication import publish_demo_program
from tests.conftest import DEMO_FILE
from tests.e2e.browsing import PASSWORD, log_in
from tests.e2e.test_accessibility_e2e import Audit, visit
from tests.fhir.validation import problems

pytestmark = pytest.mark.django_db(transaction=True)


def anonymous(browser: Browser, live_server) -> Page:
    # axe is injected as an inline script, which the site's CSP forbids: the test context
    # bypasses CSP (the pages themselves are unchanged).
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, reduced_motion="reduce"
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def search_from_home(page: Page, query: str) -> None:
    visit(page, "/")
    page.locator("#home-search").fill(query)
    page.locator("#home-search").press("Enter")
    expect(page).to_have_url(re.compile(r"/katalog/\?q="))


def test_readers_find_the_published_demo_and_another_region_builds_on_it(
    browser: Browser, live_server, demo
):
    program = Program.objects.get(pk=demo.pk)
    publish_demo_program(program, yaml.safe_load(DEMO_FILE.read_text())["publication"])
    title = program.title
    audit = Audit()

    # --- An anonymous visitor --------------------------------------------------------------
    page = anonymous(browser, live_server)
    for query in ("ORPHA:908", "Q99.2"):
        search_from_home(page, query)
        rows = page.locator("#catalogue-table tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(title)
        audit.check(page, f"catalogue, search {query}")
    rows.first.get_by_role("link", name=title).click()
    expect(page).to_have_url(f"{live_server.url}/p/{program.code}/")
    expect(page.locator("h1")).to_have_text(title)
    audit.check(page, "public page")

    # What Aalborg Kommune must do: its child-disability services, from the actor list.
    page.locator("#actor-jump a", has_text="Aalborg Kommune, Familie").click()
    section = page.locator("section.public-actor", has_text="Aalborg Kommune, Familie").first
    expect(section).to_be_in_viewport()
    expect(section).to_contain_text("Familiens sagsbehandler")  # its contact point
    expect(section.locator(".duty").first).to_be_visible()
    assert section.locator(".no-duties").count() == 0
    # ... and every program in which it has a responsibility, from the catalogue.
    visit(page, "/katalog/?aktoer=Aalborg+Kommune")
    expect(page.locator("#catalogue-table tbody tr")).to_contain_text(title)

    fhir = page.request.get(f"/p/{program.code}/1.0/fhir.json")
    assert fhir.ok and fhir.headers["content-type"].startswith("application/fhir+json")
    assert problems(fhir.json()) == []
    page.context.close()

    # --- A planner in Region Syddanmark -------------------------------------------------------
    planner = get_user_model().objects.get(username="ny")  # a member of nothing yet
    planner.set_password(PASSWORD)
    planner.save(update_fields=["password"])
    page = anonymous(browser, live_server)
    log_in(page, "ny")
    visit(page, f"/p/{program.code}/")
    page.locator("a.start-from").click()
    page.locator("#id_title").fill("Sjældne sygdomme med udviklingshæmning i Region Syddanmark")
    page.locator("#id_region").select_option("syddanmark")
    audit.check(page, "start from another program")
    page.locator("main button[type=submit]").click()

    expect(page.locator("#local-items-heading")).to_contain_text("Skal tilpasses lokalt")
    derived = Program.objects.get(derivation__source_program=program)
    assert derived.region == "syddanmark"
    derivation = Derivation.objects.get(program=derived)
    n_open = len(open_items(derivation))
    assert n_open > 30  # the working group, every actor, texts naming Nordjylland's places
    expect(page.locator("#local-items-heading")).to_contain_text(f"({n_open})")
    unmet = page.locator("#review-checklist .requirement.unmet")
    expect(unmet.filter(has_text="Tilpas de lokale oplysninger")).to_contain_text(str(n_open))
    audit.check(page, "derived program with its local items")

    # The dates were not copied: the group sets its own (a change resolves the item).
    visit(page, f"/programmer/{derived.code}/trin/implementering/")
    audit.check(page, "step page with local markers")
    page.locator("#id_implementation-start_date").fill("2027-09-01")
    page.get_by_role("button", name="Gem", exact=True).first.click()
    expect(page.locator(".alert-success")).to_be_visible()
    visit(page, f"/programmer/{derived.code}/trin/opfoelgning/")
    page.locator("#id_follow_up-next_review_date").fill("2030-01-01")
    page.get_by_role("button", name="Gem", exact=True).first.click()
    expect(page.locator(".alert-success")).to_be_visible()
    # The national and regional actors hold as they are: one click confirms the step.
    visit(page, f"/programmer/{derived.code}/trin/aktoerer/")
    page.locator("#local-confirm-all").click()
    expect(page.locator("#local-items-step")).to_have_count(0)

    # Sending it for review is refused while anything local is open.
    visit(page, f"/programmer/{derived.code}/")
    still = len(open_items(Derivation.objects.get(program=derived)))
    assert 0 < still < n_open
    page.locator("#submit-for-review").click()
    expect(page).to_have_url(re.compile(rf"/programmer/{derived.code}/#local-items$"))
    expect(page.locator(".alert-danger").first).to_contain_text("Tilpas de lokale oplysninger")

    # The group goes through the remaining steps (as the button on each does), then it may.
    for step_key in sorted({i["path"][0] for i in open_items(derivation_of(derived))}):
        confirm_step_items(program=derived, user=planner, step_key=step_key)
    visit(page, f"/programmer/{derived.code}/")
    expect(page.locator("#review-checklist .requirement.unmet")).to_have_count(0)
    page.locator("#submit-for-review").click()
    expect(page).to_have_url(re.compile(rf"/programmer/{derived.code}/hoering/send/$"))
    page.context.close()
    audit.assert_clean()


def derivation_of(program: Program) -> Derivation:
    return Derivation.objects.get(program=program)
