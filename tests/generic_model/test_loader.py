"""Loading the generic model: complete content, idempotency, refusals and atomicity."""

from __future__ import annotations

import copy
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from pathways.generic_model import loader
from pathways.generic_model import models as m
from pathways.generic_model.schema import ModelFileError
from tests.conftest import GENERIC_MODEL_FILE

# The attention points per section as the publication prints them (57 in all).
ATTENTION_POINTS_PER_SECTION = {
    "3.1.2": 4, "4.1": 3, "4.1.1": 7, "4.1.2": 1, "4.1.3": 6, "4.1.4": 2, "4.2": 4,
    "4.3": 3, "4.4": 2, "4.5": 2, "4.6": 3, "4.7": 4, "4.8": 6, "4.9.1": 3, "4.9.2": 3,
    "4.10": 4,
}  # fmt: skip

pytestmark = pytest.mark.django_db


def all_rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            m.ModelVersion, m.Section, m.GuidanceQuestion, m.ActorType, m.AttentionPoint,
            m.Criterion, m.Need, m.CodeSystem, m.TargetGrouping, m.TargetGroupQuestion,
            m.Transition, m.Resource, m.LegalReference,
        )
    }  # fmt: skip


def test_every_attention_point_of_the_model_is_loaded_under_its_section(generic_model):
    counts = Counter(
        m.AttentionPoint.objects.filter(section__model_version=generic_model).values_list(
            "section__number", flat=True
        )
    )
    assert dict(counts) == ATTENTION_POINTS_PER_SECTION
    assert sum(counts.values()) == 57


def test_section_tree_covers_chapters_two_to_four(generic_model):
    sections = {s.number: s for s in generic_model.sections.select_related("parent")}
    for number in [
        "2",
        "2.1",
        "2.5",
        "3",
        "3.1.2",
        "4.1.3",
        "4.3.1",
        "4.3.2",
        "4.9.2",
        "4.10",
        "4.11",
        "4.11.1",
    ]:
        assert number in sections
    assert sections["4.1.3"].parent == sections["4.1"]
    assert sections["4.1"].parent == sections["4"]
    assert sections["4.1.3"].title.startswith("Udredning og evt. diagnostik ved fødslen")
    assert sections["4.2"].kind == m.SectionKind.TRANSITION
    assert sections["4.10"].kind == m.SectionKind.IMPLEMENTATION
    assert sections["4.11"].kind == m.SectionKind.FOLLOW_UP
    assert all(s.summary and s.guidance for s in sections.values())


def test_situations_of_4_1_1_keep_their_grouping(generic_model):
    points = m.AttentionPoint.objects.filter(
        section__model_version=generic_model, section__number="4.1.1"
    )
    groups = list(dict.fromkeys(p.group for p in points))
    assert len(groups) == 5
    assert all(groups)
    assert [p.position for p in points] == list(range(1, 8))


def test_follow_up_is_modelled_as_guiding_questions_without_attention_points(generic_model):
    follow_up = generic_model.sections.filter(number__startswith="4.11")
    assert [s.number for s in follow_up] == ["4.11", "4.11.1"]
    assert m.AttentionPoint.objects.filter(section__in=follow_up).count() == 0
    questions = m.GuidanceQuestion.objects.filter(section__in=follow_up)
    text = " ".join(q.text.lower() for q in questions)
    assert questions.count() >= 6
    for topic in ("hvornår", "ansvar", "datakilder", "audits"):  # when, who, data sources
        assert topic in text


def test_catalogues_hold_criteria_needs_and_target_group_building_blocks(generic_model):
    v = generic_model
    assert m.Criterion.objects.filter(model_version=v).count() == 5
    assert m.Need.objects.filter(model_version=v).count() == 4
    assert m.TargetGrouping.objects.filter(model_version=v).count() == 9
    assert m.TargetGroupQuestion.objects.filter(model_version=v).count() >= 3
    systems = {cs.key: cs for cs in m.CodeSystem.objects.filter(model_version=v)}
    assert set(systems) == {"icd-10", "icpc-2", "omim", "orpha"}
    for system in systems.values():
        assert re.fullmatch(system.pattern, system.example)
    assert re.fullmatch(systems["icd-10"].pattern, "DQ87.1")
    assert not re.fullmatch(systems["icd-10"].pattern, "87.1Q")
    assert not re.fullmatch(systems["omim"].pattern, "12345")


