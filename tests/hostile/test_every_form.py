"""Every form in the app, posted with hostile input: never a 500, never a change elsewhere.

The forms are found by rendering the pages that offer them (each step of the demo program,
comments and replies, the workflow, members, creating a program, login, language, logout),
so a new form is swept too; `EXPECTED_FORMS` fails when the set changes, so that someone
looks. Each hostile value is posted to every form in turn, in the order a program lives
(steps, comments, submit, verdict, approval, publishing), so text that one form stored
meets the next (a title with a line break in the mail subject of a comment, a control
character in the PDF). After each post: the other program and the user accounts are as they
were, and so are the program's other steps. Afterwards every page still renders.

Tampered hidden fields are swept below: the revision and the conflict fields on one step of
each kind (the parsing is shared; the merge differs by kind), formset management data on
every step with a list of rows, and ids of another program's objects.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.core.cache.backends.base import CacheKeyWarning
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pathways.programs.data import load_program_data
from pathways.programs.models import Membership, Program, ProgramStatus, Role
from pathways.programs.step_kinds import DEFINITIONS
from pathways.review.models import Comment, ReviewRound, ReviewVerdict
from tests.factories import UserFactory, small_program
from tests.hostile.dump import content_by_step, program_rows, users_rows
from tests.hostile.forms import PageForm, read_forms

# Every field whose value is one of the program's actors, as the step kinds declare them.
ACTOR_FIELDS = {
    name
    for definition in DEFINITIONS.values()
    for name, kind in definition.references.items()
    if kind == "actor"
}

pytestmark = [
    pytest.mark.django_db,
    # Failed logins with hostile usernames: see the test of cache keys at the end.
    pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning"),
]

# Every POST form a user can reach (staff's admin excepted). Add a new form here.
EXPECTED_FORMS = {
    "programs:step",
    "programs:members",
    "programs:leave",
    "programs:create",
    "review:comment_add",
    "review:comment_reply",
    "review:comment_resolve",
    "review:comment_reopen",
    "review:submit",
    "review:add_contact",
    "review:verdict",
    "review:approve",
    "review:request_changes",
    "review:revise",
    "versions:publish",
    "login",
    "logout",
    "set_language",
}

ADDRESS = "203.0.113.7"  # a documentation address, so the sweep's failed logins count apart

MEGABYTE = ("Æ" + "x" * 99) * 10_000  # 1,000,000 characters, ~1 MB encoded


@dataclass
class World:
    program: Program
    other: Program
    other_comment: Comment
    open_comment: Comment
    resolved_comment: Comment
    users: dict[str, Any]
    memberships: list[dict]


@dataclass
class Target:
    form: PageForm
    viewer: str  # a key of World.users, or "anonymous"
    state: str  # the program status the form is offered in ("" for any)

    @property
    def name(self) -> str:
        return f"{self.form.url_name} {self.form.action} as {self.viewer}"


@pytest.fixture
def world(demo_program):
    program = demo_program
    users = {"editor": program.created_by, "outsider": UserFactory(username="udenforstaaende")}
    for role in (Role.REVIEWER, Role.APPROVER, Role.READER):
        users[str(role)] = program.memberships.get(role=role).user
    owner = UserFactory(username="andet-program")
    other = small_program(owner=owner)
    other_comment = Comment.objects.create(
        program=other, step_key="grundlag", author=owner, body="Det andet programs kommentar"
    )
    open_comment = Comment.objects.create(
        program=program, step_key="grundlag", author=users["reviewer"], body="Åben kommentar"
    )
    resolved_comment = Comment.objects.create(
        program=program,
        step_key="kriterier",
        author=users["reviewer"],
        body="Løst kommentar",
        resolved_at=timezone.now(),
        resolved_by=users["editor"],
    )
    yield World(
        program,
        other,
        other_comment,
        open_comment,
        resolved_comment,
        users,
        list(program.memberships.values("user", "role", "organisation")),
    )
    cache.clear()  # the sweep's failed logins must not limit other tests' logins


def prepare(world: World, state: str) -> None:
    """Put the program in `state`, with its members and comments as the world made them."""
    program = world.program
    program.memberships.all().delete()
    Membership.objects.bulk_create(
        Membership(
            program=program, user_id=m["user"], role=m["role"], organisation_id=m["organisation"]
        )
        for m in world.memberships
    )
    Comment.objects.filter(pk=world.open_comment.pk).update(resolved_at=None, resolved_by=None)
    Comment.objects.filter(pk=world.resolved_comment.pk).update(
        resolved_at=timezone.now(), resolved_by=world.users["editor"]
    )
    if not state:
        return
    Program.objects.filter(pk=program.pk).update(status=state)
    if state == ProgramStatus.IN_REVIEW:
        review_round = ReviewRound.objects.filter(program=program, closed_at__isnull=True).first()
        if review_round is None:
            number = ReviewRound.objects.filter(program=program).count() + 1
            review_round = ReviewRound.objects.create(
                program=program, number=number, opened_by=world.users["editor"]
            )
        reviewer = program.memberships.get(role=Role.REVIEWER)
        # The reviewer's party: their organisation (as a round opened by the form makes it).
        if reviewer.organisation_id:
            ReviewVerdict.objects.get_or_create(
                round=review_round, organisation=reviewer.organisation
            )
        else:
            ReviewVerdict.objects.get_or_create(round=review_round, reviewer=reviewer.user)


def client_for(world: World, viewer: str) -> Client:
    client = Client(REMOTE_ADDR=ADDRESS)
    if viewer != "anonymous":
        client.force_login(world.users[viewer])
    return client


def step_targets(world: World, *, one_per_kind: bool = False, keys=None) -> list[Target]:
    """The step forms, read as the editor sees them in a draft: of every step, of the
    first step of each kind (basis, criteria, target group, actors, part, ...), or of
    the steps named in `keys`."""
    steps = [s for s in load_program_data(world.program).steps if s.kind != "review"]
    if one_per_kind:
        steps = list({s.kind: s for s in reversed(steps)}.values())
    if keys is not None:
        steps = [s for s in steps if s.key in keys]
    targets = []
    prepare(world, ProgramStatus.DRAFT)
    client = client_for(world, "editor")
    for step in steps:
        page = reverse("programs:step", args=[world.program.code, step.key])
        html = client.get(page).content.decode()
        targets += [
            Target(f, "editor", ProgramStatus.DRAFT)
            for f in read_forms(html, page)
            if f.action == page
        ]
    assert len(targets) == len(steps)
    return targets


def discover(world: World) -> list[Target]:
    """Render every page that offers a form, as the person and in the state it is offered."""
    code = world.program.code
    steps = [s for s in load_program_data(world.program).steps if s.kind != "review"]
    step_pages = [
        ("editor", ProgramStatus.DRAFT, reverse("programs:step", args=[code, s.key])) for s in steps
    ]
    pages = [
        *step_pages,
        ("editor", ProgramStatus.DRAFT, reverse("programs:members", args=[code])),
        ("editor", ProgramStatus.DRAFT, reverse("programs:create")),
        ("editor", ProgramStatus.DRAFT, reverse("programs:detail", args=[code])),
        ("editor", ProgramStatus.DRAFT, reverse("review:submit", args=[code])),
        ("reviewer", ProgramStatus.IN_REVIEW, reverse("programs:detail", args=[code])),
        ("approver", ProgramStatus.IN_REVIEW, reverse("programs:detail", args=[code])),
        ("approver", ProgramStatus.APPROVED, reverse("programs:detail", args=[code])),
        ("editor", ProgramStatus.PUBLISHED, reverse("programs:detail", args=[code])),
        ("anonymous", "", reverse("login")),
    ]
    targets: list[Target] = []
    seen: set[tuple[str, str]] = set()
    for viewer, state, page in pages:
        prepare(world, state)
        response = client_for(world, viewer).get(page)
        assert response.status_code == 200, page
        for form in read_forms(response.content.decode(), page):
            # The language and logout forms are on every page: sweep them once per person.
            key = (
                viewer,
                form.url_name if form.url_name in ("set_language", "logout") else form.action,
            )
            if key not in seen:
                seen.add(key)
                targets.append(
                    Target(form, viewer, state if form.url_name != "set_language" else "")
                )
    assert {t.form.url_name for t in targets} == EXPECTED_FORMS
    assert len([t for t in targets if t.form.url_name == "programs:step"]) == len(steps)
    return sorted(targets, key=_lifecycle_order)


ORDER = [
    "programs:step",
    "review:comment_add",
    "review:comment_reply",
    "review:comment_resolve",
    "review:comment_reopen",
    "programs:members",
    "review:add_contact",
    "review:submit",
    "review:verdict",
    "review:request_changes",
    "review:approve",
    "versions:publish",
    "review:revise",
    "programs:leave",
    "programs:create",
    "set_language",
    "login",
    "logout",
]


def _lifecycle_order(target: Target) -> int:
    return ORDER.index(target.form.url_name)


class Watch:
    """What a post must not change: the other program and the accounts (never), and the
    program's steps other than the one posted. Each post's result is the next one's start."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.other = program_rows(world.other)
        self.users = users_rows()
        self.content = content_by_step(world.program)

    def check(self, target: Target, response) -> None:
        name = target.name
        assert response.status_code < 500, name
        assert program_rows(self.world.other) == self.other, f"{name} changed another program"
        assert users_rows() == self.users, f"{name} changed a user account"
        after = content_by_step(self.world.program)
        for key in self.unrelated_steps(target):
            assert after.get(key) == self.content.get(key), f"{name} changed step {key}"
        self.content = after

    def unrelated_steps(self, target: Target) -> set[str]:
        if target.form.url_name != "programs:step":
            return set(self.content)
        posted = target.form.action.rstrip("/").rsplit("/", 1)[-1]
        if posted == "aktoerer":  # every step that names an actor shows the new name
            return set()
        return set(self.content) - {posted}


