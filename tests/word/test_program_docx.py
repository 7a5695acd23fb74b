"""The program as a Word file: read back with python-docx as a reviewer's Word would show it —
headings in the navigation pane, real tables, the answers, and for a published version
what was published, not the draft since."""

from __future__ import annotations

import io
from urllib.parse import unquote

import docx
import pytest
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import override
from docx.oxml.ns import qn

from pathways.formatted_text import Paragraph as TextParagraph
from pathways.formatted_text import blocks
from pathways.pdf.document import chapter_titles
from pathways.pdf.render import draft_document
from pathways.programs.models import AttentionPointAnswer, PartAnswer, Program, ProgramActor
from pathways.word.writing import CONTENT_TYPE
from tests.factories import UserFactory, published_version
from tests.pdf.test_export import expected_matrix

pytestmark = pytest.mark.django_db


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    return response


def read(content: bytes):
    return docx.Document(io.BytesIO(content))


def headings(document) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading") or p.style.name == "Title"
    ]


def everything(document) -> str:
    """All text a reader sees: paragraphs and table cells."""
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    return "\n".join(texts)


def table_with_header(document, *first_cells: str):
    found = [
        t
        for t in document.tables
        if [c.text for c in t.rows[0].cells][: len(first_cells)] == list(first_cells)
    ]
    assert len(found) == 1, (first_cells, len(found))
    return found[0]


def is_repeating_header(row) -> bool:
    tr_pr = row._tr.trPr
    return tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def first_paragraph(text: str) -> str:
    """The first paragraph of a formatted answer as Word shows it (Markdown marks gone)."""
    first = blocks(text)[0]
    while not isinstance(first, TextParagraph):
        first = first.items[0][0]
    return "".join(run.text for run in first.runs)


@pytest.fixture
def draft(client, demo_program):
    client.force_login(demo_program.created_by)
    return download(client, reverse("word:program", args=[demo_program.code]))


def test_the_draft_downloads_as_a_danish_docx_with_its_title_and_status(draft, demo_program):
    disposition = unquote(draft["Content-Disposition"])
    assert disposition.startswith("attachment;")
    assert disposition.endswith("-udkast.docx") and "forløbsprogram" in disposition
    document = read(draft.content)
    assert document.core_properties.title == demo_program.title
    assert document.core_properties.language == "da-DK"
    lang = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "da-DK"
    # The title page: the title in Word's Title style, then a line with code, status, date.
    assert headings(document)[0] == ("Title", demo_program.title)
    with override("da"):
        today = dateformat.format(timezone.localdate(), "j. F Y")
    line = next(p.text for p in document.paragraphs if p.text.startswith("Kort kode:"))
    assert demo_program.code in line
    assert "Udkast – ikke godkendt" in line and "Version: Udkast" in line
    assert today in line


def test_chapters_and_parts_are_word_headings_for_the_navigation_pane(draft, demo_program):
    found = headings(read(draft.content))
    for title in chapter_titles().values():
        assert ("Heading 1", title) in found, title
    for appendix in ("Bilag A. Vurderet ikke relevant", "Bilag B. Videnskilder og lovgrundlag"):
        assert ("Heading 1", appendix) in found
    # Part 4.1.3 of the model, nested under 4.1 as in the model: a level 3 heading.
    answer = PartAnswer.objects.select_related("section").get(
        program=demo_program, section__number="4.1.3"
    )
    number = next(p.number for p in draft_document(demo_program).parts if p.model_number == "4.1.3")
    assert number.startswith("6.1.")
    assert ("Heading 3", f"{number} {answer.section.title}") in found
    # Chapter order is the PDF's.
    chapter_order = [text for style, text in found if style == "Heading 1" and text[:1].isdigit()]
    assert chapter_order == list(chapter_titles().values())


def test_the_responsibility_matrix_is_a_word_table_with_the_programs_cells(draft, demo_program):
    document = read(draft.content)
    matrix = next(
        t
        for t in document.tables
        if t.rows[0].cells[0].text == "Aktør" and t.rows[0].cells[1].text.startswith("6.")
    )
    assert is_repeating_header(matrix.rows[0])
    assert not is_repeating_header(matrix.rows[1])
    header = [c.text for c in matrix.rows[0].cells]
    numbers = {p.model_number: p.number for p in draft_document(demo_program).parts if p.number}
    part = PartAnswer.objects.select_related("section").get(
        program=demo_program, section__number="4.1.3"
    )
    assert f"{numbers['4.1.3']} {part.section.title}" in header
    columns = {text.split(" ", 1)[0]: i for i, text in enumerate(header)}
    printed = {}
    for row in matrix.rows[1:]:
        cells = [c.text for c in row.cells]
        for number, index in columns.items():
            if index and cells[index]:
                printed[(cells[0], number)] = cells[index]
    expected = {
        (name, numbers[section]): cell
        for (name, section), cell in expected_matrix(demo_program).items()
    }
    assert "A" in expected.values() and "D" in expected.values()
    assert printed == expected
    actors = ProgramActor.objects.filter(program=demo_program).order_by("position", "pk")
    assert [row.cells[0].text for row in matrix.rows[1:]] == [a.name for a in actors]
    assert printed[(part.responsible.name, numbers["4.1.3"])].startswith("A")


