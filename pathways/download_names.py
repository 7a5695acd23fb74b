"""File names of downloads (PDF, JSON): readable, with æ, ø and å kept.

A Content-Disposition header carries the name twice (RFC 6266): `filename*` in UTF-8 for
browsers, which all read it, and a transliterated ASCII `filename` for the rest; slugify
alone would drop the letters ("forløbsprogram" became "forlbsprogram").
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from django.utils.text import slugify

# Danish letters as Danes spell them without them; slugify's ASCII folding drops them.
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
MAX_STEM = 80


def file_stem(title: str, fallback: str) -> str:
    """A title as a file name stem in its own letters ("forløbsprogram-for-børn")."""
    return slugify(title, allow_unicode=True)[:MAX_STEM].strip("-") or fallback


def _ascii(stem: str) -> str:
    """The stem in ASCII: Danish letters spelled out, other accents dropped (é → e), and
    nothing that could end the quoted header value."""
    folded = unicodedata.normalize("NFKD", stem.translate(_DANISH))
    kept = folded.encode("ascii", "ignore").decode()
    return "".join(c for c in kept if c.isalnum() or c in "-_.")


def content_disposition(stem: str, extension: str, *, inline: bool = False) -> str:
    name = f"{stem}.{extension}"
    ascii_name = f"{_ascii(stem) or 'download'}.{extension}"
    kind = "inline" if inline else "attachment"
    if name == ascii_name:
        return f'{kind}; filename="{ascii_name}"'
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
