"""Sending mail: rendered from templates after the database transaction commits.

Each message is rendered from two templates, `email/<kind>_subject.txt` and
`email/<kind>.txt` (plain text only, so user text cannot inject markup), with absolute links
built from settings.SITE_URL. Mail is rendered after the transaction commits, so an
unreachable mail server can neither roll back nor lose the change it reports, and is
delivered by the task worker when one runs (the request does not wait for the mail server),
else at once; a mail that fails is logged and dropped. Which events send mail to whom lives
with each feature (programs/notifications.py, review/notifications.py).
"""

from __future__ import annotations

import contextlib
import logging
import unicodedata
from collections.abc import Iterator
from contextvars import ContextVar
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from pathways.background.workers import worker_alive

logger = logging.getLogger(__name__)

# Room for the longest prefix and a full title (200 characters at most), so only text that
# got past the title's limit is ever cut; mail clients shorten the display themselves.
SUBJECT_LIMIT = 250


def one_line(text: str, limit: int = SUBJECT_LIMIT) -> str:
    """`text` as a safe header value: every control character or line break becomes a space,
    runs of spaces collapse, and an over-long value is cut at a word with an ellipsis."""
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.:;-–") + "…"


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def display_name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


# Set while demo data is written through the real services: its people are made up.
_withheld: ContextVar[bool] = ContextVar("mail_withheld", default=False)


@contextlib.contextmanager
def withheld() -> Iterator[None]:
    """No mail is queued inside this block (the demo loader's workflow)."""
    token = _withheld.set(True)
    try:
        yield
    finally:
        _withheld.reset(token)


def send_after_commit(kind: str, context: dict, addresses: list[str]) -> None:
    """Render `kind` for `addresses` and send it once the current transaction commits."""
    if addresses and not _withheld.get():
        transaction.on_commit(partial(_send, kind, context, list(addresses)))


def _send(kind: str, context: dict, addresses: list[str]) -> None:
    context = {"site_url": settings.SITE_URL, **context}
    try:
        # The site's language: the recipients' own is not known (and differs between them).
        with translation.override(settings.LANGUAGE_CODE):
            subject = one_line(render_to_string(f"email/{kind}_subject.txt", context))
            body = render_to_string(f"email/{kind}.txt", context).rstrip("\n") + "\n"
        if worker_alive():
            deliver.enqueue(kind, subject, body, addresses)
            return
    except Exception:
        # Rendering or queueing failed: nothing was sent, the change itself stands.
        logger.exception("Could not send %s mail to %d recipients", kind, len(addresses))
        return
    deliver.call(kind, subject, body, addresses)


@task()
def deliver(kind: str, subject: str, body: str, addresses: list[str]) -> None:
    """Send one rendered mail to each address (a failure for one does not stop the rest)."""
    try:
        connection = get_connection()
        with connection:
            for address in addresses:
                try:
                    EmailMessage(
                        subject=subject,
                        body=body,
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[address],
                        connection=connection,
                    ).send()
                except Exception:
                    logger.exception("Could not send %s mail to %s", kind, address)
    except Exception:
        logger.exception("Could not send %s mail to %d recipients", kind, len(addresses))