def test_the_actors_are_a_word_table_with_header_and_their_details(draft, demo_program):
    document = read(draft.content)
    table = table_with_header(document, "Aktør", "Aktørtype", "Enhed", "Kontakt", "Visitation")
    assert is_repeating_header(table.rows[0])
    actor = ProgramActor.objects.filter(program=demo_program).order_by("position", "pk").first()
    row = [c.text for c in table.rows[1].cells]
    assert row[0] == actor.name
    assert row[2:5] == [actor.unit, actor.contact_point, actor.visitation_entry]
    assert actor.actor_type.name in row[1]
    assert len(table.rows) == 1 + ProgramActor.objects.filter(program=demo_program).count()


def test_every_answer_and_the_purpose_are_in_the_document(draft, demo_program):
    text = everything(read(draft.content))
    assert "Programmet skal give børn, unge og voksne i Region Nordjylland" in text
    answers = AttentionPointAnswer.objects.filter(program=demo_program)
    assert answers.count() == 58
    for answer in answers.select_related("attention_point"):
        assert first_paragraph(answer.answer) in text, answer.attention_point.reference


def test_the_offer_gap_register_is_a_word_table(draft, demo_program):
    document = read(draft.content)
    table = table_with_header(document, "Del", "Livsfase", "Behov", "Bemærkning")
    assert is_repeating_header(table.rows[0])
    gaps = draft_document(demo_program).offer_gaps
    assert gaps
    assert [row.cells[2].text for row in table.rows[1:]] == [gap.need for _part, gap in gaps]


def test_a_formatted_answer_keeps_its_lists_as_word_list_paragraphs(client, demo_program):
    answer = AttentionPointAnswer.objects.filter(program=demo_program).first()
    answer.answer = "Sådan:\n\n- **første** punkt\n- andet punkt\n\n1. et\n2. to"
    answer.save()
    client.force_login(demo_program.created_by)
    document = read(download(client, reverse("word:program", args=[demo_program.code])).content)
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("List Bullet", "første punkt") in styled
    assert ("List Bullet", "andet punkt") in styled
    assert ("List Number", "et") in styled
    bold = [
        r.text for p in document.paragraphs if p.text == "første punkt" for r in p.runs if r.bold
    ]
    assert bold == ["første"]
    assert "- **første** punkt" not in everything(document)


def test_outsiders_get_404_and_the_anonymous_are_sent_to_log_in(client, demo_program):
    draft_url = reverse("word:program", args=[demo_program.code])
    version_url = reverse("word:version", args=[demo_program.code, "1.0"])
    assert client.get(draft_url).status_code == 302
    client.force_login(UserFactory(username="udenforstaaende"))
    assert client.get(draft_url).status_code == 404
    # No published version yet: nothing to show an outsider either.
    assert client.get(version_url).status_code == 404
    assert client.post(draft_url).status_code == 405


def test_a_published_version_shows_what_was_published_not_the_later_draft(client, demo_program):
    answer = AttentionPointAnswer.objects.filter(program=demo_program).first()
    published_text = first_paragraph(answer.answer)
    title = demo_program.title
    published_version(demo_program, change_note="Første godkendte version.")
    # The draft changes after publishing: a new answer and a new title.
    answer.answer = "Ændret efter offentliggørelsen."
    answer.save()
    Program.objects.filter(pk=demo_program.pk).update(title="Omdøbt udkast")

    client.force_login(demo_program.created_by)
    url = reverse("word:version", args=[demo_program.code, "1.0"])
    response = download(client, url)
    assert unquote(response["Content-Disposition"]).endswith("-version-1.0.docx")
    assert "omdøbt" not in unquote(response["Content-Disposition"]).lower()
    version = read(response.content)
    text = everything(version)
    assert published_text in text
    assert "Ændret efter offentliggørelsen." not in text
    assert version.core_properties.title == title
    line = next(p.text for p in version.paragraphs if p.text.startswith("Kort kode:"))
    assert "Godkendt og offentliggjort" in line and "Version: 1.0" in line
    assert "Første godkendte version." in text  # the version history table

    draft = read(download(client, reverse("word:program", args=[demo_program.code])).content)
    assert "Ændret efter offentliggørelsen." in everything(draft)

    # Published: any signed-in user may read it; an unknown version is still 404.
    client.force_login(UserFactory(username="laeser-udefra"))
    assert client.get(url).status_code == 200
    missing = reverse("word:version", args=[demo_program.code, "9.9"])
    assert client.get(missing).status_code == 404


def test_the_program_review_and_version_pages_link_to_the_word_files(client, demo_program):
    published_version(demo_program, change_note="Første godkendte version.")
    client.force_login(demo_program.created_by)
    draft_link = reverse("word:program", args=[demo_program.code])
    version_link = reverse("word:version", args=[demo_program.code, "1.0"])
    detail = client.get(reverse("programs:detail", args=[demo_program.code])).content.decode()
    assert f'href="{draft_link}"' in detail and f'href="{version_link}"' in detail
    review = client.get(reverse("programs:review", args=[demo_program.code])).content.decode()
    assert f'href="{draft_link}"' in review
    version = client.get(reverse("versions:detail", args=[demo_program.code, "1.0"]))
    assert f'href="{version_link}"' in version.content.decode()
