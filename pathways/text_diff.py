"""Word-level differences for non-technical readers: deleted words in <del>, inserted in <ins>.

Shared by the conflict page (programs) and version comparison (versions). Every piece of
text is escaped before markup is added.
"""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKENS = re.compile(r"\s+|[^\s]+")
REWRITE_RATIO = 0.4  # below this share of common words, show the field as replaced whole


def word_diff(old: str, new: str) -> SafeString:
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if a and b and matcher.ratio() < REWRITE_RATIO:
        # A rewritten text reads better as old-then-new than as a word-by-word patchwork.
        return mark_safe(f"<del>{escape(old)}</del> <ins>{escape(new)}</ins>")  # noqa: S308
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every text piece above is escaped
