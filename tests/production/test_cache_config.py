"""CACHE_URL, the database cache's counter, and the PDF's collected static files."""

from __future__ import annotations

import datetime
import shutil
import threading

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

from pathways.cache_url import caches_from_url
from pathways.pdf.fetcher import BASE_URL, StaticFilesOnlyFetcher
from pathways.security import counters


def test_no_cache_url_means_the_database_cache():
    config = caches_from_url("")["default"]
    assert config["BACKEND"] == "pathways.shared_cache.DatabaseCache"


@pytest.mark.parametrize("url", ["redis://cache.internal:6379/1", "rediss://u:p@cache:6380/0"])
def test_a_redis_url_means_redis(url):
    assert caches_from_url(url) == {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }


@pytest.mark.parametrize("url", ["memcached://cache:11211", "locmem://", "cache.internal:6379"])
def test_any_other_cache_url_stops_start_up_with_a_clear_message(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be a redis:// or rediss://"):
        caches_from_url(url)


def test_the_message_does_not_show_a_password():
    with pytest.raises(ImproperlyConfigured) as error:
        caches_from_url("memcached://user:hemmelig@cache:11211")
    assert "hemmelig" not in str(error.value)


# `make test` installs Debian's redis-server (Makefile `services`), so CI runs this.
@pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")
def test_counters_hold_in_a_live_redis(tmp_path, settings):
    import socket
    import subprocess
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(["redis-server", "--port", str(port), "--save", ""], cwd=tmp_path)
    try:
        deadline = time.monotonic() + 10
        while True:  # until it accepts connections
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        settings.CACHES = caches_from_url(f"redis://127.0.0.1:{port}/0")
        from django.core.cache import caches

        counters.count(["k"], 60)
        counters.count(["k"], 60)
        assert caches["default"].get("k") == 2
        assert type(caches["default"]).__name__ == "RedisCache"
        # Redis's INCR keeps the expiry the first count set: the window holds.
        import redis

        ttl = redis.Redis(port=port).ttl(caches["default"].make_key("k"))
        assert 0 < ttl <= 60
    finally:
        server.terminate()
        server.wait()


def expiry_of(key: str) -> datetime.datetime:
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM django_cache WHERE cache_key LIKE %s", [f"%:{key}"])
        (expires,) = cursor.fetchone()
    if isinstance(expires, str):  # SQLite: UTC, as text
        expires = datetime.datetime.fromisoformat(expires)
    return expires.replace(tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_the_counter_keeps_the_window_its_first_event_started():
    counters.count(["window"], 900)
    first = expiry_of("window")
    # Django's own incr would have set it again, with the default timeout of 300 s.
    assert first > timezone.now() + datetime.timedelta(seconds=800)
    counters.count(["window"], 900)
    assert expiry_of("window") == first
    assert cache.get("window") == 2


@pytest.mark.django_db(transaction=True)
def test_counting_at_the_same_moment_loses_no_count():
    cache.delete("together")

    def count_five() -> None:
        try:
            for _ in range(5):
                counters.count(["together"], 60)
        finally:
            connection.close()

    threads = [threading.Thread(target=count_five) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("together") == 30
    cache.delete("together")


def test_the_pdf_loads_collected_hashed_static_files(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "program.0123456789ab.css").write_text("p { color: black }")
    fetcher = StaticFilesOnlyFetcher()
    response = fetcher.fetch(BASE_URL + "static/pdf/program.0123456789ab.css")
    assert response.headers["Content-Type"] == "text/css"
    for outside in ("static/pdf/nothing.css", "static/pdf/../../etc/passwd"):
        with pytest.raises(ValueError, match="Refused"):
            fetcher.fetch(BASE_URL + outside)
