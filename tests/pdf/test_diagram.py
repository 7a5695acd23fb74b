"""The pathway diagram (pathways/pdf/diagram.py): phases × sector lanes from the model file,
parts where the program places them, entry points, the cross-cutting band, transitions as
labelled arrows, alt text; in the PDF and on the program page."""

from __future__ import annotations

import copy
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.urls import reverse

from pathways.pdf import render
from pathways.pdf.diagram import PRINT_WIDTH_PT, pathway_diagram
from pathways.programs.data import load_program_data
from pathways.programs.document import program_document
from tests.factories import ProgramFactory
from tests.pdf.pdf_text import flat, page_texts, reader

SVG = "{http://www.w3.org/2000/svg}"
PHASES = [
    "Graviditet",
    "Fødsel og barndom",
    "Ungdom og overgang til voksenlivet",
    "Voksenliv",
    "Ældre",
]
LANES = ["Sygehus og region", "Almen praksis", "Kommune", "Civilsamfund"]
CSS = Path(__file__).resolve().parents[2] / "static" / "pdf" / "program.css"


@pytest.fixture
def demo_input(demo_program):
    data = load_program_data(demo_program)
    return program_document(data), data.model()


@pytest.fixture
def demo_diagram(demo_input):
    return pathway_diagram(*demo_input)


def _tree(diagram) -> ET.Element:
    return ET.fromstring(str(diagram.svg))  # noqa: S314 - our own drawing


def _joined(element: ET.Element) -> str:
    """The text of an element, its wrapped lines joined again."""
    return re.sub(r"\s+", " ", " ".join(t.text or "" for t in element.iter(f"{SVG}text")))


def _lane_ranges(tree: ET.Element) -> dict[str, tuple[float, float]]:
    ranges = {}
    for lane in tree.iter(f"{SVG}g"):
        if lane.get("class") == "lane":
            rect = lane.find(f"{SVG}rect")
            top = float(rect.get("y"))
            ranges[lane.get("data-lane")] = (top, top + float(rect.get("height")))
    return ranges


def _parts(tree: ET.Element) -> dict[str, ET.Element]:
    return {
        g.get("data-section"): g
        for g in tree.iter(f"{SVG}g")
        if (g.get("class") or "").startswith("part ")
    }


def _phase_columns(tree: ET.Element) -> list[tuple[float, float]]:
    layer = next(g for g in tree.iter(f"{SVG}g") if g.get("class") == "phases")
    return [
        (float(r.get("x")), float(r.get("x")) + float(r.get("width")))
        for r in layer.iter(f"{SVG}rect")
    ]


@pytest.mark.django_db
def test_lanes_and_phases_are_drawn_as_text_in_order(demo_diagram):
    tree = _tree(demo_diagram)
    text = _joined(tree)
    for label in PHASES + LANES:
        assert label in text
    # Phases left to right, lanes top to bottom, as the model file lists them.
    phase_layer = next(g for g in tree.iter(f"{SVG}g") if g.get("class") == "phases")
    assert _joined(phase_layer).index("Graviditet") < _joined(phase_layer).index("Ældre")
    assert list(_lane_ranges(tree)) == [
        "sygehus-region",
        "almen-praksis",
        "kommune",
        "civilsamfund",
    ]


@pytest.mark.django_db
def test_each_relevant_part_sits_in_its_responsible_actors_lane_and_phases(demo_diagram):
    tree = _tree(demo_diagram)
    lanes = _lane_ranges(tree)
    columns = _phase_columns(tree)
    parts = _parts(tree)
    # The demo: 4.1–4.3 led by hospital departments, 4.4 by the municipal coordinator.
    expected = {
        "4.1": ("sygehus-region", 0, 4),
        "4.2": ("sygehus-region", 1, 4),
        "4.3": ("sygehus-region", 2, 4),
        "4.4": ("kommune", 1, 3),
    }
    for number, (lane, first, last) in expected.items():
        group = parts[number]
        assert group.get("class") == "part grid"
        rect = group.find(f"{SVG}rect")
        x, y = float(rect.get("x")), float(rect.get("y"))
        right, bottom = x + float(rect.get("width")), y + float(rect.get("height"))
        top_of_lane, bottom_of_lane = lanes[lane]
        assert top_of_lane < y and bottom < bottom_of_lane, number
        assert columns[first][0] <= x < columns[first][1], number
        assert columns[last][0] < right <= columns[last][1], number
        assert f"{number} " in _joined(group)
    # The alternative entry points side by side at the left, the themes in the band.
    entries = [n for n, g in parts.items() if g.get("class") == "part entry"]
    assert entries == ["4.1.1", "4.1.2", "4.1.3", "4.1.4"]
    assert all(float(parts[n].find(f"{SVG}rect").get("x")) < columns[0][0] for n in entries)
    band = [n for n, g in parts.items() if g.get("class") == "part band"]
    assert band == ["4.5", "4.6", "4.7", "4.8", "4.9.1", "4.9.2"]
    assert "Graviditet" in _joined(parts["4.1.1"])


