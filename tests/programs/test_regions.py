"""Denmark from 1 January 2027: regions and approving bodies are dated data.

Every test names its date: nothing here depends on the day the suite runs.
"""

from __future__ import annotations

import datetime

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse

from pathways.pdf.render import draft_document
from pathways.programs import regions, services
from pathways.programs.forms import ProgramCreateForm
from pathways.programs.models import ApprovingBody, Program, Region
from pathways.programs.page_cache import content_changed
from pathways.versions.models import ProgramVersion
from tests.conftest import REGIONS_FILE
from tests.factories import ProgramFactory, UserFactory
from tests.programs.helpers import form_fields, post_step

pytestmark = pytest.mark.django_db

DEC_2026 = datetime.date(2026, 12, 1)
LAST_DAY = datetime.date(2026, 12, 31)
JAN_2027 = datetime.date(2027, 1, 1)
SUCCESSOR_NOTE = "Region Sjælland – fra 1. januar 2027 en del af Region Østdanmark"


@pytest.fixture
def on_day(monkeypatch):
    """Pages read the date from regions.today(): set it, as a test must name its date."""

    def set_day(day: datetime.date) -> None:
        monkeypatch.setattr(regions, "today", lambda: day)

    return set_day


@pytest.fixture
def planner(generic_model):
    return UserFactory()


@pytest.fixture
def sjaelland_program(planner):
    """A program written for Region Sjælland in 2026."""
    return ProgramFactory(owner=planner, region="sjaelland", on=DEC_2026)


# --- The data ---------------------------------------------------------------------------


def test_on_the_last_day_of_2026_there_are_five_regions_and_from_2027_four():
    before = [r.code for r in regions.regions_valid_on(LAST_DAY)]
    after = [r.code for r in regions.regions_valid_on(JAN_2027)]
    assert before == ["hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland"]
    assert after == ["syddanmark", "midtjylland", "nordjylland", "oestdanmark"]
    assert regions.successor("sjaelland").name == "Region Østdanmark"
    assert regions.successor("hovedstaden").code == "oestdanmark"
    assert regions.successor("nordjylland") is None


def test_the_approving_bodies_on_a_date():
    def names(code, day):
        return [b.name for b in regions.bodies_valid_on(code, day)]

    assert names("nordjylland", datetime.date(2026, 6, 1)) == [
        "Sundhedssamarbejdsudvalget i Region Nordjylland"
    ]
    assert names("nordjylland", JAN_2027) == ["Sundhedsråd Vendsyssel", "Sundhedsråd Limfjorden"]
    # A Region Sjælland program that starts in 2027 is agreed in Region Østdanmark's råd.
    assert names("sjaelland", LAST_DAY) == ["Sundhedssamarbejdsudvalget i Region Sjælland"]
    east = names("sjaelland", datetime.date(2027, 3, 1))
    assert len(east) == 6 and "Sundhedsråd Østsjælland og Øerne" in east
    assert ApprovingBody.objects.filter(name__startswith="Sundhedsråd ").count() == 17


# --- The loader -------------------------------------------------------------------------


def shipped() -> dict:
    return yaml.safe_load(REGIONS_FILE.read_text(encoding="utf-8"))


def write(tmp_path, data: dict):
    path = tmp_path / "regions.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_loading_the_shipped_file_again_changes_nothing(capsys):
    call_command("load_regions", str(REGIONS_FILE))
    assert "Uændret: 6 regioner og 22 godkendende organer." in capsys.readouterr().out


def test_the_loader_refuses_a_bad_file_naming_the_entry_and_writes_nothing(tmp_path):
    data = shipped()
    data["regions"][4]["name"] = "Region Nordjylland (rettet)"  # a good change …
    data["regions"][1]["successor"] = "oestdanmrk"  # … and a typo elsewhere
    data["approving_bodies"][6]["region"] = "vendsyssel"
    data["approving_bodies"][7]["valid_form"] = "2027-01-01"
    with pytest.raises(CommandError) as refused:
        call_command("load_regions", str(write(tmp_path, data)))
    message = str(refused.value)
    assert "regions[2] (sjaelland): efterfølgeren 'oestdanmrk' findes ikke" in message
    assert "approving_bodies[7] (sundhedsraad-limfjorden): regionen 'vendsyssel'" in message
    assert "approving_bodies[8] (sundhedsraad-aarhus): ukendte felter: valid_form" in message
    assert Region.objects.get(code="nordjylland").name == "Region Nordjylland"


def test_a_successor_must_follow_the_day_after_the_region_ends(tmp_path):
    data = shipped()
    data["regions"][1]["valid_to"] = datetime.date(2026, 6, 30)
    with pytest.raises(CommandError, match=r"regions\[2\] \(sjaelland\): efterfølgeren"):
        call_command("load_regions", str(write(tmp_path, data)))


def test_a_corrected_file_updates_and_a_region_programs_use_cannot_disappear(
    tmp_path, sjaelland_program, capsys
):
    data = shipped()
    data["regions"][4]["name"] = "Region Nordjylland (rettet)"
    call_command("load_regions", str(write(tmp_path, data)))
    assert "Indlæst:" in capsys.readouterr().out
    assert regions.region_name("nordjylland") == "Region Nordjylland (rettet)"

    data["regions"] = [r for r in data["regions"] if r["code"] != "sjaelland"]
    data["approving_bodies"] = [b for b in data["approving_bodies"] if b["region"] != "sjaelland"]
    with pytest.raises(CommandError, match="regionen 'sjaelland' mangler i filen"):
        call_command("load_regions", str(write(tmp_path, data)))
    assert Region.objects.filter(code="sjaelland").exists()


