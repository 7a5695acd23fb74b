"""Loading a corrected file of a version that is already loaded (same `version`).

The corrected file is the shipped one; the file it corrects is the one shipped before issue 11
(kept under data/ as it was in git, commit b151759), so the test replays exactly the
correction a database running the app meets.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from pathways.generic_model import loader
from pathways.generic_model import models as m
from pathways.generic_model.schema import ModelFileError
from pathways.programs import models as pm
from pathways.review.models import Comment
from tests.conftest import GENERIC_MODEL_FILE
from tests.factories import ProgramFactory, UserFactory, published_version

pytestmark = pytest.mark.django_db

BEFORE = Path(__file__).parent / "data" / "sst-sjaeldne-1.0-before-issue-11.yaml"
ANSWER_MODELS = (
    pm.AttentionPointAnswer,
    pm.TransitionAnswer,
    pm.PartAnswer,
    pm.ProgramActor,
    pm.CriterionAssessment,
    pm.NeedAssessment,
    pm.DiagnosisCode,
    Comment,
)


def point(version, reference: str) -> m.AttentionPoint:
    number, position = reference.split("/")
    return m.AttentionPoint.objects.get(
        section__model_version=version, section__number=number, position=int(position)
    )


def answered_program(version) -> pm.Program:
    """A program that answers, names or comments on every kind of entry the correction
    touches: corrected points, a transition whose actors changed, the split actor type."""
    owner = UserFactory()
    program = ProgramFactory(owner=owner, model_version=version)
    actor = pm.ProgramActor.objects.create(
        program=program,
        actor_type=version.actor_types.get(key="kennedy-centret"),
        name="Kennedy Centret, Rigshospitalet",
        unit="Center for Fragilt X",
        position=1,
        ref="a1",
    )
    for position, reference in enumerate(["3.1.2/4", "4.1.1/4", "4.1.1/7", "4.9.2/1", "4.7/3"]):
        pm.AttentionPointAnswer.objects.create(
            program=program,
            attention_point=point(version, reference),
            status="addressed",
            answer=f"Svar {position} på {reference}",
            responsible=actor,
        )
    pm.PartAnswer.objects.create(
        program=program,
        section=version.sections.get(number="4.3"),
        relevance="yes",
        effort="Transition",
        responsible=actor,
    )
    pm.TransitionAnswer.objects.create(
        program=program,
        transition=m.Transition.objects.get(model_version=version, key="barn-ung-til-voksen"),
        relevance="yes",
        handover="Status",
    ).senders.add(actor)
    pm.CriterionAssessment.objects.create(
        program=program, criterion=version.criterion_set.first(), applies=True, reason="Ja"
    )
    pm.NeedAssessment.objects.create(
        program=program, need=version.need_set.first(), assessment="Stort"
    )
    pm.DiagnosisCode.objects.create(
        program=program, code_system=version.codesystem_set.get(key="orpha"), code="ORPHA:908",
        position=1,
    )  # fmt: skip
    Comment.objects.create(
        program=program,
        step_key="del-4-1-1",
        attention_point=point(version, "4.1.1/4"),
        author=owner,
        body="Er samtalen rettidig?",
    )
    return program


def answers_of(program) -> dict[str, list[dict]]:
    return {
        model.__name__: list(model.objects.filter(program=program).order_by("pk").values())
        for model in ANSWER_MODELS
    }


@pytest.fixture
def loaded_before():
    result = loader.load_generic_model_file(BEFORE)
    assert result.created
    return result.model_version


def test_the_corrected_file_updates_texts_adds_entries_and_keeps_every_answer(loaded_before):
    version = loaded_before
    program = answered_program(version)
    answers = answers_of(program)
    ids = {ref: point(version, ref).pk for ref in ("3.1.2/4", "4.1.1/4", "4.1.1/7", "4.9.2/1")}

    result = loader.load_generic_model_file(GENERIC_MODEL_FILE)

    assert result.model_version == version and not result.created and result.updated
    assert m.ModelVersion.objects.count() == 1
    # Every answer row is as it was and points at the same (corrected) entry.
    assert answers_of(program) == answers
    assert {ref: point(version, ref).pk for ref in ids} == ids
    # Texts are the corrected ones.
    assert "frem for enkeltdiagnoser" not in point(version, "3.1.2/4").text
    assert "med henblik på eventuel" in point(version, "4.1.1/4").text
    kennedy = version.actor_types.get(key="kennedy-centret")
    assert kennedy.name == "Kennedy Centret, Rigshospitalet"
    assert pm.ProgramActor.objects.get(program=program).actor_type == kennedy
    # New entries are there.
    assert point(version, "4.1.1/8").group.startswith("Sjælden sygdom i familien")
    assert version.actor_types.filter(key="center-fragilt-x").exists()
    assert {"afslutning-til-almen-praksis", "udskrivning-med-genoptraeningsplan"} <= set(
        m.Transition.objects.filter(model_version=version).values_list("key", flat=True)
    )
    # A new link: the points' actors, transitions' actors and resources' sections.
    assert "sygehus-psykolog-socialraadgiver" in point(version, "4.7/1").actors.values_list(
        "key", flat=True
    )
    # Each change is named by the file's list and the entry's identity.
    assert "Tilføjet: attention_points 4.1.1/8" in result.changes
    assert "Tilføjet: actor_types center-fragilt-x" in result.changes
    assert "Tilføjet: transitions skift-mellem-forvaltninger" in result.changes
    assert "Rettet: attention_points 3.1.2/4 (title, text)" in result.changes
    assert "Rettet: actor_types kennedy-centret (name, description)" in result.changes
    assert "Rettet: attention_points 4.9.1/3 (actors)" in result.changes
    # The chapter 4 introduction becomes a step of its own (optional role: no step moves),
    # and the reform flag stays only on the tasks the reform moves.
    (section_4,) = [c for c in result.changes if c.startswith("Rettet: sections 4 (")]
    assert "step_role" in section_4
    assert version.sections.get(number="4").step_role == m.StepRole.PATHWAY
    assert not version.actor_types.get(key="sundhedsraad").reform_2024_note
    assert not any(c.startswith("Fjernet") for c in result.changes)

    # The same file again is a no-op.
    again = loader.load_generic_model_file(GENERIC_MODEL_FILE)
    assert not again.created and not again.updated


def test_a_correction_matches_loading_the_file_afresh(loaded_before):
    """Corrected in place or loaded into an empty database: the same content."""

    def names(manager, field: str = "key") -> list[str]:
        return sorted(manager.values_list(field, flat=True))

    def content(version) -> dict:
        points = m.AttentionPoint.objects.filter(section__model_version=version)
        return {
            "sections": {
                s.number: (
                    s.title,
                    s.summary,
                    s.guidance,
                    s.step_role,
                    s.parent_id and s.parent.number,
                    names(s.questions, "text"),
                )
                for s in version.sections.all()
            },
            "points": {p.reference: (p.group, p.title, p.text, names(p.actors)) for p in points},
            "transitions": {
                t.key: (
                    t.title,
                    t.section.number,
                    t.arrangements,
                    t.position,
                    names(t.sending_actors),
                    names(t.receiving_actors),
                )
                for t in m.Transition.objects.filter(model_version=version)
            },
            "resources": {
                r.key: (r.offers, r.actor_id and r.actor.key, names(r.sections, "number"))
                for r in version.resources.all()
            },
            "actors": {
                a.key: (a.name, a.description, a.position, names(a.sections, "number"))
                for a in version.actor_types.all()
            },
        }

    loader.load_generic_model_file(GENERIC_MODEL_FILE)
    corrected = content(loaded_before)
    m.ModelVersion.objects.all().delete()
    fresh = loader.load_generic_model_file(GENERIC_MODEL_FILE)
    assert fresh.created
    assert content(fresh.model_version) == corrected


def _without(data: dict, list_name: str, test) -> dict:
    changed = copy.deepcopy(data)
    changed[list_name] = [item for item in changed[list_name] if not test(item)]
    return changed


def _shipped() -> dict:
    return yaml.safe_load(GENERIC_MODEL_FILE.read_text(encoding="utf-8"))


def _last_point_of(data: dict, number: str) -> dict:
    return [p for p in data["attention_points"] if p["section"] == number][-1]


def test_an_answered_entry_the_file_drops_is_refused_by_name_and_nothing_changes(
    loaded_before, write_model_file
):
    program = answered_program(loaded_before)
    data = _shipped()
    dropped = _last_point_of(data, "4.1.1")  # 4.1.1/8: new, so 4.1.1/7 drops out instead
    data["attention_points"].remove(dropped)
    data["attention_points"].remove(_last_point_of(data, "4.1.1"))
    data = _without(data, "actor_types", lambda a: a["key"] in ("kennedy-centret",))
    for transition in data["transitions"]:
        transition["sending_actors"] = [
            k for k in transition["sending_actors"] if k != "kennedy-centret"
        ]
    for resource in data["resources"]:
        if resource.get("actor") == "kennedy-centret":
            resource.pop("actor")
    before_text = point(loaded_before, "3.1.2/4").text

    with pytest.raises(ModelFileError) as caught:
        loader.load_generic_model_file(write_model_file(data))

    problems = caught.value.problems
    assert any("attention_points 4.1.1/7" in p and program.code in p for p in problems)
    assert any("actor_types kennedy-centret" in p and program.code in p for p in problems)
    # Atomic: not even the texts the file corrects were written.
    assert point(loaded_before, "3.1.2/4").text == before_text
    assert not loaded_before.actor_types.filter(key="center-fragilt-x").exists()
    assert pm.AttentionPointAnswer.objects.filter(program=program).count() == 5


def test_an_entry_no_program_names_is_removed_and_reported(loaded_before, write_model_file):
    answered_program(loaded_before)
    data = _without(_shipped(), "actor_types", lambda a: a["key"] == "digitaliseringsstyrelsen")
    data = _without(
        data, "legal_references", lambda r: r["key"] == "overenskomst-almen-praksis-2022"
    )

    result = loader.load_generic_model_file(write_model_file(data))

    assert "Fjernet: actor_types digitaliseringsstyrelsen" in result.changes
    assert "Fjernet: legal_references overenskomst-almen-praksis-2022" in result.changes
    assert not loaded_before.actor_types.filter(key="digitaliseringsstyrelsen").exists()


def test_an_entry_only_a_published_version_names_is_not_removed(generic_model, write_model_file):
    owner = UserFactory()
    program = ProgramFactory(owner=owner)
    actor = pm.ProgramActor.objects.create(
        program=program,
        actor_type=generic_model.actor_types.get(key="digitaliseringsstyrelsen"),
        name="Digitaliseringsstyrelsen",
        position=1,
        ref="a1",
    )
    published_version(program)
    actor.delete()  # the draft moved on; version 1.0 still names the actor type

    data = _without(_shipped(), "actor_types", lambda a: a["key"] == "digitaliseringsstyrelsen")
    with pytest.raises(ModelFileError) as caught:
        loader.load_generic_model_file(write_model_file(data))
    (problem,) = caught.value.problems
    assert "actor_types digitaliseringsstyrelsen" in problem and program.code in problem
    assert generic_model.actor_types.filter(key="digitaliseringsstyrelsen").exists()


def test_a_failure_while_correcting_leaves_the_version_as_it_was(loaded_before, monkeypatch):
    def explode(self):
        raise RuntimeError("disk full")

    before = point(loaded_before, "3.1.2/4").text
    monkeypatch.setattr(loader._Correction, "_remove_obsolete", explode)
    with pytest.raises(RuntimeError):
        loader.load_generic_model_file(GENERIC_MODEL_FILE)
    assert point(loaded_before, "3.1.2/4").text == before
    assert not m.AttentionPoint.objects.filter(
        section__model_version=loaded_before, section__number="4.1.1", position=8
    ).exists()
    loaded_before.refresh_from_db()
    assert loaded_before.content_hash == loader.content_hash(loader.read_model_file(BEFORE))


def test_the_command_prints_the_corrections_and_renews_the_programs_coverage(loaded_before, capsys):
    program = answered_program(loaded_before)
    pm.Program.objects.filter(pk=program.pk).update(coverage_percent=100, gap_count=0)
    updated_at = pm.Program.objects.get(pk=program.pk).updated_at

    call_command("load_generic_model", str(GENERIC_MODEL_FILE))

    out = capsys.readouterr().out
    assert "Opdateret:" in out and "version 1.0" in out
    assert "  Tilføjet: attention_points 4.1.1/8" in out
    assert "58 opmærksomhedspunkter" in out
    program.refresh_from_db()
    assert program.coverage_percent < 100 and program.gap_count > 0
    assert program.updated_at == updated_at  # derived figures only; nobody edited it
