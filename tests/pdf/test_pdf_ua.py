"""The exported PDFs pass the structural PDF/UA-1 check (tests/pdf/pdf_ua.py): the demo's
draft, an empty draft and a published version of the demo, each rendered once."""

from __future__ import annotations

import io

import pikepdf
import pytest
from bs4 import BeautifulSoup
from django.db import transaction
from django.utils import timezone
from weasyprint import HTML

from pathways.pdf.render import document_html, draft_document, draft_pdf, html_to_pdf
from pathways.programs.models import Program
from tests.factories import ProgramFactory, published_version
from tests.pdf.pdf_text import page_texts
from tests.pdf.pdf_ua import orphan_count, pdf_ua_problems, structure_elements

# django_db: pytest-django sets up the test database only for tests that ask for it.
pytestmark = [pytest.mark.real_pdf, pytest.mark.django_db]


@pytest.fixture(scope="module")
def exported(django_db_setup, demo_program_rows, django_db_blocker) -> dict[str, dict]:
    """The three documents, rendered once for the module (their rows rolled back after)."""
    with django_db_blocker.unblock(), transaction.atomic():
        if not demo_program_rows.is_present():
            demo_program_rows.restore()
        (row,) = demo_program_rows.rows_of(Program)
        demo = Program.objects.get(pk=row["id"])
        empty = ProgramFactory()
        documents = {
            "demo draft": {
                "pdf": draft_pdf(demo),
                "html": document_html(draft_document(demo)),
            },
            "empty draft": {"pdf": draft_pdf(empty)},
        }
        version = published_version(Program.objects.get(pk=demo.pk))
        documents["published"] = {
            "pdf": bytes(version.pdf),
            "date": timezone.localdate(version.published_at),
        }
        transaction.set_rollback(True)
    return documents


@pytest.mark.parametrize("name", ["demo draft", "empty draft", "published"])
def test_the_structural_pdf_ua_check_passes(exported, name):
    assert pdf_ua_problems(exported[name]["pdf"]) == []


def test_the_draft_mark_is_on_every_page_but_not_content(exported):
    """UDKAST is drawn as the pages' background (an artifact), so no screen reader reads it:
    the document's own text does not hold it, yet every page shows it."""
    demo = exported["demo draft"]
    body = BeautifulSoup(demo["html"], "html.parser").body
    assert "UDKAST" not in body.get_text()
    assert all("UDKAST" in text for text in page_texts(demo["pdf"]))
    assert not any("UDKAST" in text for text in page_texts(exported["published"]["pdf"]))


def test_one_logical_table_is_one_table_and_headers_have_both_scopes(exported):
    demo = exported["demo draft"]
    pdf = pikepdf.open(io.BytesIO(demo["pdf"]))
    types = [str(e.S) for e, _depth in structure_elements(pdf)]
    # The matrix runs over a page break; its continuation is not a second table, and the
    # header repeated on the new page is not a second header row.
    assert types.count("/Table") == demo["html"].count("<table")
    assert types.count("/THead") == demo["html"].count("<thead")
    scopes = {str(e.A.Scope) for e, _depth in structure_elements(pdf) if e.S == "/TH"}
    assert scopes == {"/Row", "/Column"}  # the matrix names actors per row


def test_links_describe_themselves_in_danish(exported):
    pdf = pikepdf.open(io.BytesIO(exported["demo draft"]["pdf"]))
    links = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
    external = [a for a in links if "/A" in a and "/URI" in a.A]
    internal = [a for a in links if not ("/A" in a and "/URI" in a.A)]
    assert "Gå til 1. Baggrund og formål" in {str(a.Contents) for a in internal}
    assert all(str(a.Contents).startswith("Gå til ") for a in internal)
    # Web addresses (the colophon, the model's resources) say that they open a page.
    assert external and all(str(a.Contents).startswith("Åbn ") for a in external)


def test_a_published_version_was_created_on_its_publication_date(exported):
    published = exported["published"]
    pdf = pikepdf.open(io.BytesIO(published["pdf"]))
    assert str(pdf.docinfo.CreationDate).startswith(f"D:{published['date']:%Y%m%d}")
    assert (
        f"<xmp:CreateDate>{published['date']:%Y-%m-%d}" in pdf.Root.Metadata.read_bytes().decode()
    )


SPLIT_TABLE = """<!doctype html><html lang="da"><head><title>T</title><style>
@page { size: A6; @bottom-center { content: "Side " counter(page); } }
</style></head><body>
<ol><li><a href="#t">Tabellen</a></li><li><a href="#u">Links</a></li></ol>
<h1 id="t">Tabel</h1>
<table><thead><tr><th scope="col">Navn</th><th scope="col">Rolle</th></tr></thead><tbody>
{rows}
</tbody></table>
<h2 id="u">Links</h2><p><a href="https://example.org/">https://example.org/</a></p>
</body></html>"""


def test_finishing_mends_what_weasyprint_writes():
    """On a small document: WeasyPrint alone fails the check (orphaned page numbers, a
    table split in two, no scopes, no TOC, bare link targets); the export passes it."""
    html = SPLIT_TABLE.replace(
        "{rows}",
        "".join(f'<tr><th scope="row">Person {i}</th><td>Rolle {i}</td></tr>' for i in range(40)),
    )
    raw = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    finished = html_to_pdf(html)
    assert len(pikepdf.open(io.BytesIO(finished)).pages) > 1

    assert orphan_count(raw) > 0
    assert orphan_count(finished) == 0
    problems = pdf_ua_problems(raw)
    assert "a TH without /Scope" in problems
    assert "no table of contents tagged TOC/TOCI" in problems
    # The document has no creation date: everything else is mended.
    assert pdf_ua_problems(finished) == ["XMP: no xmp:CreateDate", "Info: no /CreationDate"]

    def table_count(content):
        pdf = pikepdf.open(io.BytesIO(content))
        return [str(e.S) for e, _depth in structure_elements(pdf)].count("/Table")

    assert table_count(raw) > 1
    assert table_count(finished) == 1
    pdf = pikepdf.open(io.BytesIO(finished))
    descriptions = [str(a.Contents) for page in pdf.pages for a in page.obj.get("/Annots", [])]
    assert "Gå til Tabellen" in descriptions
    assert "Åbn https://example.org/" in descriptions
