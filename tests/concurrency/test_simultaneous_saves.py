"""Many people saving at the same moment, through the real HTTP stack (a threaded server).

Runs in both passes: on SQLite (WAL, immediate write transactions, a busy timeout) and on
PostgreSQL (row locks). Whatever the timing: no request answers 500, every save answered
as saved is in the database, and a real conflict is answered as a conflict (409) with the
saver's text shown back, never dropped.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from pathways.programs import services
from pathways.programs.models import Program, ProgramStatus
from pathways.versions.models import ProgramVersion
from tests.factories import ProgramFactory, UserFactory, approver_for
from tests.programs.helpers import form_fields

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 6  # simultaneous requests; well within the test server's listen backlog
TIMEOUT = 90  # seconds for one request: a writer waits for the lock (20 s on SQLite)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer we want to see, not follow


@dataclass
class Answer:
    status: int
    body: str
    location: str = ""


@dataclass
class Person:
    """One signed-in browser: its own session and CSRF cookies, no redirects followed."""

    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)

    @classmethod
    def signed_in(cls, base_url: str, user) -> Person:
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        return cls(base_url, {name: client.cookies[name].value})

    def request(self, path: str, data: dict[str, Any] | None = None) -> Answer:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)  # noqa: S310
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=TIMEOUT)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.coded_value  # sent back as it came
            return Answer(
                response.status,
                response.read().decode("utf-8", "replace"),
                response.headers.get("Location", ""),
            )

    def open_form(self, path: str) -> dict[str, Any]:
        answer = self.request(path)
        assert answer.status == 200, (path, answer.status)
        return form_fields(answer.body)


def all_at_once(jobs: list[Callable[[], Answer]]) -> list[Answer]:
    """Run the jobs in threads released together; return their answers in order."""
    barrier = threading.Barrier(len(jobs))
    answers: list[Answer | BaseException | None] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Answer]) -> None:
        try:
            barrier.wait(timeout=TIMEOUT)
            answers[index] = job()
        except BaseException as error:  # noqa: BLE001 - reported below, with its thread
            answers[index] = error

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=3 * TIMEOUT)
    for answer in answers:
        if isinstance(answer, BaseException):
            raise answer
    assert all(isinstance(answer, Answer) for answer in answers), "a request never returned"
    return answers  # type: ignore[return-value]


def textareas(html: str) -> list[str]:
    from bs4 import BeautifulSoup

    # The step form, as tests.programs.helpers.form_fields finds it.
    form = BeautifulSoup(html, "html.parser").find(
        "form", attrs={"method": "post", "novalidate": True}
    )
    return [area["name"] for area in form.find_all("textarea") if area.get("name")]


@pytest.fixture
def team(live_server, generic_model):
    """A program with PEOPLE editors, each signed in with a session of their own."""
    users = [UserFactory(username=f"redaktoer{i}") for i in range(PEOPLE)]
    program = ProgramFactory(owner=users[0])
    for user in users[1:]:
        services.add_editor(program=program, user=users[0], identifier=user.username)
    people = [Person.signed_in(live_server.url, user) for user in users]
    return program, people


def step_path(program: Program, step_key: str) -> str:
    return reverse("programs:step", args=[program.code, step_key])


def first_textarea(person: Person, path: str) -> tuple[dict[str, Any], str]:
    answer = person.request(path)
    assert answer.status == 200, (path, answer.status)
    return form_fields(answer.body), textareas(answer.body)[0]


def saved_value(person: Person, path: str, name: str) -> str:
    return shown(person.open_form(path)[name])


def shown(value: str) -> str:
    """A textarea's value as a browser reads it: HTML drops one newline after the tag."""
    return value.removeprefix("\n")


