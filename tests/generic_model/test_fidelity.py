"""The model's data says what the publication says (seed 000, Sundhedsstyrelsen's generic model).

One test per finding of the fidelity review in issue 11; each quotes the publication's point in
its docstring (condensed) so a reader can check the data against it.
"""

from __future__ import annotations

import pytest
import yaml

from pathways.generic_model import models as m
from tests.conftest import DEMO_FILE

pytestmark = pytest.mark.django_db


def point(version, reference: str) -> m.AttentionPoint:
    number, position = reference.split("/")
    return m.AttentionPoint.objects.get(
        section__model_version=version, section__number=number, position=int(position)
    )


def actor_keys(entry, relation: str = "actors") -> set[str]:
    return set(getattr(entry, relation).values_list("key", flat=True))


def transition(version, key: str) -> m.Transition:
    return m.Transition.objects.get(model_version=version, key=key)


# --- Attention points whose meaning had drifted ------------------------------------------


def test_3_1_2_4_recommends_symptoms_or_function_without_ruling_out_diagnoses(generic_model):
    """3.1.2, 4th point: the delimitation "kan med fordel tage udgangspunkt i
    symptomkomplekser eller funktionsnedsættelse" – not "instead of single diagnoses"."""
    text = point(generic_model, "3.1.2/4").text
    assert "med fordel" in text
    assert "symptomkomplekser eller funktionsnedsættelse" in text
    assert "frem for" not in text and "enkeltdiagnose" not in text


def test_4_1_1_4_offers_a_talk_with_a_view_to_referral_and_names_who_refers_in_pregnancy(
    generic_model,
):
    """4.1.1, 4th point: a timely talk "med henblik på eventuel henvisning til vurdering" of the
    disease's meaning for the foetus; in pregnancy the patient-responsible doctor may refer to
    obstetrics, which should involve clinical genetics and may involve paediatrics."""
    text = " ".join(point(generic_model, "4.1.1/4").text.split())
    assert "rettidig samtale med henblik på eventuel henvisning til vurdering" in text
    assert (
        "Ved graviditet kan den patientansvarlige læge henvise til gynækologi og obstetrik" in text
    )
    assert "bør inddrage klinisk genetik og kan inddrage pædiatri" in text


def test_4_9_2_1_makes_relatives_part_of_the_effort_around_the_person(generic_model):
    """4.9.2, 1st point: relatives are "en integreret del af sundhedsindsatserne", and it is
    assessed whether help, support, advice and guidance can be given "af de pårørende" (by
    them) – the data said the relatives were to receive it."""
    text = " ".join(point(generic_model, "4.9.2/1").text.split())
    assert "integreret del af sundhedsindsatsen omkring personen" in text
    assert "om de pårørende kan yde praktisk hjælp og støtte eller give råd og vejledning" in text
    assert "om de kan få praktisk hjælp" not in text


# --- Attention points that missed or mislinked actors ------------------------------------

ACTORS = {
    # "Almen praksis eller læger fra andre specialer har ansvar for at kommunikere …"
    "4.1.4/2": {"almen-praksis", "speciallaegepraksis", "voksenspeciale"},
    # tværsektoriel konference "med relevante specialister evt. inklusive patient/pårørende og
    # kommune"
    "4.3/2": {"paediatri", "voksenspeciale", "css-rh", "css-auh", "kommune"},
    # rådgivning "fra sygehus" til patient, pårørende og "de involverede sociale aktører"
    "4.4/2": {
        "paediatri", "voksenspeciale", "css-rh", "css-auh", "socialforvaltning",
        "skole-dagtilbud-uddannelse", "beskaeftigelse",
    },
    # "støttefunktion som psykologbistand bør være til stede ved Centre for Sjældne Sygdomme"
    "4.7/1": {"css-rh", "css-auh", "sygehus-psykolog-socialraadgiver"},
    # "Udredende speciale/afdeling bør … tilbyde psykisk støtte … og … henvise til almen praksis"
    "4.7/3": {
        "klinisk-genetik", "paediatri", "voksenspeciale", "css-rh", "css-auh",
        "sygehus-psykolog-socialraadgiver", "patientforeninger", "almen-praksis",
    },
    # patientorganisationer og regionerne inddrager "Centre for Sjældne Sygdomme samt kommuner"
    "4.9.1/3": {"patientforeninger", "region-administration", "css-rh", "css-auh", "kommune"},
}  # fmt: skip


