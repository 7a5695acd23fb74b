"""The companion references (fixtures/references/): what they hold, measured against the
seeds, and the loader's guarantees — a bad file is refused with file, entry and problem,
nothing is half loaded, and loading the same file again changes nothing."""

from __future__ import annotations

import copy
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse

from pathways.generic_model import companion_loader
from pathways.generic_model import models as m
from pathways.generic_model.schema import ModelFileError
from pathways.programs.models import PartOffer
from tests.conftest import COMPANION_FILES
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

SOCIAL = next(p for p in COMPANION_FILES if p.name.startswith("socialstyrelsen"))
OFFERS = next(p for p in COMPANION_FILES if p.name.startswith("sjaeldne-diagnoser"))

# What the seeds hold, counted by hand in the source texts.
# Seed 001 (Socialstyrelsen 2019): eight recommendations (kap. 3), thirteen coordination
# tools (kap. 6), 33 actors (kap. 5, with the centres and municipal units it names one by
# one), 15 family and coping methods, 16 timings, 45 legal provisions cited.
SOCIAL_COUNTS = {
    "recommendations": 8,
    "coordination_tools": 13,
    "actors": 33,
    "methods": 15,
    "timings": 16,
    "legal_references": 45,
}
# Seed 002 (Sjældne Diagnoser 2018): 19 offers (kap. 2–3, an umbrella programme and its
# three parts counted each), 16 needs without an offer (kap. 4), 5 recommendations (kap. 5).
OFFER_COUNTS = {"offers": 19, "unmet_needs": 16, "recommendations": 5}
# Actors the health model does not have: the companion keeps them as its own.
ONLY_IN_SOCIAL = {
    "uu-vejledning",
    "vaerger",
    "kommunal-tandpleje",
    "rehabiliteringsteam",
    "regionale-specialtilbud",
    "sps-ordningen",
    "frivilligcentre",
    "hbud",
}
# Child provisions of serviceloven that barnets lov took over on 1 January 2024.
MOVED_TO_BARNETS_LOV = {"41": "86", "42": "87", "50": "20", "52": "32", "76": "114"}


def counts(slug: str) -> dict[str, int]:
    companion = m.CompanionVersion.objects.get(slug=slug)
    return dict(Counter(companion.entries.values_list("list_name", flat=True)))


def test_the_social_pathway_description_holds_what_the_seed_holds(generic_model):
    assert counts("socialstyrelsen-sjaeldne-handicap") == SOCIAL_COUNTS
    recommendations = m.CompanionEntry.objects.filter(
        companion__slug="socialstyrelsen-sjaeldne-handicap", list_name="recommendations"
    )
    assert sorted(r.details["number"] for r in recommendations) == list(range(1, 9))


def test_the_offers_mapping_holds_what_the_seed_holds_with_year_and_status(generic_model):
    assert counts("sjaeldne-diagnoser-tilbud") == OFFER_COUNTS
    offers = m.CompanionEntry.objects.filter(list_name="offers")
    assert {o.status for o in offers} <= {"ongoing", "ended", "unknown"}
    assert all(o.details["provider"] and o.details["kinds"] for o in offers)
    ended = offers.get(key="sjaeldne-familiedage")
    assert ended.has_ended and "afsluttet" in ended.label


def test_companion_actors_are_the_models_actor_types_where_they_are_the_same(generic_model):
    actors = {
        e.key: e
        for e in m.CompanionEntry.objects.filter(list_name="actors").select_related("same_as")
    }
    assert set(actors) >= ONLY_IN_SOCIAL
    assert all(actors[key].same_as is None for key in ONLY_IN_SOCIAL)
    assert actors["koordinerende-sagsbehandler"].same_as.key == "koordinerende-sagsbehandler"
    assert actors["ppr"].same_as.key == "ppr"
    # One actor, two references: every mapped actor is an actor type of the same model.
    mapped = [a for a in actors.values() if a.same_as]
    assert len(mapped) >= 20
    assert {a.same_as.model_version_id for a in mapped} == {generic_model.pk}


