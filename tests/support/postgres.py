"""A throwaway PostgreSQL server for the test run: temp dir, free port, stopped afterwards.

PostgreSQL refuses to run as root, and CI runs as root, so the server then runs as the
unprivileged user `nobody` (override with PG_TEST_USER).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or in "
    "/usr/lib/postgresql/*/bin. Install them, e.g. `apt-get install postgresql` on Debian."
)


class PostgresUnavailable(RuntimeError):
    pass


def find_binary(name: str, search_path: str | None = None) -> Path:
    """Locate a PostgreSQL server binary, or explain which package provides it."""
    found = shutil.which(name, path=search_path)
    if found:
        return Path(found)
    if search_path is None:
        candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
        if candidates:
            return candidates[0]
    raise PostgresUnavailable(f"'{name}' is missing. {INSTALL_HINT}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    user = os.environ.get("PG_TEST_USER", "nobody")
    return ["runuser", "-u", user, "--", *command]


def _server_user_ids() -> tuple[int, int] | None:
    if os.geteuid() != 0:
        return None
    import pwd

    entry = pwd.getpwnam(os.environ.get("PG_TEST_USER", "nobody"))
    return entry.pw_uid, entry.pw_gid


@contextlib.contextmanager
def running_postgres() -> Iterator[str]:
    """Start a fresh cluster and yield its DATABASE_URL; always stop and delete it."""
    initdb = find_binary("initdb")
    pg_ctl = find_binary("pg_ctl")
    data_root = Path(tempfile.mkdtemp(prefix="pathways-pg-"))
    ids = _server_user_ids()
    if ids:
        os.chown(data_root, *ids)
    data_dir = data_root / "data"
    port = free_port()
    run = {"check": True, "capture_output": True, "text": True}
    try:
        subprocess.run(
            _as_server_user(
                [
                    str(initdb),
                    "-D",
                    str(data_dir),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            **run,
        )
        options = (
            f"-p {port} -k {data_root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            _as_server_user(
                [
                    str(pg_ctl),
                    "-D",
                    str(data_dir),
                    "-o",
                    options,
                    "-l",
                    str(data_root / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            **run,
        )
        try:
            yield f"postgres://postgres@127.0.0.1:{port}/pathways"
        finally:
            subprocess.run(
                _as_server_user([str(pg_ctl), "-D", str(data_dir), "-m", "fast", "-w", "stop"]),
                check=False,
                capture_output=True,
            )
    except subprocess.CalledProcessError as error:
        log = data_root / "server.log"
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise PostgresUnavailable(
            f"PostgreSQL failed to start: {error.stderr or error.stdout}\n{detail}"
        ) from error
    finally:
        shutil.rmtree(data_root, ignore_errors=True)
