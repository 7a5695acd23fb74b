"""A structural PDF/UA-1 check with pikepdf (no validator is installable here).

`pdf_ua_problems(content)` lists, in words, what a screen reader or a validator would trip
over: marked content that is neither in the structure tree nor an artifact, text drawn
outside any marked content, heading levels that skip, table headers without a scope, a
table of contents not tagged as one, links without a description, and missing document
metadata. An empty list means the checks pass; it is not a full PDF/UA validation.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pikepdf

PDF_UA_XMP = "http://www.aiim.org/pdfua/ns/id/"
TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}


def _kids(element: pikepdf.Object) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def structure_elements(pdf: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Dictionary, int]]:
    """Every structure element reachable from the root, in reading order, with its depth."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    stack = [(kid, 0) for kid in reversed(_kids(root))]
    seen = set()
    while stack:
        element, depth = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            continue
        if element.objgen != (0, 0):
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        yield element, depth
        stack.extend((kid, depth + 1) for kid in reversed(_kids(element)))


def reachable_content(pdf: pikepdf.Pdf) -> dict[tuple[tuple[int, int], int], tuple[int, int]]:
    """(page object, MCID) of every marked-content item some structure element points to,
    and that element."""
    reachable = {}
    for element, _depth in structure_elements(pdf):
        page = element.get("/Pg")
        for kid in _kids(element):
            if isinstance(kid, int):
                if page is not None:
                    reachable[(page.objgen, int(kid))] = element.objgen
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                kid_page = kid.get("/Pg", page)
                reachable[(kid_page.objgen, int(kid.MCID))] = element.objgen
    return reachable


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    """The parent tree's number → value pairs (a flat /Nums array, as WeasyPrint writes)."""
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def marked_content(page: pikepdf.Page) -> Iterator[tuple[str, int | None, bool]]:
    """(tag, MCID or None, inside an artifact) of each marked-content sequence on a page,
    and ("", None, False) for each text-showing operator outside any marked content."""
    stack: list[tuple[str, bool]] = []
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BDC", "BMC"):
            tag = str(operands[0])
            mcid = None
            if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
                mcid = operands[1].get("/MCID")
            in_artifact = tag == "/Artifact" or (bool(stack) and stack[-1][1])
            stack.append((tag, in_artifact))
            yield tag, None if mcid is None else int(mcid), in_artifact
        elif name == "EMC":
            if stack:
                stack.pop()
        elif name in TEXT_OPERATORS and not stack:
            yield "", None, False


def pdf_ua_problems(content: bytes) -> list[str]:
    problems: list[str] = []
    pdf = pikepdf.open(io.BytesIO(content))
    root = pdf.Root

    # Catalog and metadata.
    mark_info = root.get("/MarkInfo")
    if mark_info is None or not bool(mark_info.get("/Marked", False)):
        problems.append("catalog: /MarkInfo /Marked is not true")
    if not str(root.get("/Lang", "")):
        problems.append("catalog: no /Lang")
    if "/StructTreeRoot" not in root:
        problems.append("catalog: no structure tree")
    xmp = bytes(root.Metadata.read_bytes()).decode("utf-8") if "/Metadata" in root else ""
    if PDF_UA_XMP not in xmp or not re.search(r"pdfuaid:part(>|=\")1", xmp):
        problems.append("XMP: no PDF/UA-1 identifier")
    if "xmp:CreateDate" not in xmp:
        problems.append("XMP: no xmp:CreateDate")
    if "/CreationDate" not in pdf.docinfo:
        problems.append("Info: no /CreationDate")

    # Every marked-content item is in the structure tree or an artifact.
    # The parent tree names, for each of them, the element that holds it.
    reachable = reachable_content(pdf)
    parents = parent_tree(pdf) if "/StructTreeRoot" in root else {}
    orphans = untagged = misparented = 0
    for page in pdf.pages:
        entries = parents.get(int(page.obj.get("/StructParents", -1)), [])
        for tag, mcid, in_artifact in marked_content(page):
            if in_artifact:
                continue
            if tag == "":
                untagged += 1
            elif mcid is None or (page.obj.objgen, mcid) not in reachable:
                orphans += 1
            elif mcid >= len(entries) or entries[mcid].objgen != reachable[(page.obj.objgen, mcid)]:
                misparented += 1
    if misparented:
        problems.append(f"{misparented} marked-content items the parent tree maps elsewhere")
    if orphans:
        problems.append(
            f"{orphans} marked-content items neither in the structure tree nor artifacts"
        )
    if untagged:
        problems.append(f"{untagged} text operators outside any marked content")

    # Headings never skip a level (the first may be H1 only).
    level = 0
    for element, _depth in structure_elements(pdf):
        match = re.fullmatch(r"/H([1-6])", str(element.S))
        if match:
            new = int(match.group(1))
            if new > level + 1:
                problems.append(
                    f"heading H{new} follows H{level}" if level else f"first heading is H{new}"
                )
            level = new

    # Table headers carry their scope; the table of contents is tagged as one.
    types = []
    for element, _depth in structure_elements(pdf):
        types.append(str(element.S))
        if element.S == "/TH":
            attributes = element.get("/A")
            attributes = (
                [attributes]
                if isinstance(attributes, pikepdf.Dictionary)
                else list(attributes or [])
            )
            scopes = [
                str(a.get("/Scope"))
                for a in attributes
                if a.get("/O") == "/Table" and "/Scope" in a
            ]
            if not scopes or scopes[0] not in ("/Row", "/Column", "/Both"):
                problems.append("a TH without /Scope")
    if "/TOC" not in types or "/TOCI" not in types:
        problems.append("no table of contents tagged TOC/TOCI")

    # Link annotations describe themselves and are in the structure tree (a Link element
    # holds each, and the parent tree names that element).
    holders = {
        kid.Obj.objgen: element.objgen
        for element, _depth in structure_elements(pdf)
        for kid in _kids(element)
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
    }
    for number, page in enumerate(pdf.pages, start=1):
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            if not str(annotation.get("/Contents", "")):
                problems.append(f"page {number}: a link annotation without /Contents")
            holder = holders.get(annotation.objgen)
            entry = parents.get(int(annotation.get("/StructParent", -1)))
            if holder is None or entry is None or entry.objgen != holder:
                problems.append(f"page {number}: a link annotation outside the structure tree")
    return problems


def orphan_count(content: bytes) -> int:
    """Marked-content items neither reachable from the structure tree nor artifacts."""
    pdf = pikepdf.open(io.BytesIO(content))
    reachable = reachable_content(pdf)
    return sum(
        1
        for page in pdf.pages
        for tag, mcid, in_artifact in marked_content(page)
        if tag and not in_artifact and (mcid is None or (page.obj.objgen, mcid) not in reachable)
    )
