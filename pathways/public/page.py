"""Finding a published version for the public pages, and what its page shows.

Everything comes from published versions: the title and region as published
(ProgramVersion.title/region), the content from `version.document` through the PDF's view
model (pdf/render.py version_document). The program's own fields are the current draft,
which outsiders may not read, so only its code and key are loaded here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models.functions import Length
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from pathways.generic_model.models import ModelVersion
from pathways.pdf.document import Document
from pathways.pdf.render import version_document
from pathways.programs import exchange
from pathways.programs.models import Program
from pathways.public.phases import PhaseView, parts_by_phase
from pathways.public.who_does_what import ActorDuties, who_does_what
from pathways.versions.models import ProgramVersion, parse_number
from pathways.versions.views import published_title


def published_program(code: str) -> tuple[Program, list[ProgramVersion]]:
    """The program with short code `code` and its published versions, newest first (their
    numbers, dates and notes only); 404 unless at least one version is published."""
    program = Program.objects.only("pk", "code").filter(code=code).first()
    if program is None:
        raise Http404("No such program.")
    versions = list(
        ProgramVersion.objects.filter(program=program)
        .defer("pdf", "document")
        .order_by("-major", "-minor")
    )
    if not versions:
        raise Http404("No such program.")
    for version in versions:
        version.program = program
    return program, versions


def pick_version(versions: list[ProgramVersion], number: str | None) -> ProgramVersion:
    """The version numbered `number` (the newest when None); 404 for any other text."""
    if number is None:
        return versions[0]
    parsed = parse_number(number)
    for version in versions:
        if (version.major, version.minor) == parsed:
            return version
    raise Http404("No such version.")


def load_version(program: Program, version: ProgramVersion) -> ProgramVersion:
    """The version with its stored document and the size of its PDF (not the PDF itself)."""
    loaded = ProgramVersion.objects.defer("pdf").annotate(pdf_size=Length("pdf")).get(pk=version.pk)
    loaded.program = program
    return loaded


@dataclass
class Download:
    label: str
    url: str
    kind: str  # the file type, said in words ("PDF", "Word (.docx)")
    size: int | None = None  # bytes, when known without building the file


@dataclass
class PublicPage:
    program: Program
    version: ProgramVersion
    title: str
    doc: Document
    versions: list[ProgramVersion]
    newest: ProgramVersion
    actors: list[ActorDuties]
    phases: list[PhaseView]
    downloads: list[Download] = field(default_factory=list)
    region_label: str = ""  # the region as published (read once: a query each time)

    @property
    def is_newest(self) -> bool:
        return self.version.pk == self.newest.pk

    @property
    def code(self) -> str:
        return self.program.code


def public_page(
    program: Program, versions: list[ProgramVersion], shown: ProgramVersion
) -> PublicPage:
    version = load_version(program, shown)
    doc = version_document(version)
    named = version.document.get("model") or {}
    model = (
        ModelVersion.objects.only("pathway_diagram")
        .filter(slug=named.get("slug"), version=named.get("version"))
        .first()
    )
    phases = model.life_phases if model else []
    return PublicPage(
        program=program,
        version=version,
        title=published_title(version, program),
        doc=doc,
        versions=versions,
        newest=versions[0],
        actors=who_does_what(doc, version.document),
        phases=parts_by_phase(phases, doc.parts),
        downloads=downloads(program, version),
        region_label=version.region_label if version.region else "",
    )


def downloads(program: Program, version: ProgramVersion) -> list[Download]:
    """The version's files, each with its type and, where it costs nothing, its size."""
    args = [program.code, version.number]
    return [
        Download(
            _("PDF"),
            reverse("public:pdf", args=args),
            "PDF",
            # None while the task worker is still rendering it (pathways/pdf/jobs.py)
            getattr(version, "pdf_size", None) or None,
        ),
        Download(_("Word"), reverse("public:word", args=args), _("Word-dokument (.docx)")),
        Download(
            _("Programmet som JSON"),
            reverse("public:program_json", args=args),
            "JSON",
            len(exchange.dumps(version.document).encode("utf-8")),
        ),
        Download(
            _("FHIR PlanDefinition"),
            reverse("fhir:version", args=[program.code, version.number]),
            "FHIR JSON",
        ),
    ]
