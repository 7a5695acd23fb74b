"""Which cache the site shares between its processes, from CACHE_URL.

Unset: the database cache (a table in the site's own database), so every web process and
worker on every host sees the same counters without another service to run. A redis:// or
rediss:// URL: Redis, for a site under heavy load. Anything else stops start-up with a
clear message; a per-process cache would let each process keep its own login limit.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

DATABASE_CACHE_TABLE = "django_cache"


def caches_from_url(url: str) -> dict[str, dict]:
    if not url.strip():
        return {
            "default": {
                "BACKEND": "pathways.shared_cache.DatabaseCache",
                "LOCATION": DATABASE_CACHE_TABLE,
                # Django's default of 300 entries would let a burst of failed logins under
                # many names cull the counters that block them.
                "OPTIONS": {"MAX_ENTRIES": 20_000},
            }
        }
    parts = urlsplit(url.strip())
    if parts.scheme not in ("redis", "rediss"):
        # Only the scheme is shown: the URL may hold a password.
        raise ImproperlyConfigured(
            f"CACHE_URL must be a redis:// or rediss:// URL (or unset for the database "
            f"cache), not a {parts.scheme or 'schemeless'!r} URL."
        )
    if not parts.hostname:
        raise ImproperlyConfigured("CACHE_URL names no Redis host (redis://host:6379/0).")
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url.strip(),
        }
    }
