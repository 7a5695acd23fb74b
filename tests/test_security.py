"""Deployment checklist, login rate limiting and the Content-Security-Policy."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import ROOT
from tests.factories import PASSWORD, UserFactory
from tests.support.settings_probe import production_env

pytestmark = pytest.mark.django_db


def test_check_deploy_passes_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= production_env()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_login_is_refused_after_five_failures_even_with_the_right_password(client):
    cache.clear()
    UserFactory(username="karin")
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "karin", "password": "forkert"})
        assert "For mange mislykkede" not in response.content.decode()
    response = client.post(reverse("login"), {"username": "karin", "password": PASSWORD})
    assert response.status_code == 200
    assert "For mange mislykkede forsøg" in response.content.decode()
    cache.clear()
    assert (
        client.post(reverse("login"), {"username": "karin", "password": PASSWORD}).status_code
        == 302
    )


def test_pages_send_a_policy_that_forbids_inline_script_and_have_none(client, demo_program):
    client.force_login(demo_program.created_by)
    for url in (
        reverse("home"),
        reverse("programs:list"),
        reverse("programs:detail", args=[demo_program.code]),
        reverse("programs:step", args=[demo_program.code, "del-4-3"]),
        reverse("programs:review", args=[demo_program.code]),
    ):
        response = client.get(url)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline <script>
        assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers
        assert ' style="' not in html  # style-src 'self' would block it
