"""A prepared production set-up in a temporary folder, and servers started on it.

The processes run on an SQLite file even when the suite runs on PostgreSQL: they test how
the pieces are wired (gunicorn, the worker, static files, one cache for all processes),
and creating a PostgreSQL database per run needs rights a test server may not give. The
counter's locking on PostgreSQL is tested in-process (test_shared_cache.py), on both.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

PASSWORD = "rigtig-adgangskode-42"
# Only what the pages need: compressing the rest of Bootstrap, the admin's files and the
# PDF's fonts takes longer than all the tests here.
SKIPPED_STATIC = [
    "admin", "pdf", "source-sans", "*rtl*", "bootstrap-grid*", "bootstrap-reboot*",
    "bootstrap-utilities*", "bootstrap.css*", "bootstrap*.js*",
]  # fmt: skip


@dataclass(frozen=True)
class Site:
    folder: Path
    env: dict[str, str]

    def run(self, *args: str) -> None:
        self.output(*args)

    def output(self, *args: str) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
            capture_output=True, timeout=120, text=True,
        ).stdout  # fmt: skip


def prepare_site(folder: Path) -> Site:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env = clean | {
        "DJANGO_SETTINGS_MODULE": "pathways.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "WORKER_HEARTBEAT_SECONDS": "2",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
    }
    site = Site(folder, env)
    site.run("migrate", "--no-input")  # makes the cache table too
    site.run("collectstatic", "--no-input", *(f"--ignore={p}" for p in SKIPPED_STATIC))
    site.run(
        "shell", "-c",
        "from django.contrib.auth.models import User\n"
        f"for name in ('karin', 'jens'): User.objects.create_user(name, password={PASSWORD!r})",
    )  # fmt: skip
    return site


def free_address() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


def start(site: Site, command: list[str], address: str, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=site.env | {"GUNICORN_BIND": address}, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip


def gunicorn(site: Site, address: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "-c", "python:pathways.gunicorn_conf"]
    return start(site, [*command, "pathways.wsgi"], address, site.folder / f"{address}.log")


def get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own server
    try:
        return urllib.request.urlopen(request, timeout=10)  # noqa: S310
    except urllib.error.HTTPError as error:
        return error


def wait_until_healthy(address: str, process: subprocess.Popen, *, worker: bool = True) -> dict:
    """/healthz's checks once all are "ok" (but the worker's, when `worker` is false)."""
    deadline = time.monotonic() + 40
    checks = None
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server stopped (exit {process.returncode})"
        try:
            checks = json.loads(get(f"http://{address}/healthz").read())["checks"]
            if all(value == "ok" for key, value in checks.items() if worker or key != "worker"):
                return checks
        except (OSError, ValueError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"not healthy in 40 s: {checks}")


def stop(process: subprocess.Popen) -> int:
    if process.poll() is None:
        process.terminate()
    try:
        return process.wait(timeout=45)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        raise
