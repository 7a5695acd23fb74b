"""Which address the rate limits count by, directly and behind a trusted reverse proxy."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from pathways.security.counters import client_address


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_connection_counts(settings):
    settings.TRUSTED_PROXIES = []
    # A client cannot pick its own limit by sending the header.
    assert client_address(request("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


@pytest.mark.parametrize(
    ("remote", "forwarded", "counted"),
    [
        ("10.0.0.2", "203.0.113.9", "203.0.113.9"),  # nginx passed the client on
        # The client's own header comes first; only the proxy's last entry is believed.
        ("10.0.0.2", "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        ("10.0.0.2", "203.0.113.9, 10.0.0.7", "203.0.113.9"),  # two proxies of ours
        ("10.0.0.2", "", "10.0.0.2"),
        ("10.0.0.2", "ikke-en-adresse", "10.0.0.2"),
        ("198.51.100.7", "203.0.113.9", "198.51.100.7"),  # not from our proxy: not believed
        ("10.0.0.2", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_a_trusted_proxy_the_forwarded_client_counts(settings, remote, forwarded, counted):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(request(remote, forwarded)) == counted


@pytest.mark.django_db
def test_two_clients_behind_one_proxy_have_their_own_login_limit(
    client, settings, django_user_model
):
    from pathways.security import login

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    django_user_model.objects.create_user("anna", password="rigtigt-kodeord-123")
    for n in range(login.MAX_FAILURES_PER_ADDRESS):
        client.post(
            "/konto/login/",
            {"username": f"gæt{n}", "password": "forkert"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    blocked = client.post(
        "/konto/login/",
        {"username": "anna", "password": "rigtigt-kodeord-123"},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert blocked.status_code != 302
    other = client.post(
        "/konto/login/",
        {"username": "anna", "password": "rigtigt-kodeord-123"},
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert other.status_code == 302
