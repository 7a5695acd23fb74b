"""Advice the working group decides otherwise on, with a reason (the model recommends; it
does not require): the reason is written in the step, and everywhere completeness is shown
the advice counts as decided, not open."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from pathways.programs import exchange
from pathways.programs.completeness import assess
from pathways.programs.data import load_program_data
from pathways.programs.models import (
    AdviceDeparture,
    AuditEntry,
    CriterionAssessment,
    Membership,
    Program,
    Role,
)
from pathways.review.audit_log import DocumentFields, changes_of
from tests.factories import UserFactory
from tests.programs.helpers import form_fields, post_step

pytestmark = pytest.mark.django_db

FIELD = "departure-two-or-more-criteria"
REASON = "Sygdommen er så sjælden, at ét kriterium (kompleksitet) bærer programmet alene."


@pytest.fixture
def one_criterion(demo_program):
    """The demo with one criterion met: the model advises two or more (ch. 3)."""
    CriterionAssessment.objects.filter(program=demo_program).update(applies=False)
    first = CriterionAssessment.objects.filter(program=demo_program).first()
    first.applies = True
    first.save()
    return demo_program


@pytest.fixture
def editor_client(client, one_criterion):
    editor = Membership.objects.filter(program=one_criterion, role=Role.EDITOR).first().user
    client.force_login(editor)
    return client


def url(program, key="kriterier"):
    return reverse("programs:step", args=[program.code, key])


def review_url(program):
    return reverse("programs:review", args=[program.code])


def report(program):
    return assess(load_program_data(Program.objects.get(pk=program.pk)))


def test_the_step_asks_for_a_reason_beside_each_piece_of_advice(editor_client, one_criterion):
    page = editor_client.get(url(one_criterion)).content.decode()
    fields = form_fields(page)
    assert fields[FIELD] == ""
    assert "Hvis I gør det anderledes end modellen anbefaler" in page
    # The field's spoken name says which advice it answers.
    assert "Begrundelse for at gøre det anderledes: Modellen anbefaler" in page


def test_a_reason_turns_open_advice_into_a_decision(editor_client, one_criterion):
    before = report(one_criterion)
    assert "two-or-more-criteria" in [a.key for a in before.for_step("kriterier").advice]
    response = post_step(editor_client, url(one_criterion), {FIELD: REASON})
    assert response.status_code == 302
    stored = AdviceDeparture.objects.get(program=one_criterion)
    assert (stored.step_key, stored.key, stored.note) == (
        "kriterier",
        "two-or-more-criteria",
        REASON,
    )
    after = report(one_criterion)
    assert after.advice_count == before.advice_count - 1
    assert after.departure_count == 1
    assert after.for_step("kriterier").advice == []
    step = after.for_step("kriterier")
    assert step.departures[0].reason == REASON
    assert "to eller flere kriterier" in step.departures[0].advice.message
    page = editor_client.get(url(one_criterion)).content.decode()
    assert "besluttet anderledes" in page and REASON in page


def test_the_review_screen_lists_the_decision_with_its_reason(editor_client, one_criterion):
    post_step(editor_client, url(one_criterion), {FIELD: REASON})
    page = editor_client.get(review_url(one_criterion)).content.decode()
    assert 'id="departure-list"' in page and REASON in page
    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = editor_client.get(review_url(one_criterion)).content.decode()
    assert "Recommendations the working group has decided otherwise on" in page


def test_emptying_the_reason_opens_the_advice_again(editor_client, one_criterion):
    post_step(editor_client, url(one_criterion), {FIELD: REASON})
    post_step(editor_client, url(one_criterion), {FIELD: "  "})
    assert not AdviceDeparture.objects.filter(program=one_criterion).exists()
    assert report(one_criterion).for_step("kriterier").advice != []


def test_a_reason_is_kept_when_the_advice_is_followed_later(editor_client, one_criterion):
    post_step(editor_client, url(one_criterion), {FIELD: REASON})
    CriterionAssessment.objects.filter(program=one_criterion).update(applies=True)
    step = report(one_criterion).for_step("kriterier")
    assert step.advice == step.departures == []
    page = editor_client.get(url(one_criterion)).content.decode()
    assert form_fields(page)[FIELD] == REASON  # still there to read, or to clear
    assert "Begrundelse for en anbefaling, I nu følger" in page


def test_the_reason_is_in_the_program_document_and_the_audit(editor_client, one_criterion):
    post_step(editor_client, url(one_criterion), {FIELD: REASON})
    document = exchange.export_document(one_criterion)
    assert document["content"]["kriterier"]["departures"] == {"two-or-more-criteria": REASON}
    # Other steps carry no empty reasons.
    assert "departures" not in document["content"]["grundlag"]
    entry = AuditEntry.objects.filter(program=one_criterion, step_key="kriterier").latest("pk")
    assert entry.after == {"doc:departures|two-or-more-criteria": REASON}
    (change,) = changes_of(entry, DocumentFields(load_program_data(one_criterion)))
    # The log names the advice the reason answers (it is still given: one criterion).
    assert change.label.startswith("Begrundelse for at gøre det anderledes: Modellen anbefaler")
    assert (change.before, change.after) == ("—", REASON)


def test_an_exported_reason_comes_back_on_import(editor_client, one_criterion):
    post_step(editor_client, url(one_criterion), {FIELD: REASON})
    raw = exchange.dumps(exchange.export_document(one_criterion)).encode()
    imported = exchange.import_document(user=UserFactory(), raw=raw, source="demo.json")
    assert AdviceDeparture.objects.get(program=imported).note == REASON
    assert report(imported).departure_count == 1


def test_an_actor_advice_is_keyed_by_the_actors_ref(demo_program):
    """Keys are language-free and stable: an actor's advice names the actor by its ref."""
    data = load_program_data(demo_program)
    hospital = next(a for a in data.actors if a.actor_type and a.actor_type.sector == "hospital")
    hospital.specialisation_level = ""
    hospital.save()
    advice = report(demo_program).for_step("aktoerer").advice
    assert f"specialisation-{hospital.ref}" in [a.key for a in advice]