@pytest.mark.parametrize("reference", list(ACTORS))
def test_points_link_the_actors_the_model_names(generic_model, reference):
    assert actor_keys(point(generic_model, reference)) == ACTORS[reference]


# --- Kennedy Centret and Center for Fragilt X ----------------------------------------------


def test_kennedy_centret_and_center_for_fragilt_x_are_two_actor_types(generic_model):
    """Bilag 3 names "Center for Fragilt X på Afdeling for Genetik" as an example unit and,
    separately, links "Kennedy Centret, Rigshospitalet". The old key stays with Kennedy
    Centret, so programs that chose it keep a valid actor type."""
    actors = {a.key: a for a in generic_model.actor_types.all()}
    assert actors["kennedy-centret"].name == "Kennedy Centret, Rigshospitalet"
    assert "Fragilt" not in actors["kennedy-centret"].name
    assert actors["center-fragilt-x"].name.startswith("Center for Fragilt X")
    # Both are "andre enheder for specifikke sjældne sygdomme" in the child-to-adult transition.
    senders = actor_keys(transition(generic_model, "barn-ung-til-voksen"), "sending_actors")
    assert {"kennedy-centret", "center-fragilt-x"} <= senders
    assert generic_model.resources.get(key="kennedy-centret").actor == actors["kennedy-centret"]


def test_the_demo_names_the_fragile_x_centre_by_its_own_actor_type():
    demo = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    (actor,) = [a for a in demo["actors"] if a["ref"] == "kennedy"]
    assert actor["actor_type"] == "center-fragilt-x"
    assert actor["unit"] == "Center for Fragilt X"


# --- The sixth situation of 4.1.1 ---------------------------------------------------------


def test_4_1_1_asks_about_a_rare_disease_in_the_family_of_a_prospective_parent(generic_model):
    """4.1.1's body: "Ved sjælden sygdom i familien hos en evt. kommende forælder: Bør almen
    praksis tilbyde henvisning til klinisk genetisk afdeling …" – appended as 4.1.1/8, so the
    references 4.1.1/1-7 that programs answer are unchanged."""
    new = point(generic_model, "4.1.1/8")
    assert new.group == "Sjælden sygdom i familien hos en kommende forælder"
    text = " ".join(new.text.split())
    assert "sjælden sygdom i familien hos en evt. kommende forælder" in text
    assert "ønske om graviditet eller ved aktuel graviditet" in text
    assert "prænatal- eller præimplantationsdiagnostik" in text
    assert actor_keys(new) == {"almen-praksis", "klinisk-genetik"}
    assert point(generic_model, "4.1.1/7").group == "Gældende for alle situationer"


# --- Transitions -------------------------------------------------------------------------

NEW_TRANSITIONS = {  # key: (section asked in, a sender, a receiver)
    "afslutning-til-almen-praksis": ("4.8", "patientansvarlig-laege", "almen-praksis"),
    "udskrivning-med-genoptraeningsplan": ("4.6", "paediatri", "kommunal-genoptraening"),
    "skift-mellem-forvaltninger": ("4.9.1", "socialforvaltning", "socialforvaltning"),
}


@pytest.mark.parametrize("key", list(NEW_TRANSITIONS))
def test_the_transitions_the_model_describes_are_in_the_data(generic_model, key):
    section, sender, receiver = NEW_TRANSITIONS[key]
    t = transition(generic_model, key)
    assert t.section.number == section
    assert t.section.step_role == m.StepRole.PART  # asked in that part's step
    assert t.title and t.from_stage and t.to_stage and t.trigger and t.handover
    assert len(t.arrangements) >= 3
    sending, receiving = actor_keys(t, "sending_actors"), actor_keys(t, "receiving_actors")
    assert sender in sending and receiver in receiving
    # The model hands over in health and social care at once: several actors on each side.
    assert len(sending) >= 2 and len(receiving) >= 2


