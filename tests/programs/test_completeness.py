"""What is missing, per step, and the coverage figure shown in menu, review and list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pathways.programs.completeness import StepState, assess
from pathways.programs.data import load_program_data
from pathways.programs.models import (
    AttentionPointAnswer,
    CriterionAssessment,
    PartAnswer,
    Program,
    Relevance,
    TransitionAnswer,
)
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def report_of(program):
    return assess(load_program_data(Program.objects.get(pk=program.pk)))


def messages(report, key):
    return [g.message for g in report.for_step(key).gaps]


def advice(report, key):
    return [g.message for g in report.for_step(key).advice]


DELIMIT = (
    "Afgræns målgruppen: vælg en målgruppe efter symptom eller funktion, beskriv et symptom- "
    "eller funktionskompleks, eller angiv diagnosekoder"
)


def test_a_new_program_lists_what_is_missing_in_every_step(generic_model):
    report = report_of(ProgramFactory(owner=UserFactory()))
    assert report.coverage_percent == 0
    assert report.total_points == 58
    assert any("to eller flere kriterier" in m for m in advice(report, "kriterier"))
    assert DELIMIT in messages(report, "maalgruppe")
    assert "Tag stilling til, om delen er relevant for målgruppen" in messages(report, "del-4-2")
    assert all(r.state == StepState.NOT_STARTED for r in report.steps[:-1])


def test_the_demo_program_is_complete_at_100_percent(demo_program):
    report = report_of(demo_program)
    assert report.coverage_percent == 100
    assert report.answered_points == report.total_points == 58
    assert report.gap_count == 0 and report.is_complete
    assert all(r.state == StepState.COMPLETE for r in report.steps[:-1])


def test_one_applying_criterion_is_advice_not_a_gap(demo_program):
    """Ch. 3: a specific program "often" rests on two or more criteria: advice the group
    may depart from, so it neither counts as missing nor blocks review."""
    CriterionAssessment.objects.filter(program=demo_program).update(applies=False)
    first = CriterionAssessment.objects.filter(program=demo_program).first()
    first.applies = True
    first.save()
    report = report_of(demo_program)
    assert messages(report, "kriterier") == []
    assert advice(report, "kriterier") == [
        "Modellen anbefaler, at et specifikt program ofte bygger på to eller flere "
        "kriterier (kap. 3); 1 er opfyldt"
    ]
    assert report.for_step("kriterier").state == StepState.COMPLETE
    assert report.is_complete and report.advice_count >= 1


@pytest.mark.parametrize(
    "grouping, description, codes, gap",
    [
        (True, "", False, False),  # delimited by a grouping from the model, no codes
        (False, "Epilepsi med udviklingshæmning", False, False),  # own complex, no codes
        (False, "", True, False),  # codes only
        (False, "", False, True),  # neither
    ],
    ids=["grouping-no-codes", "own-complex-no-codes", "codes-only", "neither"],
)
def test_the_target_group_needs_codes_or_a_symptom_or_function_delimitation(
    demo_program, grouping, description, codes, gap
):
    program = Program.objects.get(pk=demo_program.pk)
    if not grouping:
        program.target_grouping = None
    program.custom_target_description = description
    program.save()
    if not codes:
        program.diagnosis_codes.all().delete()
    assert (DELIMIT in messages(report_of(program), "maalgruppe")) is gap


def test_the_working_group_is_advised_to_include_a_rare_disease_centre_or_society(
    demo_program,
):
    expected = (
        "Arbejdsgruppen har hverken et center for sjældne sygdomme (3.1.2) eller et "
        "videnskabeligt selskab (1.1) med"
    )
    members = demo_program.working_group.all()
    members.update(organisation="Aalborg Kommune", sector="municipality")
    assert expected in advice(report_of(demo_program), "grundlag")
    assert messages(report_of(demo_program), "grundlag") == []  # advice, not a gap
    members.filter(pk=members.first().pk).update(sector="scientific_society")
    assert expected not in advice(report_of(demo_program), "grundlag")
    members.update(sector="hospital", organisation="Center for Sjældne Sygdomme, AUH")
    assert expected not in advice(report_of(demo_program), "grundlag")


def test_not_relevant_needs_a_reason_for_points_parts_and_transitions(demo_program):
    version = demo_program.model_version
    point = version.sections.get(number="4.7").attention_points.first()
    AttentionPointAnswer.objects.filter(program=demo_program, attention_point=point).update(
        status="not_relevant", reason=""
    )
    report = report_of(demo_program)
    assert report.answered_points == 57 and report.coverage_percent == 98
    assert any("'ikke relevant' uden begrundelse" in m for m in messages(report, "del-4-7"))

    PartAnswer.objects.filter(program=demo_program, section__number="4.5").update(
        relevance=Relevance.NOT_RELEVANT, not_relevant_reason=""
    )
    report = report_of(demo_program)
    assert "Delen er 'ikke relevant' uden begrundelse" in messages(report, "del-4-5")
    assert report.total_points == 56  # a part judged not relevant leaves the denominator

    transition = TransitionAnswer.objects.filter(
        program=demo_program, transition__section__number="4.4"
    ).first()
    transition.receivers.clear()
    assert any(
        "mangler modtagende aktør" in m for m in messages(report_of(demo_program), "del-4-4")
    )


def test_a_relevant_part_without_responsible_actor_is_a_gap(demo_program):
    PartAnswer.objects.filter(program=demo_program, section__number="4.6").update(responsible=None)
    assert "Delen har ingen ansvarlig aktør" in messages(report_of(demo_program), "del-4-6")


def test_menu_review_and_list_show_the_same_figure(client, demo_program):
    client.force_login(demo_program.created_by)
    step = client.get(reverse("programs:step", args=[demo_program.code, "grundlag"]))
    review = client.get(reverse("programs:review", args=[demo_program.code]))
    listing = client.get(reverse("programs:list"))
    assert "<strong>100 %</strong>" in step.content.decode()
    assert "Programmet er komplet: intet mangler." in review.content.decode()
    assert "100 %" in listing.content.decode()


def test_the_review_screen_lists_every_answer_with_an_edit_link(client, demo_program):
    client.force_login(demo_program.created_by)
    html = client.get(reverse("programs:review", args=[demo_program.code])).content.decode()
    point = demo_program.model_version.sections.get(number="4.1.3").attention_points.first()
    answer = AttentionPointAnswer.objects.get(program=demo_program, attention_point=point)
    assert answer.answer.split()[0] in html
    edit = reverse("programs:step", args=[demo_program.code, "del-4-1-3"]) + f"#point-{point.pk}"
    assert f'href="{edit}"' in html


def test_gaps_link_to_the_field_that_is_missing(client, generic_model):
    owner = UserFactory()
    program = ProgramFactory(owner=owner)
    client.force_login(owner)
    html = client.get(reverse("programs:review", args=[program.code])).content.decode()
    target = reverse("programs:step", args=[program.code, "opfoelgning"])
    assert f'href="{target}#id_follow_up-next_review_date"' in html
    step_html = client.get(target).content.decode()
    assert 'id="id_follow_up-next_review_date"' in step_html
