"""Each step shows the model's guidance for its sections, including those that are no
step of their own (3.1, 3.1.1, the chapter 4 introduction, 4.3.1, 4.3.2, 4.9, 4.11.1)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from pathways.generic_model.models import Section
from pathways.programs.data import load_program_data

pytestmark = pytest.mark.django_db

# Section → the step whose page shows its guidance.
SHOWN_BY = {
    "3.1": "maalgruppe",
    "3.1.1": "maalgruppe",
    "3.1.2": "maalgruppe",
    "4": "forloeb",
    "4.3.1": "del-4-3",
    "4.3.2": "del-4-3",
    "4.9": "del-4-9-1",
    "4.11": "opfoelgning",
    "4.11.1": "opfoelgning",
    "2.4": "aktoerer",
    "3": "kriterier",
}


@pytest.mark.parametrize("number, step_key", SHOWN_BY.items(), ids=SHOWN_BY.keys())
def test_the_guidance_of_a_section_appears_in_its_step(client, demo_program, number, step_key):
    section = Section.objects.get(model_version=demo_program.model_version, number=number)
    client.force_login(demo_program.created_by)
    page = client.get(reverse("programs:step", args=[demo_program.code, step_key]))
    soup = BeautifulSoup(page.content, "html.parser")
    block = soup.find("details", id="guidance-" + number.replace(".", "-"))
    assert block is not None, f"{number} not shown in {step_key}"
    text = " ".join(block.get_text(" ").split())
    assert " ".join(section.summary.split()) in text
    assert " ".join(section.guidance.split()) in text


def test_every_section_is_shown_by_exactly_one_step(demo_program):
    steps = load_program_data(demo_program).steps
    shown = [s.number for step in steps for s in step.guidance]
    every = Section.objects.filter(model_version=demo_program.model_version)
    assert sorted(shown) == sorted(every.values_list("number", flat=True))


@pytest.mark.parametrize("relation, name", [("legal_references", "title"), ("resources", "name")])
def test_a_sections_legal_references_and_resources_are_shown_with_it(
    client, demo_program, relation, name
):
    section = (
        Section.objects.filter(model_version=demo_program.model_version)
        .exclude(**{relation: None})
        .first()
    )
    step = next(s for s in load_program_data(demo_program).steps if section in s.guidance)
    client.force_login(demo_program.created_by)
    page = client.get(reverse("programs:step", args=[demo_program.code, step.key]))
    soup = BeautifulSoup(page.content, "html.parser")
    block = soup.find("details", id="guidance-" + section.number.replace(".", "-"))
    assert getattr(getattr(section, relation).first(), name) in block.get_text(" ")


def test_each_guidance_block_links_to_its_section_on_the_model_page(client, demo_program):
    """The link lands on the section (one element with that id), and the model page shows
    the section's legal references and knowledge resources there."""
    client.force_login(demo_program.created_by)
    step = BeautifulSoup(
        client.get(reverse("programs:step", args=[demo_program.code, "del-4-4"])).content,
        "html.parser",
    )
    model_page = BeautifulSoup(
        client.get(
            reverse(
                "generic_model:version_detail",
                args=[demo_program.model_version.slug, demo_program.model_version.version],
            )
        ).content,
        "html.parser",
    )
    ids = [tag["id"] for tag in model_page.find_all(id=True)]
    assert len(ids) == len(set(ids))  # 4.1.1 and 4.11 no longer share "section-411"
    block = step.find("details", id="guidance-4-4")
    link = block.find("a", href=lambda h: h and "#section-4-4" in h)
    assert link is not None and "4.4" in link.get_text()
    section = model_page.find(id=link["href"].split("#")[1])
    own = section.find_all(recursive=False)  # the section itself, not its subsections
    shown = " ".join(tag.get_text(" ") for tag in own)
    model_section = Section.objects.get(model_version=demo_program.model_version, number="4.4")
    legal = list(model_section.legal_references.all())
    resources = list(model_section.resources.all())
    assert legal or resources
    for ref in legal:
        assert ref.title in shown
    for resource in resources:
        assert resource.name in shown
