"""The national catalogue page: every published program, and the signed-in person's own."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
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
from pathways.programs.models import DiagnosisCode, Membership, Program


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
    programs = filters.programs(request.user)
    mine: set[int] = set()
    if request.user.is_authenticated:
        # The person's programs: a short list, read once (not a lookup per program sorted).
        mine = set(
            Membership.objects.filter(user=request.user).values_list("program_id", flat=True)
        )
        # A member's unpublished programs show their codes as they stand (one query a page).
        unpublished_codes = DiagnosisCode.objects.filter(program__catalogue_entry__isnull=True)
        programs = programs.prefetch_related(
            Prefetch(
                "diagnosis_codes",
                queryset=unpublished_codes.select_related("code_system").order_by("position"),
                to_attr="draft_codes",
            )
        )
    page = paginate(request, programs)
    labels = {code: regions.region_label(code, every_region) for code in every_region}
    rows = [_row(p, _entry(p), p.pk in mine, labels) for p in page.object_list]
    context = {"filters": filters, "page": page, "rows": rows}
    return render(request, "catalogue/catalogue_list.html", context)


def _entry(program: Program) -> CatalogueEntry | None:
    try:
        return program.catalogue_entry
    except CatalogueEntry.DoesNotExist:
        return None


def _row(
    program: Program,
    entry: CatalogueEntry | None,
    member: bool,
    labels: dict[str, str],
) -> Row:
    program_url = reverse("programs:detail", args=[program.code]) if member else ""
    status = program.get_status_display()
    if entry is None:
        return Row(
            title=program.title,
            region=labels.get(program.region, program.region),
            status=status,
            codes=[
                code_line(c.code_system.key, c.code, c.label)
                for c in getattr(program, "draft_codes", [])
            ],
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
