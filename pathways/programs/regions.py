"""Which regions and approving bodies exist on a date, and what a region is called.

The regions are dated data (fixtures/regions/, loaded by `load_regions`), never code: from
1 January 2027 Region Hovedstaden and Region Sjælland are Region Østdanmark. A program stores
its region's code. A new program chooses among the regions valid on the day it is created;
an existing program keeps the region it was written for, and pages show that region with
its successor. Every function that depends on the date takes it as an argument; `today()`
is the one place that reads the clock.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pathways.programs.models import ApprovingBody, Region


def today() -> datetime.date:
    return timezone.localdate()


def all_regions() -> dict[str, Region]:
    """code → region, in the data's order (one query)."""
    return {r.code: r for r in Region.objects.order_by("position")}


def is_known(code: str) -> bool:
    return Region.objects.filter(code=code).exists()


def region_name(code: str, regions: dict[str, Region] | None = None) -> str:
    """The region's name; an unknown code (data not loaded) is shown as it is stored."""
    region = (regions if regions is not None else all_regions()).get(code)
    return region.name if region is not None else code


def successor(code: str, regions: dict[str, Region] | None = None) -> Region | None:
    regions = regions if regions is not None else all_regions()
    region = regions.get(code)
    if region is None or region.successor_id is None:
        return None
    return next((r for r in regions.values() if r.pk == region.successor_id), None)


def region_label(code: str, regions: dict[str, Region] | None = None) -> str:
    """The name, and where the region went: "Region Sjælland – fra 1. januar 2027 en del af
    Region Østdanmark". Shown wherever a program's region is shown (not in the PDF, which
    prints the region the program was written for)."""
    regions = regions if regions is not None else all_regions()
    name = region_name(code, regions)
    after = successor(code, regions)
    if after is None:
        return name
    start = after.valid_from or (regions[code].valid_to + datetime.timedelta(days=1))
    return _("%(region)s – fra %(date)s en del af %(successor)s") % {
        "region": name,
        "date": date_format(start, "DATE_FORMAT"),
        "successor": after.name,
    }


def region_labels() -> dict[str, str]:
    """code → label of every region (one query), for lists of programs."""
    regions = all_regions()
    return {code: region_label(code, regions) for code in regions}


def regions_valid_on(day: datetime.date) -> list[Region]:
    return [r for r in all_regions().values() if r.is_valid_on(day)]


def is_valid_on(code: str, day: datetime.date) -> bool:
    region = all_regions().get(code)
    return region is not None and region.is_valid_on(day)


def region_choices(
    day: datetime.date, *, keep: str = "", regions: dict[str, Region] | None = None
) -> list[tuple[str, str]]:
    """(code, label) of the regions valid on `day`, and of `keep` (the program's own region)
    even when it has ended: editing an existing program never forces it off its region."""
    regions = regions if regions is not None else all_regions()
    return [
        (code, region_label(code, regions))
        for code, region in regions.items()
        if region.is_valid_on(day) or code == keep
    ]


def all_region_choices(regions: dict[str, Region] | None = None) -> list[tuple[str, str]]:
    """(code, label) of every region ever: labels for a stored value, whatever its date."""
    regions = regions if regions is not None else all_regions()
    return [(code, region_label(code, regions)) for code in regions]


def bodies_valid_on(
    code: str, day: datetime.date, regions: dict[str, Region] | None = None
) -> list[ApprovingBody]:
    """The bodies that can approve a program of region `code` on `day`. A region that has
    ended by then is followed to its successor: a Region Sjælland program starting in 2027
    is agreed in one of Region Østdanmark's sundhedsråd."""
    regions = regions if regions is not None else all_regions()
    region = regions.get(code)
    seen: set[str] = set()
    while region is not None and not region.is_valid_on(day) and region.code not in seen:
        seen.add(region.code)
        region = next((r for r in regions.values() if r.pk == region.successor_id), None)
    if region is None:
        return []
    return [b for b in ApprovingBody.objects.filter(region=region) if b.is_valid_on(day)]
