"""PDFs without waiting in the request: the draft kept by its content key, rendering in the
task worker (with a progress page at the download address), and in the request when no
worker runs or the worker vanished."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pathways.background.models import WorkerHeartbeat
from pathways.background.workers import beat
from pathways.pdf import render
from pathways.pdf.draft_key import draft_key
from pathways.pdf.models import DraftPdf, PdfJob
from pathways.programs.models import CriterionAssessment, Membership, Program, Role
from pathways.versions.models import ProgramVersion
from tests.factories import UserFactory, published_version, small_program
from tests.programs.helpers import post_step

ROOT = Path(__file__).resolve().parent.parent.parent
TINY: list[bytes] = []


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Every call of html_to_pdf, answered with a tiny real PDF (WeasyPrint takes seconds)."""
    if not TINY:
        TINY.append(render.html_to_pdf("<html lang='da'><p>PDF</p></html>"))
    calls: list[str] = []

    def counted(html: str) -> bytes:
        calls.append(html)
        return TINY[0]

    monkeypatch.setattr(render, "html_to_pdf", counted)
    return calls


def a_worker_beats(seconds_ago: int = 0) -> None:
    beat("w1", timezone.now())
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - datetime.timedelta(seconds=seconds_ago))


def run_worker() -> None:
    call_command("run_worker", "--batch", "--no-startup-delay", "--worker-id", "t1", verbosity=0)


def draft_url(program: Program) -> str:
    return reverse("pdf:program", args=[program.code])


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def program(generic_model, owner):
    return small_program(owner=owner)


@pytest.fixture
def member(client, owner):
    client.force_login(owner)
    return client


# --- the draft cache --------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unchanged_draft_is_rendered_once_and_then_served_from_storage(program, member, renders):
    first = member.get(draft_url(program))
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert len(renders) == 1

    second = member.get(draft_url(program))
    assert second.status_code == 200
    assert second.content == first.content
    assert len(renders) == 1  # served from storage
    assert "-udkast.pdf" in second["Content-Disposition"]


@pytest.mark.django_db
def test_a_saved_step_makes_the_next_download_render_again(demo_program, client, renders):
    # The demo with one criterion met, so the criteria step asks for a reason (a real save).
    CriterionAssessment.objects.filter(program=demo_program).update(applies=False)
    CriterionAssessment.objects.filter(
        pk=CriterionAssessment.objects.filter(program=demo_program).first().pk
    ).update(applies=True)
    editor = Membership.objects.filter(program=demo_program, role=Role.EDITOR).first().user
    client.force_login(editor)
    client.get(draft_url(demo_program))
    client.get(draft_url(demo_program))
    assert len(renders) == 1

    step = reverse("programs:step", args=[demo_program.code, "kriterier"])
    saved = post_step(client, step, {"departure-two-or-more-criteria": "Ét kriterium bærer det."})
    assert saved.status_code == 302

    client.get(draft_url(demo_program))
    assert len(renders) == 2
    assert "Ét kriterium bærer det." in renders[-1]
    # Only the newest rendering is kept.
    assert DraftPdf.objects.filter(program=demo_program).count() == 1


@pytest.mark.django_db
def test_the_key_follows_what_the_draft_prints(program, owner):
    before = draft_key(program).key
    assert draft_key(Program.objects.get(pk=program.pk)).key == before
    Program.objects.filter(pk=program.pk).update(title="Et nyt navn")
    renamed = draft_key(Program.objects.get(pk=program.pk)).key
    assert renamed != before
    published_version(Program.objects.get(pk=program.pk))  # the history and label change
    assert draft_key(Program.objects.get(pk=program.pk)).key != renamed


@pytest.mark.django_db
def test_a_cached_download_of_the_demo_reads_the_draft_once(
    demo_program, client, renders, django_assert_max_num_queries
):
    """What a cached download costs is the key: one read of the draft (its time on the demo is
    in bench/pdf_export.py; a timing assertion here would fail on a busy machine)."""
    editor = Membership.objects.filter(program=demo_program, role=Role.EDITOR).first().user
    client.force_login(editor)
    client.get(draft_url(demo_program))
    with django_assert_max_num_queries(33):
        response = client.get(draft_url(demo_program))
    assert response.status_code == 200 and len(renders) == 1


KEY_SCRIPT = """
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "pathways.settings"
sys.path.insert(0, os.getcwd())
django.setup()
from django.core.management import call_command
from pathways.programs.models import Program
if sys.argv[1] == "build":
    call_command("migrate", verbosity=0)
    call_command("load_generic_model", "fixtures/generic_model/sst-sjaeldne-1.0.yaml", verbosity=0)
    call_command("load_regions", verbosity=0)
    from tests.factories import UserFactory, small_program
    small_program(owner=UserFactory())
from pathways.pdf.draft_key import draft_key
print(draft_key(Program.objects.get()).key)
"""


