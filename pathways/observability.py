"""Request ids, so a server error on someone's screen can be found in the log.

Every request gets a short id (or keeps the one a proxy sent in X-Request-ID, if it is a
safe short token). The id is sent back in the X-Request-ID header, attached to every log
record written while the request runs (see LOGGING in settings), and shown on the 500 page.
"""

from __future__ import annotations

import contextvars
import logging
import re
import secrets

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.html import escape
from django.views.decorators.csrf import requires_csrf_token

HEADER = "X-Request-ID"
# Letters, digits and . _ - only: the id is written to logs and headers, so no spaces,
# line breaks or markup from outside (a forged id could otherwise fake log lines).
SAFE_INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{6,64}")

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default=""
)
logger = logging.getLogger(__name__)


def new_request_id() -> str:
    return secrets.token_hex(6)


def request_id_of(request: HttpRequest | None) -> str:
    return getattr(request, "request_id", "") or current_request_id.get()


class RequestIdMiddleware:
    """First in MIDDLEWARE, so it wraps every other middleware: an exception anywhere below
    has become a 500 response (logged by django.request) by the time it returns here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if SAFE_INCOMING_ID.fullmatch(incoming) else new_request_id()
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Gives every record a `request_id` (the request's, or "-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_of(getattr(record, "request", None)) or "-"
        return True


FALLBACK_500 = (
    '<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Serverfejl</title>'
    "</head><body><h1>Der skete en fejl på serveren</h1>"
    "<p>Fejlen er registreret med fejl-id <code>{id}</code>. Prøv igen om lidt.</p>"
    '<p lang="en">A server error occurred (error id {id}).</p></body></html>'
)


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: Django's default renders 500.html with no context, so the id the log
    holds never reached the page. Renders without the request (no context processors: the
    database may be what failed) and falls back to fixed HTML if even that fails."""
    request_id = request_id_of(request)
    try:
        body = loader.get_template(template_name).render({"request_id": request_id})
    except Exception:  # the error page must not fail in turn
        logger.exception("The 500 page could not be rendered; sent the fallback instead.")
        body = FALLBACK_500.format(id=escape(request_id or "-"))
    return HttpResponseServerError(body)
