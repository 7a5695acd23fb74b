"""The pathway overview as SVG: one box per part, in order, with the transitions marked.

Drawn for black-and-white print: kinds differ by border (solid, double for transitions,
dashed for parts judged not relevant), never by colour alone. All text is escaped.
"""

from __future__ import annotations

import textwrap

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from pathways.generic_model.models import SectionKind
from pathways.pdf.document import PartView

WIDTH = 640
BOX_WIDTH = 560
LEFT = 40
LINE = 15
ROW_GAP = 16


def _lines(text: str, width: int) -> list[str]:
    wrapped = textwrap.wrap(text, width=width) or [""]
    if len(wrapped) > 2:
        wrapped = [wrapped[0], textwrap.shorten(" ".join(wrapped[1:]), width=width)]
    return wrapped


def pathway_svg(parts: list[PartView]) -> SafeString:
    y = 10
    shapes: list[str] = []
    for index, part in enumerate(parts):
        section = part.step.section
        is_transition = section.kind == SectionKind.TRANSITION
        title_lines = _lines(f"{section.number} {section.title}", 68)
        if not part.relevant:
            detail = _("Ikke relevant for målgruppen")
        else:
            detail = _("Ansvarlig: %(who)s") % {"who": part.responsible or "—"}
            if part.transitions:
                detail += " · " + _("%(n)d overgang(e)") % {"n": len(part.transitions)}
        lines = title_lines + _lines(detail, 80)
        height = 12 + LINE * len(lines)
        dash = ' stroke-dasharray="6 4"' if not part.relevant else ""
        shapes.append(
            f'<rect x="{LEFT}" y="{y}" width="{BOX_WIDTH}" height="{height}" rx="4" '
            f'fill="white" stroke="black" stroke-width="{2.5 if is_transition else 1}"{dash}/>'
        )
        if is_transition:  # double border marks a transition
            shapes.append(
                f'<rect x="{LEFT + 4}" y="{y + 4}" width="{BOX_WIDTH - 8}" height="{height - 8}"'
                f' rx="3" fill="none" stroke="black" stroke-width="0.75"/>'
            )
        for i, text in enumerate(lines):
            weight = "bold" if i < len(title_lines) else "normal"
            size = 12 if i < len(title_lines) else 10.5
            shapes.append(
                f'<text x="{LEFT + 12}" y="{y + 18 + i * LINE}" font-size="{size}" '
                f'font-weight="{weight}">{escape(text)}</text>'
            )
        if index < len(parts) - 1:
            x = LEFT + BOX_WIDTH / 2
            shapes.append(
                f'<line x1="{x}" y1="{y + height}" x2="{x}" y2="{y + height + ROW_GAP - 4}" '
                f'stroke="black" stroke-width="1.2" marker-end="url(#arrow)"/>'
            )
        y += height + ROW_GAP
    title = escape(_("Forløbsoverblik: programmets dele og overgange i rækkefølge"))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {y}" '
        f'role="img" aria-label="{title}" font-family="Source Sans 3, sans-serif">'
        f"<title>{title}</title>"
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="black"/></marker>'
        "</defs>" + "".join(shapes) + "</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text node above is escaped
