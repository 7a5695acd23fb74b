"""The only way the PDF renderer may load anything: the app's static files and data: URLs.

User text is escaped before it reaches WeasyPrint, but defence in depth: every other URL
(http, https, file, ftp, or a static path that does not exist) is refused and recorded.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

# A base URL no network can resolve; relative URLs in our templates resolve under it.
BASE_URL = "https://pdf.invalid/"


class StaticFilesOnlyFetcher(URLFetcher):
    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=1)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            self.served.append(url[:40])
            return super().fetch(url, headers)
        path = self._static_file(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"Refused to fetch {url!r}: only the app's static files load.")
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    @staticmethod
    def _static_file(url: str) -> Path | None:
        prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
        if not url.startswith(prefix):
            return None
        relative = url[len(prefix) :].split("?", 1)[0].split("#", 1)[0]
        if not relative or ".." in relative.split("/"):
            return None
        found = finders.find(relative)
        return Path(found) if isinstance(found, str) else _collected(relative)


def _collected(relative: str) -> Path | None:
    """With DEBUG off, {% static %} names the collected copy with a hash in its name
    (pdf/program.3f2a….css), which only STATIC_ROOT holds."""
    if not settings.STATIC_ROOT:
        return None
    root = Path(settings.STATIC_ROOT).resolve()
    path = (root / relative).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None
