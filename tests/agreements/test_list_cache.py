"""The agreements list's content is kept per person, filter, page and language (issue 19): every change to what it
shows appears on the next request, and one person's kept page never reaches another."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import views
from agreements.models import Agreement, Status
from core.versioned_cache import model_version_bump
from meetings.models import CommitteeMembership, WorkplaceRole
from tests import factories
from tests.agreements.conftest import make_agreement, step

pytestmark = pytest.mark.django_db

URL = reverse("agreements:agreement-list")


def _page(client, **query) -> str:
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def _content(client, **query) -> str:
    """The page's own content (the header's forms carry the request's token and address)."""
    page = _page(client, **query)
    return page[page.index("<h1>") : page.index("</main>")]


def _row(page: str, agreement) -> str:
    start = page.index(f'data-testid="agreement-row-{agreement.pk}"')
    return page[start : page.index("</tr>", start)]


def _plain(cast, workplace, status, year=2024, committee=None):
    """An agreement written straight to the database (the services want the workplace's leader)."""
    return Agreement.objects.create(
        workplace=workplace,
        committee=committee or cast.committee,
        period_start=f"{year}-01-01",
        period_end=f"{year}-12-31",
        status=status,
    )


def _queries(client, **query) -> int:
    with CaptureQueriesContext(connection) as context:
        client.get(URL, query)
    return len(context.captured_queries)


def test_the_kept_list_shows_every_change_at_once(cast, client_for):
    """A step in the workflow, a bulk write, a new and a deleted agreement, a renamed workplace and committee."""
    chair = client_for(cast.chair)
    agreement = make_agreement(cast, Status.CONSULTATION)
    assert f"agreement-row-{agreement.pk}" not in _page(chair)  # a committee sees it from submission on
    step(agreement, cast, "submit")
    assert 'data-status="submitted"' in _row(_page(chair), agreement)
    step(agreement, cast, "approve")
    assert 'data-status="approved"' in _row(_page(chair), agreement)
    Agreement.objects.filter(pk=agreement.pk).update(status=Status.CHANGES_REQUESTED)  # a bulk write
    assert 'data-status="changes_requested"' in _row(_page(chair), agreement)
    cast.workplace.name = "Børnehuset Mælkebøtten"
    cast.workplace.save()
    assert "Børnehuset Mælkebøtten" in _row(_page(chair), agreement)
    cast.committee.name = "Udvalget for Børn og Læring"
    cast.committee.save()
    page = _page(chair)
    assert "Udvalget for Børn og Læring" in _row(page, agreement)
    assert ": Udvalget for Børn og Læring</a>" in page  # its overview button
    other = factories.WorkplaceFactory(slug="mejsen", name="Vuggestuen Mejsen", committees=[cast.committee])
    newer = _plain(cast, other, Status.SUBMITTED, year=agreement.period_start.year + 1)
    page = _page(chair)
    assert f"agreement-row-{newer.pk}" in page and f"agreement-row-{agreement.pk}" in page
    newer.delete()
    assert f"agreement-row-{newer.pk}" not in _page(chair)


def test_a_changed_seat_role_or_consultation_shows_at_once(cast, client_for):
    """What a person may see follows their seats, workplace roles and consultations on the very next request."""
    agreement = make_agreement(cast, Status.SUBMITTED)
    outsider = client_for(cast.outsider)
    page = _page(outsider)
    assert f"agreement-row-{agreement.pk}" not in page
    agreement.consultees.add(cast.outsider)  # consulted: a many-to-many change
    assert f"agreement-row-{agreement.pk}" in _page(outsider)
    agreement.consultees.remove(cast.outsider)
    assert f"agreement-row-{agreement.pk}" not in _page(outsider)
    seat = factories.MembershipFactory(user=cast.outsider, committee=cast.committee)
    page = _page(outsider)
    assert f"agreement-row-{agreement.pk}" in page
    assert f'data-testid="overview-{cast.committee.slug}"' in page
    seat.delete()
    page = _page(outsider)
    assert f"agreement-row-{agreement.pk}" not in page
    assert f'data-testid="overview-{cast.committee.slug}"' not in page
    role = factories.WorkplaceRoleFactory(user=cast.outsider, workplace=cast.workplace, role=WorkplaceRole.Role.TRIO)
    assert f"agreement-row-{agreement.pk}" in _page(outsider)
    role.role = WorkplaceRole.Role.LEADER
    role.save()
    assert f'data-testid="start-{cast.workplace.slug}"' in _page(outsider)
    role.delete()
    page = _page(outsider)
    assert f"agreement-row-{agreement.pk}" not in page
    assert f'data-testid="start-{cast.workplace.slug}"' not in page


