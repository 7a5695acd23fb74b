"""Benchmark: the app served as in production, under 20 concurrent clients (issue 17).

    make bench            (or: .venv/bin/python -m bench.serving [--duration S] [--programs N])

Starts a throwaway PostgreSQL server (tests/support/postgres.py, as the test suite does),
loads what `make start` loads (the model and its companion references, the regions, the demo
program published as 1.0, the consultation parties), reopens the demo for a revision so its
steps are forms to edit, and adds 10,000 programs for one user and 10 for another (bulk
inserts). Then it runs gunicorn with two workers and production settings (DEBUG off) on
127.0.0.1 and lets 20 clients send requests back to back, one scenario after another, each
for a bounded time after a warm-up:

- the minimal page: /healthz if the app has it, else the login page (the cheapest real page);
- the step page: the demo's step pages in turn, as its editor;
- a step save: each client edits a text of its own step and saves it (a changed save carrying
  the revision it was loaded from; the client counts its own saves, so no re-GET);
- the review screen (gennemgang) of the demo;
- "Mine programmer" with 10,000 programs (first and last page) and with 10.

It prints requests, requests per second, the median and 95th percentile latency per scenario,
and each scenario's rate as a ratio to the minimal page's. Targets: step page >= 0.25x the
minimal page; no page of the list slower with 10,000 programs than with 10 (its rate within
NOISE of the 10-program list's). It exits non-zero when a response is not the expected one,
or (without --quick) when a target is missed.

    --quick   a smoke run: 1,000 programs, 4 clients, a second per scenario, the demo left
              unpublished (no PDF to render: the same 21 steps, a third of the set-up), no
              target enforced (the test suite runs this, in its PostgreSQL pass only)
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from bench.load import BadResponse, Connection, Result, fetch, run

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "fixtures/generic_model/sst-sjaeldne-1.0.yaml"
REFERENCES = sorted((ROOT / "fixtures/references").glob("*.yaml"))
REGIONS = ROOT / "fixtures/regions/danmark.yaml"
PARTY_CONTACTS = ROOT / "fixtures/demo/hoeringsparter.yaml"
DEMO_FILE = ROOT / "fixtures/demo/nordjylland-udviklingshaemning.yaml"
GUNICORN = ROOT / ".venv/bin/gunicorn"
# The production configuration (`make serve` and the README use it); -w 2 set here.
GUNICORN_CONFIG = "python:pathways.gunicorn_conf"
SECRET_KEY = "bench-serving-" + "x" * 40  # noqa: S105 - a throwaway database's key

PROGRAMS = 10_000
FEW_PROGRAMS = 10
CLIENTS = 20
WORKERS = 2
DURATION = 10.0  # seconds per scenario
WARMUP = 2.0
PAGE_SIZE = 25  # pathways/pagination.py
STEP_TARGET = 0.25  # the step page's rate / the minimal page's
NOISE = 0.15  # a rate this much below the 10-program list's still counts as "not slower"


# --- The database --------------------------------------------------------------------------


def setup_django(database_url: str, site_url: str) -> None:
    """Django in this process, on the benchmark's database, with the server's secret key (the
    sessions made here must be valid there). DEBUG stays on here: the demo loader refuses
    to create its accounts with DEBUG off."""
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="pathways.settings",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_DEBUG="1",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SITE_URL=site_url,
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def create_database(database_url: str) -> None:
    """running_postgres() yields a URL naming a database it does not create."""
    import psycopg

    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    server = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')


def load_as_make_start(demo_file: Path) -> None:
    """What `make start` loads (Makefile), in-process; the loaders' reports are not printed."""
    from django.core.management import call_command

    def command(*args: str) -> None:
        call_command(*args, verbosity=0, stdout=io.StringIO())

    command("migrate")
    # A shared cache in the database, if the settings use one (harmless otherwise).
    command("createcachetable")
    command("load_generic_model", str(MODEL), *map(str, REFERENCES))
    command("load_regions", str(REGIONS))
    command("load_demo_data", str(demo_file))
    command("load_party_contacts", str(PARTY_CONTACTS))


