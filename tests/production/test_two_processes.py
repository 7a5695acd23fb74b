"""Two web servers on one database and one cache: a login blocked on one is blocked on the
other, and a page one of them keeps is renewed by a save on the other."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.parse
import urllib.request
from urllib.request import HTTPRedirectHandler

import pytest

from pathways.security.login import MAX_FAILURES_PER_ACCOUNT
from tests.conftest import COMPANION_FILES, GENERIC_MODEL_FILE, REGIONS_FILE
from tests.production.processes import PASSWORD, free_address, gunicorn, stop, wait_until_healthy
from tests.programs.helpers import form_fields

pytestmark = pytest.mark.processes

MODEL_FILES = [str(GENERIC_MODEL_FILE), *map(str, COMPANION_FILES)]

BLOCKED = "For mange mislykkede forsøg"


class Browser:
    def __init__(self, address: str) -> None:
        self.address = address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        return self.opener.open(f"http://{self.address}{path}", timeout=10).read().decode()

    def post(self, path: str, fields: dict) -> int:
        """The status of posting `fields` (a redirect is not followed: log_in's opener
        took the handlers over)."""
        url = f"http://{self.address}{path}"
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": url})  # noqa: S310
        try:
            return self.opener.open(request, timeout=10).status
        except urllib.error.HTTPError as error:
            return error.code

    def log_in(self, username: str, password: str) -> tuple[int, str]:
        """Status and page after posting the login form (a redirect is not followed)."""
        url = f"http://{self.address}/konto/login/"
        form = self.opener.open(url, timeout=10).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": url})  # noqa: S310
        kept = [h for h in self.opener.handlers if not isinstance(h, HTTPRedirectHandler)]
        no_redirects = urllib.request.build_opener(*kept, NoRedirect())
        try:
            response = no_redirects.open(request, timeout=10)
            return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""


class NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_a_login_blocked_on_one_server_is_blocked_on_the_other(site):
    addresses = [free_address(), free_address()]
    servers = [gunicorn(site, address) for address in addresses]
    try:
        for address, server in zip(addresses, servers, strict=True):
            wait_until_healthy(address, server, worker=False)  # no worker needed here
        one, other = Browser(addresses[0]), Browser(addresses[1])

        for _ in range(MAX_FAILURES_PER_ACCOUNT):
            status, page = one.log_in("karin", "forkert")
            assert status == 200 and BLOCKED not in page
        status, page = other.log_in("karin", PASSWORD)  # the right password, the other server
        assert status == 200
        assert BLOCKED in page
        # The other server itself lets people in: only karin's account is held back.
        assert other.log_in("jens", PASSWORD)[0] == 302
    finally:
        for server in servers:
            stop(server)


def test_a_save_on_one_server_renews_the_page_the_other_kept(site):
    """Each process keeps rendered step pages (programs/page_cache.py); the token that says
    whether one is current lives in the shared cache, so a save anywhere renews it."""
    site.run("load_generic_model", *MODEL_FILES)
    site.run("load_regions", str(REGIONS_FILE))
    code = site.output(
        "shell",
        "-c",
        "from django.contrib.auth.models import User\n"
        "from pathways.generic_model.models import ModelVersion\n"
        "from pathways.programs.services import create_program\n"
        f"mette = User.objects.create_user('mette', password={PASSWORD!r})\n"
        "p = create_program(user=mette, title='Delt', "
        "region='nordjylland', model_version=ModelVersion.objects.get())\n"
        "print(p.code)",
    ).split()[-1]  # fmt: skip  (the shell first says what it imported)
    addresses = [free_address(), free_address()]
    servers = [gunicorn(site, address) for address in addresses]
    try:
        for address, server in zip(addresses, servers, strict=True):
            wait_until_healthy(address, server, worker=False)
        keeper, saver = Browser(addresses[0]), Browser(addresses[1])
        for browser in (keeper, saver):
            assert browser.log_in("mette", PASSWORD)[0] == 302
        step = f"/programmer/{code}/trin/grundlag/"
        keeper.get(step)
        assert form_fields(keeper.get(step))["basis-purpose"] == ""  # served as kept
        fields = form_fields(saver.get(step))
        saved = saver.post(step, {**fields, "basis-purpose": "Gemt på den anden", "save": "1"})
        assert saved == 302
        assert form_fields(keeper.get(step))["basis-purpose"] == "Gemt på den anden"
    finally:
        for server in servers:
            stop(server)
