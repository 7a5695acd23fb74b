"""What several browser tests do the same way: log in as a person, in a language."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def log_in(page: Page, username: str, language: str = "da") -> None:
    """Log in through the login page, with the language cookie a person's choice sets."""
    page.goto("/konto/login/")
    host = urlsplit(page.url).hostname
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "domain": host, "path": "/"}]
    )
    page.reload()
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile("/programmer/"))