def test_child_provisions_of_serviceloven_are_mapped_to_barnets_lov_never_left_current(
    generic_model,
):
    legal = m.CompanionEntry.objects.filter(list_name="legal_references")
    by_source: dict[str, m.CompanionEntry] = {}
    for entry in legal:
        match = re.fullmatch(r"SEL § (\d+)\b.*", entry.details["source_paragraph"])
        if match:
            by_source.setdefault(match.group(1), entry)
    for old, new in MOVED_TO_BARNETS_LOV.items():
        entry = by_source[old]
        assert entry.details["mapping"] == "moved", old
        assert entry.details["current_paragraph"].startswith(f"barnets lov § {new}"), old
    for entry in legal:
        details = entry.details
        assert details["mapping"] in {"unchanged", "moved", "unmapped", "repealed"}
        if details["mapping"] == "unmapped":
            assert "current_paragraph" not in details and details["mapping_note"]


def test_the_reference_page_lists_every_mapping_with_its_source_paragraph(client, generic_model):
    companion = m.CompanionVersion.objects.get(slug="socialstyrelsen-sjaeldne-handicap")
    page = client.get(
        reverse("generic_model:companion_detail", args=[companion.slug, companion.version])
    ).content.decode()
    for entry in companion.entries.filter(list_name="legal_references"):
        details = entry.details
        assert details["source_paragraph"] in page
        if details["mapping"] == "moved":
            assert details["current_paragraph"] in page
    assert "ikke er kortlagt til gældende regler" in page  # the unmapped ones say so
    assert client.get(reverse("generic_model:version_list")).content.decode().count(
        "/model/reference/"
    ) == len(COMPANION_FILES)


# The loader's guarantees, on copies of the shipped files.


@pytest.fixture
def fresh(generic_model) -> m.ModelVersion:
    """The model without its companions (removed inside the test's transaction)."""
    m.CompanionVersion.objects.all().delete()
    return generic_model


