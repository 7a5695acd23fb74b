"""What a draft PDF shows, as one key: a changed draft gets a new key, an unchanged one the same.

The key is a SHA-256 of exactly the draft PDF's inputs (pathways/pdf/render.py
`draft_document`): the canonical program document, the version history, the completeness
figures, the label and date the draft prints, the address it names, and the code and
templates that lay it out. It is built from JSON, never Python's hash(), so every process
(web server, task worker) computes the same key for the same draft.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from pathways.pdf.document import Document
from pathways.pdf.render import draft_document, draft_inputs
from pathways.programs.models import Program

ROOT = Path(__file__).resolve().parent.parent.parent
# The PDF's layout: a deploy that changes any of these must not serve a stale cached PDF.
LAYOUT_FILES = ("pathways/pdf/*.py", "templates/pdf/*.html", "static/pdf/*")


@functools.cache
def layout_fingerprint() -> str:
    digest = hashlib.sha256()
    for pattern in LAYOUT_FILES:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Draft:
    key: str
    inputs: dict  # what draft_document builds the PDF's view from


def draft_key(program: Program) -> Draft:
    """The key of the program's draft PDF as it would be rendered now."""
    inputs = draft_inputs(program)
    content = {
        "document": inputs["document"],
        "history": [[row.number, row.date.isoformat(), row.note] for row in inputs["history"]],
        "completeness": list(inputs["completeness"]),
        "label": inputs["version_label"],
        "date": inputs["date"].isoformat(),
        "title": program.title,
        "region": program.region,
        "site": settings.SITE_URL,
        "layout": layout_fingerprint(),
    }
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return Draft(hashlib.sha256(text.encode("utf-8")).hexdigest(), inputs)


def document_for(draft: Draft) -> Document:
    """The PDF's view of the draft the key was computed from (no second read)."""
    return draft_document(draft.inputs)
