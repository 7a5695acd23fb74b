"""Two editors on one step: the second save is refused with the differences, never lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.urls import reverse

from pathways.programs import services
from pathways.programs.data import load_program_data
from pathways.programs.editors import build_step_forms, payload_of
from pathways.programs.models import AuditEntry, Program
from pathways.programs.steps import find_step
from tests.factories import ProgramFactory, UserFactory
from tests.programs.helpers import form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(generic_model):
    anne, bo = UserFactory(username="anne"), UserFactory(username="bo")
    program = ProgramFactory(owner=anne)
    services.add_editor(program=program, user=anne, identifier="bo")
    return program, anne, bo


def test_second_save_of_a_stale_form_gets_a_conflict_showing_what_differs(client, two_editors):
    program, anne, bo = two_editors
    url = reverse("programs:step", args=[program.code, "grundlag"])
    client.force_login(anne)
    annes_form = form_fields(client.get(url).content.decode())

    client.force_login(bo)
    bos_form = form_fields(client.get(url).content.decode())
    bos_form.update({"basis-purpose": "Bos formål", "save": "1"})
    assert client.post(url, bos_form).status_code == 302

    client.force_login(anne)
    annes_form.update({"basis-purpose": "Annes formål", "save": "1"})
    response = client.post(url, annes_form)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Trinnet er ændret af en anden, mens du skrev" in html
    assert "bo gemte trinnet" in html
    assert "Bos formål" in html and "Annes formål" in html  # both versions side by side
    program.refresh_from_db()
    assert program.purpose == "Bos formål"  # nothing silently overwritten

    # Anne chooses her version: the page now carries the current revision.
    chosen = form_fields(html)
    chosen["save"] = "1"
    assert client.post(url, chosen).status_code == 302
    program.refresh_from_db()
    assert program.purpose == "Annes formål"


def test_a_conflict_writes_nothing_not_even_an_audit_entry(two_editors):
    program, anne, bo = two_editors
    data = load_program_data(program)
    step = find_step(data.steps, "grundlag")
    forms = build_step_forms(step, data, None)
    forms = build_step_forms(
        step, data, {**{k: v for k, v in _post(forms).items()}, "basis-purpose": "Bo"}
    )
    assert forms.is_valid()
    services.save_step(
        program=program, user=bo, step=step, payload=payload_of(step, forms), loaded_revision=0
    )
    entries = AuditEntry.objects.count()
    with pytest.raises(services.StepConflict) as caught:
        services.save_step(
            program=program,
            user=anne,
            step=step,
            payload=payload_of(step, forms),
            loaded_revision=0,
        )
    assert caught.value.saved_by == "bo"
    assert AuditEntry.objects.count() == entries


def test_a_missing_or_tampered_revision_is_treated_as_stale(client, two_editors):
    program, anne, _bo = two_editors
    url = reverse("programs:step", args=[program.code, "grundlag"])
    client.force_login(anne)
    data = form_fields(client.get(url).content.decode())
    data.update({"revision": "not-a-number", "basis-purpose": "X", "save": "1"})
    assert client.post(url, data).status_code == 409
    assert Program.objects.get(pk=program.pk).purpose == ""


def _post(forms) -> dict[str, str]:
    """Form data as a browser would send it for unbound forms (initial values)."""
    data: dict[str, str] = {}
    for form in forms.all_forms():
        if hasattr(form, "management_form"):
            for field in form.management_form:
                data[field.html_name] = str(field.value())
            inner = form.forms
        else:
            inner = [form]
        for f in inner:
            for field in f:
                value = field.value()
                if value not in (None, ""):
                    data[field.html_name] = value
    return data


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_on_postgresql_let_exactly_one_win(generic_model):
    anne, bo = UserFactory(username="anne"), UserFactory(username="bo")
    program = ProgramFactory(owner=anne)
    services.add_editor(program=program, user=anne, identifier="bo")
    data = load_program_data(program)
    step = find_step(data.steps, "grundlag")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(user, purpose):
        try:
            forms = build_step_forms(
                step, data, {**_post(build_step_forms(step, data)), "basis-purpose": purpose}
            )
            assert forms.is_valid()
            barrier.wait()
            services.save_step(
                program=program,
                user=user,
                step=step,
                payload=payload_of(step, forms),
                loaded_revision=0,
            )
            outcomes.append("saved")
        except services.StepConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(u, u.username)) for u in (anne, bo)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    winner = Program.objects.get(pk=program.pk).purpose
    assert winner in ("anne", "bo")
