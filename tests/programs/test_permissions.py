"""Every URL × every role, with the status each role must get (one table, read it top-down).

anonymous users are sent to log in; outsiders (and staff, who are not members) get 404
for anything not published; members get 403 for what their role does not allow.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from pathways.programs.data import load_program_data
from pathways.programs.models import Membership, Organisation, Role
from pathways.review.models import Comment
from tests.factories import ProgramFactory, UserFactory, published_version

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "staff", "reader", "reviewer", "editor", "approver"]

MEMBER_READ = {
    "anonymous": 302,
    "outsider": 404,
    "staff": 404,
    "reader": 200,
    "reviewer": 200,
    "editor": 200,
    "approver": 200,
}
PUBLISHED_READ = {**{r: 200 for r in ROLES}, "anonymous": 302}
AUDIT = {**MEMBER_READ, "reader": 403, "reviewer": 403}


def only(allowed: dict[str, int], others: int = 403) -> dict[str, int]:
    """Members not listed get `others`; outsiders 404; anonymous 302."""
    base = {"anonymous": 302, "outsider": 404, "staff": 404}
    members = {r: others for r in ("reader", "reviewer", "editor", "approver")}
    return {**base, **members, **allowed}


@pytest.fixture
def world(generic_model):
    editor = UserFactory(username="editor")
    program = ProgramFactory(owner=editor)
    version = published_version(program, change_note="Første version")
    users = {
        "outsider": UserFactory(username="outsider"),
        "staff": UserFactory(username="staff", is_staff=True),
        "editor": editor,
        "approver": Membership.objects.get(program=program, role=Role.APPROVER).user,
    }
    organisation = Organisation.objects.create(name="Hjørring Kommune")
    for role in ("reader", "reviewer"):
        users[role] = UserFactory(username=role)
        Membership.objects.create(
            program=program,
            user=users[role],
            role=role,
            organisation=organisation if role == "reviewer" else None,
        )
    comment = Comment.objects.create(
        program=program, step_key="grundlag", author=editor, body="Første kommentar"
    )
    return program, version, comment, users


def matrix(program, comment):
    code = program.code
    steps = load_program_data(program).steps
    rows = [
        ("GET", "detail", reverse("programs:detail", args=[code]), MEMBER_READ),
        ("GET", "review", reverse("programs:review", args=[code]), MEMBER_READ),
        ("GET", "members", reverse("programs:members", args=[code]), MEMBER_READ),
        ("GET", "pdf", reverse("pdf:program", args=[code]), MEMBER_READ),
        ("GET", "summary", reverse("review:summary", args=[code]), MEMBER_READ),
        ("GET", "audit", reverse("review:audit", args=[code]), AUDIT),
        ("GET", "version", reverse("versions:detail", args=[code, "1.0"]), PUBLISHED_READ),
        ("GET", "version-pdf", reverse("pdf:version", args=[code, "1.0"]), PUBLISHED_READ),
        (
            "GET",
            "diff-versions",
            reverse("versions:diff", args=[code]) + "?fra=1.0&til=1.0",
            PUBLISHED_READ,
        ),
        (
            "GET",
            "diff-draft",
            reverse("versions:diff", args=[code]) + "?fra=1.0&til=udkast",
            MEMBER_READ,
        ),
    ]
    for step in steps:
        if step.kind == "review":
            continue
        url = reverse("programs:step", args=[code, step.key])
        rows.append(("GET", f"step:{step.key}", url, MEMBER_READ))
        # The program is published, so even editors are sent back with a message.
        rows.append(("POST", f"step:{step.key}", url, only({"editor": 302})))
    # Workflow actions last: "revise" turns the published program into a draft again.
    rows += [
        ("POST", "members", reverse("programs:members", args=[code]), only({"editor": 200})),
        ("POST", "submit", reverse("review:submit", args=[code]), only({"editor": 302})),
        ("POST", "verdict", reverse("review:verdict", args=[code]), only({"reviewer": 302})),
        ("POST", "approve", reverse("review:approve", args=[code]), only({"approver": 302})),
        (
            "POST",
            "changes",
            reverse("review:request_changes", args=[code]),
            only({"approver": 302}),
        ),
        ("POST", "publish", reverse("versions:publish", args=[code]), only({"approver": 302})),
        ("POST", "revise", reverse("review:revise", args=[code]), only({"editor": 302})),
        (
            "POST",
            "comment",
            reverse("review:comment_add", args=[code, "grundlag"]),
            only({"editor": 302, "reviewer": 302, "approver": 302}),
        ),
        (
            "POST",
            "reply",
            reverse("review:comment_reply", args=[code, comment.pk]),
            only({"editor": 302, "reviewer": 302, "approver": 302}),
        ),
        (
            "POST",
            "resolve",
            reverse("review:comment_resolve", args=[code, comment.pk]),
            only({"editor": 302, "reviewer": 302, "approver": 302}),
        ),
    ]
    return rows


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_table_says(client, world, role):
    program, _version, comment, users = world
    if role != "anonymous":
        client.force_login(users[role])
    for method, name, url, expected in matrix(program, comment):
        response = client.get(url) if method == "GET" else client.post(url, {})
        assert response.status_code == expected[role], (method, name, role)
        if expected[role] == 302 and role == "anonymous":
            assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_program_wide_urls_answer_each_role(client, world, role):
    *_, users = world
    if role != "anonymous":
        client.force_login(users[role])
    for url in (reverse("programs:list"), reverse("programs:create")):
        assert client.get(url).status_code == (302 if role == "anonymous" else 200)


def test_read_only_pages_refuse_other_methods(client, world):
    program, *_rest, users = world
    client.force_login(users["editor"])
    for url in (
        reverse("programs:detail", args=[program.code]),
        reverse("programs:review", args=[program.code]),
        reverse("pdf:program", args=[program.code]),
    ):
        assert client.post(url).status_code == 405


def test_an_unknown_program_step_or_version_is_404(client, world):
    program, *_rest, users = world
    client.force_login(users["editor"])
    assert client.get(reverse("programs:detail", args=["NOSUCH"])).status_code == 404
    assert client.get(reverse("programs:step", args=[program.code, "nope"])).status_code == 404
    assert client.get(reverse("versions:detail", args=[program.code, "7.3"])).status_code == 404
    assert client.get(reverse("versions:detail", args=[program.code, "x"])).status_code == 404


def test_outsiders_do_not_see_other_programs_in_their_list(client, world):
    program, *_rest, users = world
    client.force_login(users["outsider"])
    assert program.title not in client.get(reverse("programs:list")).content.decode()


def test_public_pages_answer_everyone(client, world):
    for url in (reverse("home"), reverse("generic_model:version_list"), reverse("login")):
        assert client.get(url).status_code == 200
