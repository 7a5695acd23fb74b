"""Server errors: logged with a request id that the error page and the response header show."""

from __future__ import annotations

import logging
import re

import pytest
from django.test import override_settings

from pathways.observability import RequestIdFilter

pytestmark = [pytest.mark.urls("tests.error_urls"), pytest.mark.django_db]

BOOM = "/test-boom/"


@pytest.fixture
def crashing_client(client):
    client.raise_request_exception = False  # answer as production would: a 500 page
    return client


def error_records(caplog):
    return [r for r in caplog.records if r.levelno >= logging.ERROR and r.name == "django.request"]


@override_settings(DEBUG=False)
def test_a_server_error_is_logged_with_the_id_shown_on_the_page(crashing_client, caplog):
    with caplog.at_level(logging.ERROR):
        response = crashing_client.get(BOOM)
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{12}", request_id)
    html = response.content.decode()
    assert f'<code id="request-id">{request_id}</code>' in html
    assert "Fejlen er registreret" in html

    (record,) = error_records(caplog)
    assert record.request_id == request_id
    assert record.exc_info and record.exc_info[0].__name__ == "Boom"  # the traceback is kept
    assert record.status_code == 500
    # What the configured console handler prints carries the id too.
    from django.conf import settings

    fmt = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"])
    assert f"[{request_id}]" in fmt.format(record)


@override_settings(DEBUG=False)
def test_each_request_gets_its_own_id(crashing_client, caplog):
    first = crashing_client.get(BOOM)["X-Request-ID"]
    second = crashing_client.get(BOOM)["X-Request-ID"]
    assert first != second
    assert [r.request_id for r in error_records(caplog)] == [first, second]


@override_settings(DEBUG=False)
def test_a_safe_incoming_request_id_is_kept(crashing_client, caplog):
    incoming = "3f2a9c1e-77b0-4c1a-9d1e-0c5b2f6a8e11"  # a proxy's UUID
    response = crashing_client.get(BOOM, headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] == incoming
    assert incoming in response.content.decode()
    assert error_records(caplog)[0].request_id == incoming


@pytest.mark.parametrize(
    "forged",
    [
        "abc",  # too short to be an id
        "x" * 65,
        "id with spaces",
        "evil\r\nX-Injected: 1",
        "<script>alert(1)</script>",
        "ïd-ünïcødé",
        "١٢٣٤٥٦٧٨",
        "",
    ],
)
@override_settings(DEBUG=False)
def test_an_unsafe_incoming_request_id_is_replaced(crashing_client, caplog, forged):
    response = crashing_client.get(BOOM, headers={"X-Request-ID": forged})
    request_id = response["X-Request-ID"]
    assert request_id != forged and re.fullmatch(r"[0-9a-f]{12}", request_id)
    assert error_records(caplog)[0].request_id == request_id
    if forged:
        assert forged not in response.content.decode()


@override_settings(DEBUG=False)
def test_the_error_page_cannot_fail_in_turn(crashing_client, caplog, monkeypatch):
    from pathways import observability

    def broken(name):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(observability.loader, "get_template", broken)
    response = crashing_client.get(BOOM)
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert f"<code>{request_id}</code>" in response.content.decode()
    assert "500 page could not be rendered" in caplog.text


def test_ordinary_responses_carry_an_id_too(client):
    response = client.get("/")
    assert response.status_code == 200
    assert re.fullmatch(r"[0-9a-f]{12}", response["X-Request-ID"])


def test_the_app_urlconf_installs_the_handler():
    import pathways.urls

    assert pathways.urls.handler500 == "pathways.observability.server_error"


def test_records_outside_a_request_get_a_placeholder():
    record = logging.LogRecord("pathways", logging.INFO, __file__, 1, "hello", None, None)
    assert RequestIdFilter().filter(record) and record.request_id == "-"
