"""The draft PDF rendered by a real task worker: the download address shows "PDF'en dannes …"
and then, by its own script (under the site's CSP), turns into the PDF.

The worker is `manage.py run_worker` in a subprocess against the live server's test database
(the SQLite file, see tests/conftest.py, or the PostgreSQL test database): it beats, picks
the job up and renders with WeasyPrint, as `make serve` would."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from pathways.background.models import WorkerHeartbeat
from pathways.background.workers import beat
from pathways.pdf.models import DraftPdf
from tests.e2e.browsing import log_in
from tests.e2e.test_accessibility_e2e import Audit, open_as
from tests.factories import UserFactory, small_program

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def worker_database_url() -> str:
    """The test database (not the configured one) as DATABASE_URL, for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(live_server):
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "WORKER_HEARTBEAT_SECONDS": "2",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-startup-delay", "--interval", "0.3"]
        + ["--worker-id", "e2e"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not WorkerHeartbeat.objects.filter(worker_id="e2e").exists():
            assert process.poll() is None, process.stderr.read()
            assert time.monotonic() < deadline, "the worker never beat"
            time.sleep(0.2)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def is_pdf(response) -> bool:
    return response.headers.get("content-type") == "application/pdf"


def test_the_waiting_page_turns_into_the_pdf(page: Page, loaded_model, worker):
    owner = UserFactory()
    program = small_program(owner=owner)
    log_in(page, owner.username)
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    url = f"/programmer/{program.code}/pdf/"
    with page.expect_response(is_pdf, timeout=120_000) as delivered:
        first = page.goto(url)
        assert first is not None and first.status == 202
        expect(page.get_by_role("heading", level=1)).to_have_text("PDF'en dannes …")
        expect(page.locator("#pdf-wait-status")).to_have_attribute("aria-live", "polite")
    pdf = delivered.value
    assert pdf.url.endswith(url) and pdf.status == 200
    expect(page).to_have_url(pdf.url)  # the page became the PDF (Chromium's viewer)
    # Kept: the same address now answers with the PDF at once.
    again = page.request.get(url)
    assert again.headers["content-type"] == "application/pdf" and again.body().startswith(b"%PDF")
    assert DraftPdf.objects.filter(program=program).exists()
    assert not [e for e in errors if "Content Security Policy" in e], errors


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_waiting_page_is_accessible(browser: Browser, live_server, loaded_model, language):
    owner = UserFactory()
    program = small_program(owner=owner)
    # A worker that beats but never takes the job: the page stays as it is.
    beat("quiet", timezone.now())
    WorkerHeartbeat.objects.update(seen_at=timezone.now() + datetime.timedelta(minutes=5))
    page = open_as(browser, live_server, owner.username, language)
    response = page.goto(f"/programmer/{program.code}/pdf/")
    assert response is not None and response.status == 202
    heading = "PDF'en dannes …" if language == "da" else "The PDF is being made …"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    # The seconds count up while it waits (the script runs).
    expect(page.locator("#pdf-wait-elapsed")).to_contain_text("2")
    audit = Audit()
    audit.check(page, f"PDF'en dannes ({language})")
    audit.assert_clean()
