"""The secretariat's review of a year's plan shows the hosting history a page at a time, least served first, and
costs the same queries however many workplaces the committee has (issue 19)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.rotation import services, views
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafted(cast, rotation):
    return services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)


def _queries(client, url, **params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_the_history_table_pages_the_least_served_first(client, cast, drafted, monkeypatch):
    monkeypatch.setattr(views, "HISTORY_PAGE_SIZE", 2)
    client.force_login(cast.administrator)
    url = reverse("meetings:rotation-year", args=[cast.committee.slug, drafted.year])
    client.get(url)  # warm the session and caches
    history = client.get(url).context["review"].history
    assert len(history) > 2
    first, page = _queries(client, url)
    assert page.count('data-testid="history-row"') == 2
    assert 'href="?page=2#history-heading"' in page
    # The least served come first, and the next page goes on where the first stopped.
    assert [row.total for row in history] == sorted(row.total for row in history)
    missed, page = _queries(client, url, page=2)
    assert history[2].workplace.name in page and history[0].workplace.name not in page.split('id="history-heading"')[1]
    # Each page is a fragment of its own: read once (the same queries as the first page's first answer), then kept.
    second, again = _queries(client, url, page=2)
    assert second == first < missed
    history_table = 'id="history-heading"'
    assert again.split(history_table)[1].split("</section>")[0] == page.split(history_table)[1].split("</section>")[0]
    # The fairness panel still reads every workplace: the plan's hosts are all named.
    assert 'data-testid="fairness-panel"' in page


def test_the_review_costs_the_same_queries_with_more_workplaces(client, cast, drafted):
    client.force_login(cast.administrator)
    url = reverse("meetings:rotation-year", args=[cast.committee.slug, drafted.year])
    client.get(url)
    few, _page = _queries(client, url)
    factories.WorkplaceFactory.create_batch(30, committees=[cast.committee])
    client.get(url)
    many, page = _queries(client, url)
    assert many == few
    assert page.count('data-testid="history-row"') == views.HISTORY_PAGE_SIZE
