"""The committee's agreement overview shows its table a page at a time; the counts stay over every workplace and
the year is kept on the page links (issue 19)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import views
from agreements.models import Agreement
from core.versioned_cache import model_version_bump
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
    # A later page costs what the first does, each built anew (not from the cache).
    model_version_bump(Agreement)
    first_built = _count(client, url, year)
    model_version_bump(Agreement)
    with django_assert_num_queries(first_built):
        second = client.get(url, {"year": year, "page": 2})
    assert second.content.decode().count('data-testid="overview-row"') == 2
    assert "Page 2 of 2" in second.content.decode() or "Side 2 af 2" in second.content.decode()
    # A page beyond the last shows the last one, not an error; one that is not a number the first.
    last = client.get(url, {"year": year, "page": 99}).content.decode()
    assert ("Page 2 of 2" in last or "Side 2 af 2" in last) and last.count('data-testid="overview-row"') == 2
    assert client.get(url, {"year": year, "page": "x"}).content.decode().count('data-testid="overview-row"') == 3


def _count(client, url, year) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(url, {"year": year})
    return len(context.captured_queries)


def _counts(client, url, year) -> dict[str, str]:
    """The overview's count cards and per-state counts as the page shows them."""
    import re

    page = client.get(url, {"year": year}).content.decode()
    found = dict(re.findall(r'data-testid="count-(\w+)">(\d+)<', page))
    found.update(re.findall(r'<li class="list-inline-item mb-2" data-status="(\w+)">.*?</span> (\d+)</li>', page))
    return found


def test_the_overview_counts_come_from_the_cache_and_show_every_change_at_once(cast, client_for):
    """The counts over every workplace are cached (issue 19): a new agreement, a step in its workflow, a bulk
    write, a workplace leaving the committee or closing, and a renamed workplace show on the next request."""
    from agreements.models import Agreement, Status
    from tests.agreements.conftest import make_agreement, step

    second = factories.WorkplaceFactory(name="Skolen ved Søen", committees=[cast.committee])
    client = client_for(cast.chair)
    url = reverse("agreements:committee-overview", args=[cast.committee.slug])
    year = timezone.localdate().year
    assert _counts(client, url, year) == {"total": "2", "with": "0", "missing": "2"}

    agreement = make_agreement(cast, Status.CONSULTATION)  # a new agreement, walked through the services
    assert _counts(client, url, year) == {"total": "2", "with": "1", "missing": "1", "consultation": "1"}

    step(agreement, cast, "submit")  # a status change
    assert _counts(client, url, year) == {"total": "2", "with": "1", "missing": "1", "submitted": "1"}

    Agreement.objects.filter(pk=agreement.pk).update(status=Status.APPROVED)  # a bulk write sends no signal
    assert _counts(client, url, year) == {"total": "2", "with": "1", "missing": "1", "approved": "1"}

    second.committees.remove(cast.committee)  # a workplace leaves the committee
    assert _counts(client, url, year) == {"total": "1", "with": "1", "missing": "0", "approved": "1"}

    second.committees.add(cast.committee)
    second.is_active = False  # a workplace closes
    second.save()
    assert _counts(client, url, year) == {"total": "1", "with": "1", "missing": "0", "approved": "1"}

    cast.workplace.name = "Børnehuset Mælkebøtten"  # a renamed workplace: the rows are never cached
    cast.workplace.save()
    assert "Børnehuset Mælkebøtten" in client.get(url, {"year": year}).content.decode()


def test_the_overview_counts_are_per_committee_and_year(cast, client_for):
    from agreements.models import Status
    from tests.agreements.conftest import make_agreement

    make_agreement(cast, Status.CONSULTATION)
    year = timezone.localdate().year
    chair = client_for(cast.chair)
    url = reverse("agreements:committee-overview", args=[cast.committee.slug])
    assert _counts(chair, url, year)["with"] == "1"
    assert _counts(chair, url, year + 1)["with"] == "0"
    admin = client_for(cast.administrator)
    other = reverse("agreements:committee-overview", args=[cast.other_committee.slug])
    assert _counts(admin, other, year) == {"total": "1", "with": "0", "missing": "1"}


