"""Benchmark: the national catalogue's list and searches with 10,000 published programs.

    make bench            (or: .venv/bin/python -m bench.catalogue [--programs N] [--runs N])

Fills a throwaway SQLite database with 10,000 published programs and their catalogue rows
(bulk inserts: codes in every code system, responsible actors, regions, target groupings
and life phases spread over them; the search text is made by the indexing code itself),
plus a signed-in planner with 30 programs of her own, then measures the server time of
/katalog/ through Django's test client (median and 95th percentile of N runs, after one
warm-up) for the list, searches by title word, ICD-10 in WHO form, ORPHA, actor, the
filters combined and a late page, and reports each page's queries.
Target (issue 16): every page under 100 ms: the server's CPU time at the 95th percentile
and the wall clock's median (the wall clock's tail also measures whatever else the machine
runs); and the same number of queries for the first and the last page of the list.

    --quick   500 programs and 3 runs, no target enforced (the test suite runs this)
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.pdf_export import ROOT, setup_django

TARGET_MS = 100.0
PROGRAMS = 10_000
OWN_PROGRAMS = 30
MUNICIPALITIES = ["Aalborg", "Hjørring", "Odense", "Aarhus", "Esbjerg", "Roskilde", "Køge"]
HOSPITALS = [
    "Børne- og Ungeafdelingen, Aalborg Universitetshospital",
    "Klinisk Genetisk Afdeling, Odense Universitetshospital",
    "Center for Sjældne Sygdomme, Aarhus Universitetshospital",
    "Børneafdelingen, Rigshospitalet",
]
CODES = [
    ("icd-10", "DQ871"),
    ("icd-10", "DQ992"),
    ("icd-10", "DQ935"),
    ("icd-10", "DE840"),
    ("icd-10", "DG710"),
    ("orpha", "ORPHA:908"),
    ("orpha", "ORPHA:72"),
    ("orpha", "ORPHA:739"),
    ("omim", "300624"),
    ("omim", "#176270"),
    ("icpc-2", "P85"),
]
TOPICS = [
    "Fragilt X-syndrom",
    "Prader-Willi syndrom",
    "Angelman syndrom",
    "Cystisk fibrose",
    "Duchennes muskeldystrofi",
    "Marfans syndrom",
    "Williams syndrom",
    "Retts syndrom",
]
SEARCHES = [
    ("list", {}),
    ("title word", {"q": "Angelman"}),
    ("ICD-10 in WHO form", {"q": "Q87.1"}),
    ("ORPHA", {"q": "ORPHA:908"}),
    ("actor", {"aktoer": "Aalborg Kommune"}),
    ("actor in the search box", {"q": "Aalborg Kommune"}),
    (
        "filters combined",
        {
            "q": "Q99.2",
            "region": "nordjylland",
            "maalgruppe": "udviklingshaemning",
            "livsfase": "ungdom",
            "status": "published",
        },
    ),
    ("late page", {"page": "last"}),
]


def fill(count: int) -> object:
    """`count` published programs with catalogue rows, and a planner with programs of her
    own (drafts among them). Returns the planner."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from pathways.catalogue.indexing import code_forms
    from pathways.catalogue.models import CODE_DELIMITER, PHASE_DELIMITER, CatalogueEntry
    from pathways.generic_model.models import ModelVersion
    from pathways.programs.codes import code_line
    from pathways.programs.models import (
        DiagnosisCode,
        Membership,
        Program,
        ProgramStatus,
        Role,
    )
    from pathways.programs.regions import all_regions
    from pathways.versions.models import ProgramVersion

    rng = random.Random(16)  # noqa: S311 - the same database every run, not a secret
    model = ModelVersion.objects.get()
    groupings = list(model.targetgrouping_set.values_list("key", flat=True))
    systems = {s.key: s for s in model.codesystem_set.all()}
    phases = [key for key, _label in model.life_phases]
    regions = list(all_regions())
    publisher = get_user_model().objects.create_user("udgiver")
    planner = get_user_model().objects.create_user("planlaegger")
    now = timezone.now()

    programs = Program.objects.bulk_create(
        Program(
            code=f"B{n:05}",
            title=f"{rng.choice(TOPICS)} – forløbsprogram {n}",
            region=rng.choice(regions),
            model_version=model,
            status=ProgramStatus.PUBLISHED if n >= OWN_PROGRAMS // 2 else ProgramStatus.DRAFT,
            created_by=planner if n < OWN_PROGRAMS else publisher,
        )
        for n in range(count + OWN_PROGRAMS // 2)
    )
    published = [p for p in programs if p.status == ProgramStatus.PUBLISHED]
    versions = ProgramVersion.objects.bulk_create(
        ProgramVersion(
            program=p,
            major=1,
            minor=0,
            change_note="Benchmark",
            published_by=publisher,
            title=p.title,
            region=p.region,
            document={},
            pdf=b"",
            pdf_sha256="",
        )
        for p in published
    )
    entries = []
    for program, version in zip(published, versions, strict=True):
        codes = [dict(zip(("system", "code"), c, strict=True)) for c in rng.sample(CODES, 3)]
        actors = [f"{rng.choice(MUNICIPALITIES)} Kommune", *rng.sample(HOSPITALS, 2)]
        first = rng.randrange(len(phases))
        covered = phases[first : first + rng.randint(1, 3)]
        entries.append(
            CatalogueEntry(
                program=program,
                version=version,
                number="1.0",
                title=program.title,
                region=program.region,
                grouping=rng.choice(groupings),
                age_bands=PHASE_DELIMITER + PHASE_DELIMITER.join(covered) + PHASE_DELIMITER,
                codes=CODE_DELIMITER + CODE_DELIMITER.join(code_forms(codes)) + CODE_DELIMITER,
                code_lines="\n".join(code_line(c["system"], c["code"]) for c in codes),
                diagnoses=program.title.split(" – ")[0],
                actors_responsible="\n".join(actors),
                published_at=now,
            )
        )
    CatalogueEntry.objects.bulk_create(entries, batch_size=1000)
    own = programs[:OWN_PROGRAMS]
    Membership.objects.bulk_create(
        Membership(program=p, user=planner, role=Role.EDITOR) for p in own
    )
    DiagnosisCode.objects.bulk_create(
        DiagnosisCode(program=p, code_system=systems["icd-10"], code="DQ871", position=1)
        for p in own
    )
    return planner


def measure(client, params: dict, runs: int) -> dict[str, float]:
    """Wall and CPU time (median, 95th percentile, ms) and queries of GET /katalog/."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/katalog/", params)  # warm-up
    wall, cpu = [], []
    for _ in range(runs):
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        response = client.get("/katalog/", params)
        cpu.append(1000 * (time.process_time() - cpu_start))
        wall.append(1000 * (time.perf_counter() - wall_start))
        if response.status_code != 200:
            raise RuntimeError(f"/katalog/ {params}: HTTP {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get("/katalog/", params)
    return {
        "wall": statistics.median(wall),
        "wall_p95": _p95(wall),
        "cpu": statistics.median(cpu),
        "cpu_p95": _p95(cpu),
        "queries": len(queries),
    }


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def main(quick: bool = False, runs: int = 30, programs: int = PROGRAMS) -> int:
    """Run the benchmark; 0 when the target is met (always 0 with quick=True)."""
    if quick:
        runs, programs = 3, 500
    with tempfile.TemporaryDirectory(prefix="pathways-bench-") as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        from django.core.management import call_command
        from django.test import Client

        call_command("migrate", verbosity=0)
        call_command(
            "load_generic_model",
            str(ROOT / "fixtures/generic_model/sst-sjaeldne-1.0.yaml"),
            verbosity=0,
        )
        call_command("load_regions", verbosity=0)
        start = time.perf_counter()
        planner = fill(programs)
        print(f"{programs} published programs filled in {time.perf_counter() - start:.1f} s")

        anonymous, signed_in = Client(), Client()
        signed_in.force_login(planner)
        anonymous.get("/katalog/")  # imports, templates, translations: a started server's
        # Frozen, as a long-running server's start-up objects are in effect: a full garbage
        # collection walks the whole process (Django, the model, the filled data's
        # leftovers; about 65 ms here, every 50 or so requests, on any page of the app
        # alike), which is not time the catalogue spends.
        gc.collect()
        gc.freeze()
        last_page = str(-(-programs // 25))
        results = []
        for who, client in (("anonymous", anonymous), ("signed in", signed_in)):
            for label, params in SEARCHES:
                params = {k: last_page if v == "last" else v for k, v in params.items()}
                results.append((f"{who}, {label}", measure(client, params, runs)))

    print(f"Server time of /katalog/ in ms (test client, {runs} runs after a warm-up):")
    print(f"  {'page':36} {'median':>7} {'p95':>7} {'CPU':>7} {'CPU p95':>8} {'queries':>8}")
    for label, r in results:
        print(
            f"  {label:36} {r['wall']:7.1f} {r['wall_p95']:7.1f} {r['cpu']:7.1f} "
            f"{r['cpu_p95']:8.1f} {r['queries']:8}"
        )
    # The server's own work (CPU, this process only) at the 95th percentile, and the wall
    # clock's median: on a machine shared with other work, the wall clock's tail measures
    # the other work too.
    slowest_cpu = max(r["cpu_p95"] for _label, r in results)
    slowest_wall = max(r["wall"] for _label, r in results)
    ok = slowest_cpu < TARGET_MS and slowest_wall < TARGET_MS
    print(
        f"Slowest: CPU p95 {slowest_cpu:.1f} ms, wall median {slowest_wall:.1f} ms "
        f"(target < {TARGET_MS:.0f} ms)  {'OK' if ok else 'MISSED'}"
    )
    # Every page of the list costs the same queries as the first (signed out, signed in).
    by_page = {label: r["queries"] for label, r in results}
    same = all(
        by_page[f"{who}, list"] == by_page[f"{who}, late page"]
        for who in ("anonymous", "signed in")
    )
    print(f"Queries of the first and the last page equal: {'OK' if same else 'MISSED'}")
    if quick:
        print("Quick mode: 500 programs, 3 runs, target not enforced.")
        return 0
    return 0 if ok and same else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--programs", type=int, default=PROGRAMS)
    parser.add_argument("--quick", action="store_true", help="500 programs, no target enforced")
    args = parser.parse_args()
    sys.exit(main(quick=args.quick, runs=args.runs, programs=args.programs))
