"""Downloaded files keep the program's own letters in their names (RFC 6266)."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.urls import reverse

from pathways.download_names import content_disposition, file_stem

pytestmark = pytest.mark.django_db


def names(header: str) -> tuple[str, str]:
    """(filename*, filename) as a browser reads them: the UTF-8 name first, else the ASCII."""
    params = dict(part.strip().split("=", 1) for part in header.split(";")[1:] if "=" in part)
    star = params.get("filename*", "")
    charset, _sep, quoted = star.partition("''")
    assert not star or charset == "UTF-8"
    return unquote(quoted, encoding="utf-8"), params["filename"].strip('"')


def test_the_demo_pdf_downloads_as_forloebsprogram(client, demo_program):
    client.force_login(demo_program.created_by)
    response = client.get(reverse("pdf:program", args=[demo_program.code]))
    utf8, ascii_name = names(response["Content-Disposition"])
    assert utf8.startswith("eksempel-forløbsprogram-for-børn-unge-og-voksne")
    assert "forløbsprogram" in utf8 and utf8.endswith("-udkast.pdf")
    # The fallback for old clients spells the letters out instead of dropping them.
    assert "forloebsprogram-for-boern" in ascii_name and ascii_name.isascii()


@pytest.mark.parametrize(
    "title, utf8, fallback",
    [
        ("Forløbsprogram for børn", "forløbsprogram-for-børn.pdf", "forloebsprogram-for-boern.pdf"),
        ("Ærø og Åbenrå", "ærø-og-åbenrå.pdf", "aeroe-og-aabenraa.pdf"),
        ('Titel med "citat"; og \\', "titel-med-citat-og.pdf", "titel-med-citat-og.pdf"),
    ],
)
def test_names_keep_danish_letters_with_an_ascii_fallback(title, utf8, fallback):
    header = content_disposition(file_stem(title, "X"), "pdf")
    assert header.startswith("attachment;")
    got_utf8, got_ascii = names(header)
    assert (got_utf8 or got_ascii, got_ascii) == (utf8, fallback)


def test_an_ascii_name_has_no_second_form():
    assert content_disposition("PMB7WS-1.0", "json") == 'attachment; filename="PMB7WS-1.0.json"'
    assert file_stem("!!!", "PMB7WS") == "PMB7WS"
