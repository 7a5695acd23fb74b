"""No input a user can type gives a server error on any step, and a refused save stores
nothing. (tests/hostile/ sweeps every other form and the hidden fields.)"""

from __future__ import annotations

import pytest
from django.urls import reverse

from pathways.programs.data import load_program_data
from tests.hostile.dump import content_by_step
from tests.programs.helpers import form_fields

pytestmark = pytest.mark.django_db

NASTY = [
    "\x00",
    "x" * 6000,
    "<script>alert(1)</script>",
    "-1",
    "999999999999999999999",
    "2027-02-30",
    "😀" * 10,
    "' OR 1=1 --",
    "   ",
]


def test_every_field_of_every_step_survives_hostile_values(client, demo_program):
    client.force_login(demo_program.created_by)
    for step in load_program_data(demo_program).steps:
        if step.kind == "review":
            continue
        url = reverse("programs:step", args=[demo_program.code, step.key])
        base = form_fields(client.get(url).content.decode())
        fields = [k for k in base if k not in ("csrfmiddlewaretoken", "revision")]
        for value in NASTY:
            data = {**base, **{k: value for k in fields if not k.endswith("FORMS")}, "save": "1"}
            before = content_by_step(demo_program)
            response = client.post(url, data)
            # Saved, or refused at the fields; never a conflict (the form is fresh) or worse.
            assert response.status_code in (200, 302), (step.key, value[:20])
            if response.status_code == 302:  # a hostile but valid save: reload the form
                base = form_fields(client.get(url).content.decode())
            else:
                assert "Trinnet er ikke gemt" in response.content.decode(), step.key
                assert content_by_step(demo_program) == before, (step.key, "refused, but wrote")


def test_broken_formset_management_data_is_a_message_not_a_crash(client, demo_program):
    client.force_login(demo_program.created_by)
    url = reverse("programs:step", args=[demo_program.code, "grundlag"])
    data = form_fields(client.get(url).content.decode())
    before = content_by_step(demo_program)
    for tampered in (
        {"wg-TOTAL_FORMS": "abc"},
        {"wg-TOTAL_FORMS": "100000"},
        {"wg-INITIAL_FORMS": ""},
    ):
        response = client.post(url, {**data, **tampered, "save": "1"})
        assert response.status_code == 200
        assert "Trinnet er ikke gemt" in response.content.decode()
        assert content_by_step(demo_program) == before, tampered  # no row lost


def test_an_enormous_submission_gets_a_clear_400_page(client, demo_program, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.raise_request_exception = False
    client.force_login(demo_program.created_by)
    url = reverse("programs:step", args=[demo_program.code, "grundlag"])
    before = content_by_step(demo_program)
    response = client.post(url, {"basis-purpose": "x" * 20_000, "save": "1"})
    assert response.status_code == 400
    assert "mere data, end serveren tager imod" in response.content.decode()
    assert content_by_step(demo_program) == before
