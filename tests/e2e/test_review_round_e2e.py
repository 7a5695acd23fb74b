"""The whole round in the browser: review, objection, answer, approval, 1.0, revision, 1.1."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pathways.programs.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db, demo_program):
    return demo_program


def as_user(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/konto/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", name="Mine forløbsprogrammer")).to_be_visible()


def open_program(page: Page, code: str) -> None:
    page.goto(f"/programmer/{code}/")
    expect(page.locator("#program-status")).to_be_visible()


def send_for_review(page: Page, code: str) -> None:
    """'Send i høring …' opens the round's form; its deadline is filled in (four weeks)."""
    page.get_by_role("link", name="Send i høring …").click()
    page.get_by_role("button", name="Send i høring").click()
    open_program(page, code)
    expect(page.locator("#program-status")).to_have_text("I høring")


def test_review_round_from_submission_to_version_1_1(page: Page, demo):
    code = demo.code

    # The editor submits the complete demo program.
    as_user(page, "planlaegger")
    open_program(page, code)
    send_for_review(page, code)

    # The municipal reviewer comments on one attention point and objects.
    as_user(page, "kommune")
    page.goto(f"/programmer/{code}/trin/del-4-8/")
    expect(page.get_by_text("Læsevisning")).to_be_visible()
    page.locator("#comments summary", has_text="Ny kommentar").click()  # folded to one line
    target = page.get_by_label("Kommentaren gælder")
    target.select_option(index=2)
    page.locator("#new-comment").get_by_role("textbox").fill(
        "Hvem er kontaktperson i kommunen efter 18 år?"
    )
    page.get_by_role("button", name="Gem kommentar").click()
    expect(page.locator("#comments")).to_contain_text("Hvem er kontaktperson i kommunen")
    expect(page.locator("nav.side-menu")).to_contain_text("1 åben kommentar")
    open_program(page, code)
    page.get_by_label("Gør indsigelse").check()
    page.locator("#verdict-note").fill("Kontaktpersonen efter 18 år mangler.")
    page.get_by_role("button", name="Afgiv høringssvar").click()
    expect(page.locator(".alert-success")).to_contain_text("høringssvar er registreret")

    # The editor answers and resolves.
    as_user(page, "planlaegger")
    page.goto(f"/programmer/{code}/trin/del-4-8/")
    thread = page.locator("article.comment").first
    thread.get_by_label("Svar").fill("Den koordinerende sagsbehandler i bopælskommunen.")
    thread.get_by_role("button", name="Svar").click()
    page.locator("article.comment").first.get_by_role("button", name="Markér som løst").click()
    expect(page.locator("article.comment").first).to_contain_text("løst")

    # The reviewer agrees; the consultation summary shows it.
    as_user(page, "kommune")
    open_program(page, code)
    page.get_by_label("Enig", exact=True).check()
    page.get_by_role("button", name="Afgiv høringssvar").click()
    page.goto(f"/programmer/{code}/hoeringsnotat/")
    expect(page.locator("table").first).to_contain_text("Enig")
    expect(page.locator("#open-comments")).to_contain_text("Ingen åbne kommentarer")

    # The approver approves and publishes 1.0.
    as_user(page, "godkender")
    open_program(page, code)
    page.get_by_role("button", name="Godkend").click()
    expect(page.locator("#program-status")).to_have_text("Godkendt")
    page.get_by_label(re.compile("Større ændring")).check()
    page.get_by_label("Ændringsnote").fill("Første godkendte version.")
    page.get_by_role("button", name="Offentliggør version").click()
    expect(page.locator("#version-list")).to_contain_text("Version 1.0")

    # The editor revises; the diff 1.0 → draft shows the change.
    as_user(page, "planlaegger")
    open_program(page, code)
    page.get_by_role("button", name="Revidér (nyt udkast)").click()
    expect(page.locator("#program-status")).to_have_text("Udkast")
    page.goto(f"/programmer/{code}/trin/grundlag/")
    page.get_by_label("Formål").fill(
        "Revideret formål: også voksne over 65 år med udviklingshæmning."
    )
    page.get_by_role("button", name="Gem", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("Trinnet er gemt")
    open_program(page, code)
    page.get_by_role("button", name="Vis forskelle").click()
    expect(page.locator(".diff ins", has_text="også voksne over 65 år")).to_be_visible()

    # A second, shorter round: submit, approve, publish 1.1.
    open_program(page, code)
    send_for_review(page, code)
    as_user(page, "godkender")
    open_program(page, code)
    page.get_by_role("button", name="Godkend").click()
    page.get_by_label(re.compile("Mindre ændring")).check()
    page.get_by_label("Ændringsnote").fill("Målgruppen omfatter også ældre.")
    page.get_by_role("button", name="Offentliggør version").click()
    expect(page.locator("#version-list")).to_contain_text("Gældende: Version 1.1")
    expect(page.locator("#version-list")).to_contain_text("Version 1.0")
