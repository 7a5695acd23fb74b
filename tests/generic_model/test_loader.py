"""Loading the generic model: complete content, idempotency, refusals and atomicity."""

from __future__ import annotations

import copy
import importlib
import re
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from pathways.generic_model import loader
from pathways.generic_model import models as m
from pathways.generic_model.schema import ModelFileError, read_model_file
from pathways.programs.completeness import assess
from pathways.programs.data import forget_model_data, load_program_data
from tests.conftest import GENERIC_MODEL_FILE
from tests.factories import ProgramFactory, UserFactory

# The attention points per section as the publication prints them (57 in all), and the one
# the data adds for a situation 4.1.1 describes but does not list (4.1.1/8).
ATTENTION_POINTS_PER_SECTION = {
    "3.1.2": 4, "4.1": 3, "4.1.1": 8, "4.1.2": 1, "4.1.3": 6, "4.1.4": 2, "4.2": 4,
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
    assert sum(counts.values()) == 58


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
    assert len(groups) == 6
    assert all(groups)
    assert [p.position for p in points] == list(range(1, 9))


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
    assert re.fullmatch(systems["icd-10"].pattern, "DQ871")
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
    # Only the four tasks the reform moves (ch. 2): acute specialised nursing, health and
    # care places, patient-oriented prevention, specialised rehabilitation. The region and
    # the sundhedsråd do not deliver a moved task; their descriptions keep the reform note.
    flagged = {key for key, a in actors.items() if a.affected_by_reform_2024}
    assert flagged == {
        "kommunal-sygepleje",
        "sundheds-omsorgspladser",
        "patientrettet-forebyggelse",
        "kommunal-genoptraening",
    }
    assert "sundhedsreformen 2024" in actors["region-administration"].description.lower()
    assert "opgaver, reformen flytter" in actors["sundhedsraad"].description
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
    assert m.AttentionPoint.objects.count() == 2 * 58
    assert (
        list(
            m.AttentionPoint.objects.filter(section__model_version=generic_model).values_list(
                "pk", "text"
            )
        )
        == old_points
    )


def test_a_corrected_text_under_the_same_version_is_applied_in_place(
    generic_model, generic_model_data, write_model_file
):
    """A corrected transcription of the same publication keeps `version` (test_correction.py
    has the rest)."""
    changed = copy.deepcopy(generic_model_data)
    changed["attention_points"][0]["text"] = "Rettet gengivelse af punktet."
    first = m.AttentionPoint.objects.get(section__model_version=generic_model, position=1,
                                         section__number="3.1.2")  # fmt: skip
    before = all_rows()
    path = write_model_file(changed)
    result = loader.load_generic_model_file(path)
    assert result.changes == ("Rettet: attention_points 3.1.2/1 (text)",)
    assert all_rows() == before
    first.refresh_from_db()
    assert first.text == "Rettet gengivelse af punktet."
    generic_model.refresh_from_db()
    assert generic_model.source_file == str(path)


def _break(data, change):
    broken = copy.deepcopy(data)
    change(broken)
    return broken


def _set(target, key, value):
    target[key] = value


def _section(data, number):
    return next(s for s in data["sections"] if s["number"] == number)


def _role(data, number, role):
    """Give section `number` the step role `role` (None: take its role away)."""
    section = _section(data, number)
    if role is None:
        section.pop("step_role", None)
    else:
        section["step_role"] = role


def _move_points(data, source, target):
    for point in data["attention_points"]:
        if point["section"] == source:
            point["section"] = target


def _no_parts(data):
    for section in data["sections"]:
        if section.get("step_role") == "part":
            del section["step_role"]
    data["attention_points"] = [
        p for p in data["attention_points"] if p["section"] in ("3.1.2", "4.10")
    ]


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
    "unknown step role": (
        lambda d: _role(d, "4.11", "afslutning"),
        ["sections[30] (4.11 ", "'step_role'", "ukendte værdi 'afslutning'", "follow_up"],
    ),
    "a step role that belongs to one section given twice": (
        lambda d: _role(d, "4.11.1", "follow_up"),
        ["sections[31] (4.11.1 ", "step_role 'follow_up'", "afsnit '4.11'", "kun ét"],
    ),
    "the optional pathway role given twice": (
        lambda d: _role(d, "4.9", "pathway"),
        ["sections[26] (4.9 ", "step_role 'pathway'", "afsnit '4'", "kun ét"],
    ),
    "attention points on the pathway step, which asks none": (
        lambda d: [_role(d, "4", None), _role(d, "4.5", "pathway")],
        ["afsnit '4.5' spørges ikke", "step_role"],
    ),
    "a part role on a section without attention points": (
        lambda d: _role(d, "4.9", "part"),
        ["sections[26] (4.9 ", "step_role 'part'", "ingen"],
    ),
    "no section for a step the program needs": (
        lambda d: _role(d, "2", None),
        ["sections: intet afsnit har step_role 'actors'"],
    ),
    "no part of the pathway at all": (
        lambda d: _no_parts(d),
        ["sections: intet afsnit har step_role 'part'"],
    ),
    "attention points that no step asks": (
        lambda d: _role(d, "4.1.2", None),
        ["attention_points[16] (4.1.2 ", "afsnit '4.1.2' spørges ikke", "step_role"],
    ),
    "a part in a life phase the diagram does not define": (
        lambda d: _set(_section(d, "4.1.1"), "phases", ["graviditet", "foster"]),
        ["sections[", "(4.1.1)", "livsfasen 'foster'", "pathway_diagram phases"],
    ),
    "a transition in a life phase the diagram does not define": (
        lambda d: _set(d["transitions"][1], "phases", ["teenager"]),
        ["transitions[2] (barn-ung-til-voksen)", "livsfasen 'teenager'"],
    ),
    "a sector drawn in two lanes": (
        lambda d: d["pathway_diagram"]["lanes"][1]["sectors"].append("hospital"),
        ["pathway_diagram lanes (almen-praksis)", "'hospital'", "allerede"],
    ),
    "an entry point that is no part": (
        lambda d: d["pathway_diagram"]["entry_points"].append("4.3.1"),
        ["pathway_diagram entry_points", "'4.3.1'", "step_role 'part'"],
    ),
    "a transition that no step asks": (
        lambda d: [_role(d, "4.3", None), _move_points(d, "4.3", "4.2")],
        ["transitions[2] (barn-ung-til-voksen)", "afsnit '4.3.1' hører ikke under"],
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
    assert "58 opmærksomhedspunkter" in first
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


# --- Step roles -----------------------------------------------------------------------------

SHIPPED_STEP_ROLES = {
    "2": "actors", "3": "criteria", "3.1.2": "target_group", "4.10": "implementation",
    "4.11": "follow_up",
    **{n: "part" for n in (
        "4.1", "4.1.1", "4.1.2", "4.1.3", "4.1.4", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7",
        "4.8", "4.9.1", "4.9.2",
    )},
    "4": "pathway",  # optional; added to 1.0 by a correction (issue 11)
}  # fmt: skip
# The roles the rules before the model file named them gave (migration 0003): all but the
# optional pathway step, which came later.
LEGACY_STEP_ROLES = {n: r for n, r in SHIPPED_STEP_ROLES.items() if r != "pathway"}

# The fingerprint stored for model 1.0 by every database that loaded it before sections had
# step roles. Such a database now compares the file entry by entry (a correction), so the
# fingerprint only has to differ from the file's.
FINGERPRINT_BEFORE_STEP_ROLES = "3173cf71a272a179abe56391b863c3e2dbae79f5a875104ff28a4ed1279d36ae"


def stored_roles(version) -> dict[str, str]:
    return dict(version.sections.exclude(step_role="").values_list("number", "step_role"))


def test_sections_carry_the_step_roles_of_the_file(generic_model):
    assert stored_roles(generic_model) == SHIPPED_STEP_ROLES


def _as_loaded_before_step_roles(version) -> None:
    """Put a loaded version back the way a database that loaded it before 0003 held it."""
    version.sections.update(step_role="")
    m.ModelVersion.objects.filter(pk=version.pk).update(content_hash=FINGERPRINT_BEFORE_STEP_ROLES)


def test_migration_gives_a_version_loaded_earlier_the_roles_of_the_old_rules(generic_model):
    _as_loaded_before_step_roles(generic_model)
    migration = importlib.import_module("pathways.generic_model.migrations.0003_section_step_role")
    migration.legacy_step_roles(apps, None)
    assert stored_roles(generic_model) == LEGACY_STEP_ROLES

    # The shipped file, which now names the roles, has the same roles and adds the optional
    # pathway step: nothing else changes, and the fingerprint becomes the file's.
    before = all_rows()
    result = loader.load_generic_model_file(GENERIC_MODEL_FILE)
    assert result.created is False and result.model_version == generic_model
    assert result.changes == ("Rettet: sections 4 (step_role)",)
    assert all_rows() == before
    generic_model.refresh_from_db()
    assert generic_model.content_hash == loader.content_hash(read_model_file(GENERIC_MODEL_FILE))
    assert stored_roles(generic_model) == SHIPPED_STEP_ROLES


def test_other_step_roles_under_a_version_loaded_earlier_are_refused(
    generic_model, generic_model_data, write_model_file
):
    _as_loaded_before_step_roles(generic_model)
    migration = importlib.import_module("pathways.generic_model.migrations.0003_section_step_role")
    migration.legacy_step_roles(apps, None)
    changed = copy.deepcopy(generic_model_data)
    _role(changed, "4.11", None)
    _role(changed, "4.11.1", "follow_up")
    with pytest.raises(ModelFileError, match="nyt versionsnummer"):
        loader.load_generic_model_file(write_model_file(changed))
    assert stored_roles(generic_model) == LEGACY_STEP_ROLES


def test_other_step_roles_under_the_same_version_are_refused(
    generic_model, generic_model_data, write_model_file
):
    changed = copy.deepcopy(generic_model_data)
    _role(changed, "4.11", None)
    _role(changed, "4.11.1", "follow_up")
    with pytest.raises(ModelFileError, match="nyt versionsnummer"):
        loader.load_generic_model_file(write_model_file(changed))
    assert stored_roles(generic_model) == SHIPPED_STEP_ROLES


def test_the_optional_pathway_step_is_added_in_place_and_cannot_be_taken_away(
    generic_model, generic_model_data, write_model_file
):
    """A database that loaded 1.0 before section 4 had its role: loading the file gives its
    programs the new step (empty) and moves no other step. Taking the role away again would
    hide what programs wrote there: refused, as any moved step is."""
    program = ProgramFactory(owner=UserFactory(), model_version=generic_model)
    generic_model.sections.filter(number="4").update(step_role="")
    m.ModelVersion.objects.filter(pk=generic_model.pk).update(content_hash="before")
    forget_model_data()  # as a server started on that older database reads it
    steps_before = [s.key for s in load_program_data(program).steps]
    assert "forloeb" not in steps_before

    result = loader.load_generic_model_file(GENERIC_MODEL_FILE)
    assert result.changes == ("Rettet: sections 4 (step_role)",)
    data = load_program_data(program)
    assert [s.key for s in data.steps] == [*steps_before[:4], "forloeb", *steps_before[4:]]
    assert assess(data).for_step("forloeb").state == "not_started"

    changed = copy.deepcopy(generic_model_data)
    _role(changed, "4", None)
    with pytest.raises(ModelFileError, match="nyt versionsnummer"):
        loader.load_generic_model_file(write_model_file(changed))
    assert stored_roles(generic_model) == SHIPPED_STEP_ROLES


def test_the_database_refuses_a_second_section_with_a_role_that_belongs_to_one(generic_model):
    section = generic_model.sections.get(number="4.11.1")
    section.step_role = m.StepRole.FOLLOW_UP
    with pytest.raises(IntegrityError), transaction.atomic():
        section.save()
