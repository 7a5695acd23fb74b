"""A diff shows exactly the changes made, in whichever language it is read."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation

from pathways.programs import services
from pathways.programs.data import load_program_data
from pathways.programs.models import Program, ProgramStatus, StepRevision
from pathways.programs.steps import find_step
from tests.factories import published_version

pytestmark = pytest.mark.django_db


def _edit_purpose(program: Program, text: str) -> None:
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.DRAFT)
    step = find_step(load_program_data(program).steps, "grundlag")
    services.save_step(
        program=program,
        user=program.created_by,
        step=step,
        values={"basis-purpose": text},
        loaded_revision=StepRevision.objects.get(program=program, step_key="grundlag").number,
    )


def _changed_labels(client, program, language: str, old: str, new: str) -> list[str]:
    client.cookies["django_language"] = language
    url = reverse("versions:diff", args=[program.code]) + f"?fra={old}&til={new}"
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [dt.get_text(strip=True) for dt in soup.select("main dt")]


@pytest.mark.parametrize("language, label", [("da", "Formål"), ("en", "Purpose")], ids=["da", "en"])
def test_a_diff_between_versions_published_in_different_languages_shows_one_change(
    client, demo_program, language, label
):
    with translation.override("en"):  # the approver works in English …
        published_version(demo_program)
    _edit_purpose(demo_program, "Et nyt formål for programmet.")
    with translation.override("da"):  # … and in Danish the next time
        published_version(demo_program, major=False)
    client.force_login(demo_program.created_by)
    assert _changed_labels(client, demo_program, language, "1.0", "1.1") == [label]


def test_a_diff_against_the_draft_read_in_english_shows_one_change(client, demo_program):
    published_version(demo_program)
    _edit_purpose(demo_program, "Udkastets nye formål.")
    client.force_login(demo_program.created_by)
    labels = _changed_labels(client, demo_program, "en", "1.0", "udkast")
    assert labels == ["Purpose"]


@pytest.mark.parametrize("language, label", [("da", "Formål"), ("en", "Purpose")], ids=["da", "en"])
def test_a_published_version_reads_in_the_readers_language(client, demo_program, language, label):
    with translation.override("da"):
        published_version(demo_program)
    client.force_login(demo_program.created_by)
    client.cookies["django_language"] = language
    response = client.get(reverse("versions:detail", args=[demo_program.code, "1.0"]))
    soup = BeautifulSoup(response.content, "html.parser")
    labels = [dt.get_text(strip=True) for dt in soup.select("main dt")]
    assert label in labels
    purpose = next(
        dd.get_text(strip=True)
        for dt, dd in zip(soup.select("main dt"), soup.select("main dd"), strict=True)
        if dt.get_text(strip=True) == label
    )
    assert purpose == demo_program.purpose.strip()
    # Actors are shown by name, not by their ref.
    assert not any(dd.get_text(strip=True) == "a1" for dd in soup.select("main dd"))
