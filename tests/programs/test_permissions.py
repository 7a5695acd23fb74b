"""Every URL × every role, with the status each role must get (one table, read it top-down).

anonymous users are sent to log in; outsiders (and staff, who are not members) get 404
for anything not published; members get 403 for what their role does not allow. Every POST
is also checked for what it did: the allowed roles changed the stored data as the action
says, every other role changed nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pathways.programs.data import load_program_data
from pathways.programs.models import Membership, Organisation, Program, ProgramStatus, Role
from pathways.review.models import Comment, ReviewRound, ReviewVerdict
from tests.factories import ProgramFactory, UserFactory, published_version
from tests.hostile.dump import program_rows
from tests.programs.helpers import form_fields

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
    organisation = Organisation.objects.get_or_create(name="Hjørring Kommune")[0]
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


def matrix(program):
    code = program.code
    rows = [
        ("detail", reverse("programs:detail", args=[code]), MEMBER_READ),
        ("review", reverse("programs:review", args=[code]), MEMBER_READ),
        ("municipal-actors", reverse("programs:municipal_actors", args=[code]), MEMBER_READ),
        ("members", reverse("programs:members", args=[code]), MEMBER_READ),
        ("offer-gaps", reverse("programs:offer_gaps", args=[code]), MEMBER_READ),
        ("pdf", reverse("pdf:program", args=[code]), MEMBER_READ),
        ("word", reverse("word:program", args=[code]), MEMBER_READ),
        ("summary", reverse("review:summary", args=[code]), MEMBER_READ),
        ("audit", reverse("review:audit", args=[code]), AUDIT),
        ("version", reverse("versions:detail", args=[code, "1.0"]), PUBLISHED_READ),
        ("version-pdf", reverse("pdf:version", args=[code, "1.0"]), PUBLISHED_READ),
        ("version-word", reverse("word:version", args=[code, "1.0"]), PUBLISHED_READ),
        (
            "diff-versions",
            reverse("versions:diff", args=[code]) + "?fra=1.0&til=1.0",
            PUBLISHED_READ,
        ),
        ("diff-draft", reverse("versions:diff", args=[code]) + "?fra=1.0&til=udkast", MEMBER_READ),
    ]
    for step in load_program_data(program).steps:
        if step.kind != "review":
            rows.append(
                (f"step:{step.key}", reverse("programs:step", args=[code, step.key]), MEMBER_READ)
            )
    return rows


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role_as_the_table_says(client, world, role):
    program, _version, _comment, users = world
    if role != "anonymous":
        client.force_login(users[role])
    for name, url, expected in matrix(program):
        response = client.get(url)
        assert response.status_code == expected[role], (name, role)
        if expected[role] == 302 and role == "anonymous":
            assert response.url.startswith(reverse("login"))


# Every POST, with data that would change something, for every role -----------------------
#
# Each case puts the program in the state its action needs and posts the form a browser
# would send, with a real change. The roles in `changes` must change the stored data in the
# way `effect` names; every other role must leave every stored row of the program as it was.
# (Posting `{}` proved nothing: a refusal redirects just as a success does.)


@dataclass
class PostCase:
    name: str
    url: str
    data: dict
    expected: dict[str, int]
    changes: set[str]
    prepare: Callable[[], None]
    effect: Callable[[str], bool] = field(default=lambda role: True)


@pytest.fixture
def post_world(demo_program):
    """The complete demo program (it can be sent for review), one user per role, a comment."""
    program = demo_program
    users = {
        "editor": program.created_by,
        "outsider": UserFactory(username="outsider"),
        "staff": UserFactory(username="staff", is_staff=True),
    }
    for role in (Role.REVIEWER, Role.APPROVER, Role.READER):
        users[str(role)] = program.memberships.get(role=role).user
    UserFactory(username="nykommer")
    comment = Comment.objects.create(
        program=program, step_key="grundlag", author=users["editor"], body="Åben kommentar"
    )
    return program, comment, users


def _first_text_area(html: str) -> str:
    step_form = BeautifulSoup(html, "html.parser").find(
        "form", attrs={"method": "post", "novalidate": True}
    )
    return step_form.find("textarea")["name"]


def post_cases(program, comment, users) -> list[PostCase]:
    code = program.code

    def status(value):
        return lambda: Program.objects.filter(pk=program.pk).update(status=value)

    def status_is(value):
        return lambda role: Program.objects.get(pk=program.pk).status == value

    def in_review():
        status(ProgramStatus.IN_REVIEW)()
        review_round, _created = ReviewRound.objects.update_or_create(
            program=program, number=1, defaults={"opened_by": users["editor"], "closed_at": None}
        )
        reviewer = program.memberships.get(role=Role.REVIEWER)
        ReviewVerdict.objects.get_or_create(
            round=review_round, reviewer=reviewer.user, organisation=reviewer.organisation
        )

    def resolved(value: bool):
        return lambda: Comment.objects.filter(pk=comment.pk).update(
            resolved_at=timezone.now() if value else None,
            resolved_by=users["editor"] if value else None,
        )

    editor = Client()
    editor.force_login(users["editor"])
    status(ProgramStatus.DRAFT)()
    first_step = reverse("programs:step", args=[code, "grundlag"])
    cases = [
        # Published: even an editor's save is refused (409), showing the unsaved text.
        PostCase(
            "step-while-published",
            first_step,
            {
                **form_fields(editor.get(first_step).content.decode()),
                "basis-purpose": "Ændret efter offentliggørelse",
                "save": "1",
            },
            only({"editor": 409}),
            set(),
            status(ProgramStatus.PUBLISHED),
        ),
    ]
    for step in load_program_data(program).steps:
        if step.kind == "review":
            continue
        url = reverse("programs:step", args=[code, step.key])
        html = editor.get(url).content.decode()
        marker = f"Ny tekst i {step.key}"
        cases.append(
            PostCase(
                f"step:{step.key}",
                url,
                {**form_fields(html), _first_text_area(html): marker, "save": "1"},
                only({"editor": 302}),
                {"editor"},
                status(ProgramStatus.DRAFT),
                lambda role, marker=marker: marker in repr(program_rows(program)),
            )
        )
    members = {"editor": 302, "reviewer": 302, "approver": 302}
    cases += [
        PostCase(
            "members",
            reverse("programs:members", args=[code]),
            {"username": "nykommer", "role": "reader"},
            only({"editor": 302}),
            {"editor"},
            status(ProgramStatus.DRAFT),
            lambda role: program.memberships.filter(user__username="nykommer").exists(),
        ),
        PostCase(
            "submit",
            reverse("review:submit", args=[code]),
            {},
            only({"editor": 302}),
            {"editor"},
            status(ProgramStatus.DRAFT),
            status_is(ProgramStatus.IN_REVIEW),
        ),
        PostCase(
            "verdict",
            reverse("review:verdict", args=[code]),
            {"verdict": "object", "note": "Vi gør indsigelse"},
            only({"reviewer": 302}),
            {"reviewer"},
            in_review,
            lambda role: ReviewVerdict.objects.filter(
                round__program=program, verdict="object", note="Vi gør indsigelse"
            ).exists(),
        ),
        PostCase(
            "request-changes",
            reverse("review:request_changes", args=[code]),
            {"note": "Ret afsnit 4.2"},
            only({"approver": 302}),
            {"approver"},
            in_review,
            status_is(ProgramStatus.CHANGES_REQUESTED),
        ),
        PostCase(
            "approve",
            reverse("review:approve", args=[code]),
            {"note": "Den åbne kommentar er besvaret på mødet"},
            only({"approver": 302}),
            {"approver"},
            in_review,
            status_is(ProgramStatus.APPROVED),
        ),
        PostCase(
            "publish",
            reverse("versions:publish", args=[code]),
            {"kind": "major", "change_note": "Første version"},
            only({"approver": 302}),
            {"approver"},
            status(ProgramStatus.APPROVED),
            lambda role: program.versions.filter(change_note="Første version").exists(),
        ),
        PostCase(
            "revise",
            reverse("review:revise", args=[code]),
            {},
            only({"editor": 302}),
            {"editor"},
            status(ProgramStatus.PUBLISHED),
            status_is(ProgramStatus.DRAFT),
        ),
        PostCase(
            "comment",
            reverse("review:comment_add", args=[code, "grundlag"]),
            {"body": "En ny kommentar", "target": ""},
            only(members),
            set(members),
            status(ProgramStatus.DRAFT),
            lambda role: program.comments.filter(
                body="En ny kommentar", author=users[role]
            ).exists(),
        ),
        PostCase(
            "reply",
            reverse("review:comment_reply", args=[code, comment.pk]),
            {"body": "Et svar"},
            only(members),
            set(members),
            status(ProgramStatus.DRAFT),
            lambda role: comment.replies.filter(body="Et svar", author=users[role]).exists(),
        ),
        PostCase(
            "resolve",
            reverse("review:comment_resolve", args=[code, comment.pk]),
            {},
            only(members),
            set(members),
            resolved(False),
            lambda role: Comment.objects.get(pk=comment.pk).resolved_at is not None,
        ),
        PostCase(
            "reopen",
            reverse("review:comment_reopen", args=[code, comment.pk]),
            {},
            only(members),
            set(members),
            resolved(True),
            lambda role: Comment.objects.get(pk=comment.pk).resolved_at is None,
        ),
        # Last, as it ends the membership. Every member may try; the approver is refused
        # with a message (a redirect too). The demo's editor has a co-editor, so may leave.
        PostCase(
            "leave",
            reverse("programs:leave", args=[code]),
            {},
            only({**members, "reader": 302}),
            {"editor", "reviewer", "reader"},
            status(ProgramStatus.DRAFT),
            lambda role: not program.memberships.filter(user=users[role]).exists(),
        ),
    ]
    return cases


def test_every_post_changes_data_only_for_the_roles_allowed(client, post_world, subtests):
    program, comment, users = post_world
    memberships = list(program.memberships.values("user", "role", "organisation"))
    # One demo program for all roles (it is slow to build); each role starts from the same
    # members, and each case sets the status its action needs.
    # The step forms are read once, before anyone saves: only the editor's saves must be
    # current, and every other role is refused before the revision matters.
    cases = post_cases(program, comment, users)
    for role in ROLES:
        with subtests.test(role=role):
            client.logout()
            if role != "anonymous":
                client.force_login(users[role])
            for case in cases:
                case.prepare()
                before = program_rows(program)
                response = client.post(case.url, case.data)
                assert response.status_code == case.expected[role], (case.name, role)
                if role == "anonymous":
                    assert response.url.startswith(reverse("login")), case.name
                if role in case.changes:
                    assert program_rows(program) != before, (case.name, role, "no change")
                    assert case.effect(role), (case.name, role, "not the change this action makes")
                else:
                    assert program_rows(program) == before, (case.name, role, "refused, wrote")
        program.memberships.all().delete()
        Membership.objects.bulk_create(
            Membership(
                program=program,
                user_id=m["user"],
                role=m["role"],
                organisation_id=m["organisation"],
            )
            for m in memberships
        )


@pytest.mark.parametrize("role", ROLES)
def test_program_wide_urls_answer_each_role(client, world, role):
    *_, users = world
    if role != "anonymous":
        client.force_login(users[role])
    for url in (reverse("programs:list"), reverse("programs:create")):
        assert client.get(url).status_code == (302 if role == "anonymous" else 200)


def test_creating_a_program_is_open_to_every_signed_in_user_only(client, world):
    *_, users = world
    url = reverse("programs:create")
    data = {"title": "Nyt program", "region": "syddanmark"}
    assert client.post(url, data).url.startswith(reverse("login"))
    assert not Program.objects.filter(title="Nyt program").exists()
    client.force_login(users["outsider"])
    assert client.post(url, data).status_code == 302
    assert Program.objects.get(title="Nyt program").memberships.get().user == users["outsider"]


def test_read_only_pages_refuse_other_methods(client, world):
    program, *_rest, users = world
    client.force_login(users["editor"])
    for url in (
        reverse("programs:detail", args=[program.code]),
        reverse("programs:review", args=[program.code]),
        reverse("pdf:program", args=[program.code]),
        reverse("word:program", args=[program.code]),
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
