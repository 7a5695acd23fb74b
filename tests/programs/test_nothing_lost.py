"""What a planner types survives every save: dates in Danish, untouched steps, long texts,
line ends, tampered lists, and a program locked while someone types."""

from __future__ import annotations

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from pathways.programs import services
from pathways.programs.data import load_program_data
from pathways.programs.models import (
    LONG_TEXT,
    TEXT,
    AuditEntry,
    Program,
    ProgramStatus,
    StepRevision,
    WorkingGroupMember,
)
from pathways.programs.step_kinds import read_values
from pathways.programs.steps import find_step
from tests.factories import ProgramFactory, UserFactory
from tests.programs.helpers import form_fields, post_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(generic_model):
    return UserFactory(username="eva")


@pytest.fixture
def program(editor):
    return ProgramFactory(owner=editor)


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    return client


def url(program, key):
    return reverse("programs:step", args=[program.code, key])


def _save(program, editor, key, values):
    step = find_step(load_program_data(program).steps, key)
    revision = StepRevision.objects.get(program=program, step_key=key).number
    return services.save_step(
        program=program, user=editor, step=step, values=values, loaded_revision=revision
    )


@pytest.mark.parametrize("language", ["da", "en"])
def test_date_inputs_carry_iso_values_in_both_languages(
    as_editor, program, editor, language, settings
):
    _save(program, editor, "implementering", {"implementation-start_date": "2027-09-01"})
    _save(program, editor, "opfoelgning", {"follow_up-next_review_date": "2029-03-01"})
    as_editor.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for key, name, iso in (
        ("implementering", "implementation-start_date", "2027-09-01"),
        ("opfoelgning", "follow_up-next_review_date", "2029-03-01"),
    ):
        html = as_editor.get(url(program, key)).content.decode()
        field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": name})
        assert field["type"] == "date" and field["value"] == iso
        # Posting the page back as it stands keeps the date.
        assert post_step(as_editor, url(program, key), {}).status_code == 302
    program.refresh_from_db()
    assert program.start_date == datetime.date(2027, 9, 1)
    assert program.next_review_date == datetime.date(2029, 3, 1)


def test_leaving_an_untouched_step_through_the_side_menu_writes_nothing(as_editor, program):
    entries = AuditEntry.objects.count()
    response = post_step(as_editor, url(program, "kriterier"), {}, goto="maalgruppe")
    assert response.status_code == 302 and response.url == url(program, "maalgruppe")
    assert StepRevision.objects.get(program=program, step_key="kriterier").number == 0
    assert AuditEntry.objects.count() == entries
    menu = as_editor.get(url(program, "maalgruppe")).content.decode()
    item = BeautifulSoup(menu, "html.parser").find("button", attrs={"value": "kriterier"})
    assert "ikke påbegyndt" in item.get_text()


def test_an_unchanged_save_of_a_saved_step_writes_nothing(as_editor, program, editor):
    _save(program, editor, "grundlag", {"basis-purpose": "Linje 1\nLinje 2"})
    entries = AuditEntry.objects.count()
    # Browsers send text-area line ends as CRLF; that is no change.
    data = form_fields(as_editor.get(url(program, "grundlag")).content.decode())
    data.update({"basis-purpose": "Linje 1\r\nLinje 2", "save": "1"})
    response = as_editor.post(url(program, "grundlag"), data, follow=True)
    assert "Ingen ændringer at gemme." in response.content.decode()
    assert StepRevision.objects.get(program=program, step_key="grundlag").number == 1
    assert AuditEntry.objects.count() == entries


def test_text_areas_announce_their_limit_instead_of_cutting_a_paste(as_editor, program):
    html = as_editor.get(url(program, "del-4-1")).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    # A browser would cut a paste silently at maxlength.
    assert not soup.select("form.step-form textarea[maxlength]")
    coordination = soup.find("textarea", attrs={"name": "part-coordination"})
    assert coordination["data-maxlength"] == str(LONG_TEXT)
    purpose_page = BeautifulSoup(
        as_editor.get(url(program, "grundlag")).content.decode(), "html.parser"
    )
    assert purpose_page.find("textarea", attrs={"name": "basis-purpose"})["data-maxlength"] == str(
        TEXT
    )


