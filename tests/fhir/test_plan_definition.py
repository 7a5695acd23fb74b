"""The FHIR export of a published version: valid R4B, with the pathway, its actors and its
target group where FHIR puts them."""

from __future__ import annotations

import copy
import datetime

import pytest
from django.conf import settings
from django.utils import timezone, translation

from pathways.fhir import terminology
from pathways.fhir.plan_definition import version_bundle
from pathways.programs import models as pm
from tests.factories import UserFactory, published_version, small_program
from tests.fhir.validation import (
    action,
    all_actions,
    organizations,
    parent_of,
    participant_refs,
    plan_definition,
    problems,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_version(demo_program):
    return published_version(demo_program)


def focus_concepts(plan: dict) -> list[dict]:
    return [c["valueCodeableConcept"] for c in plan["useContext"] if c["code"]["code"] == "focus"]


def test_the_demo_export_is_valid_r4b(demo_version):
    bundle = version_bundle(demo_version)
    assert problems(bundle) == []
    assert bundle["type"] == "collection"
    assert [e["resource"]["resourceType"] for e in bundle["entry"]][0] == "PlanDefinition"
    # One Organization per actor the published document lists.
    actors = demo_version.document["content"]["aktoerer"]["actors"]
    orgs = organizations(bundle)
    assert sorted(o["identifier"][0]["value"] for o in orgs.values()) == sorted(
        a["ref"] for a in actors
    )
    assert bundle["timestamp"] == demo_version.published_at.astimezone(datetime.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )


def test_the_checks_catch_what_the_models_let_through(demo_version):
    """The models accept any string for a code with a required binding, and empty values:
    the tests' own checks must not."""
    bundle = version_bundle(demo_version)
    wrong = copy.deepcopy(bundle)
    plan_definition(wrong)["status"] = "published"
    assert any("'published'" in p for p in problems(wrong))
    wrong = copy.deepcopy(bundle)
    action(wrong, "del-4-1")["participant"][0]["type"] = "organization"
    assert any("'organization'" in p for p in problems(wrong))
    wrong = copy.deepcopy(bundle)
    plan_definition(wrong)["purpose"] = ""
    assert any("purpose" in p for p in problems(wrong))


def test_the_plan_says_what_version_of_which_program_it_is(demo_version):
    plan = plan_definition(version_bundle(demo_version))
    code = demo_version.program.code
    assert plan["url"] == f"{settings.SITE_URL}/p/{code}/"
    assert plan["version"] == "1.0"
    assert plan["identifier"] == [
        {"use": "official", "system": f"{settings.SITE_URL}/p", "value": code}
    ]
    assert plan["title"] == demo_version.title
    assert plan["type"]["coding"][0]["code"] == "clinical-protocol"
    assert plan["status"] == "active"
    assert plan["experimental"] is True  # the demo is fictitious
    assert plan["subjectCodeableConcept"]["coding"][0]["code"] == "Patient"
    assert plan["publisher"] == "Sundhedsrådene i Region Nordjylland (fiktiv godkendelse)"
    assert plan["approvalDate"] == timezone.localdate(demo_version.published_at).isoformat()
    assert plan["effectivePeriod"] == {"start": "2027-09-01"}
    assert {"url": terminology.next_review_extension(), "valueDate": "2029-09-01"} in plan[
        "extension"
    ]
    assert plan["description"].startswith("Programmet skal give børn")
    assert plan["jurisdiction"][0]["coding"][0]["code"] == "DK"
    assert plan["jurisdiction"][1]["coding"][0] == {
        "system": "urn:iso:std:iso:3166:-2",
        "code": "DK-81",
    }
    assert plan["jurisdiction"][1]["text"] == "Region Nordjylland"
    page = {"type": "documentation", "url": f"{settings.SITE_URL}/p/{code}/1.0/"}
    assert any(page.items() <= a.items() for a in plan["relatedArtifact"])


def test_diagnosis_codes_are_in_their_code_systems(demo_version):
    concepts = focus_concepts(plan_definition(version_bundle(demo_version)))
    codings = [c["coding"] for c in concepts if "coding" in c]
    # ICD-10 in WHO form and the stored SKS form: two codings of one concept.
    assert [
        {"system": "http://hl7.org/fhir/sid/icd-10", "code": "Q99.2"},
        {"system": "urn:oid:1.2.208.176.2.4", "code": "DQ992"},
    ] in [[{"system": c["system"], "code": c["code"]} for c in cs] for cs in codings]
    orpha = [c for cs in codings for c in cs if c["system"] == "https://www.orpha.net"]
    assert {"system": "https://www.orpha.net", "code": "908", "display": "Fragilt X-syndrom"} in (
        orpha
    )
    omim = [c["code"] for cs in codings for c in cs if c["system"] == "http://www.omim.org"]
    assert "300624" in omim
    # The target group's grouping in the model, as a focus of its own.
    assert concepts[0]["text"] == "Sjældne sygdomme med udviklingshæmning"


def test_every_participant_is_an_organization_in_the_bundle(demo_version):
    bundle = version_bundle(demo_version)
    orgs = organizations(bundle)
    named = [
        (ref, role)
        for a, _parent in all_actions(plan_definition(bundle)["action"])
        for ref, role in participant_refs(a)
    ]
    assert len(named) > 100
    assert {ref for ref, _role in named} <= set(orgs)
    assert {role for _ref, role in named} == {
        "responsible",
        "collaborating",
        "patient-responsible-doctor",
        "sending",
        "receiving",
    }
    # Who is responsible for a part: the Organization of the actor the document names.
    responsible = demo_version.document["content"]["del-4-2"]["responsible"]
    (ref,) = [r for r, role in participant_refs(action(bundle, "del-4-2")) if role == "responsible"]
    assert orgs[ref]["identifier"][0]["value"] == responsible


def test_parts_are_nested_as_the_model_nests_them(demo_version):
    bundle = version_bundle(demo_version)
    assert parent_of(bundle, "del-4-1") is None
    assert parent_of(bundle, "del-4-1-3")["id"] == "del-4-1"
    # 4.9 is no part, but holds two: a heading action with the two under it.
    assert parent_of(bundle, "del-4-9-1")["id"] == "gruppe-4-9"
    part = action(bundle, "del-4-1-3")
    assert part["prefix"] == "6.1.3"  # the published document's own number
    assert part["code"][0]["coding"][0]["code"] == "4.1.3"  # the model's section
    assert part["description"]  # the health care effort
    # Its attention points inside it, with their status and answer.
    point = action(bundle, "punkt-4.1.3-2")
    assert parent_of(bundle, "punkt-4.1.3-2") is part
    assert point["prefix"] == "4.1.3/2"
    answer = demo_version.document["content"]["del-4-1-3"]["attention_points"]["4.1.3/2"]
    assert point["description"].startswith(answer["answer"])
    (status,) = point["extension"]
    assert status["url"] == terminology.point_status_extension()
    assert status["valueCodeableConcept"]["coding"][0]["code"] == answer["status"]
    # The target group's points under an action of their own.
    assert parent_of(bundle, "punkt-3.1.2-1")["id"] == "maalgruppe"


def test_transitions_name_who_hands_over_to_whom(demo_version):
    bundle = version_bundle(demo_version)
    orgs = organizations(bundle)
    transition = action(bundle, "del-4-2.diagnose-til-kontrol")
    assert parent_of(bundle, "del-4-2.diagnose-til-kontrol")["id"] == "del-4-2"
    given = demo_version.document["content"]["del-4-2"]["transitions"]["diagnose-til-kontrol"]
    sides = {
        role: sorted(
            orgs[ref]["identifier"][0]["value"]
            for ref, r in participant_refs(transition)
            if r == role
        )
        for role in ("sending", "receiving")
    }
    assert sides == {"sending": sorted(given["sending"]), "receiving": sorted(given["receiving"])}
    assert transition["description"] == given["trigger"]
    transitions = [a for a, _p in all_actions(plan_definition(bundle)["action"]) if "." in a["id"]]
    assert len(transitions) >= 10
    assert all(t.get("participant") or t.get("relatedAction") for t in transitions)


def test_only_the_newest_version_is_active(demo_program):
    first = published_version(demo_program)
    assert plan_definition(version_bundle(first))["status"] == "active"
    second = published_version(demo_program, major=False, change_note="Rettelser")
    old = plan_definition(version_bundle(first))
    new = plan_definition(version_bundle(second))
    assert (old["status"], new["status"]) == ("retired", "active")
    assert old["url"] == new["url"]  # one canonical URL, told apart by version
    assert (old["version"], new["version"]) == ("1.0", "1.1")
    assert {"type": "successor", "display": "Version 1.1", "resource": f"{old['url']}|1.1"} in old[
        "relatedArtifact"
    ]
    assert {"type": "predecessor", "display": "Version 1.0", "resource": f"{new['url']}|1.0"} in (
        new["relatedArtifact"]
    )
    # Its ids are its own: the same version gives the same ids, another version others.
    assert (
        version_bundle(first)["id"] == version_bundle(first)["id"] != version_bundle(second)["id"]
    )


def test_a_minimal_program_exports_valid_r4b(generic_model):
    program = small_program(owner=UserFactory())
    # A part the group judged not relevant is no part of the plan.
    section = program.model_version.sections.get(number="4.6")
    pm.PartAnswer.objects.create(
        program=program, section=section, relevance="no", not_relevant_reason="Ikke her"
    )
    version = published_version(program)
    bundle = version_bundle(version)
    assert problems(bundle) == []
    ids = [a["id"] for a, _p in all_actions(plan_definition(bundle)["action"])]
    assert "del-4-4" in ids and "del-4-6" not in ids
    plan = plan_definition(bundle)
    assert plan["experimental"] is False
    (icd,) = focus_concepts(plan)  # no grouping chosen: the code alone
    assert [c["code"] for c in icd["coding"]] == ["Q87.1", "DQ871"]
    (org,) = organizations(bundle).values()
    assert org["name"] == "Børneafdelingen"
    assert {ref for ref, _r in participant_refs(action(bundle, "del-4-4"))} == set(
        organizations(bundle)
    )


def test_the_export_is_danish_whatever_language_the_reader_chose(generic_model):
    version = published_version(small_program(owner=UserFactory()))
    with translation.override("en"):
        bundle = version_bundle(version)
    part = action(bundle, "del-4-4")
    assert part["participant"][0]["role"]["text"] == "Ansvarlig"
    assert plan_definition(bundle)["language"] == "da"