def post_each(world: World, targets: list[Target], make) -> None:
    """Post `make(target)` (form data, or a raw body) to each target and check it."""
    watch = Watch(world)
    for target in targets:
        prepare(world, target.state)
        payload = make(target)
        client = client_for(world, target.viewer)
        if isinstance(payload, bytes):
            response = client.generic(
                "POST",
                target.form.action,
                payload,
                content_type="application/x-www-form-urlencoded",
            )
        else:
            response = client.post(target.form.action, payload)
        watch.check(target, response)


def every_page_still_renders(world: World) -> None:
    """Whatever was stored shows without an error. (The PDF is rendered by publishing, which
    every sweep reaches once the hostile text has been stored.)"""
    code = world.program.code
    steps = [s for s in load_program_data(world.program).steps if s.kind != "review"]
    shared = [
        reverse("programs:detail", args=[code]),
        reverse("programs:review", args=[code]),  # every step's answers, as the reader sees them
        reverse("programs:members", args=[code]),
        reverse("review:summary", args=[code]),
        *[reverse("versions:detail", args=[code, v.number]) for v in world.program.versions.all()],
    ]
    pages = {
        "editor": [
            *shared,
            reverse("programs:list"),
            reverse("review:audit", args=[code]),
            *[reverse("programs:step", args=[code, s.key]) for s in steps],
        ],
        "reader": [*shared, reverse("programs:step", args=[code, steps[0].key])],
    }
    for viewer, urls in pages.items():
        client = client_for(world, viewer)
        for url in urls:
            assert client.get(url).status_code < 500, (viewer, url)


