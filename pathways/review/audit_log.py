"""How the log page shows an audit entry: its action's label and its changes, compactly.

An entry's `before` and `after` are dicts of raw values keyed by field. The page never
prints two full copies of a long text: a text that was edited is shown as a word diff
with the unchanged stretches shortened to a few words either side of each change.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pathways.programs.data import ProgramData
from pathways.programs.document import key_path
from pathways.programs.models import AuditAction, AuditEntry, ProgramStatus, Role
from pathways.programs.readable import StepReader
from pathways.programs.regions import all_regions, region_name
from pathways.review.models import Verdict
from pathways.text_diff import word_diff

AUDIT_PAGE_SIZE = 100  # entries per page of the log
LONG_TEXT = 160  # characters: an edited text longer than this is shown as a word diff
CONTEXT_WORDS = 8  # unchanged words kept on each side of a change in that diff

# The keys of the entries the services write outside step saves (status, membership,
# review, publication); a step save's keys are its fields.
_KEY_LABELS = {
    "status": gettext_lazy("Status"),
    "user": gettext_lazy("Bruger"),
    "role": gettext_lazy("Rolle"),
    "organisation": gettext_lazy("Taler for"),
    "title": gettext_lazy("Titel"),
    "region": gettext_lazy("Region"),
    "model": gettext_lazy("Generisk model"),
    "round": gettext_lazy("Høringsrunde"),
    "note": gettext_lazy("Bemærkning"),
    "verdict": gettext_lazy("Høringspartens svar"),
    "comment": gettext_lazy("Kommentar nr."),
    "reply_to": gettext_lazy("Svar på kommentar nr."),
    "body": gettext_lazy("Tekst"),
    "version": gettext_lazy("Version"),
    "change_note": gettext_lazy("Ændringsnote"),
    "override_reason": gettext_lazy("Begrundelse for godkendelse"),
    "override_conditions": gettext_lazy("Forhold der krævede begrundelse"),
    "source": gettext_lazy("Kilde"),  # an imported program: the file it came from
    "code": gettext_lazy("Kode i filen"),
    # Consultation rounds, their parties and proposed text.
    "party": pgettext_lazy("part i en høring", "Høringspart"),
    "parties": gettext_lazy("Høringsparter"),
    "deadline": gettext_lazy("Svarfrist"),
    "until": gettext_lazy("Kan svare indtil"),
    "by": gettext_lazy("Af"),
    "name": gettext_lazy("Navn"),
    "email": gettext_lazy("E-mail"),
    "field": gettext_lazy("Gælder svaret"),
    "proposed_text": gettext_lazy("Forslag til ny tekst"),
    "revision": gettext_lazy("Trinnets revision"),
    # "Brug som udgangspunkt" (derivation/): on the source, the program built on it.
    "derived": gettext_lazy("Nyt program bygget på dette"),
}

# A key whose meaning depends on the action ("by": who answered, who proposed …).
_ACTION_KEY_LABELS = {
    (AuditAction.VERDICT_GIVEN, "by"): gettext_lazy("Afgivet af"),
    (AuditAction.COMMENT_ADDED, "by"): gettext_lazy("Skrevet af"),
    (AuditAction.PROPOSAL_ACCEPTED, "by"): gettext_lazy("Foreslået af"),
    (AuditAction.PROPOSAL_DECLINED, "by"): gettext_lazy("Foreslået af"),
    (AuditAction.PARTY_CONTACT_ADDED, "organisation"): gettext_lazy("Organisation"),
}


_VALUE_CHOICES = {"status": ProgramStatus, "role": Role, "verdict": Verdict}
# Keys whose value is an ISO date or moment, shown as the reader writes dates.
_MOMENTS = {"deadline": "DATE_FORMAT", "until": "DATETIME_FORMAT"}


def _moment(value: str, format_name: str) -> str:
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return value
    if format_name == "DATE_FORMAT":
        return date_format(moment.date(), format_name)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment, format_name)


class DocumentFields:
    """Labels and value texts for a step save's keys (document paths, document.path_key),
    from the step forms of the program's model, built once per step and page."""

    def __init__(self, data: ProgramData) -> None:
        self.data = data
        self.steps = {s.key: s for s in data.steps}
        self.actor_names = {a.ref: a.name for a in data.actors}
        self.readers: dict[str, StepReader] = {}

    @cached_property
    def regions(self) -> dict:
        """Every region, read once for the page (entries naming a region)."""
        return all_regions()

    def reader(self, step_key: str) -> StepReader | None:
        step = self.steps.get(step_key)
        if step is None:
            return None
        if step_key not in self.readers:
            self.readers[step_key] = StepReader(step, self.data)
        return self.readers[step_key]

    def label(self, entry: AuditEntry, key: str) -> str | None:
        path, reader = key_path(key), self.reader(entry.step_key)
        return reader.label(path) if path and reader else None

    def text(self, entry: AuditEntry, key: str, value: object) -> str | None:
        path, reader = key_path(key), self.reader(entry.step_key)
        if not (path and reader):
            return None
        return reader.text(path, value, self.actor_names) or "—"


