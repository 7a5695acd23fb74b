"""The public page of a published version: anyone reads it, without an account, and it
shows only what was published."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from pathways.programs.models import Program
from tests.factories import ProgramFactory, UserFactory, published_version

pytestmark = pytest.mark.django_db


def text_of(response, selector: str = "main") -> str:
    found = BeautifulSoup(response.content, "html.parser").select_one(selector)
    assert found is not None, f"{selector} not on the page"
    return " ".join(found.get_text(" ").split())


def test_anyone_reads_a_published_version_with_its_facts_on_top(client, published_demo):
    program, version = published_demo
    response = client.get(f"/p/{program.code}/{version.number}/")
    assert response.status_code == 200
    facts = text_of(response, "#version-facts")
    assert "Offentliggjort version 1.0" in facts
    assert "Sundhedsrådene i Region Nordjylland (fiktiv godkendelse)" in facts  # approving body
    assert "1. september 2029" in facts  # next review date
    assert "Region Nordjylland" in facts
    assert "gældende version" in facts
    title = text_of(response, "h1")
    assert title == version.title
    assert b'<html lang="da">' in response.content
    assert "Der findes en nyere version" not in text_of(response)


def test_the_page_links_every_file_of_the_version_and_the_feedback_form(client, published_demo):
    program, version = published_demo
    response = client.get(f"/p/{program.code}/")
    soup = BeautifulSoup(response.content, "html.parser")
    links = {a["href"] for a in soup.select("main a[href]")}
    base = f"/p/{program.code}/1.0"
    assert {f"{base}/pdf/", f"{base}/word/", f"{base}/program.json", f"{base}/fhir.json"} <= links
    assert f"/p/{program.code}/feedback/?version=1.0" in links
    downloads = text_of(response, ".public-downloads")
    assert "(PDF, " in downloads and "KB)" in downloads  # type and size of the stored PDF
    assert "(Word-dokument (.docx))" in downloads


def test_the_program_address_shows_the_newest_version_and_an_old_one_says_so(
    client, published_demo
):
    program, first = published_demo
    Program.objects.filter(pk=program.pk).update(title="Programmet med et nyt navn")
    second = published_version(program, major=False, change_note="Nyt navn")

    newest = client.get(f"/p/{program.code}/")
    assert newest.status_code == 200
    assert text_of(newest, "h1") == "Programmet med et nyt navn"
    assert "Offentliggjort version 1.1" in text_of(newest, "#version-facts")
    assert "Der findes en nyere version" not in text_of(newest)

    old = client.get(f"/p/{program.code}/1.0/")
    assert text_of(old, "h1") == first.title != second.title
    notice = BeautifulSoup(old.content, "html.parser").select_one("#newer-version")
    assert notice is not None
    assert "Der findes en nyere version" in notice.get_text()
    assert notice.select_one("a")["href"] == f"/p/{program.code}/"
    assert "erstattet af version 1.1" in text_of(old, "#version-facts")
    # Every version listed, each a link but the one shown.
    table = BeautifulSoup(old.content, "html.parser").select_one("#version-table")
    assert [a["href"] for a in table.select("a")] == [f"/p/{program.code}/1.1/"]
    assert "Nyt navn" in table.get_text() and "Første udgave" in table.get_text()


def test_the_drafts_renamed_title_and_text_never_appear(client, published_demo):
    program, version = published_demo
    Program.objects.filter(pk=program.pk).update(
        title="Hemmelig ny titel i udkastet", purpose="Hemmeligt nyt formål"
    )
    for url in (f"/p/{program.code}/", f"/p/{program.code}/1.0/", f"/p/{program.code}/feedback/"):
        response = client.get(url)
        assert response.status_code == 200
        assert b"Hemmelig" not in response.content, url
    assert version.title in text_of(client.get(f"/p/{program.code}/"), "h1")


@pytest.mark.parametrize(
    "path",
    ["", "1.0/", "1.0/program.json", "1.0/pdf/", "1.0/word/", "feedback/", "feedback/tak/"],
)
def test_a_program_without_a_published_version_is_not_found(client, generic_model, path):
    program = ProgramFactory(owner=UserFactory())
    assert client.get(f"/p/{program.code}/{path}").status_code == 404


@pytest.mark.parametrize("number", ["9.9", "1.1", "01.0", "1.0x", "x", "1.99999999"])
def test_an_unknown_or_malformed_number_is_not_found(client, published_demo, number):
    program, _version = published_demo
    for suffix in ("", "program.json", "pdf/", "word/"):
        assert client.get(f"/p/{program.code}/{number}/{suffix}").status_code == 404


def test_an_unknown_program_is_not_found(client, db):
    assert client.get("/p/NOPE00/").status_code == 404


def test_the_summary_names_the_target_group_codes_and_key_actors(client, published_demo):
    program, version = published_demo
    response = client.get(f"/p/{program.code}/")
    summary = text_of(response, "#kort-fortalt")
    assert "Sjældne sygdomme med udviklingshæmning" in summary
    codes = text_of(response, "#target-codes")
    assert "ICD-10 DQ992 (Q99.2)" in codes and "ORPHA:908" in codes
    key = text_of(response, "#key-actors")
    assert "Børne- og Ungeafdelingen, Aalborg Universitetshospital" in key  # the doctor
    assert "Koordinerende sagsbehandler" in key
    assert "Ambulatoriets sekretariat via hospitalets hovednummer" in key  # its contact point


def test_the_diagram_is_an_image_with_a_name_and_a_text_equivalent(client, published_demo):
    program, _version = published_demo
    soup = BeautifulSoup(client.get(f"/p/{program.code}/").content, "html.parser")
    svg = soup.select_one("#forloebsdiagram svg")
    assert svg["role"] == "img"
    assert soup.find(id=svg["aria-labelledby"]).get_text().startswith("Forløbsdiagram.")
    assert "Livsfaser vandret" in soup.select_one("#diagram-text").get_text()
    assert len(soup.select("#forloebsdiagram .diagram-key li")) == 12  # numbered transitions


def test_the_parts_are_shown_in_full_with_formatted_text(client, published_demo):
    program, version = published_demo
    soup = BeautifulSoup(client.get(f"/p/{program.code}/").content, "html.parser")
    parts = soup.select("#forloebets-dele section.public-part")
    assert len(parts) > 10
    first = soup.select_one("#part-4-1-3")
    assert first is not None
    assert "Udredning og evt. diagnostik ved fødslen" in first.h3.get_text()
    assert first.select("p") and first.select(".point")  # effort text as paragraphs, points
    assert "Overgange" in first.get_text() or "Opmærksomhedspunkter" in first.get_text()


def test_the_page_is_in_english_for_a_reader_who_chose_english(client, published_demo):
    program, _version = published_demo
    client.cookies["django_language"] = "en"
    response = client.get(f"/p/{program.code}/")
    assert b'<html lang="en">' in response.content
    main = text_of(response)
    for phrase in ("Who does what", "Published version 1.0", "Next revision", "Give feedback"):
        assert phrase in main, phrase
    assert "Hvem gør hvad" not in main
    # The program's own text stays Danish, and says so.
    assert BeautifulSoup(response.content, "html.parser").select_one("h1")["lang"] == "da"


def test_the_page_reads_a_fixed_number_of_queries_however_many_versions(
    client, published_demo, django_assert_max_num_queries
):
    program, _version = published_demo
    with django_assert_max_num_queries(40) as one:
        client.get(f"/p/{program.code}/")
    for _n in range(3):
        published_version(program, major=False)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(f"/p/{program.code}/")
    assert "Offentliggjort version 1.3" in text_of(response, "#version-facts")


def test_the_pdf_of_a_published_version_links_to_its_public_page(published_demo):
    from django.conf import settings

    from pathways.pdf.render import version_document

    program, version = published_demo
    assert version_document(version).publication_url == f"{settings.SITE_URL}/p/{program.code}/"