# Hostile text ------------------------------------------------------------------------------

CONTROL = {
    "nul": "Før\x00efter",
    "crlf": "Linje\r\nBcc: alle@example.org",
    "esc": "\x1b[2J\x1b]0;overtaget\x07farve og C1: \x85\x9b",
}
DIGITS = {"superscript": "²", "arabic-indic": "١٢"}


def _with_text(target: Target, value: str, kinds: tuple[str, ...]) -> dict:
    names = target.form.names(*kinds) or ["hostile"]  # forms without text get a stray field
    return target.form.data(**{name: value for name in names})


@pytest.mark.real_pdf
@pytest.mark.parametrize("kind", list(CONTROL))
def test_control_characters_in_every_text_field_of_every_form(world, kind):
    targets = discover(world)
    post_each(world, targets, lambda t: _with_text(t, CONTROL[kind], ("text",)))
    every_page_still_renders(world)


@pytest.mark.parametrize("kind", list(DIGITS))
def test_other_unicode_digits_in_every_text_number_and_date_field(world, kind):
    targets = discover(world)
    post_each(world, targets, lambda t: _with_text(t, DIGITS[kind], ("text", "number", "date")))
    every_page_still_renders(world)


def test_a_megabyte_of_text_in_the_first_text_field_of_every_form(world):
    targets = discover(world)

    def make(target: Target) -> dict:
        names = target.form.names("text")
        return target.form.data(**{(names or ["hostile"])[0]: MEGABYTE})

    post_each(world, targets, make)
    every_page_still_renders(world)