@pytest.mark.django_db
def test_a_transition_arrow_is_labelled_with_who_hands_over_to_whom(demo_diagram):
    tree = _tree(demo_diagram)
    lanes = _lane_ranges(tree)
    arrows = {
        g.get("data-number"): g for g in tree.iter(f"{SVG}g") if g.get("class") == "transition"
    }
    assert len(arrows) == len(demo_diagram.transitions) == 12
    school = next(t for t in demo_diagram.transitions if t.title.startswith("Skolestart"))
    assert school.sending.startswith("Børne- og Ungeafdelingen, Aalborg")
    assert school.receiving.startswith("PPR")
    arrow = arrows[str(school.number)]
    label = arrow.find(f"{SVG}title").text
    assert school.sending in label and school.receiving in label and "→" in label
    assert _joined(arrow).strip() == str(school.number)  # the number the list explains
    # From the hospital's lane down into the municipality's.
    line = arrow.find(f"{SVG}line")
    assert lanes["sygehus-region"][0] < float(line.get("y1")) < lanes["sygehus-region"][1]
    assert lanes["kommune"][0] < float(line.get("y2")) < lanes["kommune"][1]


@pytest.mark.django_db
def test_text_is_at_least_8_5_pt_where_it_is_printed(demo_diagram):
    tree = _tree(demo_diagram)
    view_width = float(tree.get("viewBox").split()[2])
    # The print stylesheet shows the drawing PRINT_WIDTH_PT wide (168 mm), never scaled down.
    rule = re.search(r"\.diagram svg \{([^}]*)\}", CSS.read_text(encoding="utf-8")).group(1)
    assert "max-height" not in rule
    width_mm = float(re.search(r"width:\s*([\d.]+)mm", rule).group(1))
    assert abs(width_mm / 25.4 * 72 - PRINT_WIDTH_PT) < 1
    scale = PRINT_WIDTH_PT / view_width
    sizes = [float(t.get("font-size") or tree.get("font-size")) for t in tree.iter(f"{SVG}text")]
    assert sizes and min(sizes) * scale >= 8.5


@pytest.mark.django_db
def test_alt_text_summarises_the_diagram_and_names_every_part(demo_diagram, demo_input):
    tree = _tree(demo_diagram)
    assert tree.get("role") == "img"
    title = tree.find(f"{SVG}title")
    assert tree.get("aria-labelledby") == title.get("id")
    assert tree.find(f"{SVG}desc").text
    # The <title> is what WeasyPrint writes as the Figure's /Alt: the same summary.
    assert title.text == demo_diagram.alt
    _document, model = demo_input
    for step in (s for s in model.steps if s.is_part):
        assert f"{step.section.number} {step.section.title}" in demo_diagram.alt
    for label in PHASES + LANES:
        assert label in demo_diagram.alt
    assert "12 overgange" in demo_diagram.alt


@pytest.mark.django_db
def test_a_part_judged_not_relevant_is_greyed_and_dashed(demo_input):
    document, model = demo_input
    changed = copy.deepcopy(document)
    changed["content"]["del-4-3"]["relevance"] = "no"
    tree = _tree(pathway_diagram(changed, model))
    part = _parts(tree)["4.3"]
    assert part.get("data-relevant") == "false"
    assert part.find(f"{SVG}rect").get("stroke-dasharray")
    assert "Ikke relevant" in _joined(part)
    # Its transitions are not drawn.
    titles = [
        g.find(f"{SVG}title").text for g in tree.iter(f"{SVG}g") if g.get("class") == "transition"
    ]
    assert not any("Fra barn/ung til voksen" in t for t in titles)


