"""HTML → PDF with WeasyPrint: tagged (PDF/UA-1), our fonts, nothing fetched from outside."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from pathways.generic_model.models import ModelVersion
from pathways.pdf import tagging
from pathways.pdf.document import Document, HistoryRow, build_document, chapter_titles
from pathways.pdf.fetcher import BASE_URL, StaticFilesOnlyFetcher
from pathways.programs.completeness import assess
from pathways.programs.data import load_model_data, load_program_data
from pathways.programs.document import program_document
from pathways.programs.models import Program
from pathways.versions.models import ProgramVersion


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    title: str
    level: int


def table_of_contents(doc: Document) -> list[TocEntry]:
    """The document's own chapters and, under "Forløbets dele", its parts nested as the
    model nests them (a part's level: 2 for 4.1, 3 for 4.1.3)."""
    chapters = doc.chapters or chapter_titles()
    entries = [
        TocEntry("overview-summary", _("Overblik"), 1),
        TocEntry("matrix", _("Ansvarsmatrix"), 1),
    ]
    for anchor, title in chapters.items():
        entries.append(TocEntry(anchor, title, 1))
        if anchor == "implementation":
            entries.append(TocEntry("offer-gaps", _("Behov uden tilbud"), 2))
        if anchor != "parts":
            continue
        if doc.pathway:
            entries.append(TocEntry("pathway", doc.pathway_title, 2))
        for p in doc.parts:
            if not p.relevant:
                continue
            entries += [
                TocEntry(anchor, f"{number} {title}", level)
                for anchor, number, title, _model, level in p.group_headings
            ]
            entries.append(TocEntry(p.anchor, f"{p.number} {p.title}", p.level))
    entries += [
        TocEntry("appendix-not-relevant", _("Bilag A. Vurderet ikke relevant"), 1),
        TocEntry("appendix-resources", _("Bilag B. Videnskilder og lovgrundlag"), 1),
    ]
    return entries


def document_html(doc: Document) -> str:
    # The PDF is a Danish document whatever language the person exporting it reads.
    with override("da"):
        return render_to_string(
            "pdf/program.html",
            {
                "doc": doc,
                "toc": table_of_contents(doc),
                "unanswered": _("ikke besvaret"),
                "diagram": doc.diagram,
            },
        )


tagging.stamp_origins()


def link_descriptions(root) -> dict[str, str]:
    """What each link in the document leads to, in Danish, from the link's own text: the
    description a link annotation carries for assistive technology. Keyed by the target
    as the PDF names it (a fragment without "#", or the URL)."""
    descriptions: dict[str, str] = {}
    with override("da"):
        for link in root.iter():
            if link.tag not in ("a", "{http://www.w3.org/1999/xhtml}a"):
                continue
            href = link.get("href") or ""
            text = " ".join("".join(link.itertext()).split())
            if href.startswith("#"):
                target = href[1:]
                description = _("Gå til %(title)s") % {"title": text or target}
            elif href:
                target = href
                description = (
                    _("Åbn %(url)s") % {"url": href}
                    if not text or text == href
                    else _("%(text)s (åbner %(url)s)") % {"text": text, "url": href}
                )
            else:
                continue
            descriptions.setdefault(target, description)
    return descriptions


def html_to_pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnlyFetcher())
    written = document.write_pdf(font_config=FontConfiguration(), pdf_variant="pdf/ua-1")
    # WeasyPrint's tagging is not yet PDF/UA on its own: see pathways/pdf/tagging.py.
    descriptions = link_descriptions(document.etree_element)
    return tagging.finish(written, describe_link=lambda target, _internal: descriptions.get(target))


def history_rows(program: Program, *, up_to: ProgramVersion | None = None) -> list[HistoryRow]:
    """The program's published versions (up to and including `up_to`), oldest first."""
    versions = ProgramVersion.objects.filter(program=program).order_by("major", "minor")
    rows = []
    for v in versions.defer("pdf", "document"):
        if up_to is not None and (v.major, v.minor) > (up_to.major, up_to.minor):
            break
        rows.append(
            HistoryRow(
                number=v.number,
                # The local date, as the version's own PDF prints its publication date.
                date=timezone.localdate(v.published_at),
                note=v.change_note,
            )
        )
    return rows


def draft_inputs(program: Program) -> dict[str, Any]:
    """Everything the draft PDF is built from, read once (also what its cache key hashes:
    pathways/pdf/draft_key.py)."""
    history = history_rows(program)
    data = load_program_data(program)
    report = assess(data)
    with override("da"):
        label = (
            _("Udkast efter version %(v)s") % {"v": history[-1].number} if history else _("Udkast")
        )
    return {
        "document": program_document(data),
        "model": data.model(),
        "version_label": label,
        "date": timezone.localdate(),
        "history": history,
        "completeness": (report.coverage_percent, report.gap_count),
    }


def draft_document(program_or_inputs: Program | dict[str, Any]) -> Document:
    inputs = (
        program_or_inputs
        if isinstance(program_or_inputs, dict)
        else draft_inputs(program_or_inputs)
    )
    return build_document(
        inputs["document"],
        inputs["model"],
        version_label=inputs["version_label"],
        is_draft=True,
        date=inputs["date"],
        history=inputs["history"],
        completeness=inputs["completeness"],
    )


def draft_pdf(program: Program) -> bytes:
    """The program as it stands now, marked as a draft on every page."""
    return html_to_pdf(document_html(draft_document(program)))


def version_document(version: ProgramVersion) -> Document:
    """A published version's PDF view from its stored document alone (and the generic model
    the document names): what its PDF said when it was published."""
    document = version.document
    if not document:
        raise ValueError(f"Version {version.number} has no stored program document.")
    named = document["model"]
    model = ModelVersion.objects.get(slug=named["slug"], version=named["version"])
    return build_document(
        document,
        load_model_data(model),
        version_label=version.number,
        is_draft=False,
        date=timezone.localdate(version.published_at),
        history=history_rows(version.program, up_to=version),
    )


def version_pdf_html(version: ProgramVersion) -> str:
    return document_html(version_document(version))
