"""The heavy program pages (step form, step reading view, review screen), kept rendered.

A page is rendered from a dozen queries over ~2,000 rows and hundreds of form fields, yet
between two writes to its program it is the same for the same person, address and
language. So the rendered content is kept per process, keyed by a *content token* per
program that every write replaces with a new random one. Nothing is ever served from a
token that was current before a write committed:

- A save or delete of any row that belongs to a program (it has a `program` field), or of
  a row pages show for every program (people, organisations, regions, the generic model),
  sets a new token at once and again when its transaction commits. A request reads the
  token before it reads the program, so a page rendered from rows older than a commit is
  kept under a token that the commit has replaced.
- Writes that send no signals (bulk_create, queryset.update) call `content_changed`.
- A lost token (cache evicted or cleared) is replaced by a new random one: never reused.

What differs per request is not kept: the CSRF token (a placeholder, filled in on the
way out), the messages (the layout's), and pages that give back text a refused post
carried (then the page is rendered afresh). With PAGE_CACHE_VERIFY (the tests), every
page served from the cache is also rendered afresh and must match, so the whole suite
checks that no write leaves a stale page behind.
"""

from __future__ import annotations

import difflib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from pathways.programs import regions
from pathways.programs.data import GENERIC_MODEL_GENERATION

# Rendered where a form's CSRF token goes; replaced by the request's own token.
CSRF_PLACEHOLDER = "csrf-token-placeholder-8c1f0e"
_EVERY_PROGRAM = "page-token:every-program"
# A process keeps at most this many pages, and at most this many characters of them.
MAX_PAGES = 400
MAX_CHARACTERS = 60_000_000


@dataclass(frozen=True)
class Page:
    content: str  # rendered, with CSRF_PLACEHOLDER where the token goes
    title: str
    layout: str  # the template that puts the content in the site's frame
    status: int = 200


def _program_key(program_id: int) -> str:
    return f"page-token:program:{program_id}"


def content_changed(program_id: int | None = None) -> None:
    """Pages of `program_id` (of every program when None) are stale: now, and again when
    the current transaction commits (rows read before the commit are older than that).

    A save that writes a hundred rows renews once: at once only if a page was read since
    the last renewal in this thread, and once more on commit."""
    key = _program_key(program_id) if program_id is not None else _EVERY_PROGRAM
    if key not in _local_renewals():
        _renew(key)
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        getattr(queued, "page_token", None) == key
        for _ids, queued, _robust in connection.run_on_commit
    ):
        return

    def renew_on_commit() -> None:
        _renew(key)

    renew_on_commit.page_token = key  # type: ignore[attr-defined]
    transaction.on_commit(renew_on_commit, robust=True)


def is_renewal(callback) -> bool:
    """Whether an on-commit callback is one of ours (tests count the others)."""
    return hasattr(callback, "page_token")


_thread = threading.local()


def _local_renewals() -> set[str]:
    """Tokens this thread renewed since it last read one."""
    if not hasattr(_thread, "renewed"):
        _thread.renewed = set()
    return _thread.renewed


def _renew(key: str) -> None:
    cache.set(key, secrets.token_hex(8), timeout=None)
    _local_renewals().add(key)


def _tokens(program_id: int) -> tuple:
    keys = [_program_key(program_id), _EVERY_PROGRAM]
    _local_renewals().difference_update(keys)
    found = cache.get_many(keys + [GENERIC_MODEL_GENERATION])
    for key in keys:
        if key not in found:
            cache.add(key, secrets.token_hex(8), timeout=None)
            found[key] = cache.get(key)
    return tuple(found.get(k) for k in keys + [GENERIC_MODEL_GENERATION])


class _Kept:
    """Least recently used pages of this process (threads of one gunicorn worker share it)."""

    def __init__(self) -> None:
        self._pages: OrderedDict[tuple, Page] = OrderedDict()
        self._characters = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: Page) -> None:
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._characters -= len(old.content)
            self._pages[key] = page
            self._characters += len(page.content)
            while self._pages and (
                len(self._pages) > MAX_PAGES or self._characters > MAX_CHARACTERS
            ):
                _key, dropped = self._pages.popitem(last=False)
                self._characters -= len(dropped.content)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._characters = 0


_kept = _Kept()


def forget_all() -> None:
    """Empty this process's pages (tests start each with none)."""
    _kept.clear()
    _local_renewals().clear()


def render_content(request: HttpRequest, template: str, context: dict) -> str:
    """`template` rendered for the request, with the CSRF placeholder for the token."""
    return render_to_string(template, {**context, "csrf_token": CSRF_PLACEHOLDER}, request)


def _carries_kept_text(request: HttpRequest, code: str) -> bool:
    prefix = f"unsaved:{code}:"  # review/unsaved.py: text a refused post carried
    # A session has keys() but no iteration of its own.
    return any(key.startswith(prefix) for key in request.session.keys())  # noqa: SIM118


def _key(request: HttpRequest, program, name: str) -> tuple | None:
    if not getattr(settings, "PAGE_CACHE", True) or request.method != "GET":
        return None
    if _carries_kept_text(request, program.code):
        return None
    return (
        name,
        program.pk,
        _tokens(program.pk),
        request.user.pk,
        translation.get_language(),
        request.get_full_path(),
        # Dated reference data (a region's bodies, e.g. the sundhedsråd from 2027) is chosen
        # by today's date when the program names none.
        regions.today(),
    )


def page(request: HttpRequest, program, name: str, build: Callable[[], Page]) -> Page:
    """The page `name` of `program` for this request: kept, or built by `build` (which
    renders with `render_content`). Only a 200 page is kept."""
    key = _key(request, program, name)
    kept = _kept.get(key) if key is not None else None
    if kept is None or getattr(settings, "PAGE_CACHE_VERIFY", False):
        # The row was read before the token: a write committed in between would be kept
        # under the new token with the old row's status and title.
        program.refresh_from_db()
    if kept is None:
        kept = build()
        if key is not None and kept.status == 200:
            _kept.put(key, kept)
    elif getattr(settings, "PAGE_CACHE_VERIFY", False):
        _check_fresh(kept, build(), name)
    return kept


def with_token(request: HttpRequest, page: Page) -> SafeString:
    """The page's content with this request's CSRF token in its forms."""
    if CSRF_PLACEHOLDER not in page.content:
        return mark_safe(page.content)  # noqa: S308 - rendered by our templates
    return mark_safe(page.content.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308


def _check_fresh(kept: Page, fresh: Page, name: str) -> None:
    if kept == fresh:
        return
    diff = "\n".join(
        list(
            difflib.unified_diff(
                kept.content.splitlines(), fresh.content.splitlines(), "kept", "fresh", lineterm=""
            )
        )[:40]
    )
    raise AssertionError(f"The kept '{name}' page is stale: a write did not renew it.\n{diff}")
