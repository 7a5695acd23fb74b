"""Reading exported PDFs back the way a reader (or a screen reader) would get the text."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def reader(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def flat(text: str) -> str:
    """Text without line breaks, hyphens or spaces, so wrapped words compare equal."""
    return re.sub(r"[\s\u00ad\u2010\u2011-]+", "", text).lower()


def page_texts(content: bytes) -> list[str]:
    return [page.extract_text() or "" for page in reader(content).pages]


def positioned_text(page) -> list[tuple[float, float, str]]:
    """(x, y) in points from the page's lower left, and the text, of every text fragment."""
    fragments = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            fragments.append((x, y, text.strip()))

    page.extract_text(visitor_text=visit)
    return fragments


def matrix_cells(content: bytes, actor_names: list[str], header: str = "Aktør") -> dict:
    """The responsibility matrix as printed: {(actor name, column label): cell text}, read
    from where each letter stands on the page (its row's first name line, its column's
    header), so a letter in the wrong cell is caught. Rows follow `actor_names` in order;
    a name may wrap over several lines. Empty cells are absent from the result."""
    cells: dict[tuple[str, str], str] = {}
    wanted = {flat(name): name for name in actor_names}
    pending = ""  # name lines read so far for the row being assembled
    for page in reader(content).pages:
        fragments = positioned_text(page)
        head = next((f for f in fragments if f[2] == header), None)
        if head is None:
            continue
        head_x, head_y = head[0], head[1]
        columns = sorted(
            (x, text) for x, y, text in fragments if abs(y - head_y) < 1 and x > head_x
        )
        rows: dict[float, str] = {}  # y of a row's first line → actor name
        first_y = None
        for x, y, text in fragments:
            if abs(x - head_x) < 1 and y < head_y - 1:
                first_y = y if not pending else first_y
                pending += flat(text)
                if pending in wanted:
                    rows[first_y] = wanted[pending]
                    pending = ""
        for x, y, text in fragments:
            if y >= head_y - 1 or x < columns[0][0] - 1 or len(text) > 2:
                continue
            row = next((name for row_y, name in rows.items() if abs(row_y - y) < 1), None)
            column = max((c for c in columns if c[0] <= x + 1), default=None)
            if row is not None and column is not None:
                cells[(row, column[1])] = text
    return cells