def test_actor_catalogue_names_the_models_actors_with_reform_flags(generic_model):
    actors = {a.key: a for a in generic_model.actor_types.all()}
    for key in [
        "css-rh",
        "css-auh",
        "klinisk-genetik",
        "gynaekologi-obstetrik",
        "paediatri",
        "sygehus-hovedfunktion",
        "sygehus-regionsfunktion",
        "sygehus-hoejt-specialiseret",
        "patientansvarlig-laege",
        "sundhedsplejen",
        "kommunal-sygepleje",
        "kommunal-genoptraening",
        "vederlagsfri-fysioterapi",
        "socialforvaltning",
        "koordinerende-sagsbehandler",
        "ppr",
        "almen-praksis",
        "speciallaegepraksis",
        "patientforeninger",
        "sjaeldne-diagnoser",
        "viso",
    ]:
        assert key in actors, key
    assert actors["patientansvarlig-laege"].is_role
    assert not actors["klinisk-genetik"].is_role
    assert actors["patientrettet-forebyggelse"].affected_by_reform_2024
    assert actors["kommunal-genoptraening"].affected_by_reform_2024
    assert not actors["almen-praksis"].affected_by_reform_2024
    # Attention points are linked to the actors they name.
    genetics_points = actors["klinisk-genetik"].attention_points.values_list(
        "section__number", flat=True
    )
    assert "4.1.2" in genetics_points


def test_transitions_resources_and_legal_references_are_loaded(generic_model):
    v = generic_model
    transition_sections = set(
        m.Transition.objects.filter(model_version=v).values_list("section__number", flat=True)
    )
    assert {"4.2", "4.3.1", "4.3.2", "4.4"} <= transition_sections
    child_to_adult = m.Transition.objects.get(model_version=v, section__number="4.3.1")
    assert child_to_adult.handover and child_to_adult.receiving_actors.exists()

    appendices = set(v.resources.values_list("appendix", flat=True))
    assert appendices == {"3", "4", "5", "6", "7"}
    assert v.resources.filter(url__startswith="https://").count() >= 10

    laws = " ".join(v.legal_references.values_list("law", flat=True)).lower()
    for law in ("sundhedsloven", "serviceloven", "barnets lov"):
        assert law in laws
    summaries = " ".join(v.legal_references.values_list("summary", flat=True)).lower()
    assert "3 måneder" in summaries or "tre måneder" in summaries


def test_loading_the_same_version_twice_changes_nothing(generic_model):
    before = all_rows()
    result = loader.load_generic_model_file(GENERIC_MODEL_FILE)
    assert result.created is False
    assert result.model_version == generic_model
    assert all_rows() == before


def test_a_new_version_loads_beside_the_old_one(
    generic_model, generic_model_data, write_model_file
):
    old_points = list(
        m.AttentionPoint.objects.filter(section__model_version=generic_model).values_list(
            "pk", "text"
        )
    )
    revised = copy.deepcopy(generic_model_data)
    revised["model"]["version"] = "1.1"
    revised["attention_points"][0]["text"] = "Ny formulering i version 1.1."
    result = loader.load_generic_model_file(write_model_file(revised))

    assert result.created
    assert m.ModelVersion.objects.count() == 2
    assert m.AttentionPoint.objects.count() == 2 * 57
    assert (
        list(
            m.AttentionPoint.objects.filter(section__model_version=generic_model).values_list(
                "pk", "text"
            )
        )
        == old_points
    )


def test_changed_content_under_an_existing_version_is_refused(
    generic_model, generic_model_data, write_model_file
):
    changed = copy.deepcopy(generic_model_data)
    changed["attention_points"][0]["text"] = "Stille ændring uden nyt versionsnummer."
    before = all_rows()
    path = write_model_file(changed)
    with pytest.raises(ModelFileError) as caught:
        loader.load_generic_model_file(path)
    message = str(caught.value)
    assert str(path) in message
    assert "version 1.0" in message and "nyt versionsnummer" in message
    assert all_rows() == before


def _break(data, change):
    broken = copy.deepcopy(data)
    change(broken)
    return broken


def _set(target, key, value):
    target[key] = value


