"""Long lists in pages: the page a URL asks for (a page number out of range or not a number
gives the nearest page, never an error) and the numbers its navigation shows."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(request: HttpRequest, items, per_page: int = PAGE_SIZE) -> Page:
    """`?page=` of `items`, with `numbers`: the page numbers to link, "…" for a gap
    (templates/_pagination.html shows them, keeping the rest of the query)."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    page.numbers = list(page.paginator.get_elided_page_range(page.number, on_each_side=2))
    return page
