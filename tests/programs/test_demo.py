"""The start command's demo data: accounts and one complete, clearly marked example."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from pathways.programs.demo import DEMO_PASSWORD
from pathways.programs.models import Program

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
