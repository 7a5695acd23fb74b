"""Planners write a program step by step; every save keeps what they typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pathways.programs.models import (
    AttentionPointAnswer,
    DiagnosisCode,
    Membership,
    Program,
    Role,
    WorkingGroupMember,
)
from tests.factories import PASSWORD, ProgramFactory, UserFactory
from tests.programs.helpers import form_fields, post_step

pytestmark = pytest.mark.django_db


def step_url(program, key):
    return reverse("programs:step", args=[program.code, key])


@pytest.fixture
def editor(generic_model):
    return UserFactory()


@pytest.fixture
def program(editor):
    return ProgramFactory(owner=editor, title="Sjældne bindevævssygdomme")


@pytest.fixture
def client_of(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_planner_logs_in_and_creates_a_program_with_a_short_code(client, generic_model):
    planner = UserFactory(username="planner")
    response = client.post(reverse("login"), {"username": "planner", "password": PASSWORD})
    assert response.status_code == 302
    response = client.post(
        reverse("programs:create"),
        {"title": "Sjældne sygdomme med overvækst", "region": "syddanmark"},
    )
    program = Program.objects.get()
    assert response.url == step_url(program, "grundlag")
    # The URL names the program by its short code, never by its database id (a code may
    # contain the id's digits by chance, so compare whole segments).
    assert len(program.code) == 6 and response.url.split("/")[2] == program.code
    assert str(program.pk) not in response.url.split("/")
    assert program.model_version == generic_model
    assert program.get_status_display() == "Udkast"
    assert Membership.objects.get(program=program).user == planner


def test_creating_without_a_title_says_so_and_keeps_the_region(client_of, editor):
    response = client_of(editor).post(
        reverse("programs:create"), {"title": "", "region": "syddanmark"}
    )
    assert response.status_code == 200
    assert "Dette felt er påkrævet" in response.content.decode()
    assert 'value="syddanmark" selected' in response.content.decode()
    assert not Program.objects.exists()


def test_saving_a_step_stores_it_and_shows_it_again(client_of, editor, program):
    client = client_of(editor)
    url = step_url(program, "grundlag")
    response = post_step(
        client,
        url,
        {
            "basis-purpose": "Sammenhængende forløb på tværs af sektorer.",
            "wg-0-name": "Karen Holm",
            "wg-0-organisation": "Aalborg Kommune",
            "wg-0-sector": "municipality",
            "wg-0-role": "Sagsbehandler",
        },
    )
    assert response.status_code == 302 and response.url == url
    program.refresh_from_db()
    assert program.purpose == "Sammenhængende forløb på tværs af sektorer."
    assert WorkingGroupMember.objects.get(program=program).name == "Karen Holm"
    html = client.get(url).content.decode()
    assert "Sammenhængende forløb på tværs af sektorer." in html
    assert 'value="Karen Holm"' in html


def test_save_and_continue_goes_to_the_next_step(client_of, editor, program):
    response = post_step(client_of(editor), step_url(program, "grundlag"), {}, save_next="1")
    assert response.url == step_url(program, "kriterier")


def test_jumping_to_another_step_saves_first_so_going_back_loses_nothing(
    client_of, editor, program
):
    client = client_of(editor)
    response = post_step(
        client,
        step_url(program, "maalgruppe"),
        {"target-inclusion": "Børn og voksne med diagnosticeret syndrom."},
        goto="grundlag",
    )
    assert response.url == step_url(program, "grundlag")
    back = client.get(step_url(program, "maalgruppe")).content.decode()
    assert "Børn og voksne med diagnosticeret syndrom." in back


def test_a_malformed_code_gets_a_specific_message_and_nothing_else_is_lost(
    client_of, editor, program
):
    client = client_of(editor)
    icd10 = program.model_version.codesystem_set.get(key="icd-10")
    response = post_step(
        client,
        step_url(program, "maalgruppe"),
        {
            "target-inclusion": "Min omhyggelige tekst om inklusion.",
            "codes-0-system": str(icd10.pk),
            "codes-0-code": "87-Q1",
            "codes-0-label": "Forkert",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "&#x27;87-Q1&#x27; er ikke en gyldig ICD-10-kode" in html
    assert "ICD-10 skrives som DQ871 eller Q87.1." in html
    assert "Min omhyggelige tekst om inklusion." in html  # kept in the form
    assert 'aria-invalid="true"' in html
    program.refresh_from_db()
    assert program.inclusion == ""  # nothing saved while the page has an error
    assert not DiagnosisCode.objects.exists()


def test_valid_codes_of_every_system_are_accepted(client_of, editor, program):
    systems = {cs.key: cs.pk for cs in program.model_version.codesystem_set.all()}
    changes = {}
    for i, (key, code) in enumerate(
        [("icd-10", "DQ87.1"), ("icpc-2", "A90"), ("omim", "176270"), ("orpha", "ORPHA:739")]
    ):
        changes |= {f"codes-{i}-system": str(systems[key]), f"codes-{i}-code": code}
    changes |= {"codes-TOTAL_FORMS": "4"}
    response = post_step(client_of(editor), step_url(program, "maalgruppe"), changes)
    assert response.status_code == 302
    assert DiagnosisCode.objects.filter(program=program).count() == 4


def test_an_actor_that_is_not_the_programs_is_refused_at_the_field(
    client_of, editor, program, generic_model
):
    other = ProgramFactory(owner=UserFactory())
    foreign = other.actors.create(name="Fremmed afdeling", position=1)
    point = program.model_version.sections.get(number="4.1").attention_points.first()
    response = post_step(
        client_of(editor),
        step_url(program, "del-4-1"),
        {
            "part-effort": "Udredning i børneafdelingen.",
            f"point-{point.pk}-responsible": str(foreign.pk),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Den valgte aktør findes ikke i programmet" in html
    assert "Udredning i børneafdelingen." in html


def test_over_long_text_is_refused_with_its_length(client_of, editor, program):
    response = post_step(
        client_of(editor),
        step_url(program, "grundlag"),
        {"basis-purpose": "x" * 5001, "basis-title": "Ny titel"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Teksten er 5001 tegn; her er plads til højst 5000." in html
    assert '<a href="#id_basis-purpose">Formål</a>: Teksten er 5001' in html  # summary link
    assert 'value="Ny titel"' in html


def test_attention_point_answers_are_saved_per_point(client_of, editor, program):
    points = list(program.model_version.sections.get(number="4.2").attention_points.all())
    changes = {}
    for point in points:
        changes |= {
            f"point-{point.pk}-status": "addressed",
            f"point-{point.pk}-answer": f"Svar på {point.reference}",
        }
    changes[f"point-{points[-1].pk}-status"] = "not_relevant"
    response = post_step(client_of(editor), step_url(program, "del-4-2"), changes)
    assert response.status_code == 302
    answers = {
        a.attention_point_id: a for a in AttentionPointAnswer.objects.filter(program=program)
    }
    assert answers[points[0].pk].answer == f"Svar på {points[0].reference}"
    assert answers[points[-1].pk].status == "not_relevant"


def test_user_text_is_escaped_everywhere_it_is_shown(client_of, editor, program):
    client = client_of(editor)
    post_step(client, step_url(program, "grundlag"), {"basis-title": "<script>alert('x')</script>"})
    for url in (
        reverse("programs:list"),
        step_url(program, "grundlag"),
        reverse("programs:review", args=[program.code]),
        reverse("programs:detail", args=[program.code]),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert" in html


def test_an_editor_adds_a_co_editor_by_username(client_of, editor, program):
    colleague = UserFactory(username="kollega")
    response = client_of(editor).post(
        reverse("programs:members", args=[program.code]), {"username": "KOLLEGA", "role": "editor"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(program=program, user=colleague).role == Role.EDITOR


def test_adding_an_unknown_user_says_so(client_of, editor, program):
    response = client_of(editor).post(
        reverse("programs:members", args=[program.code]),
        {"username": "ingen-saadan", "role": "editor"},
    )
    assert response.status_code == 200
    assert "Der findes ingen aktiv bruger" in response.content.decode()


def test_every_step_page_carries_the_revision_it_was_loaded_from(client_of, editor, program):
    data = form_fields(client_of(editor).get(step_url(program, "kriterier")).content.decode())
    assert data["revision"] == "0"


def test_logging_out_ends_the_session(client, editor, program):
    client.force_login(editor)
    assert client.get(reverse("programs:list")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("programs:list")).status_code == 302
