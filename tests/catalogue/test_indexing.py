"""A catalogue row says what the program's newest published version says: written when a
version is published, rebuilt by `rebuild_catalogue` and by the migration that added it."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from pathways.catalogue.indexing import index_version
from pathways.catalogue.models import CatalogueEntry
from pathways.programs.models import PartAnswer, Program, ProgramActor, Relevance
from tests.catalogue.builders import catalogue_program
from tests.factories import published_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(generic_model):
    return catalogue_program(
        title="Fragilt X-syndrom",
        codes=(("icd-10", "DQ992"), ("orpha", "ORPHA:908"), ("omim", "#300624")),
        responsible="Aalborg Kommune",
        grouping="udviklingshaemning",
        relevant_parts=("4.4", "4.1.1"),
    )


def test_a_published_version_gets_its_row(program):
    entry = CatalogueEntry.objects.get(program=program)
    version = program.versions.get()
    assert (entry.version, entry.number, entry.title) == (version, "1.0", "Fragilt X-syndrom")
    assert entry.region == "nordjylland"
    assert entry.grouping == "udviklingshaemning"
    # 4.1.1 is pregnancy, 4.4 childhood to adult life; the model's order.
    assert entry.age_bands == "|graviditet|barndom|ungdom|voksen|"
    assert entry.codes == " DQ992 Q99.2 ORPHA:908 #300624 300624 "
    assert entry.code_list == ["ICD-10 DQ992 (Q99.2)", "ORPHA:908", "OMIM #300624"]
    assert entry.actors_responsible == "Aalborg Kommune"
    assert entry.published_at == version.published_at


def test_the_row_is_read_from_the_version_never_from_the_draft(program):
    Program.objects.filter(pk=program.pk).update(title="Udkastets titel", region="syddanmark")
    ProgramActor.objects.filter(program=program).update(name="Udkastets aktør")
    version = program.versions.get()
    CatalogueEntry.objects.all().delete()
    entry = index_version(version)
    assert (entry.title, entry.region) == ("Fragilt X-syndrom", "nordjylland")
    assert entry.actors_responsible == "Aalborg Kommune"


def test_a_new_version_replaces_the_row_and_an_older_one_never_does(program):
    first = program.versions.get()
    Program.objects.filter(pk=program.pk).update(title="Anden udgave")
    second = published_version(Program.objects.get(pk=program.pk), major=False)
    entry = CatalogueEntry.objects.get(program=program)
    assert (entry.version, entry.title, entry.number) == (second, "Anden udgave", "1.1")
    index_version(first)  # e.g. a rebuild that meets the older version
    assert CatalogueEntry.objects.get(program=program).version == second
    assert CatalogueEntry.objects.count() == 1


def test_an_actor_in_a_part_judged_irrelevant_has_no_responsibility(generic_model):
    program = catalogue_program(title="Uden ansvar", responsible="Aalborg Kommune", publish=False)
    PartAnswer.objects.filter(program=program).update(relevance=Relevance.NOT_RELEVANT)
    published_version(program)
    assert CatalogueEntry.objects.get(program=program).actors_responsible == ""


def test_rebuild_catalogue_writes_every_row_again(program, generic_model):
    other = catalogue_program(title="Andet program")
    CatalogueEntry.objects.filter(program=program).delete()
    CatalogueEntry.objects.filter(program=other).update(title="forældet")
    call_command("rebuild_catalogue", verbosity=0)
    assert dict(CatalogueEntry.objects.values_list("program_id", "title")) == {
        program.pk: "Fragilt X-syndrom",
        other.pk: "Andet program",
    }


def test_the_migration_fills_the_catalogue_with_the_programs_published_before_it(program):
    CatalogueEntry.objects.all().delete()
    migration = importlib.import_module("pathways.catalogue.migrations.0002_backfill")
    migration.backfill(apps, None)
    assert CatalogueEntry.objects.get().program == program


def test_a_version_without_a_document_gets_title_and_region(program):
    """Versions published before documents were stored (none should remain) still list."""
    from pathways.versions.models import ProgramVersion

    version = program.versions.get()
    ProgramVersion.objects.filter(pk=version.pk).update(document={})
    entry = index_version(ProgramVersion.objects.get(pk=version.pk))
    assert (entry.title, entry.region, entry.codes) == ("Fragilt X-syndrom", "nordjylland", "")


def test_the_home_page_searches_the_catalogue_and_every_page_links_to_it(client, program):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get(reverse("home")).content, "html.parser")
    form = soup.find("form", attrs={"role": "search"})
    assert form["action"] == "/katalog/" and form.get("method") == "get"
    assert form.find("input", attrs={"name": "q"})["id"] == form.find("label")["for"]
    nav = soup.find("nav", attrs={"aria-label": "Hovedmenu"})
    assert nav.find("a", string="Katalog")["href"] == "/katalog/"
    # A search from the home page is a link that can be bookmarked.
    assert "Fragilt X-syndrom" in client.get("/katalog/?q=q99.2").content.decode()
