"""The public FHIR address of a published version: no sign-in, only published versions,
only what was published."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from pathways.programs import models as pm
from pathways.programs.models import Program, ProgramStatus
from tests.factories import UserFactory, published_version, small_program
from tests.fhir.validation import organizations, plan_definition, problems
from tests.versions.test_versions import BAD_NUMBERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(generic_model):
    program = small_program(owner=UserFactory())
    published_version(program)
    return program


def fhir_url(code: str, number: str) -> str:
    return f"/p/{code}/{number}/fhir.json"


def test_anyone_may_fetch_a_published_version(client, published):
    url = reverse("fhir:version", args=[published.code, "1.0"])
    assert url == fhir_url(published.code, "1.0")
    response = client.get(url)  # not signed in
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8; fhirVersion=4.3"
    bundle = json.loads(response.content)
    assert problems(bundle) == []
    assert plan_definition(bundle)["version"] == "1.0"
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_nothing_but_a_published_version_is_served(client, generic_model, published):
    client.raise_request_exception = False  # count a crash as a 500, not an error
    draft_only = small_program(owner=UserFactory())
    urls = [
        fhir_url(draft_only.code, "1.0"),  # a program never published
        fhir_url("INGEN", "1.0"),  # no such program
        fhir_url(published.code, "9.9"),  # no such version
        *(fhir_url(published.code, number) for number in BAD_NUMBERS),
    ]
    failures = [(url[-40:], s) for url in urls if (s := client.get(url).status_code) != 404]
    assert failures == []


def test_nothing_from_a_later_draft_leaks(client, published):
    published_title = Program.objects.get(pk=published.pk).title
    # After 1.0 the editors rename the draft, its actor and move it to another region.
    Program.objects.filter(pk=published.pk).update(
        title="Hemmeligt nyt arbejdsnavn", region="hovedstaden", status=ProgramStatus.DRAFT
    )
    pm.ProgramActor.objects.filter(program=published).update(name="Hemmelig ny afdeling")
    response = client.get(fhir_url(published.code, "1.0"))
    body = response.content.decode()
    assert "Hemmelig" not in body and "Region Hovedstaden" not in body
    bundle = json.loads(body)
    assert plan_definition(bundle)["title"] == published_title
    assert [o["name"] for o in organizations(bundle).values()] == ["Børneafdelingen"]


def test_the_demo_export_takes_a_fixed_number_of_queries(
    client, demo_program, django_assert_max_num_queries
):
    published_version(demo_program)
    # The same however many parts, points and actors: the model and the version's rows.
    with django_assert_max_num_queries(17):
        response = client.get(fhir_url(demo_program.code, "1.0"))
    assert response.status_code == 200


def test_the_version_page_links_to_the_fhir_export(client, published):
    client.force_login(UserFactory())
    html = client.get(reverse("versions:detail", args=[published.code, "1.0"])).content.decode()
    assert f'href="{fhir_url(published.code, "1.0")}"' in html
    assert "FHIR (PlanDefinition)" in html
