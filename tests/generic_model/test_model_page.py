"""The read-only reference page a planner reads while writing a program."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pathways.generic_model.loader import load_generic_model_file
from pathways.generic_model.models import ActorType, Resource, Section
from tests.conftest import GENERIC_MODEL_FILE

pytestmark = pytest.mark.django_db


def detail_url(version) -> str:
    return reverse("generic_model:version_detail", args=[version.slug, version.version])


def test_version_list_links_to_each_loaded_version(client, generic_model):
    response = client.get(reverse("generic_model:version_list"))
    assert response.status_code == 200
    assert detail_url(generic_model) in response.content.decode()


def test_version_list_explains_how_to_load_when_empty(client):
    response = client.get(reverse("generic_model:version_list"))
    assert "load_generic_model" in response.content.decode()


def test_page_shows_every_section_and_all_57_attention_points(client, generic_model):
    html = client.get(detail_url(generic_model)).content.decode()
    for section in Section.objects.filter(model_version=generic_model):
        assert f'id="section-{section.number.replace(".", "-")}"' in html
        assert section.title in html or section.title.replace("'", "&#x27;") in html
    assert len(re.findall(r'<li value="\d+" class="attention-point"', html)) == 58
    assert "For gravide" in html or "Gravide" in html  # 4.1.1's situations are shown


def test_page_shows_actors_resources_and_reform_notes(client, generic_model):
    html = client.get(detail_url(generic_model)).content.decode()
    for actor in ActorType.objects.filter(model_version=generic_model):
        assert f'id="actor-{actor.key}"' in html
    for resource in Resource.objects.filter(model_version=generic_model).exclude(url=""):
        assert f'href="{resource.url}"' in html.replace("&amp;", "&")
    assert "Sundhedsreform 2024:" in html


def test_page_uses_the_same_number_of_queries_for_two_versions(
    client, generic_model, generic_model_data, write_model_file, django_assert_max_num_queries
):
    # 13 queries: version, actors (+sections), sections (+questions, points, point actors),
    # criteria, needs, code systems, groupings, questions, transitions (+2), resources,
    # legal references (+sections), each section's legal references and resources (+2).
    # Independent of how many rows the model has.
    with django_assert_max_num_queries(20):
        assert client.get(detail_url(generic_model)).status_code == 200


def test_unknown_version_is_404(client, generic_model):
    url = reverse("generic_model:version_detail", args=[generic_model.slug, "9.9"])
    assert client.get(url).status_code == 404


def test_page_is_read_only(client, generic_model):
    assert client.post(detail_url(generic_model)).status_code == 405


def test_page_is_in_danish_by_default_and_english_on_request(client, generic_model):
    danish = client.get(detail_url(generic_model)).content.decode()
    assert '<html lang="da">' in danish
    assert "Opmærksomhedspunkter" in danish
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(detail_url(generic_model)).content.decode()
    assert '<html lang="en">' in english
    assert "Attention points" in english


def test_loading_the_model_file_twice_keeps_one_page(client):
    load_generic_model_file(GENERIC_MODEL_FILE)
    load_generic_model_file(GENERIC_MODEL_FILE)
    html = client.get(reverse("generic_model:version_list")).content.decode()
    assert html.count("/model/sst-sjaeldne/1.0/") == 1


def test_an_english_browser_still_gets_danish_until_english_is_chosen(client, generic_model):
    html = client.get(detail_url(generic_model), HTTP_ACCEPT_LANGUAGE="en-US,en").content
    assert b'<html lang="da">' in html