def test_saves_on_different_steps_at_the_same_moment_are_all_kept(team):
    program, people = team
    from pathways.programs.steps import StepKind, build_steps

    keys = [s.key for s in build_steps(program.model_version) if s.kind != StepKind.REVIEW]
    # Fixed steps and parts alike: one step each, all with free text.
    chosen = [keys[0], *keys[-(PEOPLE - 1) :]]
    jobs, expected = [], []
    for person, key in zip(people, chosen, strict=True):
        path = step_path(program, key)
        form, name = first_textarea(person, path)
        value = f"Skrevet samtidig på {key}"
        form.update({name: value, "save": "1"})
        jobs.append(lambda person=person, path=path, form=form: person.request(path, form))
        expected.append((person, path, name, value))

    answers = all_at_once(jobs)

    assert [a.status for a in answers] == [302] * PEOPLE, [a.body[:300] for a in answers]
    for person, path, name, value in expected:
        assert saved_value(person, path, name) == value, (path, name)


def test_saves_of_one_field_at_the_same_moment_keep_one_and_report_the_rest(team):
    program, people = team
    path = step_path(program, "grundlag")
    jobs, values = [], []
    for i, person in enumerate(people):
        form, name = first_textarea(person, path)
        values.append(f"Formål skrevet af redaktør {i}")
        form.update({name: values[i], "save": "1"})
        jobs.append(lambda person=person, form=form: person.request(path, form))

    answers = all_at_once(jobs)

    statuses = [a.status for a in answers]
    assert sorted(statuses) == [302] + [409] * (PEOPLE - 1), statuses
    winner = values[statuses.index(302)]
    assert saved_value(people[0], path, name) == winner
    for answer, value in zip(answers, values, strict=True):
        if answer.status == 409:  # the conflict page shows the text back: nothing lost
            assert value in answer.body


def test_saves_of_different_fields_of_one_step_lose_nothing_answered_as_saved(team):
    """Three fields, two editors on each. Whether a stale save of another field is merged
    or refused as a conflict, every field ends as a save answered as saved wrote it."""
    program, people = team
    from pathways.programs.steps import StepKind, build_steps

    part = next(s for s in build_steps(program.model_version) if s.kind == StepKind.PART)
    path = step_path(program, part.key)
    first = people[0].request(path)
    names = textareas(first.body)[:3]
    original = {name: shown(value) for name, value in form_fields(first.body).items()}
    assert len(names) == 3, names
    jobs, changes = [], []
    for i, person in enumerate(people):
        form = person.open_form(path)
        name = names[i % len(names)]
        change = {name: f"Ændret af redaktør {i}"}
        form.update({**change, "save": "1"})
        jobs.append(lambda person=person, form=form: person.request(path, form))
        changes.append(change)

    answers = all_at_once(jobs)

    assert {a.status for a in answers} <= {302, 409}, [a.status for a in answers]
    assert 302 in [a.status for a in answers]
    final = {name: saved_value(people[0], path, name) for name in names}
    for name in names:
        saved = {
            change[name]
            for change, answer in zip(changes, answers, strict=True)
            if answer.status == 302 and name in change
        }
        assert final[name] in (saved or {original[name]}), (name, final[name], saved)
    for change, answer in zip(changes, answers, strict=True):
        if answer.status == 409:
            assert next(iter(change.values())) in answer.body


def test_two_simultaneous_publish_requests_make_one_version_and_refuse_the_other(
    live_server, generic_model
):
    owner = UserFactory()
    program = ProgramFactory(owner=owner)
    approver = approver_for(program)
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.APPROVED)
    detail = reverse("programs:detail", args=[program.code])
    publish = reverse("versions:publish", args=[program.code])
    tabs = [Person.signed_in(live_server.url, approver) for _ in range(2)]
    jobs = []
    for tab in tabs:
        page = tab.request(detail)
        assert page.status == 200
        token = tab.cookies["csrftoken"]
        data = {"csrfmiddlewaretoken": token, "kind": "major", "change_note": "Første udgave"}
        jobs.append(lambda tab=tab, data=data: tab.request(publish, data))

    answers = all_at_once(jobs)

    assert [a.status for a in answers] == [302, 302], [a.body[:300] for a in answers]
    assert ProgramVersion.objects.filter(program=program).count() == 1
    pages = sorted(
        tab.request(answer.location).body for tab, answer in zip(tabs, answers, strict=True)
    )
    published = [p for p in pages if "Version 1.0 er offentliggjort" in p]
    refused = [p for p in pages if "Kun et godkendt program kan offentliggøres" in p]
    assert len(published) == 1 and len(refused) == 1