def test_one_persons_kept_list_never_reaches_another(cast, client_for):
    """Two people with the same seats and roles, one of them consulted: each sees their own list."""
    agreement = make_agreement(cast, Status.SUBMITTED)
    hidden = factories.WorkplaceFactory(slug="egern", name="Egernet", committees=[cast.other_committee])
    factories.WorkplaceRoleFactory(user=cast.other_leader, workplace=hidden)
    draft = _plain(cast, hidden, Status.DRAFT, committee=cast.other_committee)  # a draft: only its leaders see it
    consulted = factories.UserFactory(email="hoert@dalby.example")
    agreement.consultees.add(consulted)
    assert f"agreement-row-{agreement.pk}" in _page(client_for(consulted))
    assert f"agreement-row-{agreement.pk}" not in _page(client_for(cast.outsider))
    assert f"agreement-row-{agreement.pk}" in _page(client_for(cast.chair))
    page = _page(client_for(cast.other_member))
    assert f"agreement-row-{agreement.pk}" not in page and f"agreement-row-{draft.pk}" not in page
    assert f"agreement-row-{draft.pk}" in _page(client_for(cast.other_leader))
    assert f"agreement-row-{draft.pk}" not in _page(client_for(cast.chair))
    # The administrator sees every agreement and every active committee's overview button.
    page = _page(client_for(cast.administrator))
    assert f"agreement-row-{draft.pk}" in page and f'data-testid="overview-{cast.other_committee.slug}"' in page


def test_the_kept_list_is_per_filter_page_and_language(cast, client_for, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    year = make_agreement(cast, Status.SUBMITTED).period_start.year
    workplaces = [
        factories.WorkplaceFactory(slug=f"sted-{n}", name=f"Sted {n}", committees=[cast.committee]) for n in range(2)
    ]
    for workplace in workplaces:
        _plain(cast, workplace, Status.APPROVED, year=year)
    chair = client_for(cast.chair)
    assert _page(chair).count('data-testid="agreement-status"') == 2
    assert _page(chair, page=2).count('data-testid="agreement-status"') == 1
    assert _content(chair, page="x") == _content(chair)  # not a number: the first page
    assert _content(chair, page=99) == _content(chair, page=2)  # beyond the last: the last page
    assert _content(chair, page=10**9) == _content(chair, page=2)  # not kept, answered the same
    page = _page(chair, status="submitted")
    assert page.count('data-testid="agreement-status"') == 1 and 'data-status="submitted"' in page
    assert _page(chair, status="approved").count('data-status="approved"') == 2
    cast.chair.language = "da"
    cast.chair.save()
    assert "Side 1 af 2" in _page(chair)
    cast.chair.language = "en"
    cast.chair.save()
    assert "Page 1 of 2" in _page(chair)


@pytest.mark.parametrize("extra", [0, 12])
def test_the_list_runs_no_query_warm_and_the_same_queries_built_anew_at_every_size(cast, client_for, extra):
    for n in range(extra):
        workplace = factories.WorkplaceFactory(slug=f"sted-{n}", name=f"Sted {n}", committees=[cast.committee])
        _plain(cast, workplace, Status.SUBMITTED, year=2020 + n % 5)
    factories.WorkplaceRoleFactory(user=cast.chair, workplace=cast.workplace)  # a leader too: the start buttons
    chair = client_for(cast.chair)
    _page(chair)
    assert _queries(chair) == 0
    model_version_bump(Agreement)
    # the page of agreements with their number (one query), the led workplaces, the committees
    assert _queries(chair) == 3
    assert CommitteeMembership.objects.filter(user=cast.chair).exists()
