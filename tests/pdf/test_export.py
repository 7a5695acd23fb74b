"""The exported PDF: complete, navigable, tagged, marked as draft only when it is one."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from pathways.pdf.render import draft_document
from pathways.programs.models import (
    AttentionPointAnswer,
    PartAnswer,
    ProgramActor,
    Relevance,
    TransitionAnswer,
)
from pathways.programs.steps import build_steps
from tests.factories import published_version
from tests.pdf.pdf_text import flat, matrix_cells, page_texts, reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client, demo_program):
    client.force_login(demo_program.created_by)
    response = client.get(reverse("pdf:program", args=[demo_program.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_draft_pdf_contains_every_answer_actor_and_a_correct_toc(draft, demo_program):
    pages = page_texts(draft)
    everything = flat(" ".join(pages))

    answers = AttentionPointAnswer.objects.filter(program=demo_program).select_related(
        "attention_point__section"
    )
    assert answers.count() == 58
    for answer in answers:
        assert flat(answer.attention_point.reference) in everything
        assert flat(answer.answer[:120]) in everything, answer.attention_point.reference

    matrix_text = flat(" ".join(p for p in pages if "Ansvarsmatrix" in p))
    for actor in ProgramActor.objects.filter(program=demo_program):
        assert flat(actor.name) in matrix_text, actor.name

    # Table of contents: each chapter's printed page number is where the chapter starts.
    toc_page = next(
        i for i, t in enumerate(pages) if t.lstrip().startswith("Indhold") or "\nIndhold" in t[:200]
    )
    toc = pages[toc_page]
    for title in (
        "1. Baggrund og formål",
        "5. Forløbsoverblik",
        "6. Forløbets dele",
        "8. Opfølgning og monitorering",
        "Bilag B. Videnskilder og lovgrundlag",
    ):
        match = re.search(re.escape(title) + r"[ .]*?(\d+)\s*$", toc, re.MULTILINE)
        assert match, title
        printed = int(match.group(1))
        assert title in pages[printed - 1], (title, printed)
        assert title not in "".join(pages[toc_page + 1 : printed - 1])


def expected_matrix(program) -> dict[tuple[str, str], str]:
    """Each cell from the program's answers, by the rule the legend states: A = responsible
    for the part; D = collaborating, responsible for one of its points, or party to one of
    its transitions. Only parts judged relevant are columns."""
    names = dict(ProgramActor.objects.filter(program=program).values_list("pk", "name"))
    parts = {a.section_id: a for a in PartAnswer.objects.filter(program=program)}
    cells = {}
    for step in build_steps(program.model_version):
        if not step.is_part:
            continue
        answer = parts.get(step.section.pk)
        if answer is not None and answer.relevance == Relevance.NOT_RELEVANT:
            continue
        involved = set(answer.collaborating.values_list("pk", flat=True)) if answer else set()
        involved |= set(
            AttentionPointAnswer.objects.filter(
                program=program, attention_point__section__in=step.point_sections
            ).values_list("responsible", flat=True)
        )
        for t in TransitionAnswer.objects.filter(program=program, transition__in=step.transitions):
            involved |= {a.pk for a in (*t.senders.all(), *t.receivers.all())}
            involved |= {t.conference_convener_id, t.conference_follow_up_id}
            involved |= {a.get("responsible") for a in t.arrangements.values()}
        for pk in involved - {None}:
            cells[(names[pk], step.section.number)] = "D"
        if answer is not None and answer.responsible_id:
            cells[(names[answer.responsible_id], step.section.number)] = "A"
        # P: the patient-responsible doctor in the part (its own, else the program's).
        doctor = (answer and answer.patient_responsible_doctor_id) or (
            program.patient_responsible_doctor_id
        )
        if doctor:
            key = (names[doctor], step.section.number)
            cells[key] = cells.get(key, "") + "P"
    return cells


def test_the_responsibility_matrix_has_a_and_d_in_the_right_cells(draft, demo_program):
    actors = list(
        ProgramActor.objects.filter(program=demo_program)
        .order_by("position", "pk")
        .values_list("name", flat=True)
    )
    expected = expected_matrix(demo_program)
    assert "A" in expected.values() and "D" in expected.values()
    # The matrix heads its columns with the document's own part numbers (and names).
    numbers = {p.model_number: p.number for p in draft_document(demo_program).parts if p.number}
    expected = {(name, numbers[section]): cell for (name, section), cell in expected.items()}
    printed = matrix_cells(draft, actors)
    assert printed == expected
    # Spot checks a reader would make, independent of the rule above.
    answer = PartAnswer.objects.get(program=demo_program, section__number="4.1.3")
    column = numbers["4.1.3"]
    assert printed[(answer.responsible.name, column)].startswith("A")
    bystander = next(name for name in actors if (name, column) not in expected)
    assert (bystander, column) not in printed


def test_draft_is_marked_on_every_page_and_on_the_cover(draft):
    pages = page_texts(draft)
    assert len(pages) > 20
    assert all("UDKAST" in t for t in pages)
    assert f"Side 2 af {len(pages)}" in pages[1]  # running footer
    assert re.search(r"status\s+udkast – ikke godkendt", pages[0].lower())  # label, value


def test_pdf_has_metadata_bookmarks_tags_and_embedded_fonts(draft, demo_program):
    pdf = reader(draft)
    meta = pdf.metadata
    assert meta.title == demo_program.title
    assert meta.author == "Region Nordjylland"
    assert "sjældne sygdomme" in meta.subject
    assert "forløbsprogram" in meta["/Keywords"]
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == "da"
    assert bool(root["/MarkInfo"]["/Marked"])  # a tagged PDF
    assert "/StructTreeRoot" in root

    titles = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                titles.append((item.title, depth))

    walk(pdf.outline, 1)
    assert ("1. Baggrund og formål", 1) in titles
    # The parts nest as the model nests them: 4.1.3 under 4.1, 4.9.1 under 4.9.
    assert (
        "6.1.3 Udredning og evt. diagnostik ved fødslen og hos børn og unge yngre end 18 år",
        3,
    ) in titles
    assert ("6.1 Diagnostik", 2) in titles
    assert ("6.9 Patientuddannelse, mestring og pårørendeperspektiv", 2) in titles
    assert ("6.9.1 Patientuddannelse og mestring", 3) in titles

    fonts = set()
    for page in pdf.pages[:3]:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(font["/BaseFont"]))
    assert any("Source-Sans-3" in f for f in fonts), fonts  # our shipped font, subset-embedded


def test_a_published_version_is_stored_once_and_served_unchanged(client, demo_program, tmp_path):
    owner = demo_program.created_by
    version = published_version(demo_program, change_note="Første godkendte version.")
    assert version.number == "1.0"
    stored = bytes(version.pdf)
    pages = page_texts(stored)
    assert not any("UDKAST" in t for t in pages)
    assert re.search(r"status\s+godkendt og offentliggjort", pages[0].lower())
    assert "Første godkendte version." in " ".join(pages[:3])  # version history

    client.force_login(owner)
    url = reverse("pdf:version", args=[demo_program.code, "1.0"])
    first = client.get(url).content
    # Later edits to the draft do not change what the published version serves.
    AttentionPointAnswer.objects.filter(program=demo_program).update(answer="Ændret senere.")
    second = client.get(url).content
    assert first == second == stored

    out = tmp_path / "v1.pdf"
    call_command("export_pdf", demo_program.code, "--program-version", "1.0", "-o", str(out))
    assert out.read_bytes() == stored
    assert client.get(reverse("pdf:version", args=[demo_program.code, "9.9"])).status_code == 404


def test_export_command_writes_the_draft(demo_program, tmp_path):
    out = tmp_path / "draft.pdf"
    call_command("export_pdf", demo_program.code, "-o", str(out))
    assert "UDKAST" in page_texts(out.read_bytes())[0]
