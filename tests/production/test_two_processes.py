"""Two web servers on one database and one cache: a login blocked on one is blocked on the other."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.parse
import urllib.request
from urllib.request import HTTPRedirectHandler

import pytest

from pathways.security.login import MAX_FAILURES_PER_ACCOUNT
from tests.production.processes import PASSWORD, free_address, gunicorn, stop, wait_until_healthy

pytestmark = pytest.mark.processes

BLOCKED = "For mange mislykkede forsøg"


class Browser:
    def __init__(self, address: str) -> None:
        self.address = address
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

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
