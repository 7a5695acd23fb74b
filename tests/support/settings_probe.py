"""Read settings as a fresh process with a given environment would see them."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from tests.conftest import ROOT


def settings_with(*expressions: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Print each settings expression (default: engine, DEBUG, language) in a new process
    whose environment has no DJANGO_* or DATABASE_URL variables but `env`."""
    shown = expressions or (
        "settings.DATABASES['default']['ENGINE']",
        "settings.DEBUG",
        "settings.LANGUAGE_CODE",
    )
    probe = "import django; from django.conf import settings; django.setup(); "
    probe += f"print({', '.join(shown)})"
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", probe],
        env={**clean, "DJANGO_SETTINGS_MODULE": "pathways.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def production_env(**extra: str) -> dict[str, str]:
    """The least a production installation must set."""
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "forloeb.example.org",
        **extra,
    }
