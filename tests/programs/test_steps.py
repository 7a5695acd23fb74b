"""The steps of a program come from the generic model's data, not from section numbers."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import pytest

from pathways.generic_model import loader
from pathways.pdf.document import _linked_section_numbers
from pathways.programs.steps import build_steps

pytestmark = pytest.mark.django_db

# The steps of the shipped model 1.0 exactly as they were while they were derived from
# hard-coded section numbers: (key, kind, section, point sections, transitions). Stored data
# (revisions, snapshots, audit entries, published versions) is keyed by these keys. The
# transitions of 4.6, 4.8 and 4.9.1 came with the corrected file (issue 11), and so did one
# step: "forloeb", the chapter 4 introduction (role `pathway`), added between the actors and
# the first part; every other step kept its key.
SHIPPED_STEPS = [
    ("grundlag", "basis", None, [], []),
    ("kriterier", "criteria", None, [], []),
    ("maalgruppe", "target_group", "3.1.2", ["3.1.2"], []),
    ("aktoerer", "actors", None, [], []),
    ("forloeb", "pathway", "4", [], []),
    ("del-4-1", "part", "4.1", ["4.1"], []),
    ("del-4-1-1", "part", "4.1.1", ["4.1.1"], []),
    ("del-4-1-2", "part", "4.1.2", ["4.1.2"], []),
    ("del-4-1-3", "part", "4.1.3", ["4.1.3"], []),
    ("del-4-1-4", "part", "4.1.4", ["4.1.4"], []),
    ("del-4-2", "part", "4.2", ["4.2"], ["diagnose-til-kontrol"]),
    ("del-4-3", "part", "4.3", ["4.3"], ["barn-ung-til-voksen", "voksen-til-aeldre"]),
    (
        "del-4-4", "part", "4.4", ["4.4"],
        [
            "boerneinstitution-fritidsordning", "skolestart-skole", "til-uddannelse",
            "til-beskaeftigelse", "egen-bolig", "pension",
        ],
    ),
    ("del-4-5", "part", "4.5", ["4.5"], []),
    ("del-4-6", "part", "4.6", ["4.6"], ["udskrivning-med-genoptraeningsplan"]),
    ("del-4-7", "part", "4.7", ["4.7"], []),
    ("del-4-8", "part", "4.8", ["4.8"], ["afslutning-til-almen-praksis"]),
    ("del-4-9-1", "part", "4.9.1", ["4.9.1"], ["skift-mellem-forvaltninger"]),
    ("del-4-9-2", "part", "4.9.2", ["4.9.2"], []),
    ("implementering", "implementation", "4.10", ["4.10"], []),
    ("opfoelgning", "follow_up", "4.11", [], []),
    ("gennemgang", "review", None, [], []),
]  # fmt: skip

FRAMING_TITLES = {
    "grundlag": "Grundlag og arbejdsgruppe",
    "kriterier": "Hvorfor dette program",
    "maalgruppe": "Målgruppe",
    "aktoerer": "Aktører",
    "forloeb": "Forløbet som helhed",
    "implementering": "Implementering",
    "opfoelgning": "Opfølgning og monitorering",
    "gennemgang": "Gennemgang",
}


def described(steps) -> list[tuple]:
    return [
        (
            s.key,
            str(s.kind),
            s.section.number if s.section else None,
            [p.number for p in s.point_sections],
            [t.key for t in s.transitions],
        )
        for s in steps
    ]


def test_the_shipped_model_gives_the_same_steps_as_before_and_the_pathway_step(generic_model):
    steps = build_steps(generic_model)
    assert described(steps) == SHIPPED_STEPS
    assert [s.number for s in steps] == list(range(1, 23))
    assert {s.key: str(s.title) for s in steps if not s.is_part} == FRAMING_TITLES
    assert all(s.title == s.section.title for s in steps if s.is_part)
    assert all(s.section is None or s.section.model_version_id == generic_model.pk for s in steps)


def test_criteria_and_actors_steps_name_their_chapters_without_showing_them(generic_model):
    steps = {s.key: s for s in build_steps(generic_model)}
    roles = {key: s.role_section.number if s.role_section else None for key, s in steps.items()}
    assert roles["kriterier"] == "3" and roles["aktoerer"] == "2"
    assert roles["grundlag"] is None and roles["gennemgang"] is None
    assert all(s.role_section == s.section for s in steps.values() if s.section)


def _load_changed(data, write_model_file, change):
    changed = copy.deepcopy(data)
    changed["model"]["version"] = "9.9"
    change(changed)
    return loader.load_generic_model_file(write_model_file(changed)).model_version


def _section(data, number):
    return next(s for s in data["sections"] if s["number"] == number)


def _move_points(data, source, target):
    for point in data["attention_points"]:
        if point["section"] == source:
            point["section"] = target


def test_a_model_whose_follow_up_is_another_section_moves_the_follow_up_step(
    generic_model_data, write_model_file
):
    def follow_up_in_4_11_1(d):
        del _section(d, "4.11")["step_role"]
        _section(d, "4.11.1")["step_role"] = "follow_up"

    version = _load_changed(generic_model_data, write_model_file, follow_up_in_4_11_1)
    steps = described(build_steps(version))
    expected = [
        ("opfoelgning", "follow_up", "4.11.1", [], []) if key == "opfoelgning" else row
        for row in SHIPPED_STEPS
        for key in [row[0]]
    ]
    assert steps == expected


def test_parts_and_their_transitions_follow_the_part_roles(generic_model_data, write_model_file):
    def regroup(d):
        # 4.1.1 is no longer a step of its own: its points are asked in 4.1 ...
        del _section(d, "4.1.1")["step_role"]
        _move_points(d, "4.1.1", "4.1")
        # ... and 4.3.1 (child to adult) becomes one, taking its transition from 4.3.
        _section(d, "4.3.1")["step_role"] = "part"
        next(p for p in d["attention_points"] if p["section"] == "4.3")["section"] = "4.3.1"
        # Implementation is a part of the pathway like the others; 4.9 carries it.
        _section(d, "4.10")["step_role"] = "part"
        _section(d, "4.9")["step_role"] = "implementation"
        # The diagram draws parts only: 4.1.1 is no longer an entry of its own.
        entries = d["pathway_diagram"]["entry_points"]
        d["pathway_diagram"]["entry_points"] = [n for n in entries if n != "4.1.1"]

    version = _load_changed(generic_model_data, write_model_file, regroup)
    steps = {s.key: s for s in build_steps(version)}
    assert "del-4-1-1" not in steps
    assert "del-4-10" in steps and steps["del-4-10"].point_sections[0].number == "4.10"
    assert [t.key for t in steps["del-4-3"].transitions] == ["voksen-til-aeldre"]
    assert [t.key for t in steps["del-4-3-1"].transitions] == ["barn-ung-til-voksen"]
    assert steps["implementering"].section.number == "4.9"
    assert list(steps) == [
        "grundlag", "kriterier", "maalgruppe", "aktoerer", "forloeb",
        "del-4-1", "del-4-1-2", "del-4-1-3", "del-4-1-4", "del-4-2", "del-4-3", "del-4-3-1",
        "del-4-4", "del-4-5", "del-4-6", "del-4-7", "del-4-8", "del-4-9-1", "del-4-9-2",
        "del-4-10", "implementering", "opfoelgning", "gennemgang",
    ]  # fmt: skip
    assert [s.number for s in steps.values()] == list(range(1, 24))


def _linked_before(relevant_numbers: list[str]):
    """The PDF's rule for legal references while it hard-coded section numbers."""
    always = ("2", "3", "4.10", "4.11")

    def linked(number: str) -> bool:
        if number == "4" or any(number == a or number.startswith(a + ".") for a in always):
            return True
        return any(
            number == n or number.startswith(n + ".") or n.startswith(number + ".")
            for n in relevant_numbers
        )

    return linked


@pytest.mark.parametrize("relevant", ["all", "none", "some"])
def test_the_pdf_links_the_same_model_sections_as_before(generic_model, relevant):
    steps = build_steps(generic_model)
    parts = [s for s in steps if s.is_part]
    chosen = {"all": parts, "none": [], "some": parts[2:4] + parts[-1:]}[relevant]
    new = _linked_section_numbers(steps, [SimpleNamespace(step=s) for s in chosen])
    old = _linked_before([s.section.number for s in chosen])
    numbers = list(generic_model.sections.values_list("number", flat=True))
    assert [n for n in numbers if new(n)] == [n for n in numbers if old(n)]
