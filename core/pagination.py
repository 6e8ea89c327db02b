"""A page of a queryset and the number of rows over all pages from one query (issue 19).

Django's paginator asks twice: ``COUNT(*)`` over the filtered queryset, then the page's rows; each query is
compiled on its own, which for a heavily annotated queryset (the workplace finder) costs as much as running it.
Here the rows carry a window count, ``COUNT(*) OVER ()``, which the database works out before ``LIMIT``: the page
and the total in one query, compiled once. Pages out of range keep Django's ``get_page`` behaviour (the first
page for a number that is not one, the last page for one past the end or below one, however large); only then
does it ask twice.
"""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

TOTAL = "page_total_rows"
# A page number whose offset no list reaches (and a database's integer could overflow, "bigint out of range") goes
# the paginator's way, which counts first and answers with the last page.
MAX_OFFSET = 10**9


def counted_page(queryset, per_page: int, number) -> Page:
    """``Paginator(queryset, per_page).get_page(number)`` in one query when the page exists."""
    try:
        wanted = int(number) if number is not None else 1
    except (TypeError, ValueError):
        wanted = 1
    start = (wanted - 1) * per_page
    if wanted >= 1 and start <= MAX_OFFSET:
        rows = list(queryset.annotate(**{TOTAL: Window(Count("pk"))})[start : start + per_page])
        if rows or wanted == 1:
            paginator = Paginator(queryset, per_page)
            paginator.count = getattr(rows[0], TOTAL) if rows else 0  # instead of the cached COUNT query
            return Page(rows, wanted, paginator)
    return Paginator(queryset, per_page).get_page(number)