def test_discharge_to_general_practice_makes_it_the_patient_responsible_doctor(generic_model):
    """2.4 and 4.8: after discharge general practice is the patient-responsible doctor and
    seeks advice where the coordinating role last was."""
    t = transition(generic_model, "afslutning-til-almen-praksis")
    assert "almen praksis bliver patientansvarlig læge" in t.title.lower()
    assert any("koordinerende rolle" in h for h in t.handover)
    assert any("rådgivning" in a for a in t.arrangements)


def test_every_transition_carries_the_models_list_of_what_must_be_arranged(generic_model):
    transitions = m.Transition.objects.filter(model_version=generic_model)
    assert transitions.count() == 12
    assert all(t.arrangements for t in transitions)
    # 4.3.1 lists five things the preparation for adult life must consider: one item each,
    # so the step can ask who arranges each of them.
    child_to_adult = transition(generic_model, "barn-ung-til-voksen").arrangements
    for topic in (
        "behov for hjælp og støtte",
        "uddannelse",
        "beskæftigelse og forsørgelsesgrundlag",
        "boligforhold",
        "sociale forhold",
    ):
        prefix = "forberedelse fra ca. 16 år: " + topic
        assert sum(item.startswith(prefix) for item in child_to_adult) == 1, topic
    # Both points of 4.4 apply to every social transition.
    for t in transitions.filter(section__number="4.4"):
        assert any("kommunikationsveje" in a for a in t.arrangements), t.key
        assert any("lægefaglig rådgivning fra sygehuset" in a for a in t.arrangements), t.key


# --- Guidance of the sections that are not steps of their own -----------------------------

GUIDANCE_SECTIONS = ["3.1", "3.1.1", "4", "4.3.1", "4.3.2", "4.9", "4.11.1"]


@pytest.mark.parametrize("number", GUIDANCE_SECTIONS)
def test_listed_sections_have_summary_guidance_and_questions(generic_model, number):
    section = generic_model.sections.get(number=number)
    assert len(section.summary) > 200 and len(section.guidance) > 100
    assert section.questions.count() >= 3


def test_the_chapter_4_introduction_asks_its_items(generic_model):
    """Chapter 4's introduction: the roles from diagnostics to treatment and control on
    hovedfunktions-, regionsfunktions- and højt specialiseret niveau; a parallel social
    assessment before the diagnosis is made; needs that differ for children and adults."""
    section = generic_model.sections.get(number="4")
    asked = " ".join([section.guidance, *section.questions.values_list("text", flat=True)])
    for item in (
        "hovedfunktion",
        "regionsfunktion",
        "højt specialiseret",
        "socialfaglig udredning",
        "sideløbende",
        "barn eller voksen",
        "kontrol",
    ):
        assert item in asked, item


def test_knowledge_resources_belong_to_the_sections_that_name_them(generic_model):
    """3.1.1 refers to bilag 6 and bilag 3, 4.9.1 to the Helpline (bilag 5), 3.1.2 to
    www.orpha.net, 4.4 and 4.9.2 to Social- og Boligstyrelsens forløbsbeskrivelse."""

    def keys(number):
        section = generic_model.sections.get(number=number)
        return set(section.resources.values_list("key", flat=True))

    assert {"laegehaandbogen-sjaeldne-sygdomme", "css-rh", "css-auh", "klinisk-genetik"} <= keys(
        "3.1.1"
    )
    assert "helpline" in keys("4.9.1")
    assert "orphanet" in keys("3.1.2")
    assert "forloebsbeskrivelse-sjaeldne-handicap" in keys("4.4") & keys("4.9.2")
    assert "sjaeldne-diagnoser-medlemsforeninger" in keys("4.9")
    # The transition of 4.3.1 has its legal references.
    laws = set(
        generic_model.sections.get(number="4.3.1").legal_references.values_list("key", flat=True)
    )
    assert {"barnets-lov-122-123a", "samtykke-fra-15-aar", "transitionsanbefalinger"} <= laws


def test_monitoring_guidance_names_who_drives_quality_and_how_knowledge_is_shared(generic_model):
    """4.11.1: decision makers in municipalities and regions start the collection and analysis,
    "de faglige miljøer" drive quality development, and knowledge is shared continuously
    across sectors."""
    guidance = " ".join(generic_model.sections.get(number="4.11.1").guidance.split())
    assert "faglige miljøer" in guidance
    assert "deles løbende på tværs af sektorer" in guidance
    assert "samtykke og tilladelser" in guidance
