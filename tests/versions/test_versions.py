"""Published versions: strict version numbers in URLs, and only what was published is shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pathways.programs.models import Program, ProgramStatus
from pathways.versions.models import parse_number
from tests.factories import UserFactory, published_version, small_program

pytestmark = pytest.mark.django_db

# Other Unicode digits (which str.isdigit() accepts and int() may refuse), thousands of
# digits, numbers beyond the columns' range, and near misses of "1.0".
BAD_NUMBERS = [
    "².0",
    "1.²",
    "١.٠",  # Arabic-Indic
    "۱.۰",  # Extended Arabic-Indic
    "１.０",  # fullwidth
    "1" * 5000 + ".0",
    "1." + "0" * 3000,
    "99999.0",
    "1.32768",
    "01.0",
    "1.00",
    "1.0.0",
    "-1.0",
    "+1.0",
    " 1.0",
    "1.0 ",
    "1",
    ".",
    "1.",
    "1e3.0",
    "9.9",  # well formed, but no such version
    "0.0",
]


@pytest.fixture
def published(generic_model):
    owner = UserFactory()
    program = small_program(owner=owner)
    version = published_version(program, change_note="Første version")
    assert version.number == "1.0"
    return program


@pytest.fixture
def outsider_client(client):
    client.force_login(UserFactory())  # any signed-in user may read published versions
    return client


def test_the_published_version_opens(outsider_client, published):
    code = published.code
    assert outsider_client.get(reverse("versions:detail", args=[code, "1.0"])).status_code == 200
    assert outsider_client.get(reverse("pdf:version", args=[code, "1.0"])).status_code == 200
    diff = reverse("versions:diff", args=[code]) + "?fra=1.0&til=1.0"
    assert outsider_client.get(diff).status_code == 200


def test_a_bad_version_number_is_404_on_every_version_url(outsider_client, published):
    code = published.code
    outsider_client.raise_request_exception = False  # count a crash as a 500, not an error
    failures = []
    for number in BAD_NUMBERS:
        for url, query in (
            (f"/programmer/{code}/versioner/{number}/", None),
            (f"/programmer/{code}/versioner/{number}/pdf/", None),
            (reverse("versions:diff", args=[code]), {"fra": number, "til": "1.0"}),
            (reverse("versions:diff", args=[code]), {"fra": "1.0", "til": number}),
        ):
            status = outsider_client.get(url, query).status_code
            if status != 404:
                failures.append((number[:20], url[-30:], query and list(query), status))
    assert failures == []


def test_parse_number_accepts_only_plain_ascii_numbers():
    assert parse_number("1.0") == (1, 0)
    assert parse_number("32767.12") == (32767, 12)
    assert all(parse_number(bad) is None for bad in BAD_NUMBERS if bad not in ("9.9", "0.0"))
    assert parse_number(None) is None


def test_a_version_shows_its_published_title_and_region_not_the_renamed_draft(
    outsider_client, published
):
    code = published.code
    published_title = Program.objects.get(pk=published.pk).title
    # After 1.0 the editors rename the draft and move it; outsiders must not see that.
    Program.objects.filter(pk=published.pk).update(
        title="Hemmeligt nyt arbejdsnavn", region="hovedstaden", status=ProgramStatus.DRAFT
    )

    html = outsider_client.get(reverse("versions:detail", args=[code, "1.0"])).content.decode()
    assert published_title in html
    assert "Region Nordjylland" in html
    assert "Hemmeligt" not in html and "Region Hovedstaden" not in html

    pdf = outsider_client.get(reverse("pdf:version", args=[code, "1.0"]))
    assert "hemmeligt" not in pdf["Content-Disposition"].lower()
    assert "version-1.0.pdf" in pdf["Content-Disposition"]

    diff = reverse("versions:diff", args=[code]) + "?fra=1.0&til=1.0"
    html = outsider_client.get(diff).content.decode()
    assert published_title in html and "Hemmeligt" not in html


def test_the_diff_between_versions_names_the_newer_published_title(outsider_client, published):
    code = published.code
    Program.objects.filter(pk=published.pk).update(title="Nyt navn i 1.1")
    published_version(published, major=False, change_note="Nyt navn")
    Program.objects.filter(pk=published.pk).update(
        title="Hemmeligt arbejdsnavn", status=ProgramStatus.DRAFT
    )
    html = outsider_client.get(
        reverse("versions:diff", args=[code]) + "?fra=1.0&til=1.1"
    ).content.decode()
    assert "Nyt navn i 1.1" in html  # the heading, and the title field's change
    assert "Hemmeligt" not in html
    # The draft itself stays members-only.
    draft = reverse("versions:diff", args=[code]) + "?fra=1.1&til=udkast"
    assert outsider_client.get(draft).status_code == 404
