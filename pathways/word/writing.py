"""Small helpers for writing Word (.docx) documents with python-docx.

General building blocks, not tied to any one document: the program export
(program_docx.py) uses them, and so can any other download a reviewer opens in Word
(a consultation summary, a list). What a reader of the file relies on:

- Headings use Word's own "Heading 1" … "Heading 9" styles, so the navigation pane and a
  table of contents Word builds list them.
- Tables are real Word tables whose first row is a header row repeated on every page
  (`w:tblHeader`), not text with tabs.
- The document's language is set both as a core property and as the default language of
  its text (spell checking, hyphenation, screen readers).
- Formatted answers (the Markdown subset of pathways/formatted_text.py) keep their
  paragraphs, line breaks, bold, italic, links and bullet and numbered lists.

Typical use::

    doc = new_document("Høringsnotat", "da-DK")
    heading(doc, "Høringssvar", 1)
    table(doc, ["Part", "Svar"], [["Aalborg Kommune", "Ingen bemærkninger"]])
    formatted(doc, "**Samlet:** se\\n\\n- punkt 1\\n- punkt 2")
    content = to_bytes(doc)
    return docx_response(content, "hoeringsnotat")
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from docx import Document as new_docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from pathways.download_names import content_disposition
from pathways.formatted_text import ListBlock, Run, blocks
from pathways.formatted_text import Paragraph as TextParagraph

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TABLE_STYLE = "Table Grid"

# Where paragraphs can go: the document itself or a table cell (both have add_paragraph).
Container = Document | _Cell

__all__ = [
    "CONTENT_TYPE",
    "docx_response",
    "facts",
    "formatted",
    "heading",
    "label_value",
    "landscape",
    "new_document",
    "page_break",
    "paragraph",
    "paragraphs",
    "portrait",
    "table",
    "to_bytes",
]


def new_document(
    title: str,
    language: str = "da-DK",
    *,
    author: str = "",
    subject: str = "",
    keywords: str = "",
) -> Document:
    """An empty document (python-docx's default template) with its core properties set
    (title, language, author, subject, keywords) and `language` as the default language
    of all its text."""
    doc = new_docx()
    props = doc.core_properties
    props.title = title
    props.language = language
    props.author = author
    props.subject = subject
    props.keywords = keywords
    props.comments = ""
    # The text's language: docDefaults/rPrDefault/rPr/w:lang (what Word spell-checks in).
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        doc.styles.element.insert(0, defaults)
    r_pr_default = _child(defaults, "w:rPrDefault")
    r_pr = _child(r_pr_default, "w:rPr")
    lang = _child(r_pr, "w:lang")
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), language)
    return doc


def heading(doc: Document, text: str, level: int) -> Paragraph:
    """A heading in Word's "Heading <level>" style (level 1–9; 0 is the "Title" style)."""
    return doc.add_heading(text, level=max(0, min(level, 9)))


def paragraph(
    container: Container,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    style: str | None = None,
) -> Paragraph:
    """One paragraph of plain text; a "\\n" in the text is a line break."""
    p = container.add_paragraph(style=style)
    if text:
        _add_text(p, text, bold=bold, italic=italic)
    return p


def paragraphs(container: Container, text: str) -> list[Paragraph]:
    """Plain text as paragraphs: a blank line starts a new paragraph, a single line break
    stays a line break. Nothing is written for an empty text."""
    chunks = [c.strip("\n") for c in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [paragraph(container, c) for c in chunks if c.strip()]


def label_value(container: Container, label: str, value: str, *, empty: str = "") -> Paragraph:
    """ "Label: value" on one paragraph, the label in bold; `empty` stands in for no value."""
    p = container.add_paragraph()
    p.add_run(f"{label}: ").bold = True
    _add_text(p, value or empty)
    return p


def facts(
    container: Container, pairs: Iterable[tuple[str, str]], *, empty: str = ""
) -> list[Paragraph]:
    """Several label/value pairs, one paragraph each (see `label_value`)."""
    return [label_value(container, label, value, empty=empty) for label, value in pairs]


def formatted(container: Container, text: str | None, *, empty: str = "") -> list[Paragraph]:
    """A text in the Markdown subset of pathways/formatted_text.py (what planners write in
    long fields) as Word paragraphs: runs keep bold, italic and links; bullet and numbered
    lists become Word list paragraphs ("List Bullet", "List Number"; nested lists the
    "… 2" and "… 3" styles), each numbered list numbered from its own start. An empty
    text writes `empty` as a paragraph (nothing when `empty` is "")."""
    found = blocks(text)
    if not found:
        return [paragraph(container, empty)] if empty else []
    written: list[Paragraph] = []
    _write_blocks(container, found, written, depth=0)
    return written


def table(
    container: Container,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    formatted_columns: Iterable[int] = (),
    style: str = TABLE_STYLE,
) -> Table:
    """A Word table: `header` as its first row (bold, repeated at the top of each page)
    and one row per item of `rows`, each a sequence of cell texts as long as the header.
    Cells in `formatted_columns` (column indexes) are written with `formatted`, the rest
    as plain text (a "\\n" is a line break)."""
    rich = set(formatted_columns)
    t = container.add_table(rows=1, cols=len(header))
    t.style = style
    mark_header_row(t.rows[0])
    for cell, text in zip(t.rows[0].cells, header, strict=True):
        _set_cell(cell, text, bold=True)
    for values in rows:
        cells = t.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            if index in rich:
                _clear(cell)
                formatted(cell, text)
                if not cell.paragraphs:
                    cell.add_paragraph()
            else:
                _set_cell(cell, text)
    return t


def mark_header_row(row) -> None:
    """Mark a table row as a header row Word repeats at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        tr_pr.append(header)


def page_break(doc: Document) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def landscape(doc: Document) -> None:
    """Continue on a new page in landscape (for a wide table)."""
    _orient(doc, WD_ORIENT.LANDSCAPE)


def portrait(doc: Document) -> None:
    """Continue on a new page in portrait (after `landscape`)."""
    _orient(doc, WD_ORIENT.PORTRAIT)


def to_bytes(doc: Document) -> bytes:
    """The document as the bytes of a .docx file."""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_response(content: bytes, stem: str) -> HttpResponse:
    """An HTTP download of a .docx file named `<stem>.docx` (æ, ø and å kept, see
    pathways/download_names.py)."""
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(stem, "docx")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Internals ------------------------------------------------------------------------


def _child(parent, tag: str):
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def _add_text(p: Paragraph, text: str, *, bold: bool = False, italic: bool = False) -> None:
    for i, line in enumerate(text.replace("\r\n", "\n").split("\n")):
        run = p.add_run()
        if i:
            run.add_break()
        run.add_text(line)
        run.bold = bold or None
        run.italic = italic or None


def _clear(cell: _Cell) -> None:
    for p in list(cell.paragraphs):
        p._p.getparent().remove(p._p)


def _set_cell(cell: _Cell, text: str, *, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    _add_text(p, text or "", bold=bold)


def _orient(doc: Document, orientation) -> None:
    current = doc.sections[-1]
    if current.orientation == orientation:
        return
    section = doc.add_section()
    width, height = current.page_width, current.page_height
    section.orientation = orientation
    section.page_width, section.page_height = height, width


_LIST_STYLES = {False: "List Bullet", True: "List Number"}


def _list_style(ordered: bool, depth: int) -> str:
    base = _LIST_STYLES[ordered]
    level = min(depth, 2)
    return base if level == 0 else f"{base} {level + 1}"


def _write_blocks(container: Container, found, written: list[Paragraph], depth: int) -> None:
    for block in found:
        if isinstance(block, TextParagraph):
            p = container.add_paragraph()
            _write_runs(p, block.runs)
            written.append(p)
        elif isinstance(block, ListBlock):
            _write_list(container, block, written, depth)


def _write_list(container: Container, block: ListBlock, written: list[Paragraph], depth: int):
    style = _list_style(block.ordered, depth)
    num_id = _restarted_numbering(container, style, block.start) if block.ordered else None
    for item in block.items:
        first = True
        for sub in item:
            if isinstance(sub, ListBlock):
                _write_list(container, sub, written, depth + 1)
                continue
            # A list item's first paragraph carries the bullet or number; later ones are
            # the same item's continuation ("List Continue").
            p = container.add_paragraph(
                style=style if first else ("List Continue" if depth == 0 else "List Continue 2")
            )
            if first and num_id is not None:
                num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = num_id
            _write_runs(p, sub.runs)
            written.append(p)
            first = False


def _restarted_numbering(container: Container, style: str, start: int) -> int | None:
    """A new numbering instance for one numbered list, so each list counts from its own
    start (python-docx's list styles would otherwise run on across lists)."""
    doc_part = container.part
    try:
        style_el = doc_part.styles[style].element
        num_id = style_el.pPr.numPr.numId.val
        numbering = doc_part.numbering_part.element
    except (KeyError, AttributeError):
        return None
    num = numbering.num_having_numId(num_id)
    abstract_id = num.abstractNumId.val
    new = numbering.add_num(abstract_id)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start_override = OxmlElement("w:startOverride")
    start_override.set(qn("w:val"), str(start))
    override.append(start_override)
    new.append(override)
    return new.numId


def _write_runs(p: Paragraph, runs: list[Run]) -> None:
    for run in runs:
        if run.text == "\n":
            p.add_run().add_break()
        elif run.href:
            _hyperlink(p, run)
        else:
            r = p.add_run(run.text)
            r.bold = run.bold or None
            r.italic = run.italic or None


def _hyperlink(p: Paragraph, run: Run) -> None:
    """A link Word follows on Ctrl+click: a w:hyperlink around a blue, underlined run."""
    r_id = p.part.relate_to(run.href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    p._p.append(link)
    # Build the run in the paragraph, then move it into the hyperlink.
    r = p.add_run(run.text)
    r.bold = run.bold or None
    r.italic = run.italic or None
    r.underline = True
    r.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.append(r._r)
