"""What the PDF prints of the chapter 4 introduction's fields and of the actors (issue 11):
the pathway step's three texts, each hospital actor's specialisation level, each actor's
decision on who delivers a reform-moved task from 2027, and diagnosis codes in both forms."""

from __future__ import annotations

import copy

import pytest

from pathways.pdf.document import build_document
from pathways.pdf.render import document_html, draft_document, html_to_pdf, table_of_contents
from pathways.programs.data import load_program_data
from pathways.programs.document import program_document
from pathways.programs.models import Program, ProgramActor
from tests.factories import UserFactory, small_program
from tests.pdf.pdf_text import flat, page_texts

pytestmark = pytest.mark.django_db

SOCIAL = "Kommunen starter den socialfaglige udredning ved mistanke, før diagnosen."
CHILDREN = "Børn følges i børneafdelingen; fra 18 år i neurologisk ambulatorium."
CONTROL = "Årlig kontrol i børneafdelingen (regionsfunktion), egen læge imellem."
DECISION = "Region Nordjylland efter Sundhedsrådets beslutning"


@pytest.fixture
def program(generic_model) -> Program:
    """small_program (one actor, ICD-10 code DQ871) with the new fields filled in and saved."""
    program = small_program(owner=UserFactory())
    Program.objects.filter(pk=program.pk).update(
        pathway_social_assessment=SOCIAL,
        pathway_children_and_adults=CHILDREN,
        pathway_control_program=CONTROL,
    )
    ProgramActor.objects.filter(program=program).update(
        specialisation_level="hoejt_specialiseret", delivered_from_2027_by=DECISION
    )
    return Program.objects.get(pk=program.pk)


def test_the_pdf_prints_the_pathway_step_levels_decisions_and_codes_in_both_forms(program):
    doc = draft_document(program)
    assert doc.pathway == [
        ("Parallel social udredning", SOCIAL),
        ("Børn og voksne", CHILDREN),
        ("Kontrolprogram", CONTROL),
    ]
    assert ("pathway", "Forløbet som helhed", 2) in [
        (e.anchor, e.title, e.level) for e in table_of_contents(doc)
    ]
    assert doc.unplaced["pathway"] == []  # every field has its place
    (actor,) = doc.actors
    assert actor.specialisation_level == "Højt specialiseret funktion"

    pages = page_texts(html_to_pdf(document_html(doc)))
    text = flat(" ".join(pages))
    parts_chapter = flat(" ".join(p for p in pages if "6. Forløbets dele" in p))
    for value in (SOCIAL, CHILDREN, CONTROL):
        assert flat(value) in parts_chapter
    actors_chapter = flat(" ".join(p for p in pages if "4. Aktører" in p))
    assert flat("Højt specialiseret funktion") in actors_chapter
    assert flat(f"Fra 1. januar 2027: {DECISION}") in actors_chapter
    # The stored SKS form with the WHO form beside it, on the cover and in the target group.
    assert text.count(flat("DQ871 (Q87.1)")) >= 2


def test_nothing_is_printed_for_what_a_document_does_not_hold(program):
    """A version published before the step existed has no "forloeb"; an actor with no
    level or decision prints none (no empty labels)."""
    data = load_program_data(program)
    document = copy.deepcopy(program_document(data))
    del document["content"]["forloeb"]
    row = document["content"]["aktoerer"]["actors"][0]
    row.pop("specialisation_level")
    row["delivered_from_2027_by"] = ""
    doc = build_document(document, data.model(), version_label="1.0", is_draft=False)
    assert doc.pathway == []
    assert "pathway" not in [e.anchor for e in table_of_contents(doc)]
    html = document_html(doc)
    assert "Forløbet som helhed" not in html
    assert "Fra 1. januar 2027" not in html
    assert doc.actors[0].specialisation_level == ""


def test_the_demo_pdf_prints_each_hospital_level_and_its_reform_decision(demo_program):
    doc = draft_document(demo_program)
    by_name = {a.name: a for a in doc.actors}
    assert by_name["Center for Sjældne Sygdomme, Aarhus Universitetshospital"].specialisation_level
    decided = [a for a in doc.actors if a.delivered_from_2027_by]
    assert [a.name for a in decided] == ["Genoptræning og rehabilitering i bopælskommunen"]
    assert all(label and text for label, text in doc.pathway)
    assert any(code.startswith("ICD-10 DQ992 (Q99.2)") for code in doc.codes)
