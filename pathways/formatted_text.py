"""Answers as planners write them: a small Markdown subset, rendered safely.

Every long text field (a step's text areas, attention-point answers, transitions,
comments) may use paragraphs (a blank line), line breaks, bullet and numbered lists,
**bold**, *italic* and links (`[text](https://…)` or `<https://…>`); the help page
(templates/formatting_help.html) documents exactly this. What is stored is the text as
written; formatting is applied only when a text is shown (reading view, review screen,
versions, PDF, the preview beside the field), always through `render`, so the preview
and every output agree.

- Parsing is markdown-it-py's CommonMark preset with the rules outside the subset turned
  off: raw HTML (shown as the characters typed), images, headings (they would break the
  page's and the PDF's outline), block quotes ("> 18 år" is a statement, not a quote),
  code blocks (an indented line is just indented), rules and link reference definitions
  (a line "[1]: …" would vanish). A single line break stays a line break (`breaks`):
  texts written before formatting existed read as they always did.
- The HTML is then sanitised by nh3 (an allow-list of tags and attributes; links only
  http, https and mailto, with rel="noopener noreferrer"), whatever the parser lets
  through.
- `blocks` gives the same text as a small structure (paragraphs with bold/italic/link runs,
  nested lists) for outputs that are not HTML, e.g. a Word export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlsplit

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = frozenset({"p", "br", "ul", "ol", "li", "strong", "em", "a"})
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Rules of the CommonMark preset that fall outside the documented subset (see above).
DISABLED_RULES = [
    "html_block",
    "html_inline",
    "image",
    "heading",
    "lheading",
    "blockquote",
    "code",
    "fence",
    "backticks",
    "hr",
    "reference",
]

# Word (and Outlook) lists pasted as plain text: each item starts with its bullet
# character or number and a tab ("•\tpunkt", "1.\tpunkt"). CommonMark knows none of the
# bullet characters and needs a space after a number, so `_word_lists` rewrites such lines
# to Markdown list items before parsing. Level: Word's default bullets per indent level.
WORD_BULLETS = {"•": 0, "·": 0, "●": 0, "–": 0, "o": 1, "◦": 1, "▪": 2, "■": 2, "§": 2}
# Symbols that are never the start of a sentence: one space after them is enough. The
# others ("o", "–") only count with a tab or a run of spaces after them.
SYMBOL_BULLETS = frozenset("•·●◦▪■")


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(DISABLED_RULES)


def _split_marker(line: str) -> tuple[str, str] | None:
    """(marker, rest) when the line starts with a marker followed by a tab or spaces."""
    stripped = line.lstrip(" \t")
    for i, char in enumerate(stripped):
        if char in " \t":
            marker, after = stripped[:i], stripped[i:]
            rest = after.lstrip(" \t")
            return (marker, rest) if marker and rest else None
    return None


def _word_item(line: str) -> tuple[int, str, str] | None:
    """(level, Markdown marker, text) of a pasted Word list line, or None."""
    found = _split_marker(line)
    if found is None:
        return None
    marker, rest = found
    gap = line.lstrip(" \t")[len(marker) :]
    wide_gap = gap.startswith("\t") or gap.startswith("  ")
    if marker in WORD_BULLETS and (marker in SYMBOL_BULLETS or wide_gap):
        return WORD_BULLETS[marker], "-", rest
    number, end = marker[:-1], marker[-1:]
    if end in (".", ")") and number.isascii() and number.isdigit() and wide_gap:
        return 0, f"{int(number)}{end}", rest
    return None


def _word_lists(text: str) -> str:
    """Pasted Word list lines rewritten as Markdown list items; every other line as it is.

    A small line-by-line step, because the list markers Word leaves in plain text are no
    Markdown: the parser (not this step) still decides what is a list. Nesting follows
    Word's bullet per level ("•", then "o", then "▪") under the item before it. Word puts
    no blank line between a list and the paragraph after it, so a line that is no item
    ends a pasted list (Markdown would make it part of the last item).
    """
    lines = []
    # The open list levels: (Word's level of their bullet, content offset of their items).
    open_levels: list[tuple[int, int]] = []
    for line in text.split("\n"):
        item = _word_item(line)
        if item is None:
            if open_levels and line.strip():
                lines.append("")
            open_levels = []
            lines.append(line)
            continue
        level, marker, rest = item
        while open_levels and open_levels[-1][0] > level:
            open_levels.pop()
        if open_levels and open_levels[-1][0] == level:
            open_levels.pop()
        indent = sum(width for _level, width in open_levels)
        open_levels.append((level, len(marker) + 1))
        lines.append(" " * indent + marker + " " + rest)
    return "\n".join(lines)


def tokens(text: str) -> list[Token]:
    """The markdown-it token stream of a text (after the Word-list step)."""
    return _parser().parse(_word_lists(text or ""))


def sanitise(html: str) -> str:
    """HTML reduced to the subset's tags and attributes, links to http, https, mailto."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render(text: str | None) -> SafeString:
    """A text as sanitised HTML (empty for an empty text)."""
    if not text or not text.strip():
        return mark_safe("")  # noqa: S308 - nothing to show
    md = _parser()
    html = md.renderer.render(tokens(text), md.options, {})
    return mark_safe(sanitise(html).strip())  # noqa: S308 - sanitised by nh3 just above


# A structure for outputs that are not HTML (the Word export, issue 15) ----------------


@dataclass
class Run:
    """A piece of text with its emphasis; "\\n" is a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""  # an http, https or mailto link; empty otherwise


@dataclass
class Paragraph:
    runs: list[Run] = field(default_factory=list)


@dataclass
class ListBlock:
    ordered: bool
    start: int = 1
    items: list[list[Paragraph | ListBlock]] = field(default_factory=list)


Block = Paragraph | ListBlock


def safe_href(href: str) -> str:
    """The link if its scheme is allowed (as `sanitise` decides for HTML), else ""."""
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return ""
    return href if scheme in URL_SCHEMES else ""


def blocks(text: str | None) -> list[Block]:
    """The text as paragraphs and (nested) lists of paragraphs, from the same tokens that
    `render` turns into HTML."""
    root: list[Block] = []
    containers: list[list[Block]] = [root]  # where the next block goes
    lists: list[ListBlock] = []
    for token in tokens(text or ""):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            start = token.attrGet("start")
            found = ListBlock(ordered=token.type == "ordered_list_open", start=int(start or 1))
            containers[-1].append(found)
            lists.append(found)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            item: list[Block] = []
            lists[-1].items.append(item)
            containers.append(item)
        elif token.type == "list_item_close":
            containers.pop()
        elif token.type == "inline":
            containers[-1].append(Paragraph(_runs(token.children or [])))
    return root


def _runs(children: list[Token]) -> list[Run]:
    runs: list[Run] = []
    bold = italic = 0
    href = ""
    for child in children:
        if child.type == "strong_open":
            bold += 1
        elif child.type == "strong_close":
            bold -= 1
        elif child.type == "em_open":
            italic += 1
        elif child.type == "em_close":
            italic -= 1
        elif child.type == "link_open":
            href = safe_href(str(child.attrGet("href") or ""))
        elif child.type == "link_close":
            href = ""
        elif child.type in ("softbreak", "hardbreak"):
            runs.append(Run("\n"))
        elif child.content:
            runs.append(Run(child.content, bold=bold > 0, italic=italic > 0, href=href))
    return runs
