"""`make serve`'s stack: gunicorn and the task worker under pathways/serve.py, DEBUG off."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest

from pathways import serve
from tests.production.processes import free_address, get, start, stop, wait_until_healthy

pytestmark = pytest.mark.processes

HASHED_BOOTSTRAP = re.compile(r"/static/vendor/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css")


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_serve_runs_server_and_worker_with_static_files_and_stops_both(site):
    address = free_address()
    log = site.folder / "serve.log"
    supervisor = start(site, [sys.executable, "-m", "pathways.serve"], address, log)
    try:
        checks = wait_until_healthy(address, supervisor)
        assert checks == {"database": "ok", "cache": "ok", "worker": "ok"}

        home = get(f"http://{address}/")
        assert home.status == 200
        stylesheet = HASHED_BOOTSTRAP.search(home.read().decode())
        assert stylesheet, "the page links the collected, hashed Bootstrap"

        for encoding in ("gzip", "br"):
            css = get(f"http://{address}{stylesheet.group()}", **{"Accept-Encoding": encoding})
            assert css.status == 200
            assert css.headers["Content-Encoding"] == encoding
            assert "immutable" in css.headers["Cache-Control"]
            assert "max-age=315360000" in css.headers["Cache-Control"]  # ten years
        # A name without the hash may change: cached briefly only.
        plain = get(f"http://{address}/static/vendor/bootstrap/css/bootstrap.min.css")
        assert plain.status == 200
        assert "immutable" not in plain.headers["Cache-Control"]
    finally:
        supervisor.send_signal(signal.SIGINT)  # what Ctrl+C sends
        code = stop(supervisor)
    output = log.read_text()
    pids = [int(pid) for pid in re.findall(r"pid (\d+)", output.split("\n", 1)[0])]
    assert len(pids) == 2, output
    assert code == 0, output
    assert all(gone(pid) for pid in pids), output


def test_when_one_process_stops_the_supervisor_stops_the_other(monkeypatch):
    started: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def popen(command, **kwargs):
        started.append(real_popen(command, **kwargs))
        return started[-1]

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    monkeypatch.setattr(serve.signal, "signal", lambda *args: None)  # pytest keeps its own
    monkeypatch.setattr(
        serve,
        "commands",
        lambda: {
            "web server": [sys.executable, "-c", "import time; time.sleep(60)"],
            "task worker": [sys.executable, "-c", "raise SystemExit(3)"],
        },
    )
    assert serve.main() == 1
    assert [process.returncode for process in started] == [-signal.SIGTERM, 3]


@pytest.mark.parametrize("gunicorn_bind,host,expected", [
    ("", "", ["127.0.0.1:8000"]),
    ("", "0.0.0.0:9000", ["0.0.0.0:9000"]),
    ("unix:/run/f.sock,127.0.0.1:81", "0.0.0.0:9000", ["unix:/run/f.sock", "127.0.0.1:81"]),
])  # fmt: skip
def test_gunicorn_listens_where_the_environment_says(gunicorn_bind, host, expected):
    probe = "from pathways import gunicorn_conf as c; print(c.bind, c.workers, c.timeout)"
    env = {k: v for k, v in os.environ.items() if k not in ("GUNICORN_BIND", "HOST")}
    env |= {"GUNICORN_BIND": gunicorn_bind, "HOST": host, "WEB_CONCURRENCY": "3"}
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split(" 3 ")[0] == str(expected)
    assert int(result.stdout.split()[-1]) >= 60  # a draft PDF rendered in the request
