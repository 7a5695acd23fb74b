"""How often a reader may send feedback: per address, and per program for everyone together.

Counters live in Django's cache, as the login limit's do (pathways/security/login.py):
configure a shared cache when running several processes so the limit holds across them.
Addresses are only ever kept hashed.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from pathways.programs.models import Program

MAX_PER_ADDRESS = 5
MAX_PER_PROGRAM = 50
WINDOW_SECONDS = 60 * 60


def client_address(request: HttpRequest) -> str:
    # The address the login limit reads too; behind a proxy, both need it to pass it on.
    return request.META.get("REMOTE_ADDR") or "unknown"


def address_hash(request: HttpRequest) -> str:
    """A keyed hash of the client's address: the same address gives the same hash on this
    site, and the address cannot be read back from it."""
    return salted_hmac("pathways.public.feedback", client_address(request)).hexdigest()


def _keys(program: Program, hashed_address: str) -> tuple[tuple[str, int], ...]:
    return (
        (f"feedback:address:{hashed_address}", MAX_PER_ADDRESS),
        (f"feedback:program:{program.pk}", MAX_PER_PROGRAM),
    )


def is_limited(program: Program, hashed_address: str) -> bool:
    return any(cache.get(key, 0) >= limit for key, limit in _keys(program, hashed_address))


def count(program: Program, hashed_address: str) -> None:
    """Count one message sent (within the window that the first one started)."""
    for key, _limit in _keys(program, hashed_address):
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)
