"""Benchmark: PDF export of a fully answered program vs WeasyPrint alone on the same HTML.

    make bench            (or: .venv/bin/python -m bench.pdf_export [--runs N])

Builds the example program (every part relevant, all 57 attention points answered with a
paragraph) in a throwaway SQLite database, then reports, from one run:
  - export time (load from the database + build + templates + WeasyPrint), median of N;
  - WeasyPrint alone on the identical final HTML, median of N;
  - where the export's time goes (load, build, template, layout, PDF writing);
  - pages; and the time to serve a published version's stored PDF over HTTP.
Targets (issue 4): export ≤ 1.25 × WeasyPrint alone; stored PDF served ≤ 0.1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPORT_RATIO_TARGET = 1.25
SERVE_TARGET_S = 0.1


def setup_django(db_path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pathways.settings")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["DJANGO_DEBUG"] = "true"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def timed(fn, runs: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="pathways-bench-") as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        from django.core.management import call_command
        from django.test import Client
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration

        from pathways.pdf.document import build_document
        from pathways.pdf.fetcher import BASE_URL, StaticFilesOnlyFetcher
        from pathways.pdf.render import document_html, draft_document, draft_pdf, html_to_pdf
        from pathways.programs.data import load_program_data
        from pathways.programs.demo import load_demo_program
        from pathways.programs.models import AttentionPointAnswer, Program
        from pathways.versions.services import publish_version
        from tests.pdf.pdf_text import reader

        call_command("migrate", verbosity=0)
        call_command(
            "load_generic_model",
            str(ROOT / "fixtures/generic_model/sst-sjaeldne-1.0.yaml"),
            verbosity=0,
        )
        program, _ = load_demo_program(ROOT / "fixtures/demo/nordjylland-udviklingshaemning.yaml")
        answers = AttentionPointAnswer.objects.filter(program=program)
        lengths = [len(a.answer) for a in answers]
        print(
            f"Program: {answers.count()} attention points answered, answers "
            f"{min(lengths)}–{max(lengths)} characters (median {statistics.median(lengths):.0f})"
        )

        draft_pdf(Program.objects.get(pk=program.pk))  # warm caches (fonts, templates)

        export_s, pdf = timed(lambda: draft_pdf(Program.objects.get(pk=program.pk)), args.runs)
        html = document_html(draft_document(Program.objects.get(pk=program.pk)))
        alone_s, _ = timed(lambda: html_to_pdf(html), args.runs)
        pages = len(reader(pdf).pages)

        # Where the export's time goes (one run, same steps as draft_pdf).
        fresh = Program.objects.get(pk=program.pk)
        t0 = time.perf_counter()
        data = load_program_data(fresh)
        t1 = time.perf_counter()
        doc = build_document(data, version_label="Udkast", is_draft=True)
        t2 = time.perf_counter()
        final_html = document_html(doc)
        t3 = time.perf_counter()
        document = HTML(
            string=final_html, base_url=BASE_URL, url_fetcher=StaticFilesOnlyFetcher()
        ).render(font_config=FontConfiguration(), pdf_variant="pdf/ua-1")
        t4 = time.perf_counter()
        document.write_pdf(pdf_variant="pdf/ua-1")
        t5 = time.perf_counter()

        owner = program.created_by
        publish_version(program=program, user=owner, major=True, change_note="Benchmark")
        client = Client()
        client.force_login(owner)
        url = f"/programmer/{program.code}/versioner/1.0/pdf/"
        client.get(url)
        serve_s, response = timed(lambda: client.get(url), 20)
        assert response.status_code == 200

    ratio = export_s / alone_s
    print(f"Pages:                           {pages}")
    print(f"Export (median of {args.runs}):           {export_s:6.2f} s")
    print(f"WeasyPrint alone, same HTML:     {alone_s:6.2f} s")
    print(
        f"Export / WeasyPrint alone:       {ratio:6.2f}   (target ≤ {EXPORT_RATIO_TARGET})"
        f"  {'OK' if ratio <= EXPORT_RATIO_TARGET else 'MISSED'}"
    )
    print(f"Per page (export):               {1000 * export_s / pages:6.0f} ms")
    print(
        f"Serve stored version PDF:        {1000 * serve_s:6.1f} ms (target ≤ "
        f"{1000 * SERVE_TARGET_S:.0f} ms)  {'OK' if serve_s <= SERVE_TARGET_S else 'MISSED'}"
    )
    print("Where the export's time goes:")
    for label, seconds in (
        ("load program (queries)", t1 - t0),
        ("build document", t2 - t1),
        ("render templates", t3 - t2),
        ("WeasyPrint layout", t4 - t3),
        ("WeasyPrint PDF writing", t5 - t4),
    ):
        print(f"  {label:26} {seconds:6.3f} s  {100 * seconds / (t5 - t0):5.1f} %")
    return 0 if ratio <= EXPORT_RATIO_TARGET and serve_s <= SERVE_TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
