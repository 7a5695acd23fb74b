"""Rendering PDFs: in the task worker when one runs, else in the request; kept once rendered.

A draft's PDF is kept per program under its content key (pathways/pdf/draft_key.py), so an
unchanged draft is served from the database; a published version's PDF is stored on the
version itself (empty `pdf_sha256` while it is being rendered). With a worker running, a
download that finds no PDF queues one job per draft key or version (a second click finds the
same job) and the reader waits on a progress page; with none, or when the worker stops
beating, the request renders the PDF itself, so nobody waits for a worker that is not there.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import time
from dataclasses import dataclass

import pikepdf
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from pathways.background.workers import worker_alive
from pathways.pdf import render
from pathways.pdf.draft_key import Draft, document_for, draft_key
from pathways.pdf.models import DraftPdf, JobState, PdfJob
from pathways.programs.models import Program
from pathways.versions.models import ProgramVersion

logger = logging.getLogger(__name__)

GIVE_UP = datetime.timedelta(minutes=10)  # far beyond the longest rendering (about 20 s)


def page_count(pdf: bytes) -> int:
    try:
        with pikepdf.open(io.BytesIO(pdf)) as opened:
            return len(opened.pages)
    except pikepdf.PdfError:
        return 0


# --- rendering (in the worker or in the request) ----------------------------------------------


def render_draft_now(program: Program, draft: Draft | None = None) -> DraftPdf:
    """Render the draft as it stands (`draft`: its key and inputs, when the caller has just
    read them) and keep it (the program's only kept draft PDF)."""
    started = time.perf_counter()
    draft = draft or draft_key(program)
    pdf = render.html_to_pdf(render.document_html(document_for(draft)))
    kept, _ = DraftPdf.objects.update_or_create(
        program=program,
        defaults={
            "key": draft.key,
            "pdf": pdf,
            "pages": page_count(pdf),
            "seconds": time.perf_counter() - started,
            "rendered_at": timezone.now(),
        },
    )
    _done_with(PdfJob.objects.filter(program=program, version=None))
    return kept


def draft_pdf_now(program: Program) -> bytes:
    """The draft's PDF without waiting for a worker: the kept one if the draft is unchanged."""
    kept = DraftPdf.objects.only("pdf").filter(program=program, key=draft_key(program).key).first()
    return bytes(kept.pdf) if kept is not None else bytes(render_draft_now(program).pdf)


def render_version_now(version: ProgramVersion) -> bytes:
    """Render a published version's PDF from its stored document and store it, once: a
    version's PDF never changes after it is stored."""
    version = ProgramVersion.objects.select_related("program").get(pk=version.pk)
    if version.pdf_sha256:
        return bytes(version.pdf)
    pdf = render.html_to_pdf(render.version_pdf_html(version))
    ProgramVersion.objects.filter(pk=version.pk, pdf_sha256="").update(
        pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest()
    )
    _done_with(PdfJob.objects.filter(version=version))
    return pdf


def _done_with(jobs: QuerySet[PdfJob]) -> None:
    """A PDF rendered in a request (the worker seemed gone) or a newer draft's: the jobs still
    waiting for it are void, and their tasks, should a worker come back, find nothing to do.
    A running job is left to its worker, which removes it when done."""
    jobs.exclude(state=JobState.RUNNING).delete()


@task()
def render_pdf(job_id: int) -> None:
    """The worker's side of a job: render, store, and remove the job (the stored PDF is now
    the answer); a failure stays on the job for the reader to see."""
    job = PdfJob.objects.select_related("program", "version").filter(pk=job_id).first()
    if job is None:  # rendered meanwhile in a request (the worker seemed gone)
        return
    PdfJob.objects.filter(pk=job_id).update(state=JobState.RUNNING, started_at=timezone.now())
    try:
        if job.version is not None:
            render_version_now(job.version)
        else:
            render_draft_now(job.program)
    except Exception as error:
        logger.exception("Could not render the PDF of job %s", job.key)
        PdfJob.objects.filter(pk=job_id).update(
            state=JobState.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return
    PdfJob.objects.filter(pk=job_id).delete()


# --- what a download gets ---------------------------------------------------------------------


@dataclass
class Wait:
    """What a download of a PDF finds: the PDF, a job to wait for, or neither (then the
    request renders it: no worker is running)."""

    pdf: bytes | None = None
    job: PdfJob | None = None
    estimate: DraftPdf | None = None  # the program's last rendering: pages and seconds
    draft: Draft | None = None  # a draft's key and inputs, read once for both uses

    @property
    def failed(self) -> bool:
        return self.job is not None and self.job.state == JobState.FAILED

    @property
    def elapsed(self) -> int:
        return int((timezone.now() - self.job.created_at).total_seconds()) if self.job else 0


def _queue(program: Program, key: str, version: ProgramVersion | None, retry: bool) -> PdfJob:
    with transaction.atomic():
        if retry:
            PdfJob.objects.filter(key=key, state=JobState.FAILED).delete()
        # The unique key makes a second click (or a second server) find the first's job.
        job, created = PdfJob.objects.get_or_create(
            key=key, defaults={"program": program, "version": version}
        )
        if created:
            transaction.on_commit(lambda: render_pdf.enqueue(job.pk))
    return job


def _waiting_for(job: PdfJob, program: Program) -> Wait:
    # A job that has waited this long lost its worker even if another worker still beats
    # (killed mid-render, say): the request renders rather than wait on.
    if job.state != JobState.FAILED and timezone.now() - job.created_at > GIVE_UP:
        return Wait()
    return Wait(job=job, estimate=_last_rendering(program))


def _last_rendering(program: Program) -> DraftPdf | None:
    return DraftPdf.objects.only("pages", "seconds").filter(program=program).first()


def draft_wait(program: Program, *, retry: bool = False) -> Wait:
    draft = draft_key(program)
    kept = DraftPdf.objects.only("pdf").filter(program=program, key=draft.key).first()
    if kept is not None:
        return Wait(pdf=bytes(kept.pdf))
    if not worker_alive():
        return Wait(draft=draft)
    return _waiting_for(_queue(program, draft.key, None, retry), program)


def version_wait(version: ProgramVersion, *, retry: bool = False) -> Wait:
    """`version` with at least pdf and pdf_sha256 loaded."""
    if version.pdf_sha256:
        return Wait(pdf=bytes(version.pdf))
    if not worker_alive():
        return Wait()
    job = _queue(version.program, f"version:{version.pk}", version, retry)
    return _waiting_for(job, version.program)


def queue_version(version: ProgramVersion) -> None:
    """Publishing with a worker running: the version is stored now, its PDF rendered next."""
    _queue(version.program, f"version:{version.pk}", version, retry=False)
