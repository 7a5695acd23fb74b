"""How often a reader may send feedback: per address, and per program for everyone together.

Counters live in Django's cache (pathways/security/counters.py), as the login limit's do:
configure a shared cache when running several processes so the limit holds across them.
Addresses are only ever kept hashed.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from pathways.programs.models import Program
from pathways.security import counters

MAX_PER_ADDRESS = 5
MAX_PER_PROGRAM = 50
WINDOW_SECONDS = 60 * 60


def address_hash(request: HttpRequest) -> str:
    """A keyed hash of the client's address: the same address gives the same hash on this
    site, and the address cannot be read back from it."""
    return salted_hmac("pathways.public.feedback", counters.client_address(request)).hexdigest()


def _keys(program: Program, hashed_address: str) -> tuple[tuple[str, int], ...]:
    return (
        (f"feedback:address:{hashed_address}", MAX_PER_ADDRESS),
        (f"feedback:program:{program.pk}", MAX_PER_PROGRAM),
    )


def is_limited(program: Program, hashed_address: str) -> bool:
    return counters.reached(_keys(program, hashed_address))


def count(program: Program, hashed_address: str) -> None:
    """Count one message sent (within the window that the first one started)."""
    counters.count((key for key, _limit in _keys(program, hashed_address)), WINDOW_SECONDS)
