"""Reading exported PDFs back the way a reader (or a screen reader) would get the text."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def reader(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def flat(text: str) -> str:
    """Text without line breaks, hyphens or spaces, so wrapped words compare equal."""
    return re.sub(r"[\s\u00ad\u2010\u2011-]+", "", text).lower()


def page_texts(content: bytes) -> list[str]:
    return [page.extract_text() or "" for page in reader(content).pages]