def unpublished_demo_file(directory: Path) -> Path:
    """The demo without its publication block (for --quick): the same program and steps,
    without rendering the 1.0 PDF (two thirds of the set-up's time)."""
    import yaml

    content = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    content.pop("publication", None)
    path = directory / "demo-unpublished.yaml"
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def reopen_demo():
    """The published demo as a draft again ("Start ny revision"), so its steps are the
    editor's forms, as while writing a program. Returns (program, its editor)."""
    from pathways.programs.models import Program, ProgramStatus
    from pathways.review.services import start_revision

    program = Program.objects.get(is_example=True)
    editor = program.created_by
    if program.status == ProgramStatus.PUBLISHED:
        start_revision(program=program, user=editor)
    return program, editor


def user_with_programs(username: str, count: int, prefix: str):
    """A user who edits `count` programs, made by bulk inserts."""
    from django.contrib.auth import get_user_model

    from pathways.generic_model.models import ModelVersion
    from pathways.programs.models import Membership, Program, Role
    from pathways.programs.regions import all_regions

    user = get_user_model().objects.create_user(username)
    model = ModelVersion.objects.get()
    regions = list(all_regions())
    programs = Program.objects.bulk_create(
        (
            Program(
                code=f"{prefix}{n:05}",
                title=f"Forløbsprogram {n} for sjældne sygdomme",
                region=regions[n % len(regions)],
                model_version=model,
                created_by=user,
                coverage_percent=n % 101,
                gap_count=n % 40,
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        (Membership(program=p, user=user, role=Role.EDITOR) for p in programs), batch_size=2000
    )
    return user


def session_for(user) -> str:
    """A signed-in session, made as django.contrib.auth.login makes one (the session cookie
    is Secure with DEBUG off, so a client over http sends it itself)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


# --- The server ----------------------------------------------------------------------------


def production_env(database_url: str, site_url: str, static_root: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SITE_URL=site_url,
        DJANGO_STATIC_ROOT=str(static_root),
    )
    return env


def collect_static(env: dict[str, str]) -> None:
    """WhiteNoise serves hashed, compressed files when DEBUG is off, as in production."""
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    """The task worker, so the stack is the one `make serve` runs and /healthz answers 200."""
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/python"), "manage.py", "run_worker", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def start_gunicorn(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [
        str(GUNICORN),
        "pathways.wsgi:application",
        "-c",
        GUNICORN_CONFIG,
        "-w",
        str(WORKERS),
        "-b",
        f"127.0.0.1:{port}",
    ]
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{_tail(log)}")
        try:
            if fetch(port, {}, "/konto/login/").status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop(server)
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{_tail(log)}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else ""


# --- The scenarios -------------------------------------------------------------------------


@dataclass
class Scenario:
    label: str
    cookies: dict[str, str]
    step: object  # bench.load.Step


def expect(response, status: int, what: str) -> None:
    if response.status != status:
        raise BadResponse(f"{what}: HTTP {response.status}, expected {status}")


def gets(paths: list[str], status: int = 200):
    """Each client walks `paths` from its own starting point."""

    async def step(connection: Connection, client: int, n: int) -> None:
        path = paths[(client + n) % len(paths)]
        expect(await connection.request("GET", path), status, f"GET {path}")

    return step


def step_forms(port: int, cookies: dict[str, str], paths: list[str], wanted: int) -> list[dict]:
    """Per step page, up to `wanted` of them: the fields its form posts, and one text already
    filled in to edit (steps without one are left out)."""
    from bs4 import BeautifulSoup

    from tests.programs.helpers import form_fields

    forms = []
    for path in paths:
        response = fetch(port, cookies, path)
        expect(response, 200, f"GET {path}")
        html = response.body.decode()
        fields = form_fields(html)
        form = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "revision"})
        texts = [
            t["name"]
            for t in form.find_parent("form").find_all("textarea")
            if t.get("name") and fields.get(t["name"], "").strip()
        ]
        if texts:
            forms.append({"path": path, "fields": fields, "text": texts[0]})
        if len(forms) == wanted:
            break
    return forms


def saves(forms: list[dict], clients: int):
    """Client i edits a text of step i (fewer clients if fewer steps have one: two writers
    of one field would make conflicting saves), so a save merges with no conflict. It
    carries the revision its client last saved (the loaded form's, then one more per save),
    as a browser does after each save's redirect. Returns (the request, the clients)."""
    if not forms:
        raise BadResponse("No step of the demo has a text to edit.")
    clients = min(clients, len(forms))
    revisions = [int(form["fields"]["revision"]) for form in forms]

    async def step(connection: Connection, client: int, n: int) -> None:
        form = forms[client]
        fields = {**form["fields"], "save": "1", "revision": str(revisions[client])}
        fields[form["text"]] = f"{form['fields'][form['text']]} (gemt {n})"
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        response = await connection.request("POST", form["path"], body)
        expect(response, 302, f"POST {form['path']}")
        revisions[client] += 1

    return step, clients


def measure(port: int, scenario: Scenario, clients: int, warmup: float, duration: float):
    connections = [Connection(port, scenario.cookies) for _ in range(clients)]
    return run(scenario.label, connections, scenario.step, warmup, duration)


# --- The run -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    clients: int = CLIENTS
    duration: float = DURATION
    warmup: float = WARMUP
    programs: int = PROGRAMS
    quick: bool = False


# A smoke run: a benchmark that no longer fits the code fails; it measures nothing. Four
# clients and no warm-up, because a slow page's first round of 20 alone outlasts a second.
QUICK = Settings(clients=4, duration=1.0, warmup=0.0, programs=1_000, quick=True)


def main(quick: bool = False, duration: float = DURATION, programs: int = PROGRAMS) -> int:
    """Run the benchmark; 0 when every response was the expected one and the targets are
    met (targets not enforced with quick=True)."""
    from tests.support.postgres import free_port, running_postgres

    run_settings = QUICK if quick else Settings(duration=duration, programs=programs)
    port = free_port()
    site_url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    with running_postgres() as database_url, tempfile.TemporaryDirectory() as tmp:
        create_database(database_url)
        setup_django(database_url, site_url)
        load_as_make_start(unpublished_demo_file(Path(tmp)) if quick else DEMO_FILE)
        demo, editor = reopen_demo()
        many = user_with_programs("bench-mange", run_settings.programs, "M")
        few = user_with_programs("bench-faa", FEW_PROGRAMS, "F")
        sessions = {
            who: session_for(u) for who, u in (("editor", editor), ("many", many), ("few", few))
        }
        step_paths = demo_step_paths(demo)
        from django.db import connections

        connections.close_all()  # the server's queries only, from here on
        print(
            f"Set up in {time.perf_counter() - started:.0f} s: {run_settings.programs} "
            f"programs, the demo's {len(step_paths)} steps"
        )

        log = Path(tmp) / "gunicorn.log"
        env = production_env(database_url, site_url, Path(tmp) / "static")
        collect_static(env)
        worker = start_worker(env, Path(tmp) / "worker.log")
        server = start_gunicorn(port, env, log)
        try:
            results = run_scenarios(port, sessions, demo.code, step_paths, run_settings)
        except BadResponse as error:
            print(f"ERROR: {error}\n{_tail(log)}")
            return 1
        finally:
            stop(server)
            stop(worker)
    return report(results, run_settings)


def demo_step_paths(demo) -> list[str]:
    from pathways.programs.data import load_program_data
    from pathways.programs.steps import StepKind

    return [
        f"/programmer/{demo.code}/trin/{s.key}/"
        for s in load_program_data(demo).steps
        if s.kind != StepKind.REVIEW
    ]


def minimal_page(port: int) -> tuple[str, int]:
    """/healthz: the database, the cache and the worker's heartbeat, no template. It answers
    200 once the worker has reported (it beats as it starts)."""
    deadline = time.monotonic() + 30
    while fetch(port, {}, "/healthz").status != 200:
        if time.monotonic() > deadline:
            raise BadResponse("/healthz did not answer 200 within 30 s (is the worker up?)")
        time.sleep(0.2)
    return "/healthz", 200


def run_scenarios(port, sessions, code, step_paths, run_settings: Settings) -> list[Result]:
    # CSRF: a secret of our own in the cookie; the form's token is made from it.
    editor = {"sessionid": sessions["editor"], "csrftoken": secrets.token_hex(16)}
    many = {"sessionid": sessions["many"]}
    few = {"sessionid": sessions["few"]}
    minimal, minimal_status = minimal_page(port)
    programs, clients = run_settings.programs, run_settings.clients
    last_page = -(-programs // PAGE_SIZE)
    save_step, save_clients = saves(step_forms(port, editor, step_paths, clients), clients)
    plan = [
        (
            Scenario(
                f"minimal page ({minimal}" + (", 503)" if minimal_status == 503 else ")"),
                {},
                gets([minimal], minimal_status),
            ),
            clients,
        ),
        (Scenario(f"step page ({len(step_paths)} steps)", editor, gets(step_paths)), clients),
        (Scenario(f"step save ({save_clients} steps)", editor, save_step), save_clients),
        (Scenario("review screen", editor, gets([f"/programmer/{code}/gennemgang/"])), clients),
        (Scenario(f"list, {programs} programs, page 1", many, gets(["/programmer/"])), clients),
        (
            Scenario(
                f"list, {programs} programs, page {last_page}",
                many,
                gets([f"/programmer/?page={last_page}"]),
            ),
            clients,
        ),
        (Scenario(f"list, {FEW_PROGRAMS} programs", few, gets(["/programmer/"])), clients),
    ]
    return [
        measure(port, scenario, n, run_settings.warmup, run_settings.duration)
        for scenario, n in plan
    ]


def report(results: list[Result], run_settings: Settings) -> int:
    base = results[0].rate
    print(
        f"\n{run_settings.clients} clients, gunicorn -w {WORKERS}, PostgreSQL, "
        f"{run_settings.duration:g} s per scenario after {run_settings.warmup:g} s of warm-up"
    )
    print(
        f"  {'scenario':36} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'ratio':>6} {'client CPU':>10}"
    )
    for result in results:
        print(
            f"  {result.label:36} {result.requests:8} {result.rate:7.1f} "
            f"{result.percentile(50):7.1f} {result.percentile(95):7.1f} "
            f"{result.rate / base:6.2f} {result.client_load:10.0%}"
        )
    print("  (ratio: req/s / the minimal page's; client CPU: the load generator's share of a core)")
    step_ratio = results[1].rate / base
    many, few = results[4:6], results[6]
    step_ok = step_ratio >= STEP_TARGET
    list_ok = all(r.rate >= (1 - NOISE) * few.rate for r in many)
    print(
        f"{'PASS' if step_ok else 'FAIL'}: step page {step_ratio:.2f}x the minimal page "
        f"(target >= {STEP_TARGET}x)"
    )
    print(
        f"{'PASS' if list_ok else 'FAIL'}: list with {run_settings.programs} programs "
        + ", ".join(f"{r.rate / few.rate:.2f}x" for r in many)
        + f" the rate with {FEW_PROGRAMS} (target: not slower, within {NOISE:.0%})"
    )
    if run_settings.quick:
        print("Quick mode: a smoke run, targets not enforced.")
        return 0
    return 0 if step_ok and list_ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=DURATION, help="seconds per scenario")
    parser.add_argument("--programs", type=int, default=PROGRAMS)
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 1,000 programs, 4 clients, 1 s each"
    )
    args = parser.parse_args()
    sys.exit(main(quick=args.quick, duration=args.duration, programs=args.programs))
