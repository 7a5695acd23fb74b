"""The task worker: django-tasks' database worker plus a heartbeat, so the site (and
/healthz) knows a worker is running. Use it instead of `db_worker`."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from pathways.background.workers import beat, forget

logger = logging.getLogger(__name__)


class Command(db_worker.Command):
    help = "Run the background task worker (PDF rendering, e-mail) with a heartbeat."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # The reloader forks a child that runs the tasks while the parent would go on beating.
        parser.set_defaults(reload=False)

    def handle(self, *args, **options) -> None:
        worker_id = options["worker_id"]
        started = timezone.now()
        stop = threading.Event()
        beat(worker_id, started)

        def keep_beating() -> None:
            try:
                while not stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
                    try:
                        beat(worker_id, started)
                    except Exception as error:  # a locked or restarting database
                        logger.warning("Heartbeat not written (next try soon): %s", error)
            finally:
                connection.close()  # this thread's own connection

        threading.Thread(target=keep_beating, name="heartbeat", daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            forget(worker_id)
