"""The steps of a program come from the generic model's data, not from section numbers."""

from __future__ import annotations

import pytest

from pathways.programs.steps import build_steps

pytestmark = pytest.mark.django_db

# The steps of the shipped model 1.0 exactly as they were while they were derived from
# hard-coded section numbers: (key, kind, section, point sections, transitions). Stored data
# (revisions, snapshots, audit entries, published versions) is keyed by these keys.
SHIPPED_STEPS = [
    ("grundlag", "basis", None, [], []),
    ("kriterier", "criteria", None, [], []),
    ("maalgruppe", "target_group", "3.1.2", ["3.1.2"], []),
    ("aktoerer", "actors", None, [], []),
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
    ("del-4-6", "part", "4.6", ["4.6"], []),
    ("del-4-7", "part", "4.7", ["4.7"], []),
    ("del-4-8", "part", "4.8", ["4.8"], []),
    ("del-4-9-1", "part", "4.9.1", ["4.9.1"], []),
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


def test_the_shipped_model_gives_the_same_21_steps_as_before(generic_model):
    steps = build_steps(generic_model)
    assert described(steps) == SHIPPED_STEPS
    assert [s.number for s in steps] == list(range(1, 22))
    assert {s.key: str(s.title) for s in steps if not s.is_part} == FRAMING_TITLES
    assert all(s.title == s.section.title for s in steps if s.is_part)
    assert all(s.section is None or s.section.model_version_id == generic_model.pk for s in steps)