def test_invalid_utf8_in_every_form(world):
    """Bytes no browser sends: percent-encoded and raw invalid UTF-8, a lone surrogate."""
    targets = discover(world)

    def make(target: Target) -> bytes:
        names = [*target.form.names("text"), "hostile", "hostile2"]
        return target.form.body({names[0]: b"%ff%fe", names[1]: b"\xff\xfe%ed%a0%80"})

    post_each(world, targets, make)
    every_page_still_renders(world)


# Tampered hidden fields --------------------------------------------------------------------


class StepWatch(Watch):
    """A step post that was not saved (anything but a redirect) left the step as it was."""

    def check(self, target: Target, response) -> None:
        before = self.content
        super().check(target, response)
        if response.status_code != 302:
            key = target.form.action.rstrip("/").rsplit("/", 1)[-1]
            assert self.content[key] == before[key], f"{target.name}: refused, but wrote"


def post_steps(world: World, targets: list[Target], make) -> list[int]:
    watch = StepWatch(world)
    statuses = []
    for target in targets:
        prepare(world, target.state)
        response = client_for(world, target.viewer).post(target.form.action, make(target))
        watch.check(target, response)
        statuses.append(response.status_code)
    return statuses


def _marked(target: Target, **changes) -> dict:
    """The step form with a change in its first text field, so that a save would write."""
    first = target.form.names("text")[0]
    return target.form.data(**{first: "Ændret med manipuleret skjult felt", **changes})


REVISION_TAMPERS = {
    "negative": "-1",
    "huge": "9" * 40,
    "non-numeric": "seneste",
    "missing": None,
    "superscript": "²",
    "arabic-indic": "١٢",
    "duplicated": ["{current}", "7"],
    "duplicated-current-last": ["7", "{current}"],
}


@pytest.mark.parametrize("tamper", list(REVISION_TAMPERS))
def test_a_tampered_revision_on_each_kind_of_step(world, tamper):
    """Never a 500; a save that is not taken writes nothing (the base is unknown, so a
    change is a conflict, not an overwrite)."""
    value = REVISION_TAMPERS[tamper]

    def make(target: Target) -> dict:
        data = _marked(target)
        current = data["revision"]
        if value is None:
            del data["revision"]
        elif isinstance(value, list):
            data["revision"] = [v.format(current=current) for v in value]
        else:
            data["revision"] = value
        return data

    statuses = post_steps(world, step_targets(world, one_per_kind=True), make)
    if tamper not in ("duplicated-current-last",):
        assert 302 not in statuses, "a save with an unknown base revision overwrote"


