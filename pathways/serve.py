"""`make serve`: the web server (gunicorn) and the task worker together, as production runs
them, in one command: `python -m pathways.serve` (settings from the environment).

Ctrl+C or SIGTERM stops both; when either stops by itself, the other is stopped too and the
exit status is 1. Each runs in its own session, so Ctrl+C reaches them once, from here (the
worker takes a second signal as "abandon the running task").
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from pathways import gunicorn_conf

ROOT = Path(__file__).resolve().parent.parent
GRACE_SECONDS = gunicorn_conf.graceful_timeout + 5


def commands(python: str = sys.executable) -> dict[str, list[str]]:
    return {
        "web server": [python, "-m", "gunicorn", "-c", "python:pathways.gunicorn_conf"]
        + ["pathways.wsgi"],
        "task worker": [python, "manage.py", "run_worker", "--no-startup-delay"],
    }


def stop_all(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.terminate()  # both finish what they are doing first
    deadline = time.monotonic() + GRACE_SECONDS
    for process in processes.values():
        try:
            process.wait(max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> int:
    asked_to_stop = False

    def ask_to_stop(signum: int, frame: object) -> None:
        nonlocal asked_to_stop
        asked_to_stop = True

    signal.signal(signal.SIGINT, ask_to_stop)
    signal.signal(signal.SIGTERM, ask_to_stop)
    processes = {
        name: subprocess.Popen(command, cwd=ROOT, start_new_session=True)  # noqa: S603
        for name, command in commands().items()
    }
    address = gunicorn_conf.bind[0]
    print(
        f"Serving on http://{address}/ (health: http://{address}/healthz); "
        + ", ".join(f"{name} pid {p.pid}" for name, p in processes.items())
        + ". Stop with Ctrl+C.",
        flush=True,
    )
    try:
        while not asked_to_stop and all(p.poll() is None for p in processes.values()):
            time.sleep(0.2)
    finally:
        ended = [name for name, p in processes.items() if p.poll() is not None]
        stop_all(processes)
    if asked_to_stop:
        return 0
    print(f"The {' and the '.join(ended)} stopped; stopped the rest too.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
