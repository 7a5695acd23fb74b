"""Diagnosis codes: how a person may type them, how they are stored, how they are shown.

One diagnosis has one stored spelling, so that codes match across programs and exports.
The model file's `pattern` for each code system describes that stored form (and `example`
is one such code); the rules here bring the spellings people actually type into it:

- ICD-10 is accepted in WHO form (`Q87.1`) and in the Danish SKS form (`DQ871`, also
  `DQ87.1`, lower case, spaces), stored as SKS (`DQ871`) and shown in both forms.
- ORPHA codes need their prefix, in any case and with a colon, a hyphen or nothing after
  it (`orpha:739`, `ORPHA 739`, `Orpha-739`), and are stored as `ORPHA:739`. A bare number
  is refused: it may as well be an OMIM number.
- ICPC-2 is stored in capitals (`a90` → `A90`).
- OMIM is stored as the six-digit number, with the `#` or `%` of a phenotype entry if typed;
  an `OMIM` prefix is dropped (`omim: 176 270` → `176270`).

Every spelling is read in capitals with spaces removed, so case and spacing never make a
code be refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class CodeSystemLike(Protocol):
    key: str
    pattern: str
    example: str


@dataclass(frozen=True)
class Spelling:
    """How a system's typed codes become its stored form, and how that form is also shown."""

    # Matched against the typed code in capitals, spaces removed; its groups fill `stored`.
    accepted: str
    stored: str
    # Matched against the stored code; its groups fill `international` (None: none shown).
    international_from: str | None = None
    international: str = ""


SPELLINGS: dict[str, Spelling] = {
    # SKS puts a D before the WHO code and drops the dot: Q87.1 = DQ871. "D50.0" is the WHO
    # form of DD500: the optional D is only taken as the SKS prefix when a letter follows.
    "icd-10": Spelling(
        accepted=r"D?([A-Z][0-9]{2})\.?([0-9A-Z]{0,4})",
        stored=r"D\1\2",
        international_from=r"D([A-Z][0-9]{2})([0-9A-Z]*)",
        international=r"\1.\2",
    ),
    "orpha": Spelling(accepted=r"ORPHA[:-]?([0-9]{1,7})", stored=r"ORPHA:\1"),
    "icpc-2": Spelling(accepted=r"([A-Z][0-9]{2})", stored=r"\1"),
    "omim": Spelling(accepted=r"(?:OMIM[:-]?)?([#%]?[0-9]{6})", stored=r"\1"),
}


def _normalised(system_key: str, code: str) -> tuple[str, bool]:
    """(stored form, whether a rule recognised the spelling); unrecognised: as typed."""
    code = code.strip()
    spelling = SPELLINGS.get(system_key)
    if spelling is None:
        return code, True
    found = re.fullmatch(spelling.accepted, re.sub(r"\s+", "", code).upper())
    return (found.expand(spelling.stored), True) if found else (code, False)


def normalise(system_key: str, code: str) -> str:
    """The stored form of `code`; a code no rule recognises is returned as typed (trimmed),
    for the format check to refuse with the form it expects."""
    return _normalised(system_key, code)[0]


def international_form(system_key: str, code: str) -> str:
    """The WHO form of a stored SKS code (`DQ871` → `Q87.1`), or "" where there is none."""
    spelling = SPELLINGS.get(system_key)
    if spelling is None or spelling.international_from is None:
        return ""
    found = re.fullmatch(spelling.international_from, code)
    if not found:
        return ""
    return found.expand(spelling.international).rstrip(".")


def code_display(system_key: str, code: str) -> str:
    """A code as a reader sees it: the stored form, with the WHO form of an ICD-10 code
    beside it ("DQ871 (Q87.1)"). `system_key` is the model's key, as the program document
    names the system."""
    stored = normalise(system_key, code)
    other = international_form(system_key, stored)
    return f"{stored} ({other})" if other and other != stored else stored


def code_line(system_key: str, code: str, label: str = "") -> str:
    """A diagnosis code as a reader sees it, the system named once: "ICD-10 DQ871 (Q87.1) –
    label"; an ORPHA code carries its own prefix ("ORPHA:908"), so it gets no other."""
    shown = code_display(system_key, code)
    name = system_key.upper()
    prefix = "" if shown.upper().startswith(name) else f"{name} "
    return prefix + shown + (f" – {label}" if label else "")


def stored_forms(text: str) -> set[str]:
    """What a typed search text is as a stored code of each system ("q87.1" → "DQ871",
    "orpha 908" → "ORPHA:908"), and the text itself in capitals: the codes it can mean."""
    text = text.strip()
    return {normalise(system, text).upper() for system in SPELLINGS} | {text.upper()}


def expected_forms(system: CodeSystemLike) -> str:
    """How the system's codes are written, from its example: "DQ871 eller Q87.1"."""
    other = international_form(system.key, system.example)
    if not other:
        return system.example
    return gettext("%(stored)s eller %(other)s") % {"stored": system.example, "other": other}


def clean_code(system: CodeSystemLike, code: str) -> str:
    """`code` in its stored form; a ValidationError naming the expected form if it is not
    a code of `system`."""
    stored, recognised = _normalised(system.key, code)
    # Both: the rules here hold even where a model version loaded before them still has a
    # looser pattern (an ORPHA code without its prefix).
    if not (recognised and re.fullmatch(system.pattern, stored)):
        raise ValidationError(
            _("'%(code)s' er ikke en gyldig %(system)s-kode. %(system)s skrives som %(forms)s."),
            code="malformed_code",
            params={
                "code": code.strip(),
                "system": system.key.upper(),
                "forms": expected_forms(system),
            },
        )
    return stored
