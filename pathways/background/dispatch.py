"""Run work in the task worker when one is running, else here and now.

A newcomer's `make start` has no worker; the PDF they ask for and the mail a review sends
must still happen. With a worker (`make serve`, production) the request does not wait.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from pathways.background.workers import worker_alive


def run_soon(task: Any, *args: Any, inline: Callable[..., Any] | None = None) -> None:
    """Once the current transaction commits: enqueue `task` for the worker, or, with no worker
    running, call it in this process (`inline`, default the task's own function)."""

    def start() -> None:
        if worker_alive():
            task.enqueue(*args)
        else:
            (inline or task.call)(*args)

    transaction.on_commit(start)
