"""The general Word helpers (pathways/word/writing.py), read back with python-docx."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn

from pathways.word import writing as w


def reread(doc):
    return docx.Document(io.BytesIO(w.to_bytes(doc)))


def test_a_new_document_is_titled_and_in_danish():
    doc = reread(w.new_document("Høringsnotat", "da-DK", author="Region Nordjylland"))
    assert doc.core_properties.title == "Høringsnotat"
    assert doc.core_properties.language == "da-DK"
    assert doc.core_properties.author == "Region Nordjylland"
    lang = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "da-DK"


def test_headings_tables_and_paragraphs():
    doc = w.new_document("X")
    w.heading(doc, "Høringssvar", 1)
    w.heading(doc, "Fra kommunerne", 2)
    w.table(doc, ["Part", "Svar"], [["Aalborg Kommune", "Ingen\nbemærkninger"], ["B", "C"]])
    w.paragraphs(doc, "Første afsnit\nmed linjeskift\n\nAndet afsnit")
    w.label_value(doc, "Status", "", empty="ikke besvaret")
    back = reread(doc)
    styled = [(p.style.name, p.text) for p in back.paragraphs]
    assert styled[:2] == [("Heading 1", "Høringssvar"), ("Heading 2", "Fra kommunerne")]
    assert ("Normal", "Første afsnit\nmed linjeskift") in styled
    assert ("Normal", "Andet afsnit") in styled
    assert ("Normal", "Status: ikke besvaret") in styled
    (table,) = back.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows == [["Part", "Svar"], ["Aalborg Kommune", "Ingen\nbemærkninger"], ["B", "C"]]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r.bold for r in table.rows[0].cells[0].paragraphs[0].runs)
    assert table.rows[1]._tr.trPr is None or table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None


def test_formatted_text_keeps_emphasis_links_and_restarts_each_numbered_list():
    doc = w.new_document("X")
    w.formatted(doc, "*Se* [siden](https://example.org)\n\n1. a\n2. b\n\nmellem\n\n3. c\n4. d")
    w.formatted(doc, "", empty="ikke besvaret")
    back = reread(doc)
    paragraphs = back.paragraphs
    assert paragraphs[0].text == "Se siden"
    assert paragraphs[0].runs[0].italic
    (link,) = paragraphs[0].hyperlinks
    assert link.address == "https://example.org" and link.text == "siden"
    numbered = [p for p in paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["a", "b", "c", "d"]
    # Each list has a numbering instance of its own, starting where the text starts it.
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]
    numbering = back.part.numbering_part.element
    start = numbering.num_having_numId(num_ids[2]).find(".//" + qn("w:startOverride"))
    assert start.get(qn("w:val")) == "3"
    assert paragraphs[-1].text == "ikke besvaret"


def test_a_response_downloads_a_docx_with_its_name():
    response = w.docx_response(b"PK", "høringsnotat")
    assert response["Content-Type"] == w.CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="hoeringsnotat.docx"')
