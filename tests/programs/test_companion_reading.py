"""The reading view (review screen, version pages) names a part's linked companion entries
by their label, an ended offer as ended, and never by the identifier the document keeps."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from pathways.generic_model import models as gm
from pathways.programs.data import load_program_data
from pathways.programs.document import program_document
from pathways.programs.readable import step_fields

pytestmark = pytest.mark.django_db


def test_the_review_screen_names_offers_by_label_and_marks_the_ended_one(client, demo_program):
    client.force_login(demo_program.created_by)
    html = client.get(reverse("programs:review", args=[demo_program.code])).content.decode()
    assert "Sjældne Familiedage (Sjældne Diagnoser) — afsluttet" in html
    assert "Koordineringsmøde for unge 16-18 år" in html
    assert "sjaeldne-diagnoser-tilbud@" not in html
    assert "socialstyrelsen-sjaeldne-handicap-0-25@" not in html


def test_an_entry_the_program_no_longer_links_is_still_named(demo_program):
    """A published version may name an offer of an older mapping the draft dropped since."""
    current = gm.CompanionEntry.objects.get(
        list_name=gm.CompanionList.OFFER, key="sjaeldne-familiedage"
    )
    older = gm.CompanionVersion.objects.get(pk=current.companion_id)
    older.pk, older.version, older.publication_year = None, "2015", 2015
    older.save()
    gm.CompanionEntry.objects.create(
        companion=older,
        list_name=current.list_name,
        key=current.key,
        title="Sjældne Familiedage",
        text=current.text,
        source_section=current.source_section,
        details={**current.details, "status": "ongoing"},
        position=1,
    )
    data = load_program_data(demo_program)
    document = copy.deepcopy(program_document(data))
    step = next(s for s in data.steps if s.is_part and s.section.number == "4.9.2")
    document["content"][step.key]["offers"][0]["offer"] = f"{older.slug}@2015:{current.key}"
    (offers,) = [f for f in step_fields(step, data, document) if f.path == ("offers",)]
    assert offers.text.startswith("Sjældne Familiedage (Sjældne Diagnoser) – Var et projekt")
    assert "@2015" not in offers.text
