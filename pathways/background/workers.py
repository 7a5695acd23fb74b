"""Is a task worker running? (heartbeats written by `manage.py run_worker`)."""

from __future__ import annotations

import datetime
import os
import socket

from django.conf import settings
from django.utils import timezone

from pathways.background.models import WorkerHeartbeat


def stale_after() -> datetime.timedelta:
    """A worker that has not beaten for this long counts as gone (three missed beats)."""
    return datetime.timedelta(seconds=3 * settings.WORKER_HEARTBEAT_SECONDS)


def worker_alive() -> bool:
    return WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - stale_after()).exists()


def beat(worker_id: str, started_at: datetime.datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def forget(worker_id: str) -> None:
    """A worker that stops cleanly says so at once instead of going stale."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
    # Rows of workers killed without that chance are cleared once they are long gone.
    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - 100 * stale_after()).delete()
