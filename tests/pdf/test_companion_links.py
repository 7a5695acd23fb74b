"""What the PDF prints of the companion references a part links (issue 14): its coordination
tools with who is responsible, its offers with provider and status (an ended offer reads
as ended), its needs without an offer, and the gap register in the implementation chapter
— for the demo's draft and for a published version read from its stored document."""

from __future__ import annotations

import copy

import pytest
from django.db import transaction

from pathways.pdf.document import build_document
from pathways.pdf.render import document_html, draft_pdf, table_of_contents
from pathways.programs.data import load_program_data
from pathways.programs.document import program_document
from pathways.programs.models import OfferGap, PartOffer, Program
from pathways.programs.offer_register import CompanionLinks
from tests.factories import published_version
from tests.pdf.pdf_text import flat, page_texts

pytestmark = [pytest.mark.real_pdf, pytest.mark.django_db]

TOOL = "Koordineringsmøde for unge 16-18 år"
COORDINATOR = "Koordinerende sagsbehandler, handicapområdet i bopælskommunen"
OFFERS = {
    "Ungdomsmedicinsk Videnscenter (UMV), Rigshospitalet": "Rigshospitalet",
    "LÆR AT TACKLE-kurser": "Komiteen for Sundhedsoplysning",
    "Sjældne-netværket": "Sjældne Diagnoser",
    "Mellemstore foreningers familieweekender og ungetræf": "Mellemstore patientforeninger",
}
ENDED = "Sjældne Familiedage"
# need → (life phase, the part as the PDF numbers it)
NEEDS = {
    "Patientuddannelse tilpasset voksne med udviklingshæmning": (
        "Voksenliv",
        "6.9.1 Patientuddannelse og mestring",
    ),
    "Søskendegrupper i Nordjylland": ("Fødsel og barndom", "6.9.2 Pårørendeperspektivet"),
}


@pytest.fixture(scope="module")
def exported(django_db_setup, demo_program_rows, django_db_blocker) -> dict[str, list[str]]:
    """The demo's draft and its first published version, rendered once for the module
    (their rows rolled back after)."""
    with django_db_blocker.unblock(), transaction.atomic():
        if not demo_program_rows.is_present():
            demo_program_rows.restore()
        (row,) = demo_program_rows.rows_of(Program)
        demo = Program.objects.get(pk=row["id"])
        pages = {"draft": page_texts(draft_pdf(demo))}
        version = published_version(Program.objects.get(pk=demo.pk))
        # The draft moves on: the version's PDF still names what it linked.
        PartOffer.objects.filter(program=demo).delete()
        pages["published"] = page_texts(bytes(version.pdf))
        transaction.set_rollback(True)
    return pages


def chapter(pages: list[str], start: str, end: str) -> str:
    """The flat text from the page where the chapter heading `start` stands (after the table
    of contents) up to the next chapter's heading."""
    text = "\n".join(pages)
    begin = text.index(start, text.index(end) + len(end))  # past the table of contents
    return flat(text[begin : text.index(end, begin)])


@pytest.mark.parametrize("name", ["draft", "published"])
def test_the_parts_print_their_tools_offers_and_needs(exported, name):
    parts = chapter(exported[name], "6. Forløbets dele", "7. Implementering")
    assert flat(TOOL) in parts
    assert flat(f"Ansvarlig: {COORDINATOR}") in parts
    for offer, provider in OFFERS.items():
        assert flat(offer) in parts and flat(provider) in parts
    assert flat("i drift (kortlagt 2018)") in parts
    # The ended offer says so in its row, and never reads as current.
    assert flat(f"{ENDED} Sjældne Diagnoser afsluttet (kortlagt 2018)") in parts
    assert flat(f"{ENDED} Sjældne Diagnoser i drift") not in parts
    for need, (phase, _part) in NEEDS.items():
        assert flat(f"{need} {phase}") in parts
    # Placed by the layout, not printed again as raw fields under their form labels.
    text = flat(" ".join(exported[name]))
    assert "koordineringsmoede-16-18" not in text


@pytest.mark.parametrize("name", ["draft", "published"])
def test_the_implementation_chapter_holds_the_gap_register(exported, name):
    implementation = chapter(exported[name], "7. Implementering", "8. Opfølgning")
    assert flat("Behov uden tilbud") in implementation
    # Each need under its part (the document's own numbering) and its life phase.
    for need, (phase, part) in NEEDS.items():
        assert flat(f"{part} {phase} {need}") in implementation


def test_no_identifier_is_printed(exported):
    for name, pages in exported.items():
        text = " ".join(pages)
        assert "sjaeldne-diagnoser-tilbud" not in text, name
        assert "socialstyrelsen-sjaeldne" not in text, name


def test_a_program_without_needs_says_so_and_lists_nothing_raw(demo_program):
    OfferGap.objects.filter(program=demo_program).delete()
    data = load_program_data(demo_program)
    doc = build_document(program_document(data), data.model(), version_label="x", is_draft=True)
    assert doc.offer_gaps == []
    html = document_html(doc)
    assert "Arbejdsgruppen har ikke registreret behov uden tilbud" in html
    assert ("offer-gaps", "Behov uden tilbud", 2) in [
        (e.anchor, e.title, e.level) for e in table_of_contents(doc)
    ]
    assert doc.unplaced == {k: [] for k in doc.unplaced}
    assert all(part.unplaced == [] for part in doc.parts)


def test_a_stored_document_resolves_its_entries_without_the_program(demo_program):
    """A published version's document names entries the program may have dropped since:
    they are found by their identifiers alone."""
    data = load_program_data(demo_program)
    document = copy.deepcopy(program_document(data))
    links = CompanionLinks(document, demo_program.model_version, known=())
    part = next(s for s in data.steps if s.is_part and s.section.number == "4.9.2")
    offers = {o.title: o for o in links.part(part.key).offers}
    assert offers[ENDED].ended and offers[ENDED].status == "afsluttet (kortlagt 2018)"
    assert offers[ENDED].provider == "Sjældne Diagnoser"


def test_a_field_added_to_a_part_is_still_printed_beside_the_lists(demo_program):
    """The PDF names a part's unplaced fields by the part's form labels, built from the
    model alone: the companion lists' forms must build without the program."""
    data = load_program_data(demo_program)
    document = copy.deepcopy(program_document(data))
    part = next(s for s in data.steps if s.is_part and s.section.number == "4.9.2")
    document["content"][part.key]["added_since"] = "Et felt tilføjet siden."
    doc = build_document(document, data.model(), version_label="x", is_draft=False)
    (view,) = [p for p in doc.parts if p.step.key == part.key]
    assert view.unplaced == [("added_since", "Et felt tilføjet siden.")]
    assert len(view.links.offers) == 2 and len(view.links.gaps) == 1
