"""The start command's demo data: accounts and one complete, clearly marked example."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from pathways.pdf.render import draft_document
from pathways.programs.completeness import assess
from pathways.programs.data import load_program_data
from pathways.programs.demo import DEMO_PASSWORD
from pathways.programs.models import Program, ProgramStatus, TransitionAnswer

pytestmark = pytest.mark.django_db


@pytest.fixture
def development(settings):
    settings.DEBUG = True  # the test runner turns DEBUG off; the start command runs with it on


def test_demo_command_creates_accounts_and_a_complete_example(generic_model, development, capsys):
    call_command("load_demo_data")
    out = capsys.readouterr().out
    assert "coverage 100 %, 0 gaps" in out
    program = Program.objects.get(is_example=True)
    assert program.title.startswith("Eksempel:")
    assert authenticate(username="planlaegger", password=DEMO_PASSWORD) is not None
    assert program.memberships.filter(user__username="planlaegger").exists()
    assert not program.memberships.filter(user__username="ny").exists()


def test_demo_command_publishes_the_example_through_the_workflow_without_mail(
    generic_model, development, capsys, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data")
    assert "Published version 1.0" in capsys.readouterr().out
    program = Program.objects.get(is_example=True)
    assert program.status == ProgramStatus.PUBLISHED
    (version,) = program.versions.all()
    assert version.number == "1.0" and version.title == program.title
    # The real workflow ran: a round with Aalborg Kommune's answer, then approval.
    (review_round,) = program.review_rounds.all()
    assert review_round.outcome == "approved"
    assert [v.verdict for v in review_round.verdicts.all()] == ["agree_with_comments"]
    assert mailoutbox == []  # the demo's people are made up


def test_demo_command_is_idempotent(generic_model, development, capsys):
    call_command("load_demo_data")
    call_command("load_demo_data")
    assert "Unchanged" in capsys.readouterr().out
    assert Program.objects.filter(is_example=True).count() == 1


def test_demo_accounts_are_refused_in_production(generic_model, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("load_demo_data")
    assert not Program.objects.exists()


def test_the_demo_answers_every_transition_checklist_and_stays_complete(demo_program):
    """A careful working group agrees who arranges each item the model lists for a
    transition, so the example shows the checklist answered, not as open advice."""
    report = assess(load_program_data(demo_program))
    open_checklists = [
        advice.message
        for step in report.steps
        if step.step.is_part
        for advice in step.advice
        if str(advice.message).startswith("Overgangen")
    ]
    assert open_checklists == []
    assert (report.coverage_percent, report.gap_count) == (100, 0)
    answered = TransitionAnswer.objects.filter(program=demo_program, relevance="yes")
    assert answered.count() == 12
    for answer in answered:
        items = answer.transition.arrangements
        stored = answer.arrangements
        assert sorted(stored, key=int) == [str(n) for n in range(1, len(items) + 1)]
        assert all(item["responsible"] and item["when"] for item in stored.values())
    # The PDF prints the answered checklist under each transition: who, and when.
    printed = [
        a
        for part in draft_document(demo_program).parts
        for t in part.transitions
        for a in t.arrangements
    ]
    assert len(printed) == 53
    assert all(who and when for _item, who, when in printed)
