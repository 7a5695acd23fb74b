"""Accessibility, checked by axe-core in Chromium on the pages planners, reviewers and
readers use — every step page and the review screen among them: WCAG 2.0/2.1 A and AA
rules, in Danish and in English, with no violations."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect

from pathways.programs.models import Organisation, Program
from pathways.review.invitations import token_for
from pathways.review.models import PartyInvitation
from pathways.review.services import submit_for_review
from tests.e2e.browsing import log_in
from tests.factories import ProgramFactory, published_version

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = r"""async () => {
    const result = await axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
    return result.violations.map(v => ({id: v.id, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ') + ' – '
            + (n.failureSummary || '').replace(/\s+/g, ' '))}));
}"""


class Audit:
    """Collects axe's violations page by page, so one run reports every page's findings."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def check(self, page: Page, what: str) -> None:
        if not AXE.exists():
            pytest.fail(f"{AXE} missing: run `npm ci` (make setup)", pytrace=False)
        page.add_script_tag(path=str(AXE))
        for violation in page.evaluate(RUN_AXE):
            self.found.append(
                f"{what}: {violation['id']} – {violation['help']}\n    "
                + "\n    ".join(violation["nodes"])
            )

    def assert_clean(self) -> None:
        assert not self.found, "axe found violations:\n" + "\n".join(self.found)


def open_as(browser: Browser, live_server, username: str, language: str) -> Page:
    # The app's CSP forbids inline script; axe is injected as one, so the test context
    # bypasses CSP (the pages themselves are unchanged).
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, reduced_motion="reduce"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, username, language)
    return page


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"


@pytest.mark.parametrize("language", ["da", "en"])
def test_pages_have_no_wcag_a_or_aa_violations(browser: Browser, live_server, demo, language):
    audit = Audit()
    base = f"/programmer/{demo.code}"
    anne = open_as(browser, live_server, "planlaegger", language)
    bo = open_as(browser, live_server, "medredaktoer", language)
    anne.on("dialog", lambda dialog: dialog.accept())

    # Every step page (the full demo), and every step of an empty program (its gaps box).
    empty = ProgramFactory(owner=get_user_model().objects.get(username="planlaegger"))
    visit(anne, f"{base}/trin/grundlag/")
    steps = anne.locator("button[name=goto]").evaluate_all("els => els.map(e => e.value)")
    assert len(steps) > 20
    for program in (demo, empty):
        for key in steps:
            if key != "gennemgang":
                visit(anne, f"/programmer/{program.code}/trin/{key}/")
                audit.check(anne, f"step {key} of {program.title}")
    visit(anne, f"/programmer/{empty.code}/gennemgang/")
    audit.check(anne, "review of an empty program")
    for url, what in [
        (base + "/", "program detail"),
        (base + "/medlemmer/", "members"),
        (base + "/gennemgang/", "review with gaps and advice"),
        (base + "/behov-uden-tilbud/", "needs without an offer"),
        ("/model/reference/socialstyrelsen-sjaeldne-handicap/2019/", "companion reference"),
        (base + "/kommunale-aktoerer/", "municipal actors"),
    ]:
        visit(anne, url)
        audit.check(anne, what)

    # The conflict page: both change the same field; the second save conflicts.
    step = f"{base}/trin/grundlag/"
    visit(anne, step)
    visit(bo, step)
    anne.locator("#id_basis-purpose").fill("Annes formål")
    with anne.expect_navigation():
        anne.locator(".sticky-actions button[name=save]").click()
    bo.locator("#id_basis-purpose").fill("Bos formål")
    bo.locator(".sticky-actions button[name=save]").click()
    expect(bo.locator("#conflict")).to_be_visible()
    audit.check(bo, "conflict page")

    # The unsaved-draft notice: type, leave, come back.
    visit(anne, step)
    field = anne.locator("#id_basis-purpose")
    field.click()
    field.press_sequentially(" – ikke gemt")
    anne.locator("header nav a[href='/programmer/']").click()
    anne.wait_for_load_state()
    visit(anne, step)
    expect(anne.locator("#draft-notice")).to_be_visible()
    audit.check(anne, "step with unsaved-draft notice")

    # Read-only while in review, then the review log.
    submit_for_review(program=Program.objects.get(pk=demo.pk), user=demo.created_by)
    visit(anne, step)
    # Read-only: no field to type in (the text keeps the field's id, so links land on it).
    expect(anne.locator("textarea#id_basis-purpose")).to_have_count(0)
    expect(anne.locator("div#id_basis-purpose")).to_have_count(1)
    audit.check(anne, "read-only step")
    visit(anne, base + "/log/")
    audit.check(anne, "review log")

    # A published version and the diff against the draft.
    version = published_version(Program.objects.get(pk=demo.pk))
    Program.objects.filter(pk=demo.pk).update(purpose="Et ændret formål efter udgivelsen")
    visit(anne, f"{base}/versioner/{version.number}/")
    audit.check(anne, "published version")
    visit(anne, f"{base}/versioner/forskelle/?fra={version.number}&til=udkast")
    expect(anne.locator("main")).to_contain_text("Et ændret formål")
    audit.check(anne, "diff")

    anne.context.close()
    bo.context.close()
    audit.assert_clean()


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_consultation_pages_have_no_wcag_a_or_aa_violations(
    browser: Browser, live_server, demo, party_contacts, language
):
    """The round's form, its page, 'Til mig', a personal link's page, the changes since the
    last round and the høringsnotat, as editor, reviewer and a party without an account."""
    audit = Audit()
    base = f"/programmer/{demo.code}"
    anne = open_as(browser, live_server, "planlaegger", language)
    visit(anne, base + "/hoering/send/")
    anne.locator("#start-round-form details summary").first.click()  # the folded list open
    audit.check(anne, "round form")
    program = Program.objects.get(pk=demo.pk)
    sent = submit_for_review(
        program=program,
        user=demo.created_by,
        organisations=[Organisation.objects.get(name="Læsø Kommune")],
    )
    for url, what in [
        (base + "/hoering/", "round page"),
        ("/til-mig/", "Til mig (editor)"),
        (base + "/hoering/aendringer-siden-sidste-runde/", "changes since the last round"),
        (base + "/hoeringsnotat/", "hearing note"),
    ]:
        visit(anne, url)
        audit.check(anne, what)
    reviewer = open_as(browser, live_server, "kommune", language)
    visit(reviewer, "/til-mig/")
    audit.check(reviewer, "Til mig (reviewer)")
    guest = browser.new_context(base_url=live_server.url, bypass_csp=True, reduced_motion="reduce")
    page = guest.new_page()
    token = token_for(PartyInvitation.objects.get(party__round=sent))
    visit(page, f"/hoering/{token}/")
    page.locator("[data-field='doc:purpose'] summary").click()  # a comment form open
    audit.check(page, "personal link page")
    for context in (anne.context, reviewer.context, guest):
        context.close()
    audit.assert_clean()