@pytest.mark.parametrize(
    "tamper",
    [
        {"conflict_revision": "-1"},
        {"conflict_revision": "9" * 40},
        {"conflict_revision": "١٢"},
        {"decide:basis-title": "theirs", "decide:nonsense": "mine", "decide:": "theirs"},
        {"goto": "\x00../../admin/"},
        {"goto": "https://evil.example/"},
    ],
    ids=[
        "conflict-negative",
        "conflict-huge",
        "conflict-digits",
        "decisions",
        "goto-nul",
        "goto-url",
    ],
)
def test_tampered_conflict_and_navigation_fields_on_each_kind_of_step(world, tamper):
    statuses = post_steps(
        world, step_targets(world, one_per_kind=True), lambda t: _marked(t, **tamper)
    )
    assert set(statuses) <= {200, 302, 409}


# One step of every kind with a list of rows (a part's own transitions for the parts).
FORMSET_STEPS = {"grundlag", "maalgruppe", "aktoerer", "forloeb", "del-4-3"}


def test_the_steps_with_formsets_are_the_ones_the_tampering_tests_post(world):
    with_formsets = {
        t.form.action.rstrip("/").rsplit("/", 1)[-1]
        for t in step_targets(world)
        if t.form.names("management")
    }
    steps = {s.key: s for s in load_program_data(world.program).steps}
    # Exactly the steps whose kind declares a list have one, and the tampering tests post
    # one step of every such kind.
    assert with_formsets == {
        k for k, s in steps.items() if DEFINITIONS.get(s.kind, None) and DEFINITIONS[s.kind].lists
    }
    assert {steps[k].kind for k in FORMSET_STEPS} == {
        kind for kind, d in DEFINITIONS.items() if d.lists
    }


MANAGEMENT_TAMPERS = {
    "TOTAL_FORMS-duplicated": ("TOTAL_FORMS", ["{orig}", "0"]),
    "TOTAL_FORMS-negative": ("TOTAL_FORMS", "-1"),
    "TOTAL_FORMS-zero": ("TOTAL_FORMS", "0"),
    "TOTAL_FORMS-huge": ("TOTAL_FORMS", "9" * 40),  # Django caps it at absolute_max
    "TOTAL_FORMS-non-numeric": ("TOTAL_FORMS", "mange"),
    "TOTAL_FORMS-superscript": ("TOTAL_FORMS", "²"),
    "TOTAL_FORMS-arabic-indic": ("TOTAL_FORMS", "١٢"),
    "INITIAL_FORMS-duplicated": ("INITIAL_FORMS", ["{orig}", "0"]),
    "INITIAL_FORMS-negative": ("INITIAL_FORMS", "-1"),
    "INITIAL_FORMS-zero": ("INITIAL_FORMS", "0"),
    "INITIAL_FORMS-huge": ("INITIAL_FORMS", "100000"),
    "INITIAL_FORMS-non-numeric": ("INITIAL_FORMS", "mange"),
    "MAX_NUM_FORMS-negative": ("MAX_NUM_FORMS", "-1"),
    "MIN_NUM_FORMS-huge": ("MIN_NUM_FORMS", "100000"),
}


@pytest.mark.parametrize(
    "tamper",
    list(MANAGEMENT_TAMPERS),
)
def test_tampered_formset_management_data_deletes_nothing(world, tamper):
    """The form is posted unchanged apart from the management field: whatever the answer,
    no row of the step may go (nobody asked to delete one), and never a 500."""
    suffix, value = MANAGEMENT_TAMPERS[tamper]
    targets = step_targets(world, keys=FORMSET_STEPS)
    before = content_by_step(world.program)

    def make(target: Target) -> dict:
        changes = {}
        for name in target.form.names("management"):
            if name.endswith(suffix):
                orig = target.form.data()[name]
                changes[name] = (
                    [v.format(orig=orig) for v in value] if isinstance(value, list) else value
                )
        return target.form.data(**changes)

    post_steps(world, targets, make)
    assert content_by_step(world.program) == before


