"""The PDF says what the program document says: drafts and published versions alike."""

from __future__ import annotations

import copy

import pytest
from django import forms
from django.utils import translation

from pathways.pdf.document import LAID_OUT, build_document
from pathways.pdf.render import document_html, draft_document, html_to_pdf, version_pdf_html
from pathways.programs.data import load_program_data
from pathways.programs.document import program_document
from pathways.programs.models import AttentionPointAnswer, Program, ProgramActor
from pathways.programs.step_kinds.implementation import ImplementationForm
from pathways.programs.steps import StepKind
from pathways.versions.models import ProgramVersion
from tests.factories import UserFactory, published_version, small_program
from tests.pdf.pdf_text import flat, page_texts

pytestmark = pytest.mark.django_db


def test_the_pdf_prints_the_document_not_the_rows(generic_model):
    program = small_program(owner=UserFactory())
    data = load_program_data(program)
    document = copy.deepcopy(program_document(data))
    content = document["content"]
    part = next(
        s for s in data.steps if s.is_part and s.key in content and s.section.number == "4.4"
    )
    actors = next(s for s in data.steps if s.kind == StepKind.ACTORS)
    content[part.key]["effort"] = "Indsatsen står kun i dokumentet."
    content[actors.key]["actors"][0]["name"] = "Omdøbt i dokumentet"
    content[actors.key]["actors"][0]["unit"] = "Enhed fra dokumentet"

    doc = build_document(document, data.model(), version_label="Udkast", is_draft=True)
    text = flat(" ".join(page_texts(html_to_pdf(document_html(doc)))))

    assert flat("Indsatsen står kun i dokumentet.") in text
    assert flat("Enhed fra dokumentet") in text
    # The actor is renamed everywhere it is named: actor list, part, transition, matrix.
    assert text.count(flat("Omdøbt i dokumentet")) >= 4
    assert flat("Børneafdelingen") not in text  # the row's name
    assert ProgramActor.objects.get(program=program).name == "Børneafdelingen"


@pytest.mark.real_pdf
def test_a_version_re_rendered_from_its_stored_document_prints_its_stored_pdf(demo_program):
    first = published_version(demo_program, change_note="Første version.")
    # The draft moves on and is published again: neither may leak into version 1.0.
    AttentionPointAnswer.objects.filter(program=demo_program).update(answer="Senere svar.")
    ProgramActor.objects.filter(program=demo_program).update(unit="Senere enhed")
    published_version(demo_program, major=False, change_note="Anden version.")

    stored = ProgramVersion.objects.get(pk=first.pk)  # the document as read back from JSON
    again = page_texts(html_to_pdf(version_pdf_html(stored)))

    assert again == page_texts(bytes(stored.pdf))
    assert "Anden version." not in " ".join(again)


def test_the_same_document_gives_the_same_pdf_in_any_ui_language(generic_model):
    program = small_program(owner=UserFactory())
    version = published_version(program, change_note="Første version.")
    version = ProgramVersion.objects.get(pk=version.pk)
    with translation.override("en"):
        english = version_pdf_html(version)
    with translation.override("da"):
        danish = version_pdf_html(version)
    assert english == danish
    # The routine status of an answered point is not printed (issue 13); the model is cited.
    assert "Håndteret" not in danish and "jf. generisk model" in danish
    assert "Offentliggjort" in danish  # version history
    # The draft, exported by a reader of either language, after that version.
    program = Program.objects.get(pk=program.pk)
    with translation.override("en"):
        english = document_html(draft_document(program))
    assert english == document_html(draft_document(program))


def test_the_pdf_lays_out_every_field_a_step_has_today(demo_program):
    """Every field of the demo's document has its place in the layout: none falls through
    to the list of fields added since (below)."""
    data = load_program_data(demo_program)
    document = program_document(data)
    for step in data.steps:
        fields = set(document["content"].get(step.key, {}))
        assert fields <= LAID_OUT.get(step.kind, frozenset()), (step.key, fields)


def test_a_field_added_to_a_step_is_printed_under_its_label(generic_model, monkeypatch):
    """Adding a field to a step (its definition, the model, a migration) needs no PDF
    edit: what the layout does not place is printed at the end of the step's chapter."""
    monkeypatch.setitem(
        ImplementationForm.base_fields,
        "contact_email",
        forms.CharField(label="Kontakt-e-mail for implementeringen", required=False),
    )
    program = small_program(owner=UserFactory())
    data = load_program_data(program)
    document = copy.deepcopy(program_document(data))
    step = next(s for s in data.steps if s.kind == StepKind.IMPLEMENTATION)
    document["content"][step.key]["contact_email"] = "implementering@region.dk"
    doc = build_document(document, data.model(), version_label="Udkast", is_draft=True)
    assert doc.unplaced["implementation"] == [
        ("Kontakt-e-mail for implementeringen", "implementering@region.dk")
    ]
    html = document_html(doc)
    assert "Kontakt-e-mail for implementeringen" in html
    assert "implementering@region.dk" in html


def test_the_patient_responsible_doctor_can_differ_by_part(demo_program):
    """2.4, 4.8: e.g. the paediatric department in childhood, general practice after
    discharge. Each part names who holds the role; the matrix marks it with P."""
    data = load_program_data(demo_program)
    document = copy.deepcopy(program_document(data))
    actors = document["content"]["aktoerer"]
    program_doctor = actors["patient_responsible_doctor"]
    other = next(a["ref"] for a in actors["actors"] if a["ref"] != program_doctor)
    parts = [s for s in data.steps if s.is_part]
    own, default = parts[-1], parts[0]
    document["content"][own.key]["patient_responsible_doctor"] = other

    doc = build_document(document, data.model(), version_label="Udkast", is_draft=True)
    views = {p.step.key: p for p in doc.parts}
    names = {a["ref"]: a["name"] for a in actors["actors"]}
    assert views[own.key].doctor == names[other]
    assert views[default.key].doctor == names[program_doctor]
    columns = [p.step.key for p in doc.matrix_parts]
    rows = dict(doc.matrix_rows)
    assert "P" in rows[names[other]][columns.index(own.key)]
    assert "P" not in rows[names[other]][columns.index(default.key)]
    assert "P" in rows[names[program_doctor]][columns.index(default.key)]
    assert "Patientansvarlig læge" in document_html(doc)