def test_a_long_coordination_text_is_saved_whole(as_editor, program):
    text = "Koordineringen aftales på netværksmødet. " * 160  # 6,560 characters
    assert post_step(as_editor, url(program, "del-4-1"), {"part-coordination": text}).status_code
    assert program.part_answers.get(section__number="4.1").coordination == text.strip()


def test_a_text_over_the_limit_is_refused_at_the_field_and_kept_on_the_page(as_editor, program):
    text = "x" * (TEXT + 1)
    response = post_step(as_editor, url(program, "grundlag"), {"basis-purpose": text})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Teksten er {TEXT + 1} tegn; her er plads til højst {TEXT}." in html
    field = BeautifulSoup(html, "html.parser").find("textarea", attrs={"name": "basis-purpose"})
    assert field.text.strip("\n") == text
    assert Program.objects.get(pk=program.pk).purpose == ""


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param({"wg-TOTAL_FORMS": ["3", "0"]}, id="sent-twice"),
        pytest.param({"wg-TOTAL_FORMS": "-1"}, id="negative"),
        pytest.param({"wg-TOTAL_FORMS": "0"}, id="below-initial"),
    ],
)
def test_tampered_row_counts_are_refused_and_delete_nothing(as_editor, program, editor, tamper):
    _save(
        program,
        editor,
        "grundlag",
        {"wg": [{"name": "Eva", "organisation": "", "sector": "region", "role": ""}]},
    )
    response = post_step(as_editor, url(program, "grundlag"), tamper)
    assert response.status_code == 200
    assert "Listen kom ikke korrekt frem" in response.content.decode()
    assert list(WorkingGroupMember.objects.values_list("name", flat=True)) == ["Eva"]


def test_control_characters_in_a_title_are_refused_at_the_field(as_editor, program):
    response = post_step(as_editor, url(program, "grundlag"), {"basis-title": "Titel\r\nBcc: x"})
    assert response.status_code == 200
    assert "én linje" in response.content.decode()
    assert "\n" not in Program.objects.get(pk=program.pk).title


def test_text_typed_while_the_program_was_sent_for_review_is_shown_back(as_editor, program, editor):
    page = form_fields(as_editor.get(url(program, "grundlag")).content.decode())
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.IN_REVIEW)
    page.update({"basis-purpose": "Tekst skrevet mens programmet blev sendt i høring", "save": "1"})
    response = as_editor.post(url(program, "grundlag"), page)
    html = response.content.decode()
    assert response.status_code == 409
    unsaved = BeautifulSoup(html, "html.parser").find(id="unsaved-text")
    assert "Tekst skrevet mens programmet blev sendt i høring" in unsaved.get_text()
    assert Program.objects.get(pk=program.pk).purpose == ""


def test_every_step_reads_back_what_its_form_posts(as_editor, demo_program):
    """The values a page is filled from are the values it posts: a save of the demo
    program's pages as they stand changes no step (the no-op test in the browser covers
    real inputs; this one names the field that differs)."""
    from django.contrib.auth import get_user_model

    as_editor.force_login(get_user_model().objects.get(username="planlaegger"))
    data = load_program_data(demo_program)
    for step in data.steps:
        if step.kind == "review":
            continue
        before = read_values(step, load_program_data(demo_program))
        revision = StepRevision.objects.get(program=demo_program, step_key=step.key).number
        page = form_fields(as_editor.get(url(demo_program, step.key)).content.decode())
        response = as_editor.post(url(demo_program, step.key), {**page, "save": "1"})
        assert response.status_code == 302, step.key
        after = read_values(step, load_program_data(demo_program))
        assert after == before, step.key
        assert StepRevision.objects.get(program=demo_program, step_key=step.key).number == revision
