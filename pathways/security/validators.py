"""Validators for text that users type.

Control characters have no business in anything a person writes: a carriage return in a
title breaks mail headers (BadHeaderError), NUL is refused by PostgreSQL, ESC can rewrite a
terminal that shows a log line. Single-line fields refuse every C0 and C1 control character
(and DEL); multi-line fields also allow line feed, carriage return and tab.

Use them as field validators: `forms.CharField(validators=[reject_control_characters])`, or
`validators=[reject_control_characters_multiline]` for a text area.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F).
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_EXCEPT_LINE_BREAKS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _describe(character: str) -> str:
    return f"U+{ord(character):04X}"


@deconstructible
class ControlCharacterValidator:
    """Refuse control characters; `multiline=True` allows \\n, \\r and \\t."""

    code = "control_character"

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline
        self.pattern = _CONTROL_EXCEPT_LINE_BREAKS if multiline else _ANY_CONTROL

    def __call__(self, value: object) -> None:
        if not isinstance(value, str):
            return
        found = self.pattern.search(value)
        if found is None:
            return
        if not self.multiline and found.group() in "\r\n":
            message = _("Feltet skal stå på én linje; fjern linjeskiftet.")
        else:
            message = _(
                "Teksten indeholder et usynligt styretegn (%(char)s) på plads %(position)d. "
                "Fjern det, fx ved at skrive teksten igen i stedet for at indsætte den."
            )
        raise ValidationError(
            message,
            code=self.code,
            params={"char": _describe(found.group()), "position": found.start() + 1},
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ControlCharacterValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((type(self), self.multiline))


reject_control_characters = ControlCharacterValidator()
reject_control_characters_multiline = ControlCharacterValidator(multiline=True)
