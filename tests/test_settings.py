"""Operators configure the app through environment variables only."""

from __future__ import annotations

from tests.support.settings_probe import settings_with


def test_defaults_are_sqlite_debug_and_danish():
    result = settings_with()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "da"]


def test_database_url_selects_postgresql():
    result = settings_with(DATABASE_URL="postgres://u:p@127.0.0.1:5432/x")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


def test_production_requires_a_secret_key():
    result = settings_with(DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_requires_allowed_hosts():
    result = settings_with(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_production_settings_start_when_complete():
    result = settings_with(
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="example.org"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "False"


def test_a_typo_in_a_boolean_is_a_clear_error():
    result = settings_with(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_a_trusted_proxy_that_is_not_an_address_is_a_clear_error():
    result = settings_with(DJANGO_TRUSTED_PROXIES="10.0.0.0/24,nginx.local")
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES: 'nginx.local' is not an IP address" in result.stderr
    assert settings_with(DJANGO_TRUSTED_PROXIES="10.0.0.0/24, ::1").returncode == 0


def test_pages_are_kept_in_production_and_rendered_afresh_under_runserver():
    production = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 50}
    production["DJANGO_ALLOWED_HOSTS"] = "example.org"
    assert settings_with("settings.PAGE_CACHE", **production).stdout.split() == ["True"]
    assert settings_with("settings.PAGE_CACHE").stdout.split() == ["False"]  # DEBUG on
    switched_off = settings_with("settings.PAGE_CACHE", DJANGO_PAGE_CACHE="false", **production)
    assert switched_off.stdout.split() == ["False"]