@pytest.mark.django_db
def test_a_part_led_by_an_actor_without_sector_gets_a_lane_of_its_own(demo_input):
    document, model = demo_input
    changed = copy.deepcopy(document)
    actors = changed["content"]["aktoerer"]["actors"]
    local = {"ref": "a99", "name": "Lokalt samarbejdsforum", "actor_type": None}
    actors.append(local)
    changed["content"]["del-4-4"]["responsible"] = "a99"
    tree = _tree(pathway_diagram(changed, model))
    lanes = _lane_ranges(tree)
    assert "__other" in lanes
    y = float(_parts(tree)["4.4"].find(f"{SVG}rect").get("y"))
    assert lanes["__other"][0] < y < lanes["__other"][1]
    assert "Lokalt samarbejdsforum" in _joined(_parts(tree)["4.4"])


@pytest.mark.django_db
def test_an_empty_draft_draws_every_part_as_not_yet_placed(generic_model):
    data = load_program_data(ProgramFactory())
    diagram = pathway_diagram(program_document(data), data.model())
    tree = _tree(diagram)
    lanes = _lane_ranges(tree)
    assert "Øvrige eller ikke angivet" in _joined(tree)
    for number in ("4.1", "4.2", "4.3", "4.4"):
        y = float(_parts(tree)[number].find(f"{SVG}rect").get("y"))
        assert lanes["__other"][0] < y < lanes["__other"][1]
    assert diagram.transitions == []


@pytest.mark.django_db
def test_drawing_is_deterministic_and_fast(demo_input):
    first = pathway_diagram(*demo_input)
    started = time.perf_counter()
    for _ in range(10):
        again = pathway_diagram(*demo_input)
    per_drawing = (time.perf_counter() - started) / 10
    assert str(again.svg) == str(first.svg)
    assert per_drawing < 0.05, per_drawing


@pytest.mark.django_db
def test_the_program_page_shows_the_diagram_with_an_accessible_name(client, demo_program):
    client.force_login(demo_program.created_by)
    page = client.get(reverse("programs:detail", args=[demo_program.code])).content.decode()
    section = page[page.index('id="pathway-diagram"') :]
    svg = re.search(r"<svg[^>]*>", section).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="pd-title"' in svg
    assert re.search(r'<title id="pd-title">Forløbsdiagram\. Livsfaser vandret', section)
    assert "Sygehus og region" in section and "Ungdom og overgang til voksenlivet" in section
    assert "hvem overdrager til hvem" in section


@pytest.mark.real_pdf
@pytest.mark.django_db
def test_the_pdf_prints_the_diagram_with_its_lanes_and_phases(demo_program):
    pdf = render.draft_pdf(demo_program)
    texts = page_texts(pdf)
    page = next(t for t in texts if "Forløbsoverblik" in t and "Sektor" in t)
    for label in PHASES + LANES + ["Indgange", "Tværgående temaer"]:
        assert flat(label) in flat(page), label
    assert flat("hvem overdrager til hvem") in flat("".join(texts))
    # The Figure's alternate text is the diagram's summary.
    alts = []

    def walk(node, depth=0):
        node = node.get_object()
        if hasattr(node, "get") and node.get("/S") == "/Figure" and "/Alt" in node:
            alts.append(str(node["/Alt"]))
        kids = node.get("/K") if hasattr(node, "get") else None
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object") or hasattr(kid, "get"):
                walk(kid, depth + 1)

    walk(reader(pdf).trailer["/Root"]["/StructTreeRoot"])
    # The parts by the document's own numbers (6.1.1 is the model's 4.1.1), as everywhere
    # in the PDF: one numbering.
    summary = next(a for a in alts if a.startswith("Forløbsdiagram. Livsfaser vandret"))
    assert "6.1.1 Diagnostik og rådgivning forud og under graviditet" in summary
    assert "4.1.1" not in summary
    page_text = flat(page)
    assert flat("6.4 Sociale overgange") in page_text and "4.4 Sociale" not in page_text
