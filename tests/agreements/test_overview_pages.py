"""The committee's agreement overview shows its table a page at a time; the counts stay over every workplace and
the year is kept on the page links (issue 19)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import views
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_overview_pages_its_table_and_keeps_the_year(client_for, cast, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(views, "OVERVIEW_PAGE_SIZE", 3)
    factories.WorkplaceFactory.create_batch(4, committees=[cast.committee])  # five with the cast's workplace
    client = client_for(cast.chair)
    url = reverse("agreements:committee-overview", args=[cast.committee.slug])
    year = timezone.localdate().year
    first = client.get(url, {"year": year})
    page = first.content.decode()
    assert page.count('data-testid="overview-row"') == 3
    assert '<p class="card-stat mb-0" data-testid="count-total">5</p>' in page
    assert f'href="?year={year}&amp;page=2"' in page
    with django_assert_num_queries(_count(client, url, year)):  # a later page costs what the first does
        second = client.get(url, {"year": year, "page": 2})
    assert second.content.decode().count('data-testid="overview-row"') == 2
    assert second.context["page"].number == 2
    # A page beyond the last shows the last one, not an error.
    assert client.get(url, {"year": year, "page": 99}).context["page"].number == 2


def _count(client, url, year) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(url, {"year": year})
    return len(context.captured_queries)