REFUSALS = {
    "unknown section": (
        lambda d: _set(d["attention_points"][5], "section", "4.13"),
        ["attention_points[6]", "afsnit '4.13'", "ikke findes"],
    ),
    "duplicate section number": (
        lambda d: d["sections"].append(dict(d["sections"][3])),
        ["sections[32]", "findes allerede"],
    ),
    "attention point without section": (
        lambda d: d["attention_points"][10].pop("section"),
        ["attention_points[11]", "mangler sit afsnit"],
    ),
    "unknown actor": (
        lambda d: _set(d["attention_points"][56], "actors", ["klinisk-genetik", "troldmand"]),
        ["attention_points[57]", "aktøren 'troldmand'"],
    ),
    "section before its parent": (
        lambda d: d["sections"].append({**d["sections"][3], "number": "4.12.1"}),
        ["'4.12'", "skal stå før"],
    ),
    "unknown kind": (
        lambda d: _set(d["sections"][0], "kind", "chapter"),
        ["sections[1]", "ukendte værdi 'chapter'"],
    ),
    "misspelt field": (
        lambda d: _set(d["criteria"][0], "titel", "x"),
        ["criteria[1]", "ukendte felter: titel"],
    ),
    "version written as a number": (
        lambda d: _set(d["model"], "version", 1.0),
        ["model", "anførselstegn"],
    ),
    "code example that does not fit the pattern": (
        lambda d: _set(d["code_systems"][2], "example", "ABC"),
        ["code_systems[3]", "eksemplet 'ABC'"],
    ),
    "unknown actor in a transition": (
        lambda d: _set(d["transitions"][0], "receiving_actors", ["nissen"]),
        ["transitions[1]", "aktøren 'nissen'"],
    ),
    "unknown section in a legal reference": (
        lambda d: _set(d["legal_references"][0], "sections", ["9.9"]),
        ["legal_references[1]", "afsnit '9.9'"],
    ),
    "title longer than the database allows": (
        lambda d: _set(d["attention_points"][0], "title", "x" * 121),
        ["attention_points[1]", "121 tegn", "højst 120"],
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS), ids=list(REFUSALS))
def test_inconsistent_files_are_refused_with_file_entry_and_problem(
    case, generic_model_data, write_model_file
):
    change, expected = REFUSALS[case]
    path = write_model_file(_break(generic_model_data, change), name="broken.yaml")
    with pytest.raises(ModelFileError) as caught:
        loader.load_generic_model_file(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    for fragment in expected:
        assert fragment in message
    assert all(count == 0 for count in all_rows().values())


def test_malformed_yaml_is_refused_with_its_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("format: 1\nmodel:\n  name: [unclosed\n", "utf-8")
    with pytest.raises(ModelFileError) as caught:
        loader.load_generic_model_file(path)
    assert str(path) in str(caught.value)
    assert "ugyldig YAML" in str(caught.value)
    assert "linje" in str(caught.value)


def test_all_problems_of_a_file_are_reported_at_once(generic_model_data, write_model_file):
    broken = copy.deepcopy(generic_model_data)
    broken["attention_points"][0]["actors"] = ["ukendt-a"]
    broken["attention_points"][1]["actors"] = ["ukendt-b"]
    with pytest.raises(ModelFileError) as caught:
        loader.load_generic_model_file(write_model_file(broken))
    assert len(caught.value.problems) == 2


def test_a_failure_while_writing_leaves_nothing_half_loaded(monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    # Fails after sections, actors and attention points were written.
    monkeypatch.setattr(loader, "_write_catalogues", explode)
    with pytest.raises(RuntimeError):
        loader.load_generic_model_file(GENERIC_MODEL_FILE)
    assert all(count == 0 for count in all_rows().values())


def test_command_reports_what_it_loaded_and_then_that_nothing_changed(capsys):
    call_command("load_generic_model", str(GENERIC_MODEL_FILE))
    first = capsys.readouterr().out
    assert "57 opmærksomhedspunkter" in first
    call_command("load_generic_model", str(GENERIC_MODEL_FILE))
    assert "Uændret" in capsys.readouterr().out


def test_command_refuses_a_broken_file_with_an_error(generic_model_data, write_model_file):
    broken = copy.deepcopy(generic_model_data)
    del broken["attention_points"][3]["section"]
    path = write_model_file(broken)
    with pytest.raises(CommandError) as caught:
        call_command("load_generic_model", str(path))
    assert "Intet er indlæst" in str(caught.value)
    assert "attention_points[4]" in str(caught.value)
    assert m.ModelVersion.objects.count() == 0


def test_command_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("load_generic_model", str(tmp_path / "nope.yaml"))
