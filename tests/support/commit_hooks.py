"""On-commit callbacks a test counts: the page cache's token renewals left out (every write
queues one; programs/page_cache.py)."""

from __future__ import annotations

from pathways.programs.page_cache import is_renewal


def mail_callbacks(callbacks: list) -> list:
    return [c for c in callbacks if not is_renewal(c)]
