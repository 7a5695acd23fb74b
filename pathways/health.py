"""GET /healthz for load balancers and monitoring: the database, the cache and the task
worker, each "ok" or what is wrong; 200 when all are fine, 503 otherwise."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from pathways.background.workers import stale_after, worker_alive

logger = logging.getLogger(__name__)


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _cache() -> str:
    cache.set("healthz", "ok", 10)
    return "ok" if cache.get("healthz") == "ok" else "does not keep values"


def _worker() -> str:
    if worker_alive():
        return "ok"
    return f"no task worker has reported in the last {stale_after().seconds} s"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {}
    for name, check in (("database", _database), ("cache", _cache), ("worker", _worker)):
        try:
            checks[name] = check()
        except Exception as error:  # a health check reports, it does not fail
            logger.warning("Health check %s failed: %s", name, error)
            checks[name] = f"error: {type(error).__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
