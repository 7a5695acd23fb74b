"""A consultation round as municipalities run one, in Chromium: three parties, one answering
through its personal link without an account, one with its account via "Til mig", one
missing the deadline; comments beside two answers, one proposing text the editor accepts;
the changes since the round; the høringsnotat as a page, a PDF and a Word file."""

from __future__ import annotations

import datetime
import io
import re

import docx
import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from pathways.review.models import ReviewRound
from tests.e2e.browsing import log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.real_pdf]

PROPOSED = "Programmet samler hele forløbet for familier på Læsø og i resten af regionen."
QUESTION = "Hvordan opdager vi børn, der flytter hertil med diagnosen?"
RESPONSE = "Kommunen melder tilflytning til den patientansvarlige læge; tilføjet i 4.3."


@pytest.fixture
def contacts(demo, party_contacts):
    return demo


def personal_link(to: str) -> str:
    (message,) = [m for m in mail.outbox if m.to == [to] and "/hoering/" in m.body]
    (url,) = re.findall(r"https?://\S+/hoering/\S+/", message.body)
    return re.sub(r"^https?://[^/]+", "", url)  # the live server's own address


def comment_beside(page: Page, field: str, body: str, proposal: str = "") -> None:
    answer = page.locator(f'[data-field="{field}"]')
    answer.locator("summary", has_text="Kommentér").click()
    answer.get_by_label(re.compile(r"^Kommentar")).fill(body)
    if proposal:
        answer.get_by_label("Forslag til ny tekst (valgfrit)").fill(proposal)
    answer.get_by_role("button", name="Gem kommentar").click()


def test_a_round_with_three_parties_from_sending_to_the_hearing_note(page: Page, contacts):
    program = contacts
    code = program.code

    # The editor sends the round to Læsø Kommune and Sjældne Diagnoser; Aalborg Kommune's
    # invited reviewer is always a party.
    log_in(page, "planlaegger")
    page.goto(f"/programmer/{code}/")
    page.get_by_role("link", name="Send i høring …").click()
    page.get_by_label("Læsø Kommune").check()
    page.get_by_label("Sjældne Diagnoser").check()
    expect(page.get_by_label("Svarfrist")).not_to_have_value("")  # four weeks, filled in
    page.get_by_label("Høringsbrev").fill("Se især formålet og målgruppen.")
    page.get_by_role("button", name="Send i høring").click()
    parties = page.locator("#parties tbody tr")
    expect(parties).to_have_count(3)
    expect(page.locator("#parties")).to_contain_text("Hanne Kristoffersen")

    # Læsø answers through its personal link, with no account: a comment beside the
    # purpose proposing new text, and its verdict.
    laesoe = personal_link("hoering@laesoe.example.org")
    page.context.clear_cookies()
    page.goto(laesoe)
    expect(page.locator("#cover-letter")).to_have_text("Se især formålet og målgruppen.")
    comment_beside(page, "doc:purpose", "Nævn øerne.", PROPOSED)
    expect(page.locator('[data-field="doc:purpose"]')).to_contain_text(PROPOSED)
    page.get_by_label("Enig med bemærkninger").check()
    page.locator("#verdict-note").fill("Se kommentaren til formålet.")
    page.get_by_role("button", name="Afgiv høringssvar").click()
    expect(page.locator(".alert-success")).to_contain_text("høringssvar er registreret")

    # Aalborg's reviewer finds the round under "Til mig", comments beside the inclusion
    # criteria on the review screen and agrees.
    log_in(page, "kommune")
    page.get_by_role("link", name="Til mig").click()
    waiting = page.locator("#awaiting")
    expect(waiting).to_contain_text("Aalborg Kommune")
    expect(waiting).to_contain_text("dage tilbage")
    waiting.get_by_role("link", name="Læs og kommentér").click()
    page.locator("#review-maalgruppe > summary").click()
    comment_beside(page, "doc:inclusion", QUESTION)
    expect(page.locator('[data-field="doc:inclusion"]')).to_contain_text(QUESTION)
    page.goto("/til-mig/")
    page.locator("#awaiting").get_by_role("link", name="Afgiv høringssvar").click()
    page.get_by_label("Enig", exact=True).check()
    page.get_by_role("button", name="Afgiv høringssvar").click()
    expect(page.locator(".alert-success")).to_contain_text("høringssvar er registreret")

    # Sjældne Diagnoser misses the deadline: its link no longer takes an answer.
    ReviewRound.objects.filter(program=program).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    page.context.clear_cookies()
    page.goto(personal_link("hoering@sjaeldnediagnoser.example.org"))
    expect(page.locator("#answering-closed")).to_be_visible()
    expect(page.locator("#verdict-form")).to_have_count(0)

    # The editor closes the round, accepts Læsø's text and answers Aalborg's question.
    log_in(page, "planlaegger")
    page.goto(f"/programmer/{code}/hoering/")
    page.get_by_role("button", name="Afslut runden og bearbejd svarene").click()
    expect(page.locator(".alert-success")).to_contain_text("Høringsrunden er afsluttet")
    page.goto(f"/programmer/{code}/gennemgang/")
    page.locator("#review-grundlag > summary").click()
    purpose = page.locator('[data-field="doc:purpose"]')
    purpose.get_by_role("button", name="Indarbejd forslaget").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.locator("#review-maalgruppe > summary").click()
    inclusion = page.locator('[data-field="doc:inclusion"]')
    inclusion.get_by_label("Svar").fill(RESPONSE)
    inclusion.get_by_role("button", name="Svar").click()
    expect(page.locator('[data-field="doc:inclusion"]')).to_contain_text(RESPONSE)

    # Everyone in the round sees what changed since it was sent: the accepted text.
    page.goto(f"/programmer/{code}/hoering/aendringer-siden-sidste-runde/")
    expect(page.locator("#changes-grundlag ins")).to_contain_text("Læsø")

    # The høringsnotat: all three parties, both comments with their responses.
    page.goto(f"/programmer/{code}/hoeringsnotat/")
    main = page.locator("main")
    for text in (
        "Læsø Kommune",
        "Enig med bemærkninger",
        "Aalborg Kommune",
        "Sjældne Diagnoser",
        "ikke svaret",
        "Nævn øerne.",
        QUESTION,
        RESPONSE,
    ):
        expect(main).to_contain_text(text)
    expect(main.locator("a[href*='aendringer-siden-sidste-runde']").first).to_be_visible()

    pdf = page.request.get(f"/programmer/{code}/hoeringsnotat/pdf/")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    pdf_text = " ".join(pdf_text.split())
    word = page.request.get(f"/programmer/{code}/hoeringsnotat/word/")
    assert word.ok
    document = docx.Document(io.BytesIO(word.body()))
    word_text = "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for row in t.rows for c in row.cells]
    )
    for text in ("Læsø Kommune", "Aalborg Kommune", "Sjældne Diagnoser", QUESTION, RESPONSE):
        assert text in pdf_text, text
        assert text in word_text, text
    assert "Nævn øerne." in pdf_text and "Nævn øerne." in word_text
