"""The task worker: whether the site sees one, mail through it, and /healthz."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pathways.background.models import WorkerHeartbeat
from pathways.background.workers import beat, worker_alive
from pathways.mail import send_after_commit

pytestmark = pytest.mark.django_db(transaction=True)


def a_worker_beat(seconds_ago: int = 0) -> None:
    beat("w1", timezone.now())
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - datetime.timedelta(seconds=seconds_ago))


def test_no_worker_until_one_beats_and_a_silent_one_counts_as_gone(settings):
    settings.WORKER_HEARTBEAT_SECONDS = 10
    assert not worker_alive()
    a_worker_beat(seconds_ago=5)
    assert worker_alive()
    a_worker_beat(seconds_ago=31)
    assert not worker_alive()


def send_test_mail() -> None:
    send_after_commit(
        "comment_added",
        {"program": None, "comment": None, "author": "x"},
        ["a@example.org", "b@example.org"],
    )


def test_without_a_worker_mail_goes_out_at_once(monkeypatch):
    monkeypatch.setattr("pathways.mail.render_to_string", lambda name, ctx: "Emne\n")
    send_test_mail()
    assert [m.to for m in mail.outbox] == [["a@example.org"], ["b@example.org"]]
    assert not DBTaskResult.objects.exists()


def test_with_a_worker_mail_is_queued_and_the_worker_delivers_it(monkeypatch):
    monkeypatch.setattr("pathways.mail.render_to_string", lambda name, ctx: "Emne\n")
    a_worker_beat()
    send_test_mail()
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1

    call_command("run_worker", "--batch", "--no-startup-delay", "--worker-id", "t1", verbosity=0)

    assert [m.to for m in mail.outbox] == [["a@example.org"], ["b@example.org"]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # A worker that stops says so: only the other worker's heartbeat is left.
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["w1"]


def test_healthz_reports_each_check(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["cache"] == "ok"
    assert response.json()["checks"]["worker"].startswith("no task worker")

    a_worker_beat()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "worker": "ok"},
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_says_which_check_failed(client, monkeypatch):
    a_worker_beat()

    def broken() -> str:
        raise ConnectionError("cache host down")

    monkeypatch.setattr("pathways.health._cache", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error: ConnectionError"
    assert response.json()["checks"]["database"] == "ok"


def test_healthz_is_cheap(client):
    a_worker_beat()
    with CaptureQueriesContext(connection) as queries:
        client.get("/healthz")
    # The database, the worker's heartbeat, and the database cache (settings.CACHES): its
    # set counts the rows (for culling), then reads and writes in one transaction (with
    # BEGIN and COMMIT), its get one more. A fixed number, whatever the tables hold.
    assert len(queries) <= 8
