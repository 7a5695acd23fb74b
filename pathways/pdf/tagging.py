"""Finishing WeasyPrint's tagged PDF so it holds what PDF/UA-1 asks of it.

WeasyPrint 70 tags the content of page-margin boxes (running header, page numbers) as
marked content whose structure elements it never links into the tree, and it cannot declare
artifacts (Kozea/WeasyPrint#1836): a screen reader meets orphaned content on every page.
It also writes no /Scope on table headers, tags a table of contents as a plain list, splits
a table that runs over a page break into one table per page, and describes a link by its
bare target. This pass, run on every PDF the application writes, mends that:

- fragments of one element continued on the next page are joined into one element (WeasyPrint
  builds the structure page by page; `stamp_origins` marks which fragments belong together);
- a table header repeated on a continuation page is dropped from the structure (it is
  pagination, so its content becomes an artifact, as PDF/UA expects);
- every marked-content sequence no structure element reaches becomes `/Artifact`, and its
  parent-tree entry is removed;
- TH gets /Scope (Row when a cell of its own row names it as header, else Column);
- a list every item of which links within the document (the contents) becomes TOC/TOCI;
- link annotations get a description from the link's own text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator

import pikepdf
import pydyf
from pikepdf import Array, Dictionary, Name

# How WeasyPrint (pydyf) writes the start of a tagged marked-content sequence.
_MARKED = re.compile(rb"/(\w+)\s*<</MCID (\d+)>>\s*BDC")
# The private key that carries a fragment's origin from WeasyPrint to this pass.
ORIGIN = "/PathwaysOrigin"


def _kids(element: Dictionary) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(kid) -> bool:
    return isinstance(kid, Dictionary) and "/S" in kid


def _walk(root: Dictionary) -> Iterator[Dictionary]:
    stack = [k for k in reversed(_kids(root)) if _is_element(k)]
    while stack:
        element = stack.pop()
        yield element
        stack.extend(k for k in reversed(_kids(element)) if _is_element(k))


# --- Joining fragments across pages ----------------------------------------------------------


def _absolute(kid, page) -> object:
    """A kid that names its page itself, so it can move to an element on another page."""
    if isinstance(kid, int) and page is not None:
        return Dictionary(Type=Name.MCR, Pg=page, MCID=kid)
    return kid


def _join(pdf: pikepdf.Pdf, parent: Dictionary, moved: dict) -> None:
    """Join, among `parent`'s kids, each fragment with the one before it when both come
    from the same element; recurse into the joined children."""
    kids = _kids(parent)
    joined: list = []
    for kid in kids:
        previous = joined[-1] if joined else None
        if (
            _is_element(kid)
            and _is_element(previous)
            and ORIGIN in kid
            and kid.get(ORIGIN) == previous.get(ORIGIN)
            and kid.S == previous.S
            and kid.get("/Pg") != previous.get("/Pg")
        ):
            page = kid.get("/Pg")
            more = []
            for grandchild in _kids(kid):
                if _is_element(grandchild):
                    grandchild.P = previous
                    if kid.S == "/Table" and grandchild.S == "/THead":
                        continue  # the header repeated on the new page
                elif isinstance(grandchild, Dictionary) and grandchild.get("/Type") == "/OBJR":
                    grandchild.Pg = grandchild.get("/Pg", page)
                more.append(_absolute(grandchild, page))
            page_before = previous.get("/Pg")
            previous.K = Array([_absolute(k, page_before) for k in _kids(previous)] + more)
            moved[kid.objgen] = previous
            continue
        joined.append(kid)
    if len(joined) != len(kids):
        parent.K = Array(joined)
    for kid in joined:
        if _is_element(kid):
            _join(pdf, kid, moved)


# --- Roles -----------------------------------------------------------------------------------


def _table_scopes(table: Dictionary) -> None:
    """/Scope on every TH: Row when a cell of its own row lists it as header, else Column."""
    rows = [e for e in _walk(table) if e.S == "/TR"]
    for row in rows:
        cells = [k for k in _kids(row) if _is_element(k)]
        named_here = set()
        for cell in cells:
            attributes = cell.get("/A")
            if cell.S == "/TD" and isinstance(attributes, Dictionary):
                named_here.update(str(h) for h in attributes.get("/Headers", []))
        for cell in cells:
            if cell.S != "/TH":
                continue
            attributes = cell.get("/A")
            if not isinstance(attributes, Dictionary):
                attributes = cell.A = Dictionary(O=Name.Table)
            row_header = str(cell.get("/ID", "")) in named_here
            attributes.Scope = Name.Row if row_header else Name.Column


def _link_destinations(element: Dictionary) -> Iterator[pikepdf.Object]:
    for descendant in _walk(element):
        if descendant.S == "/Link":
            for kid in _kids(descendant):
                if isinstance(kid, Dictionary) and kid.get("/Type") == "/OBJR":
                    yield kid.Obj


def _is_toc(element: Dictionary) -> bool:
    """A list every item of which is a link within the document."""
    items = [k for k in _kids(element) if _is_element(k) and k.S == "/LI"]
    return bool(items) and all(
        any("/Dest" in annotation for annotation in _link_destinations(item)) for item in items
    )


def _toc(element: Dictionary) -> None:
    element.S = Name.TOC
    for item in _kids(element):
        if _is_element(item) and item.S == "/LI":
            item.S = Name.TOCI
            for part in _kids(item):
                if _is_element(part) and part.S == "/LBody":
                    part.S = Name.NonStruct  # TOCI holds Lbl, Reference, P or NonStruct


# --- Content ---------------------------------------------------------------------------------


def _reachable(root: Dictionary) -> dict[tuple[int, int], set[int]]:
    """For each page object, the MCIDs some structure element points to."""
    reachable: dict[tuple[int, int], set[int]] = {}
    for element in _walk(root):
        page = element.get("/Pg")
        for kid in _kids(element):
            if isinstance(kid, int):
                if page is not None:
                    reachable.setdefault(page.objgen, set()).add(int(kid))
            elif isinstance(kid, Dictionary) and kid.get("/Type") == "/MCR":
                reachable.setdefault(kid.get("/Pg", page).objgen, set()).add(int(kid.MCID))
    return reachable


def _artifacts(page: pikepdf.Page, reachable: set[int]) -> int:
    """Turn the page's marked content that no structure element reaches into artifacts."""
    contents = page.obj.Contents
    streams = list(contents) if isinstance(contents, Array) else [contents]
    count = 0

    def replace(match: re.Match) -> bytes:
        nonlocal count
        if int(match.group(2)) in reachable:
            return match.group(0)
        count += 1
        return b"/Artifact BMC"

    for stream in streams:
        data = stream.read_bytes()
        changed = _MARKED.sub(replace, data)
        if changed != data:
            stream.write(changed)
    return count