def test_ids_of_another_programs_objects_change_neither_program(world):
    """Hidden ids, chosen actors, comment targets and comment URLs that point into another
    program are refused (404 or a message); the other program is never touched, and the
    program loses none of its own actors."""
    other_actor = world.other.actors.get()
    other_point = world.other.point_answers.get().attention_point_id
    targets = discover(world)
    own_actors = content_by_step(world.program)["aktoerer"]

    def foreign_actors(target: Target) -> dict:
        changes: dict[str, str | list[str]] = {}
        for f in target.form.fields:
            if f.kind == "hidden" and f.name.endswith("-id"):
                changes[f.name] = str(other_actor.pk)
            elif f.kind == "choice" and f.name.rsplit("-", 1)[-1] in ACTOR_FIELDS:
                changes[f.name] = [str(other_actor.pk)]
        return target.form.data(**changes)

    post_steps(world, [t for t in targets if t.form.url_name == "programs:step"], foreign_actors)
    actors_after = content_by_step(world.program)["aktoerer"]
    assert [item for item in own_actors if item not in actors_after] == []

    watch = Watch(world)
    editor = client_for(world, "editor")
    prepare(world, ProgramStatus.DRAFT)
    for name in ("comment_reply", "comment_resolve", "comment_reopen"):
        url = reverse(f"review:{name}", args=[world.program.code, world.other_comment.pk])
        response = editor.post(url, {"body": "Svar ind i et andet program"})
        assert response.status_code == 404, name
        watch.check(Target(PageForm(page=url, action=url), "editor", ""), response)

    comment_add = next(t for t in targets if t.form.url_name == "review:comment_add")
    for point in (str(other_point), "-1", "9" * 40, "²"):
        data = comment_add.form.data(body="Kommentar om et fremmed punkt", target=point)
        watch.check(comment_add, editor.post(comment_add.form.action, data))
    assert not Comment.objects.filter(body="Kommentar om et fremmed punkt").exists()

    members = next(t for t in targets if t.form.url_name == "programs:members")
    for organisation in (str(10**9), "-1", "١"):
        data = members.form.data(
            username="andet-program", role="reviewer", organisation=organisation
        )
        response = editor.post(members.form.action, data)
        assert response.status_code == 200, organisation  # refused at the field
        watch.check(members, response)
    assert not world.program.memberships.filter(user__username="andet-program").exists()


# Found by the sweep (fixed since), kept apart so the sweep itself stays a plain "no 500" check


def test_a_forged_form_count_is_refused_without_building_a_thousand_forms(world):
    for target in step_targets(world, keys=FORMSET_STEPS):
        for name in target.form.names("management"):
            if name.endswith("TOTAL_FORMS"):
                prepare(world, target.state)
                client = client_for(world, "editor")
                page = client.get(target.form.action)
                response = client.post(target.form.action, target.form.data(**{name: "100000"}))
                assert response.status_code == 200, name
                assert len(response.content) < 2 * len(page.content), name


STORED_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def test_no_form_stores_control_characters_other_than_line_breaks(world):
    post_each(world, discover(world), lambda t: _with_text(t, CONTROL["esc"], ("text",)))
    stored = [
        (table, column, value)
        for table, rows in program_rows(world.program).items()
        for row in rows
        for column, value in row.items()
        if isinstance(value, str) and STORED_CONTROL.search(value)
    ]
    stored += [
        ("program", "title", p.title)
        for p in Program.objects.all()
        if STORED_CONTROL.search(p.title)
    ]
    assert stored == []


def test_failed_logins_make_cache_keys_every_cache_backend_accepts(client):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", CacheKeyWarning)  # what memcached would refuse
            for username in ("navn med mellemrum", "styretegn\x1b\x07", "x" * 300):
                response = client.post(
                    reverse("login"),
                    {"username": username, "password": "forkert"},
                    REMOTE_ADDR=ADDRESS,
                )
                assert response.status_code == 200
    finally:
        cache.clear()
