"""Run the whole test suite on SQLite, then on a PostgreSQL server started for the run.

Usage: python -m tests.run_all [extra pytest args]
Prints one combined closing line, e.g. "total: 120 passed, 0 failed".

Each pass runs on every core (pytest-xdist, one test database per worker) unless the
extra arguments choose otherwise (`-n 1`, `-p no:xdist`); PYTEST_WORKERS sets the count.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.support.postgres import PostgresUnavailable, running_postgres

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "var" / "test-results"


def parallel(extra: list[str]) -> list[str]:
    chosen = any(
        arg in ("-n", "no:xdist") or arg.startswith(("--numprocesses", "-n")) for arg in extra
    )
    return [] if chosen else ["-n", os.environ.get("PYTEST_WORKERS", "auto")]


def run_pytest(label: str, env: dict[str, str], extra: list[str]) -> tuple[int, dict[str, int]]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = RESULTS / f"{label}.xml"
    report.unlink(missing_ok=True)
    print(f"\n=== Test suite on {label} ===", flush=True)
    code = subprocess.call(
        [sys.executable, "-m", "pytest", f"--junitxml={report}", *parallel(extra), *extra],
        cwd=ROOT,
        env=env,
    )
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if report.exists():
        suite = ET.parse(report).getroot()  # noqa: S314 - our own pytest report
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        for key in counts:
            counts[key] = int(suite.get(key, 0))
    return code, counts


def main(extra: list[str]) -> int:
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    results = [("sqlite", *run_pytest("sqlite", base_env, extra))]
    try:
        with running_postgres() as url:
            results.append(
                ("postgresql", *run_pytest("postgresql", {**base_env, "DATABASE_URL": url}, extra))
            )
    except PostgresUnavailable as error:
        print(f"\nERROR: {error}", file=sys.stderr)
        results.append(("postgresql", 1, {"tests": 0, "failures": 0, "errors": 1, "skipped": 0}))

    passed = failed = skipped = 0
    print()
    for label, code, c in results:
        bad = c["failures"] + c["errors"]
        ok = c["tests"] - bad - c["skipped"]
        print(f"{label}: {ok} passed, {bad} failed, {c['skipped']} skipped (exit {code})")
        passed, failed, skipped = passed + ok, failed + bad, skipped + c["skipped"]
    exit_code = 0 if all(code == 0 for _, code, _ in results) else 1
    if exit_code and not failed:
        failed = 1  # a run that crashed before reporting still counts as a failure
    print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
    return exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
