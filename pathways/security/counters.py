"""Counters in Django's cache for rate limits (failed logins, readers' feedback).

A counter starts with its first event and lasts `window` seconds from then. Configure a
shared cache when running several processes so a limit holds across them.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest | None) -> str:
    """The address a limit counts by: the connection's, or, when that is a proxy named in
    settings.TRUSTED_PROXIES, the last address in X-Forwarded-For that is not one of them
    (the ones before it are whatever the client chose to send)."""
    if request is None:
        return "unknown"
    address = request.META.get("REMOTE_ADDR") or "unknown"
    if not _trusted(address):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if not _trusted(hop):
            return hop if _is_address(hop) else address
    return address


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _trusted_networks(tuple(settings.TRUSTED_PROXIES)))


@functools.cache
def _trusted_networks(
    proxies: tuple[str, ...],
) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(proxy, strict=False) for proxy in proxies]


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
