"""Publishing numbered versions from the program page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pathways.programs.models import Program
from pathways.versions.models import ProgramVersion
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_incomplete_program_cannot_be_published(client, generic_model):
    owner = UserFactory()
    program = ProgramFactory(owner=owner)
    client.force_login(owner)
    response = client.post(
        reverse("versions:publish", args=[program.code]),
        {"kind": "major", "change_note": "Første"},
        follow=True,
    )
    assert "kan ikke offentliggøres, før intet mangler" in response.content.decode()
    assert not ProgramVersion.objects.exists()


def test_versions_are_numbered_minor_and_major_and_listed(client, demo_program):
    client.force_login(demo_program.created_by)
    url = reverse("versions:publish", args=[demo_program.code])
    for kind, note in (
        ("minor", "Første udgave"),
        ("minor", "Rettelser"),
        ("major", "Ny målgruppe"),
    ):
        client.post(url, {"kind": kind, "change_note": note})
    numbers = [v.number for v in ProgramVersion.objects.filter(program=demo_program)]
    assert numbers == ["2.0", "1.1", "1.0"]
    html = client.get(reverse("programs:detail", args=[demo_program.code])).content.decode()
    assert "Gældende:</strong> Version 2.0" in html
    assert reverse("pdf:version", args=[demo_program.code, "1.1"]) in html


def test_a_version_needs_a_change_note(client, demo_program):
    client.force_login(demo_program.created_by)
    response = client.post(
        reverse("versions:publish", args=[demo_program.code]),
        {"kind": "minor", "change_note": ""},
        follow=True,
    )
    assert "Dette felt er påkrævet" in response.content.decode()
    assert not ProgramVersion.objects.exists()


def test_published_versions_cannot_be_changed(demo_program):
    from pathways.versions.services import publish_version

    version = publish_version(
        program=demo_program, user=demo_program.created_by, major=True, change_note="1.0"
    )
    version.change_note = "omskrevet"
    with pytest.raises(ValueError, match="immutable"):
        version.save()
    assert Program.objects.get(pk=demo_program.pk).versions.get().change_note == "1.0"