def shipped(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict, name: str = "companion.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def entries_and_ids() -> list[tuple]:
    return list(m.CompanionEntry.objects.order_by("pk").values_list("pk", "key", "title"))


def test_loading_the_same_file_again_changes_nothing(fresh):
    first = companion_loader.load_companion_file(OFFERS)
    before = entries_and_ids()
    again = companion_loader.load_companion_file(OFFERS)
    assert first.created and not again.created and not again.updated
    assert entries_and_ids() == before


BREAKAGES = [
    ("unknown-section", lambda d: d["offers"][0].update(sections=["9.9"]), "intet afsnit 9.9"),
    ("duplicate-key", lambda d: d["offers"][1].update(key=d["offers"][0]["key"]), "brugt før"),
    ("bad-status", lambda d: d["offers"][0].update(status="maybe"), "offers[0]"),
    ("no-provider", lambda d: d["offers"][0].pop("provider"), "provider"),
    ("ages", lambda d: d["offers"][0].update(ages={"from": 30, "to": 10}), "'from'"),
    (
        "no-model",
        lambda d: d["companion"]["model"].update(version="9.9"),
        "er ikke indlæst",
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"), [(b[1], b[2]) for b in BREAKAGES], ids=[b[0] for b in BREAKAGES]
)
def test_a_broken_offers_file_is_refused_with_entry_and_problem(fresh, tmp_path, change, expected):
    data = copy.deepcopy(shipped(OFFERS))
    change(data)
    with pytest.raises(ModelFileError) as refused:
        companion_loader.load_companion_file(write(tmp_path, data))
    assert any(expected in problem for problem in refused.value.problems), refused.value
    assert all(problem.startswith("companion.yaml: ") for problem in refused.value.problems)
    assert not m.CompanionVersion.objects.exists()


SOCIAL_BREAKAGES = [
    ("same-as", lambda d: d["actors"][0].update(same_as="ingen-saadan"), "ingen aktørtype"),
    (
        "responsible",
        lambda d: d["coordination_tools"][0].update(responsible=["ingen-saadan"]),
        "ingen aktør ingen-saadan",
    ),
    (
        "moved-nowhere",
        lambda d: next(e for e in d["legal_references"] if e["mapping"] == "moved").pop(
            "current_paragraph"
        ),
        "current_paragraph mangler",
    ),
    (
        "unmapped-but-current",
        lambda d: next(e for e in d["legal_references"] if e["mapping"] == "unmapped").update(
            current_paragraph="barnets lov § 1"
        ),
        "ikke kortlagt",
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"),
    [(b[1], b[2]) for b in SOCIAL_BREAKAGES],
    ids=[b[0] for b in SOCIAL_BREAKAGES],
)
def test_a_broken_social_file_is_refused_with_entry_and_problem(fresh, tmp_path, change, expected):
    data = copy.deepcopy(shipped(SOCIAL))
    change(data)
    with pytest.raises(ModelFileError) as refused:
        companion_loader.load_companion_file(write(tmp_path, data))
    assert any(expected in problem for problem in refused.value.problems), refused.value
    assert not m.CompanionVersion.objects.exists()


def test_a_failure_while_writing_leaves_nothing_half_loaded(fresh, monkeypatch):
    calls = {"n": 0}
    original = m.CompanionEntry.objects.create

    def fail_on_the_tenth(**kwargs):
        calls["n"] += 1
        if calls["n"] == 10:
            raise RuntimeError("disk full")
        return original(**kwargs)

    monkeypatch.setattr(m.CompanionEntry.objects, "create", fail_on_the_tenth)
    with pytest.raises(RuntimeError):
        companion_loader.load_companion_file(SOCIAL)
    assert not m.CompanionVersion.objects.exists()
    assert not m.CompanionEntry.objects.exists()


def test_a_corrected_file_is_applied_in_place_and_a_linked_entry_cannot_go(fresh, tmp_path):
    companion_loader.load_companion_file(OFFERS)
    ids = {key: pk for pk, key, _title in entries_and_ids()}
    data = copy.deepcopy(shipped(OFFERS))
    data["offers"][0]["title"] = "Sjældne-netværket (rettet)"
    result = companion_loader.load_companion_file(write(tmp_path, data))
    assert result.updated
    assert m.CompanionEntry.objects.get(pk=ids[data["offers"][0]["key"]]).title.endswith("(rettet)")
    # A program links the first offer: removing it from the file is refused, nothing changes.
    program = ProgramFactory(model_version=fresh)
    PartOffer.objects.create(
        program=program,
        section=fresh.sections.get(number="4.9.1"),
        position=1,
        offer_id=ids[data["offers"][0]["key"]],
    )
    removed = copy.deepcopy(data)
    removed["offers"].pop(0)
    with pytest.raises(ModelFileError, match="programmer henviser"):
        companion_loader.load_companion_file(write(tmp_path, removed, "removed.yaml"))
    assert m.CompanionEntry.objects.filter(pk=ids[data["offers"][0]["key"]]).exists()


def test_the_command_loads_the_model_and_its_companions_and_refuses_a_broken_one(
    fresh, capsys, tmp_path
):
    call_command("load_generic_model", *map(str, COMPANION_FILES))
    out = capsys.readouterr().out
    assert "Indlæst:" in out and "13 koordineringsværktøjer" in out and "19 tilbud" in out
    call_command("load_generic_model", str(OFFERS))
    assert "Uændret:" in capsys.readouterr().out
    data = shipped(OFFERS)
    data["offers"][0]["sections"] = ["9.9"]
    with pytest.raises(CommandError, match="Intet er indlæst"):
        call_command("load_generic_model", str(write(tmp_path, data)))