def field_label(entry: AuditEntry, key: str, fields: DocumentFields | None = None) -> str:
    """The label shown for `key` of `entry`'s before/after, in the reader's language.

    A step save records document paths (labelled here from the step's forms); entries
    written before that recorded Danish labels, shown as they are."""
    if entry.action != AuditAction.STEP_SAVED and (entry.action, key) in _ACTION_KEY_LABELS:
        return str(_ACTION_KEY_LABELS[(entry.action, key)])
    if entry.action != AuditAction.STEP_SAVED and key in _KEY_LABELS:
        return str(_KEY_LABELS[key])
    found = fields.label(entry, key) if fields is not None else None
    return found if found is not None else key


def display_value(
    entry: AuditEntry, key: str, value: object, fields: DocumentFields | None = None
) -> str:
    found = fields.text(entry, key, value) if fields is not None else None
    if found is not None:
        return found
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if entry.action != AuditAction.STEP_SAVED and isinstance(value, str):
        if key == "region":  # regions are dated data, not choices
            return region_name(value, fields.regions if fields is not None else None)
        if key == "field":  # the answer a comment or proposal concerns: its label
            label = fields.label(entry, value) if fields is not None else None
            return label if label is not None else value
        if key in _MOMENTS:
            return _moment(value, _MOMENTS[key])
        choices = _VALUE_CHOICES.get(key)
        if choices is not None and value in choices.values:
            return str(choices(value).label)
    if isinstance(value, list | tuple):
        return ", ".join(display_value(entry, key, item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


# word_diff escapes every piece of text, so "<" only ever opens one of its own tags.
_MARKED = re.compile(r"(<del>.*?</del>|<ins>.*?</ins>)", re.DOTALL)
_TOKENS = re.compile(r"\s+|\S+")
_ELIDED = '<span class="text-body-secondary">…</span>'


def compact_word_diff(old: str, new: str, context: int = CONTEXT_WORDS) -> SafeString:
    """word_diff, with each unchanged stretch cut to `context` words beside a change."""
    pieces = _MARKED.split(word_diff(old, new))
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:  # a <del> or <ins>: the change itself, whole
            out.append(piece)
            continue
        tokens = _TOKENS.findall(piece)
        words = [i for i, token in enumerate(tokens) if not token.isspace()]
        keep_head = context if index > 0 else 0  # words just after a change
        keep_tail = context if index < len(pieces) - 1 else 0  # words just before one
        if len(words) <= keep_head + keep_tail + 1:
            out.append(piece)
            continue
        head = "".join(tokens[: words[keep_head - 1] + 1]) if keep_head else ""
        tail = "".join(tokens[words[-keep_tail] :]) if keep_tail else ""
        out.append(" ".join(part for part in (head, _ELIDED, tail) if part))
    return mark_safe("".join(out))  # noqa: S308 - pieces of word_diff's escaped output


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: the entry records no "before" for this key
    after: str | None
    diff: SafeString | None = None  # an edited long text, instead of before → after


@dataclass(frozen=True)
class LogRow:
    entry: AuditEntry
    action_label: str
    step_label: str  # the step a step save or comment concerns, or ""
    changes: list[Change]


def changes_of(entry: AuditEntry, fields: DocumentFields | None = None) -> list[Change]:
    before, after = entry.before or {}, entry.after or {}
    keys = list(before) + [key for key in after if key not in before]
    changes = []
    for key in keys:
        label = field_label(entry, key, fields)
        old, new = before.get(key), after.get(key)
        if fields is not None and key_path(key):  # a document value: as the reader sees it
            old = display_value(entry, key, old, fields) if key in before else None
            new = display_value(entry, key, new, fields) if key in after else None
            old, new = (None if v == "—" else v for v in (old, new))
            if old and new and max(len(old), len(new)) > LONG_TEXT:
                changes.append(Change(label, None, None, diff=compact_word_diff(old, new)))
            else:
                changes.append(Change(label, old or "—", new or "—"))
            continue
        if (
            isinstance(old, str)
            and isinstance(new, str)
            and old
            and new
            and max(len(old), len(new)) > LONG_TEXT
        ):
            changes.append(Change(label, None, None, diff=compact_word_diff(old, new)))
            continue
        changes.append(
            Change(
                label,
                display_value(entry, key, old, fields) if key in before else None,
                display_value(entry, key, new, fields) if key in after else None,
            )
        )
    return changes


def log_rows(
    entries: Iterable[AuditEntry],
    step_labels: dict[str, str],
    fields: DocumentFields | None = None,
) -> list[LogRow]:
    return [
        LogRow(
            entry=entry,
            action_label=entry.get_action_display(),
            step_label=step_labels.get(entry.step_key, entry.step_key),
            changes=changes_of(entry, fields),
        )
        for entry in entries
    ]
