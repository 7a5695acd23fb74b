"""Long lists in pages: the page a URL asks for (a page number out of range or not a number
gives the nearest page, never an error) and the links its navigation shows."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(
    request: HttpRequest,
    items,
    per_page: int = PAGE_SIZE,
    *,
    param: str = "page",
    fragment: str = "",
) -> Page:
    """`?<param>=` of `items` (a page with several lists gives each its own parameter), with
    `numbers`: the page numbers to link, "…" for a gap, and `links`: (number, href) with
    href None for a gap; `previous_href`/`next_href`. Each href keeps the rest of the query
    and ends in `#fragment` (where the list starts) when given
    (templates/_pagination.html shows them)."""
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    page.numbers = list(page.paginator.get_elided_page_range(page.number, on_each_side=2))

    def href(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}" + (f"#{fragment}" if fragment else "")

    page.links = [(n, None if n == page.paginator.ELLIPSIS else href(n)) for n in page.numbers]
    page.previous_href = href(page.previous_page_number()) if page.has_previous() else None
    page.next_href = href(page.next_page_number()) if page.has_next() else None
    return page


def paginate_keys_first(
    request: HttpRequest, items: QuerySet, rows: QuerySet, per_page: int = PAGE_SIZE
) -> Page:
    """As `paginate`, but the database orders and skips only the keys of `items` (an index
    does that), then loads the page's rows from `rows` by key: with 10,000 programs,
    ordering whole rows made every page sort all of them, and re-applying the list's filter
    to 25 keys made it scan them again. One query more than `paginate`, the same on every
    page."""
    page = paginate(request, items.values_list("pk", flat=True), per_page)
    keys = list(page.object_list)
    found = rows.in_bulk(keys) if keys else {}
    page.object_list = [found[key] for key in keys if key in found]
    return page
