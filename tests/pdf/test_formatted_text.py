"""A list pasted from Word into an answer is a real list in the PDF: read back as its items,
and tagged as a list (L with LI elements) for screen readers."""

from __future__ import annotations

import pytest

from pathways.pdf.render import document_html, draft_document, html_to_pdf
from pathways.programs.models import AttentionPointAnswer, Program
from tests.factories import UserFactory, small_program
from tests.pdf.pdf_text import page_texts, reader

pytestmark = pytest.mark.django_db

PURPOSE = "Programmet skal sikre:\n•\tTidlig diagnose\n•\tKoordineret opfølgning"
ANSWER = "Sådan gør vi:\n1.\tBørneafdelingen henviser\n2.\tKommunen visiterer\n\n**Fed** afslutning"


def marked_texts(pdf: bytes) -> dict[tuple[int, int], str]:
    """(page object number, MCID) → the text drawn inside that marked-content sequence."""
    texts: dict[tuple[int, int], str] = {}
    for page in reader(pdf).pages:
        number = page.indirect_reference.idnum
        open_ids: list[int | None] = []

        def before(operator, operands, _cm, _tm, open_ids=open_ids):
            if operator == b"BDC":
                props = operands[1] if len(operands) > 1 else None
                open_ids.append(props.get("/MCID") if hasattr(props, "get") else None)
            elif operator == b"BMC":
                open_ids.append(None)
            elif operator == b"EMC" and open_ids:
                open_ids.pop()

        def text(found, _cm, _tm, _font, _size, number=number, open_ids=open_ids):
            mcid = next((m for m in reversed(open_ids) if m is not None), None)
            if mcid is not None:
                key = (number, int(mcid))
                texts[key] = texts.get(key, "") + found

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return texts


def tagged_as(pdf: bytes, wanted: str) -> list[list[str]]:
    """For each marked-content sequence whose text contains `wanted`, the structure types
    from the root down to it (e.g. [..., "/L", "/LI", "/LBody", "/Span"])."""
    texts = marked_texts(pdf)
    found: list[list[str]] = []

    def visit(node, chain: list[str], page) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                visit(child, chain, page)
            return
        if isinstance(node, int):
            if wanted in texts.get((page.idnum, node), ""):
                found.append(chain)
            return
        if not hasattr(node, "get"):
            return
        if "/MCID" in node:  # a marked-content reference with its own page
            visit(int(node["/MCID"]), chain, node.raw_get("/Pg") if "/Pg" in node else page)
            return
        page = node.raw_get("/Pg") if "/Pg" in node else page
        chain = [*chain, str(node["/S"])] if "/S" in node else chain
        if "/K" in node:
            visit(node["/K"], chain, page)

    visit(reader(pdf).trailer["/Root"]["/StructTreeRoot"], [], None)
    return found


@pytest.fixture
def program(generic_model) -> Program:
    program = small_program(owner=UserFactory())
    Program.objects.filter(pk=program.pk).update(purpose=PURPOSE)
    AttentionPointAnswer.objects.filter(program=program).update(answer=ANSWER)
    return Program.objects.get(pk=program.pk)


def test_a_pasted_word_list_is_a_list_in_the_pdf(program):
    html = document_html(draft_document(program))
    assert "<li>Tidlig diagnose</li>" in html
    assert "<li>Børneafdelingen henviser</li>" in html
    assert "•" not in html

    pdf = html_to_pdf(html)
    text = "\n".join(page_texts(pdf))
    # Read back: each item is a line of its own, without the "•" or "1." the planner
    # pasted (the list draws its markers); the paragraph before it is a line of its own.
    lines = [line.strip() for line in text.splitlines()]
    for line in ("Programmet skal sikre:", "Tidlig diagnose", "Koordineret opfølgning"):
        assert line in lines
    for line in ("Sådan gør vi:", "Børneafdelingen henviser", "Kommunen visiterer"):
        assert line in lines
    assert "Fed afslutning" in lines

    # Tagged for screen readers: the items are LI elements of an L.
    for item in ("Tidlig diagnose", "Børneafdelingen henviser"):
        chains = tagged_as(pdf, item)
        assert chains, item
        assert all(chain[-4:-1] == ["/L", "/LI", "/LBody"] for chain in chains), chains
    assert all("/LI" not in chain for chain in tagged_as(pdf, "Programmet skal sikre"))