# --- A new program chooses among the regions valid on its day ---------------------------


def test_a_new_2027_program_cannot_choose_region_sjaelland_in_the_form():
    form = ProgramCreateForm({"title": "Nyt program", "region": "sjaelland"}, on=JAN_2027)
    assert not form.is_valid()
    assert "region" in form.errors
    offered = [code for code, _label in form.fields["region"].widget.choices if code]
    assert offered == ["syddanmark", "midtjylland", "nordjylland", "oestdanmark"]
    assert ProgramCreateForm({"title": "Nyt", "region": "sjaelland"}, on=LAST_DAY).is_valid()


def test_a_new_2027_program_cannot_choose_region_sjaelland_in_the_service(planner, generic_model):
    version = generic_model
    with pytest.raises(services.ServiceError, match="Region Sjælland"):
        services.create_program(
            user=planner, title="Nyt", region="sjaelland", model_version=version, on=JAN_2027
        )
    created = services.create_program(
        user=planner, title="Nyt", region="oestdanmark", model_version=version, on=JAN_2027
    )
    assert created.region == "oestdanmark"
    with pytest.raises(services.ServiceError):  # Region Østdanmark does not exist yet
        services.create_program(
            user=planner, title="Nyt", region="oestdanmark", model_version=version, on=LAST_DAY
        )


def test_the_create_page_refuses_region_sjaelland_posted_by_hand_in_2027(client, planner, on_day):
    on_day(JAN_2027)
    client.force_login(planner)
    page = client.get(reverse("programs:create")).content.decode()
    assert 'value="oestdanmark"' in page and 'value="sjaelland"' not in page
    response = client.post(reverse("programs:create"), {"title": "Nyt", "region": "sjaelland"})
    assert response.status_code == 200
    assert "kan ikke vælges her" in response.content.decode()
    assert not Program.objects.exists()


# --- An existing program keeps its region and shows the successor ----------------------


def test_a_2026_sjaelland_program_shows_its_successor_and_its_pdf_keeps_its_region(
    client, sjaelland_program, on_day
):
    on_day(datetime.date(2027, 2, 1))
    client.force_login(sjaelland_program.created_by)
    detail = client.get(reverse("programs:detail", args=[sjaelland_program.code]))
    assert SUCCESSOR_NOTE in detail.content.decode()
    listing = client.get(reverse("programs:list")).content.decode()
    assert SUCCESSOR_NOTE in listing
    assert ProgramVersion(region="sjaelland").region_label == SUCCESSOR_NOTE  # a version page
    # The PDF prints the region the program was written for.
    assert draft_document(Program.objects.get(pk=sjaelland_program.pk)).region == (
        "Region Sjælland"
    )


def test_the_basis_step_keeps_an_ended_region_but_offers_no_other_ended_one(
    client, sjaelland_program, on_day
):
    on_day(datetime.date(2027, 2, 1))
    client.force_login(sjaelland_program.created_by)
    url = reverse("programs:step", args=[sjaelland_program.code, "grundlag"])
    page = client.get(url).content.decode()
    assert form_fields(page)["basis-region"] == "sjaelland"
    assert SUCCESSOR_NOTE in page and 'value="hovedstaden"' not in page
    post_step(client, url, {"basis-purpose": "Formål"})
    stored = Program.objects.get(pk=sjaelland_program.pk)
    assert (stored.region, stored.purpose) == ("sjaelland", "Formål")

    refused = post_step(client, url, {"basis-region": "hovedstaden"})
    assert "kan ikke vælges her" in refused.content.decode()
    assert Program.objects.get(pk=sjaelland_program.pk).region == "sjaelland"
    post_step(client, url, {"basis-region": "oestdanmark"})
    assert Program.objects.get(pk=sjaelland_program.pk).region == "oestdanmark"


def test_the_basis_step_suggests_the_bodies_of_the_region_on_the_start_date(
    client, planner, on_day
):
    on_day(DEC_2026)
    program = ProgramFactory(owner=planner, region="nordjylland", on=DEC_2026)
    client.force_login(planner)
    url = reverse("programs:step", args=[program.code, "grundlag"])
    page = client.get(url).content.decode()
    assert '<option value="Sundhedssamarbejdsudvalget i Region Nordjylland">' in page
    assert "Sundhedsråd Limfjorden" not in page

    Program.objects.filter(pk=program.pk).update(start_date=datetime.date(2027, 3, 1))
    content_changed(program.pk)  # written past the services, which renew kept pages
    page = client.get(url).content.decode()
    assert '<option value="Sundhedsråd Limfjorden">' in page
    assert "Sundhedssamarbejdsudvalget" not in page.split('id="approving-body-options"')[1]
    # Still free text: a body that is not in the list is kept as typed.
    post_step(client, url, {"basis-approving_body": "Sundhedsråd Limfjorden og Vendsyssel"})
    assert Program.objects.get(pk=program.pk).approving_body == (
        "Sundhedsråd Limfjorden og Vendsyssel"
    )


def test_an_imported_sjaelland_document_keeps_its_region_in_2027(
    sjaelland_program, planner, on_day
):
    from pathways.programs import exchange

    on_day(JAN_2027)
    raw = exchange.dumps(exchange.export_document(sjaelland_program))
    imported = exchange.import_document(user=planner, raw=raw, source="sjaelland.json")
    assert imported.region == "sjaelland"