def test_the_overview_table_comes_from_the_cache_and_shows_every_change_at_once(cast, client_for):
    """A page of the table is kept per committee, year, page and language (issue 19): a new agreement, a status
    change, a renamed workplace and a renamed kind of workplace show on the next request."""
    from agreements.models import Status
    from tests.agreements.conftest import make_agreement, step

    client = client_for(cast.chair)
    url = reverse("agreements:committee-overview", args=[cast.committee.slug])
    year = timezone.localdate().year

    def row() -> str:
        page = client.get(url, {"year": year}).content.decode()
        start = page.index('data-slug="solsikken"')
        return page[start : page.index("</tr>", start)]

    assert 'data-testid="agreement-missing"' in row()
    agreement = make_agreement(cast, Status.CONSULTATION)
    assert 'data-status="consultation"' in row()
    step(agreement, cast, "submit")
    assert 'data-status="submitted"' in row()
    cast.workplace.name = "Børnehuset Mælkebøtten"
    cast.workplace.save()
    assert "Børnehuset Mælkebøtten" in row()
    kind = cast.workplace.kind
    kind.name = "Vuggestue og børnehave"
    kind.save()
    assert "Vuggestue og børnehave" in row()


def test_the_overview_table_is_kept_per_language(cast, client_for):
    client = client_for(cast.chair)
    url = reverse("agreements:committee-overview", args=[cast.committee.slug])
    cast.chair.language = "da"
    cast.chair.save()
    assert ">Mangler</span>" in client.get(url).content.decode()
    cast.chair.language = "en"
    cast.chair.save()
    page = client.get(url).content.decode()
    assert ">Missing</span>" in page
    assert ">Mangler</span>" not in page


def test_the_kept_overview_shows_a_renamed_committee_and_stays_with_its_committee(cast, client_for):
    """The committee is kept by its slug and the content per committee (issue 19): a new name or slug shows at once,
    and only those who may see the overview see it."""
    from meetings.models import Committee

    url = reverse("agreements:committee-overview", args=[cast.committee.slug])
    assert client_for(cast.chair).get(url).status_code == 200
    assert client_for(cast.other_member).get(url).status_code == 404  # kept, and still not theirs
    assert client_for(cast.administrator).get(url).status_code == 200
    cast.committee.name = "Udvalget for Børn og Læring"
    cast.committee.save()
    page = client_for(cast.chair).get(url).content.decode()
    assert page.count("Udvalget for Børn og Læring") >= 3  # the title, the breadcrumb, the heading
    Committee.objects.filter(pk=cast.committee.pk).update(slug="boern-og-laering")  # a bulk write
    assert client_for(cast.chair).get(url).status_code == 404
    moved = reverse("agreements:committee-overview", args=["boern-og-laering"])
    assert "Udvalget for Børn og Læring" in client_for(cast.chair).get(moved).content.decode()
    assert client_for(cast.chair).get(reverse("agreements:committee-overview", args=["ingen"])).status_code == 404


@pytest.mark.parametrize("extra", [0, 12])
def test_the_overview_runs_no_query_warm_and_the_same_queries_built_anew_at_every_size(cast, client_for, extra):
    factories.WorkplaceFactory.create_batch(extra, committees=[cast.committee])
    client = client_for(cast.chair)
    url = reverse("agreements:committee-overview", args=[cast.committee.slug])
    year = timezone.localdate().year
    client.get(url, {"year": year})
    assert _count(client, url, year) == 0
    model_version_bump(Agreement)
    assert _count(client, url, year) == 2  # the counts over every workplace, the page's rows
    from meetings.models import Committee

    model_version_bump(Committee)
    assert _count(client, url, year) == 2  # the committee, the page's rows (the counts are still valid)
