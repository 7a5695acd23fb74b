"""The national catalogue page: every published program, and the signed-in person's own."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from pathways.catalogue.links import public_program_path
from pathways.catalogue.models import CatalogueEntry
from pathways.catalogue.search import CatalogueFilterForm
from pathways.pagination import paginate
from pathways.programs import regions
from pathways.programs.codes import code_line
from pathways.programs.models import DiagnosisCode, Program


@dataclass
class Row:
    """One program as the catalogue lists it."""

    title: str
    region: str
    status: str
    codes: list[str]
    # The published version shown, if any, and its public page.
    number: str = ""
    published_on: datetime.date | None = None
    public_url: str = ""
    # The program page, for a member (the draft as it stands).
    program_url: str = ""


@require_safe
def catalogue_list(request: HttpRequest) -> HttpResponse:
    every_region = regions.all_regions()  # one query: the form's choices and the labels
    filters = CatalogueFilterForm(request.GET, regions=every_region)
    page = paginate(request, filters.programs(request.user))
    programs = list(page.object_list)
    draft_codes = _draft_codes([p for p in programs if not _entry(p)])
    labels = {code: regions.region_label(code, every_region) for code in every_region}
    rows = [_row(p, _entry(p), draft_codes, labels) for p in programs]
    context = {"filters": filters, "page": page, "rows": rows}
    return render(request, "catalogue/catalogue_list.html", context)


def _entry(program: Program) -> CatalogueEntry | None:
    try:
        return program.catalogue_entry
    except CatalogueEntry.DoesNotExist:
        return None


def _draft_codes(programs: list[Program]) -> dict[int, list[str]]:
    """The diagnosis codes of the listed unpublished programs, as a reader sees them (one
    query, none if there are no such programs)."""
    found: dict[int, list[str]] = {p.pk: [] for p in programs}
    if programs:
        codes = DiagnosisCode.objects.filter(program__in=programs).select_related("code_system")
        for code in codes.order_by("program", "position"):
            found[code.program_id].append(code_line(code.code_system.key, code.code, code.label))
    return found


def _row(
    program: Program,
    entry: CatalogueEntry | None,
    draft_codes: dict[int, list[str]],
    labels: dict[str, str],
) -> Row:
    program_url = reverse("programs:detail", args=[program.code]) if program.is_member else ""
    status = program.get_status_display()
    if entry is None:
        return Row(
            title=program.title,
            region=labels.get(program.region, program.region),
            status=status,
            codes=draft_codes.get(program.pk, []),
            program_url=program_url,
        )
    return Row(
        title=entry.title,
        region=labels.get(entry.region, entry.region),
        status=status,
        codes=entry.code_list,
        number=entry.number,
        published_on=timezone.localdate(entry.published_at),
        public_url=public_program_path(program.code),
        program_url=program_url,
    )