def _parent_tree(root: Dictionary, pdf: pikepdf.Pdf, reachable, moved: dict) -> None:
    """Drop parent-tree entries of content that became artifacts; point entries of joined
    fragments at the element they were joined into."""
    tree = root.ParentTree
    nums = tree.Nums
    pages = {int(p.obj.StructParents): p.obj.objgen for p in pdf.pages if "/StructParents" in p.obj}
    for i in range(0, len(nums), 2):
        key, value = int(nums[i]), nums[i + 1]
        if isinstance(value, Array):
            on_page = reachable.get(pages.get(key), set())
            nums[i + 1] = Array(
                moved.get(v.objgen, v) if mcid in on_page and isinstance(v, Dictionary) else None
                for mcid, v in enumerate(value)
            )
        elif isinstance(value, Dictionary) and value.objgen in moved:
            nums[i + 1] = moved[value.objgen]


# --- Links -----------------------------------------------------------------------------------


def _describe_links(pdf: pikepdf.Pdf, describe: Callable[[str, bool], str | None]) -> None:
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            if "/Dest" in annotation:
                description = describe(str(annotation.Dest), True)
            elif "/A" in annotation and "/URI" in annotation.A:
                description = describe(str(annotation.A.URI), False)
            else:
                description = None
            if description:
                annotation.Contents = pikepdf.String(description)


def stamp_origins() -> None:
    """Have WeasyPrint note on each structure element which box it was built from (the
    HTML element and pseudo-element), so fragments of one element on several pages can be
    joined. WeasyPrint is pinned; tests/pdf/test_pdf_ua.py fails if this stops working."""
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    if getattr(original, "stamps_origin", False):
        return

    def build_box_tree(box, *args, **kwargs):
        for element in original(box, *args, **kwargs):
            origin = getattr(box, "_box", box).element  # an absolute box's placeholder
            if origin is not None:
                element[ORIGIN[1:]] = pydyf.String(f"{id(origin)}:{box.element_tag}")
            yield element

    build_box_tree.stamps_origin = True
    tags._build_box_tree = build_box_tree


def finish(content: bytes, *, describe_link: Callable[[str, bool], str | None]) -> bytes:
    """The PDF `content` with the mends above; `describe_link(target, internal)` gives a
    link's description (a fragment name without "#", or a URL)."""
    pdf = pikepdf.open(io.BytesIO(content))
    root = pdf.Root.StructTreeRoot
    moved: dict = {}
    for document in _kids(root):
        _join(pdf, document, moved)
    for element in list(_walk(root)):
        if ORIGIN in element:
            del element[ORIGIN]
        if element.S == "/Table":
            _table_scopes(element)
        elif element.S == "/L" and _is_toc(element):
            _toc(element)
    reachable = _reachable(root)
    for page in pdf.pages:
        _artifacts(page, reachable.get(page.obj.objgen, set()))
    _parent_tree(root, pdf, reachable, moved)
    _describe_links(pdf, describe_link)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
