"""restore_programs refuses what it cannot restore whole, says why, and writes nothing."""

from __future__ import annotations

import copy
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from pathways.programs.models import Organisation, Program
from tests.backup.scenario import empty_the_database
from tests.backup.test_round_trip import dump
from tests.factories import UserFactory, small_program

pytestmark = pytest.mark.django_db


def backup(**changes) -> dict:
    return {
        "format": "forloebsprogrammer-backup",
        "format_version": 1,
        "created": "2026-01-05T10:00:00+00:00",
        "generic_models": [{"slug": "sst-sjaeldne", "version": "1.0"}],
        "users": [],
        "organisations": [],
        "programs": [],
        **changes,
    }


def restore(tmp_path, content: str | bytes) -> None:
    path = tmp_path / "backup.json"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    call_command("restore_programs", str(path))


def test_a_database_with_programs_is_refused(generic_model, tmp_path):
    small_program(owner=UserFactory())
    with pytest.raises(CommandError, match="allerede 1 program"):
        restore(tmp_path, json.dumps(backup()))


def test_a_generic_model_not_loaded_is_named_with_the_command_that_loads_it(tmp_path):
    with pytest.raises(CommandError) as refused:
        restore(tmp_path, json.dumps(backup()))
    message = str(refused.value)
    assert "sst-sjaeldne version 1.0 er ikke indlæst" in message
    assert "manage.py load_generic_model fixtures/generic_model/sst-sjaeldne-1.0.yaml" in message


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\xff\xfe{", "ikke UTF-8"),
        ('{"format": "forloebsprogrammer-backup", ', "ikke gyldig JSON"),
        ('{"programs": []}', "ikke en sikkerhedskopi af forløbsprogrammer"),
        (json.dumps(backup(format_version=2)), "formatversion 2"),
        (
            json.dumps(backup(users=[{"username": "x"}])),
            "users.0: 'first_name' is a required property",
        ),
        (json.dumps(backup(created="i går")), "created: 'i går' does not match"),
    ],
)
def test_a_corrupt_or_invalid_file_is_refused_with_what_is_wrong(
    generic_model, tmp_path, content, says
):
    with pytest.raises(CommandError, match="Intet er indlæst") as refused:
        restore(tmp_path, content)
    assert says in str(refused.value)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="Kan ikke læse .*findes.json"):
        call_command("restore_programs", str(tmp_path / "findes.json"))


def test_a_program_refused_halfway_leaves_nothing_behind(generic_model, tmp_path):
    """The first program is restored before the second is refused: all of it goes again."""
    for _ in range(2):
        small_program(owner=UserFactory())
    Organisation.objects.create(name="Ny kommune")
    good = dump()
    empty_the_database()
    broken = copy.deepcopy(good)
    broken["programs"][1]["document"]["content"]["grundlag"]["ukendt"] = "x"
    broken["organisations"] = [
        {"name": "Ny kommune 2", "sector": "", "municipality": "", "contacts": []}
    ]

    with pytest.raises(
        CommandError, match=f"Program {broken['programs'][1]['code']}: content.grundlag.ukendt"
    ):
        restore(tmp_path, json.dumps(broken))

    assert not Program.objects.exists()
    assert not get_user_model().objects.exists()
    assert not Organisation.objects.filter(name="Ny kommune 2").exists()


def test_a_pdf_that_does_not_match_its_checksum_is_refused(generic_model, tmp_path):
    from tests.factories import published_version

    published_version(small_program(owner=UserFactory()))
    damaged = dump()
    empty_the_database()
    damaged["programs"][0]["versions"][0]["pdf"] = "AAAA"

    with pytest.raises(CommandError, match="version 1.0: PDF'en passer ikke til dens SHA-256"):
        restore(tmp_path, json.dumps(damaged))
    assert not Program.objects.exists()
