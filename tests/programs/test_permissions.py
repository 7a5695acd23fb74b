"""Every URL × every role: anonymous users log in, outsiders see nothing, editors work."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pathways.programs.data import load_program_data
from pathways.versions.services import publish_version
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "staff", "editor"]


def program_urls(program) -> list[tuple[str, str, bool]]:
    """(name, url, accepts POST) for every page of one program."""
    steps = load_program_data(program).steps
    urls = [
        ("detail", reverse("programs:detail", args=[program.code]), False),
        ("review", reverse("programs:review", args=[program.code]), False),
        ("members", reverse("programs:members", args=[program.code]), True),
    ]
    urls += [
        (f"step:{s.key}", reverse("programs:step", args=[program.code, s.key]), True)
        for s in steps
        if s.kind != "review"
    ]
    urls += [
        ("pdf", reverse("pdf:program", args=[program.code]), False),
        ("version-pdf", reverse("pdf:version", args=[program.code, "1.0"]), False),
    ]
    return urls


# role → expected status for a program page (GET and POST alike)
EXPECTED = {"anonymous": 302, "outsider": 404, "staff": 404, "editor": 200}


@pytest.fixture
def world(generic_model):
    editor = UserFactory(username="editor")
    program = ProgramFactory(owner=editor)
    publish_version(program=program, user=editor, major=True, change_note="Første version")
    users = {
        "outsider": UserFactory(username="outsider"),
        "staff": UserFactory(username="staff", is_staff=True),
        "editor": editor,
    }
    return program, users


def login_as(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])


@pytest.mark.parametrize("role", ROLES)
def test_every_program_url_answers_each_role_as_expected(client, world, role):
    program, users = world
    login_as(client, users, role)
    for name, url, accepts_post in program_urls(program):
        response = client.get(url)
        assert response.status_code == EXPECTED[role], (name, role)
        if role == "anonymous":
            assert response.url.startswith(reverse("login"))
        post = client.post(url, {})
        if not accepts_post:
            assert post.status_code == 405, (name, role, "POST")
        elif role == "editor":
            assert post.status_code in (200, 409), (name, role, "POST")  # empty form: not saved
        else:
            assert post.status_code == EXPECTED[role], (name, role, "POST")


@pytest.mark.parametrize("role", ROLES)
def test_program_wide_urls_answer_each_role(client, world, role):
    _program, users = world
    login_as(client, users, role)
    for url in (reverse("programs:list"), reverse("programs:create")):
        expected = 302 if role == "anonymous" else 200
        assert client.get(url).status_code == expected


def test_an_unknown_program_and_an_unknown_step_are_404(client, world):
    program, users = world
    client.force_login(users["editor"])
    assert client.get(reverse("programs:detail", args=["NOSUCH"])).status_code == 404
    assert client.get(reverse("programs:step", args=[program.code, "nope"])).status_code == 404


def test_outsiders_do_not_see_other_programs_in_their_list(client, world):
    program, users = world
    client.force_login(users["outsider"])
    assert program.title not in client.get(reverse("programs:list")).content.decode()


def test_public_pages_answer_everyone(client, world):
    for url in (reverse("home"), reverse("generic_model:version_list"), reverse("login")):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("outsider", 404), ("staff", 404), ("editor", 302)],
)
def test_publishing_answers_each_role(client, world, role, expected):
    program, users = world
    login_as(client, users, role)
    url = reverse("versions:publish", args=[program.code])
    response = client.post(url, {"kind": "minor", "change_note": "x"})
    assert response.status_code == expected
    assert client.get(url).status_code == 405  # only ever a POST
