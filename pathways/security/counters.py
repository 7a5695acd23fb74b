"""Counters in Django's cache for rate limits (failed logins, readers' feedback).

A counter starts with its first event and lasts `window` seconds from then. Configure a
shared cache when running several processes so a limit holds across them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest | None) -> str:
    """The address a limit counts by. Behind a proxy, it must pass the client's on."""
    return (request.META.get("REMOTE_ADDR") if request else None) or "unknown"


def reached(limits: Iterable[tuple[str, int]]) -> bool:
    """Whether any (key, limit) counter has reached its limit."""
    return any(cache.get(key, 0) >= limit for key, limit in limits)


def count(keys: Iterable[str], window: int) -> None:
    """Count one event on each counter (within the window its first event started)."""
    for key in keys:
        cache.add(key, 0, window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
