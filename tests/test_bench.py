"""Every benchmark runs in its quick mode, so a benchmark that no longer fits the code
fails the suite instead of rotting until someone runs `make bench`.

A benchmark is any bench/*.py with a `main(quick=...)`; each runs in its own process, as
`make bench` runs it (it sets up Django with its own throwaway database).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
# Benchmarks that start a PostgreSQL server of their own (tests/support/postgres.py): run in
# the PostgreSQL pass only, where the server binaries are known to be there, so once a run.
NEEDS_POSTGRESQL = {"serving"}


def main_parameters(path: Path) -> list[str] | None:
    """The parameter names of the module's top-level main(), or None if it has none."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "main":
            args = node.args
            return [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    return None


def benchmark_modules() -> list[str]:
    return sorted(
        path.stem
        for path in BENCH.glob("*.py")
        if not path.stem.startswith("_") and main_parameters(path) is not None
    )


def test_every_benchmark_has_a_quick_mode():
    modules = benchmark_modules()
    assert "pdf_export" in modules
    for name in modules:
        assert "quick" in main_parameters(BENCH / f"{name}.py"), f"bench/{name}.py: main(quick=)"


def test_the_serving_benchmark_is_found():
    assert "serving" in benchmark_modules()


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=[pytest.mark.postgres_only] if name in NEEDS_POSTGRESQL else [])
        for name in benchmark_modules()
    ],
)
def test_benchmark_runs_in_quick_mode(name):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_DEBUG")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys; from bench.{name} import main; sys.exit(main(quick=True))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (
        f"bench/{name}.py --quick failed:\n{result.stdout}\n{result.stderr}"
    )
