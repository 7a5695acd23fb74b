"""User text reaches the PDF as text: no markup, no fetched URLs, no local files."""

from __future__ import annotations

import pytest

from pathways.pdf import fetcher as fetcher_module
from pathways.pdf.fetcher import BASE_URL, StaticFilesOnlyFetcher
from pathways.pdf.render import draft_pdf
from pathways.programs.models import Program
from tests.factories import ProgramFactory, UserFactory
from tests.pdf.pdf_text import flat, page_texts

pytestmark = pytest.mark.django_db

HOSTILE = {
    "purpose": '<img src="http://attacker.invalid/track.png"> <b>fed</b>',
    "inclusion": "url(file:///etc/passwd) <link rel=stylesheet href=http://x.invalid/a.css>",
    "exclusion": '<style>@import "https://x.invalid/b.css";</style>file:///etc/hostname',
    "outside_target_group": "<svg><image href='http://x.invalid/c.svg'/></svg>",
}


def test_markup_and_urls_in_user_text_are_printed_and_never_fetched(generic_model, monkeypatch):
    program = ProgramFactory(owner=UserFactory())
    Program.objects.filter(pk=program.pk).update(**HOSTILE)
    requested: list[str] = []
    original = StaticFilesOnlyFetcher.fetch

    def spy(self, url, headers=None):
        requested.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(fetcher_module.StaticFilesOnlyFetcher, "fetch", spy)
    text = flat(" ".join(page_texts(draft_pdf(Program.objects.get(pk=program.pk)))))
    for value in HOSTILE.values():
        assert flat(value) in text  # shown literally, tags and all
    static_prefix = BASE_URL + "static/"
    assert requested, "the stylesheet and fonts are loaded through the fetcher"
    assert all(url.startswith(static_prefix) for url in requested), requested


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/x.png",
        "https://example.org/x.css",
        "file:///etc/passwd",
        "ftp://example.org/x",
        BASE_URL + "static/../../../etc/passwd",
        BASE_URL + "static/nope/does-not-exist.css",
        BASE_URL + "media/upload.png",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    fetcher = StaticFilesOnlyFetcher()
    with pytest.raises(ValueError, match="Refused"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_static_files_and_data_urls():
    fetcher = StaticFilesOnlyFetcher()
    css = fetcher.fetch(BASE_URL + "static/pdf/program.css")
    assert b"@font-face" in css.read()
    font = fetcher.fetch(BASE_URL + "static/vendor/source-sans/SourceSans3-Regular.ttf")
    assert font.read(4) in (b"\x00\x01\x00\x00", b"OTTO", b"true")
    assert fetcher.fetch("data:text/plain,hej").read() == b"hej"