def test_the_key_is_the_same_in_every_process(tmp_path):
    """Web server and worker must agree: nothing in the key depends on Python's hash()."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'key.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": "localhost",
    }

    def key(step: str, seed: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", KEY_SCRIPT, step],
            env={**env, "PYTHONHASHSEED": seed},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().splitlines()[-1]

    assert key("build", "1") == key("read", "2")


# --- the task worker --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_the_download_waits_for_it_and_then_serves_the_pdf(program, member, renders):
    a_worker_beats()
    waiting = member.get(draft_url(program))
    assert waiting.status_code == 202
    page = waiting.content.decode()
    assert "PDF'en dannes …" in page
    assert 'aria-live="polite"' in page and "js/pdf_wait.js" in page
    assert renders == []
    member.get(draft_url(program))  # clicked twice: still one job
    assert PdfJob.objects.count() == 1 and DBTaskResult.objects.count() == 1
    status = member.get(draft_url(program) + "?tilstand=1")
    assert status.json()["state"] == "waiting"
    assert status["Cache-Control"] == "no-store"

    run_worker()

    assert len(renders) == 1
    assert not PdfJob.objects.exists()
    assert member.get(draft_url(program) + "?tilstand=1").json()["state"] == "ready"
    served = member.get(draft_url(program))
    assert served.status_code == 200 and served.content == TINY[0]
    assert len(renders) == 1


@pytest.mark.django_db(transaction=True)
def test_the_waiting_page_estimates_from_the_last_rendering(program, member, renders):
    member.get(draft_url(program))  # rendered in the request: no worker yet
    DraftPdf.objects.update(pages=38, seconds=14.2)
    Program.objects.filter(pk=program.pk).update(title="Ændret")
    a_worker_beats()
    page = member.get(draft_url(program)).content.decode()
    assert "Sidste PDF af dette program havde 38 sider og tog 14 sekunder." in page


@pytest.mark.django_db(transaction=True)
def test_the_waiting_page_in_english(program, member, renders):
    a_worker_beats()
    member.cookies.load({"django_language": "en"})
    page = member.get(draft_url(program), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The PDF is being made" in page
    assert "Try again" in page


@pytest.mark.django_db(transaction=True)
def test_a_vanished_worker_does_not_leave_the_reader_waiting(program, member, renders):
    a_worker_beats()
    assert member.get(draft_url(program)).status_code == 202
    a_worker_beats(seconds_ago=3600)  # stopped beating: gone
    assert member.get(draft_url(program) + "?tilstand=1").json()["state"] == "ready"
    served = member.get(draft_url(program))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert len(renders) == 1
    # The worker, if it comes back, finds its job void and renders nothing more.
    assert not PdfJob.objects.exists() and DBTaskResult.objects.count() == 1
    run_worker()
    assert len(renders) == 1


@pytest.mark.django_db(transaction=True)
def test_a_job_stuck_with_a_lost_worker_is_not_waited_on_for_ever(program, member, renders):
    a_worker_beats()
    assert member.get(draft_url(program)).status_code == 202
    # Its worker was killed mid-render while another one goes on beating.
    PdfJob.objects.update(state="running", created_at=timezone.now() - datetime.timedelta(hours=1))
    served = member.get(draft_url(program))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert len(renders) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_rendering_says_so_and_can_be_tried_again(program, member, monkeypatch):
    def broken(html: str) -> bytes:
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(render, "html_to_pdf", broken)
    failed = member.get(draft_url(program))  # no worker: in the request
    assert failed.status_code == 200
    assert "PDF'en kunne ikke dannes" in failed.content.decode()

    a_worker_beats()
    member.get(draft_url(program))
    run_worker()
    assert member.get(draft_url(program) + "?tilstand=1").json()["state"] == "failed"
    page = member.get(draft_url(program))
    assert page.status_code == 200 and "PDF'en kunne ikke dannes" in page.content.decode()
    assert "?igen=1" in page.content.decode()
    retried = member.get(draft_url(program) + "?igen=1")
    assert retried.status_code == 202  # queued again


# --- publishing -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_without_a_worker_publishing_stores_the_pdf_at_once(program, renders):
    version = published_version(program)
    stored = ProgramVersion.objects.get(pk=version.pk)
    assert bytes(stored.pdf) == TINY[0] and stored.pdf_sha256
    assert bytes(version.pdf) == TINY[0]
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_publishing_queues_the_pdf_and_the_pages_say_so(
    program, member, client, renders
):
    a_worker_beats()
    version = published_version(program)
    assert renders == [] and ProgramVersion.objects.get(pk=version.pk).pdf_sha256 == ""
    detail = member.get(reverse("programs:detail", args=[program.code])).content.decode()
    assert "PDF dannes …" in detail
    url = reverse("pdf:version", args=[program.code, "1.0"])
    assert member.get(url).status_code == 202
    public = reverse("public:pdf", args=[program.code, "1.0"])
    client.logout()
    assert client.get(public).status_code == 202
    assert client.get(public + "?tilstand=1").json()["state"] == "waiting"

    run_worker()

    stored = ProgramVersion.objects.get(pk=version.pk)
    assert len(renders) == 1 and bytes(stored.pdf) == TINY[0] and stored.pdf_sha256
    assert client.get(public + "?tilstand=1").json()["state"] == "ready"
    assert client.get(public).content == TINY[0]
    # What the worker rendered is the version's own document, as publishing always did.
    assert renders[0] == render.version_pdf_html(stored)
    client.force_login(program.memberships.first().user)
    assert (
        "PDF dannes …"
        not in client.get(reverse("versions:detail", args=[program.code, "1.0"])).content.decode()
    )
