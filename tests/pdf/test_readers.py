"""Readers first (issue 13): the overview answers who does what, when and whom to call; the
document numbers itself and cites the model; empty drafts say what is missing; no editorial
notes from the fixtures; clickable URLs. Each PDF is rendered once for the module."""

from __future__ import annotations

import pytest

from pathways.pdf.render import draft_document, draft_pdf
from tests.factories import ProgramFactory, UserFactory, published_version
from tests.pdf.pdf_text import flat, page_texts, reader

pytestmark = [pytest.mark.django_db, pytest.mark.real_pdf]


@pytest.fixture(scope="module")
def rendered() -> dict[str, bytes]:
    return {}


@pytest.fixture
def demo_pdf(rendered, demo_program) -> bytes:
    if "demo" not in rendered:
        rendered["demo"] = draft_pdf(demo_program)
    return rendered["demo"]


@pytest.fixture
def empty_pdf(rendered, generic_model) -> bytes:
    if "empty" not in rendered:
        rendered["empty"] = draft_pdf(ProgramFactory(owner=UserFactory()))
    return rendered["empty"]


@pytest.fixture
def published_pdf(rendered, demo_program) -> bytes:
    if "published" not in rendered:
        rendered["published"] = bytes(published_version(demo_program, change_note="1.0").pdf)
    return rendered["published"]


def begins(page: str, heading: str) -> bool:
    """Whether the page's text begins with `heading`, after a draft's "UDKAST" mark (the
    page background, drawn as an artifact, which text extraction still reads first)."""
    return page.lstrip().removeprefix("UDKAST").lstrip().startswith(heading)


def overview_text(pages: list[str]) -> str:
    start = next(i for i, t in enumerate(pages) if begins(t, "Overblik"))
    end = next(i for i, t in enumerate(pages) if begins(t, "Ansvarsmatrix"))
    assert end - start == 2, "the overview takes two pages, before the matrix"
    return flat(" ".join(pages[start:end]))


def test_the_overview_names_each_parts_responsible_actor_contact_and_deadlines(
    demo_pdf, demo_program
):
    doc = draft_document(demo_program)
    pages = page_texts(demo_pdf)
    overview = overview_text(pages)
    assert pages.index(next(p for p in pages if begins(p, "Overblik"))) == 2
    relevant = [p for p in doc.parts if p.relevant]
    assert len(relevant) == 14
    for part in relevant:
        assert flat(f"{part.number} {part.title}") in overview, part.model_number
        assert part.responsible and flat(part.responsible) in overview
        assert part.responsible_contact and flat(part.responsible_contact) in overview
        assert flat(part.deadlines[:80]) in overview
    # Transition triggers (ages), contact persons and the target group with its codes.
    assert flat("Transitionssamtale ved 14-15 år") in overview
    assert flat("Patientansvarlig læge") in overview and flat(doc.doctor) in overview
    assert flat(doc.coordinator_contact) in overview
    assert flat("DQ871 (Q87.1)") in overview and flat(doc.grouping) in overview


def test_no_fixture_notes_no_duplicated_prefixes_and_a_cover_without_a_code_dump(demo_pdf):
    pages = page_texts(demo_pdf)
    text = flat(" ".join(pages))
    for note in ("i kilden", "slutnote", "udtrækket", "navngives ikke"):
        assert flat(note) not in text, note
    assert "ORPHA ORPHA" not in " ".join(pages)
    assert "ORPHA:908" in " ".join(pages)
    cover = pages[0]
    assert "Sjældne sygdomme med udviklingshæmning" in cover
    assert "DQ992" not in cover and "ORPHA" not in cover
    assert "Fuldstændighed 100 %" in cover  # a draft carries its completeness


def test_one_numbering_the_model_cited_and_the_part_in_the_running_header(demo_pdf):
    pages = page_texts(demo_pdf)
    text = " ".join(pages)
    assert "Opmærksomhedspunkter (" not in text
    assert "jf. generisk model 4.1.3" in text
    assert "6.4 Sociale overgange med mulige udfordringer af sundhedsfaglig karakter" in text
    # 4.1.1's points run over several pages; a page that only continues the part names it
    # in its running header (the part's own heading is on an earlier page).
    continued = [
        p
        for p in pages
        if "jf. generisk model 4.1.1/" in p and "jf. generisk model 4.1.1\n" not in p
    ]
    continued = [p for p in continued if "jf. generisk model 4.1.2\n" not in p]
    assert continued
    assert all(flat("6.1.1 Diagnostik og rådgivning") in flat(p) for p in continued)


def test_urls_are_links_with_a_uri(demo_pdf):
    uris = [
        str(annot.get_object()["/A"]["/URI"])
        for page in reader(demo_pdf).pages
        for annot in page.get("/Annots", [])
        if "/URI" in annot.get_object().get("/A", {})
    ]
    assert any("orpha.net" in uri for uri in uris), uris
    assert any("/programmer/" in uri for uri in uris)  # the colophon's address


def test_an_empty_draft_says_what_is_not_answered_and_claims_no_relevance(empty_pdf):
    pages = page_texts(empty_pdf)
    text = " ".join(pages)
    assert "ikke besvaret" in text
    assert flat("Alle dele og opmærksomhedspunkter er vurderet relevante") not in flat(text)
    assert "Endnu ikke vurderet" in text
    cover = pages[0]
    assert "Fuldstændighed 0 % af opmærksomhedspunkterne besvaret" in cover
    assert " mangler" in cover


def test_a_published_version_prints_no_routine_status_and_a_full_colophon(published_pdf):
    pages = page_texts(published_pdf)
    text = " ".join(pages)
    assert "Status: Håndteret" not in text
    assert "Status: Tilpasset lokalt" in text  # a status that says something is kept
    colophon = flat(pages[1])
    for label in ("Udgiver", "Kontakt", "Godkendt af", "Offentliggjort på", "Næste revision"):
        assert flat(label) in colophon, label
    assert flat("Versionshistorik") in colophon and flat("Genbrug") in colophon
    assert "Fuldstændighed" not in pages[0]


def test_no_page_after_the_cover_holds_only_a_sentence(demo_pdf):
    """Page hygiene: a short chapter (Bilag A says in one sentence that everything was
    judged relevant) does not get a page of its own."""
    pages = page_texts(demo_pdf)
    # Running header (title, chapter) and footer ("Side n af m") take about 25 words.
    thin = {n: len(text.split()) for n, text in enumerate(pages[1:], start=2)}
    assert {n: words for n, words in thin.items() if words < 60} == {}
