"""The year's review keeps its plan, its fairness panel and its hosting history as cached fragments under the
versions of what they read (issue 19): every change shows on the next request, whether a service, a save or a bulk
write made it, in the language the person reads; a published plan's meetings are never kept."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Hosting, Meeting, MeetingDate, PlanningRun, User
from meetings.rotation import services

pytestmark = pytest.mark.django_db


def _reads(person: User, language: str) -> None:
    person = User.objects.get(pk=person.pk)
    person.language = language
    person.save()


@pytest.fixture
def drafted(cast, rotation):
    return services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)


@pytest.fixture
def url(client, cast, drafted):
    _reads(cast.administrator, "en")  # the words asserted below are English
    client.force_login(cast.administrator)
    return reverse("meetings:rotation-year", args=[cast.committee.slug, drafted.year])


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _kept(client, url) -> str:
    """The page twice: the second answer comes from the kept fragments, and is the same (but for the forms' tokens,
    which are outside them and masked anew on every answer)."""
    first = _page(client, url)
    assert _TOKEN.sub("", _page(client, url)) == _TOKEN.sub("", first)
    return first


def _row(page: str, testid: str) -> str:
    return page.split(f'data-testid="{testid}"', 1)[1].split("</tr>", 1)[0]


def _history_numbers(page: str, name: str) -> list[int]:
    row = page.split('data-testid="history-table"', 1)[1].split(f">{name}</th>", 1)[1].split("</tr>", 1)[0]
    return [int(n) for n in re.findall(r"<td>(\d+)</td>", row)]


def test_a_kept_review_reads_nothing_and_one_built_anew_reads_the_same_at_every_size(
    client, url, django_assert_num_queries
):
    _page(client, url)
    with django_assert_num_queries(0):  # the committee, the plan, the dates and the run under way are kept too
        _page(client, url)
    cache.clear()
    with CaptureQueriesContext(connection) as built:
        _page(client, url)
    # the session, the person, their roles; the committee, the plan, the dates; the latest run; the fragment's reads
    assert len(built.captured_queries) == 12


def test_a_planning_run_under_way_shows_at_once_and_goes_when_it_is_done(client, cast, drafted, url):
    assert "A planning run is under way." not in _kept(client, url)
    run = PlanningRun.objects.create(committee=cast.committee, year=drafted.year, requested_by=cast.administrator)
    page = _page(client, url)
    assert "A planning run is under way." in page and run.get_absolute_url() in page
    PlanningRun.objects.filter(pk=run.pk).update(status=PlanningRun.Status.RUNNING, percent=40)  # the worker
    assert "A planning run is under way." in _page(client, url)
    PlanningRun.objects.filter(pk=run.pk).update(status=PlanningRun.Status.DONE, percent=100)
    assert "A planning run is under way." not in _page(client, url)


def test_another_committees_run_never_shows(client, cast, drafted, url):
    _kept(client, url)
    PlanningRun.objects.create(committee=cast.other_committee, year=drafted.year, requested_by=cast.administrator)
    assert "A planning run is under way." not in _page(client, url)


def test_a_host_swapped_by_the_service_shows_at_once(client, cast, rotation, drafted, url):
    first = drafted.meetings.order_by("date").first()
    replacement = next(w for w in rotation.workplaces if w != first.host)
    testid = f"planned-{first.date.isoformat()}"
    assert replacement.name not in _row(_kept(client, url), testid)
    services.rotation_host_swap(planned=first, host=replacement, actor=cast.administrator, reason="Ønske")
    row = _row(_page(client, url), testid)
    assert replacement.name in row
    assert "changed by hand" in row


def test_a_guest_moved_by_the_service_shows_at_once(client, cast, rotation, drafted, url):
    target = drafted.meetings.order_by("date").last()
    guest = next(w for w in rotation.workplaces if w != target.host and w not in target.guests.all())
    testid = f"planned-{target.date.isoformat()}"
    assert guest.name not in _row(_kept(client, url), testid)
    services.rotation_guest_move(plan=drafted, workplace=guest, to=target, actor=cast.administrator, reason="Ønske")
    assert guest.name in _row(_page(client, url), testid)


def test_a_renamed_workplace_shows_in_the_plan_and_the_history(client, drafted, url):
    host = drafted.meetings.exclude(host=None).order_by("date").first().host
    _kept(client, url)
    host.name = "Omdøbt Sted"
    host.save()
    page = _page(client, url)
    assert "Omdøbt Sted" in _row(page, f"planned-{drafted.meetings.filter(host=host).first().date.isoformat()}")
    assert _history_numbers(page, "Omdøbt Sted")


def test_hostings_written_in_bulk_show_in_the_history(client, cast, rotation, drafted, url):
    workplace = rotation.workplaces[-1]
    before = _history_numbers(_kept(client, url), workplace.name)
    Hosting.objects.bulk_create(
        [Hosting(committee=cast.committee, workplace=workplace, date=dt.date(drafted.year - 1, 5, 5), source="import")]
    )
    after = _history_numbers(_page(client, url), workplace.name)
    assert after[-1] == before[-1] + 1  # the total
    assert after[-3] == before[-3] + 1  # the year before the plan's


def test_the_language_the_person_reads_is_part_of_the_key(client, cast, url):
    english = _kept(client, url)
    _reads(cast.administrator, "da")
    danish = _page(client, url)
    assert "Hostings per workplace over the years" in english
    assert "Hostings per workplace over the years" not in danish


def test_a_published_plans_meetings_are_never_kept(client, cast, drafted, url):
    meetings = services.rotation_plan_publish(plan=drafted, actor=cast.administrator)
    testid = f"meeting-row-{meetings[0].pk}"
    assert "Cancelled" not in _row(_page(client, url), testid)
    Meeting.objects.filter(pk=meetings[0].pk).update(status=Meeting.Status.CANCELLED)
    assert "Cancelled" in _row(_page(client, url), testid)


def _dates(page: str) -> int:
    return page.split('data-testid="meeting-dates"')[1].split("</ul>")[0].count('class="list-group-item')


def test_dates_added_by_the_service_or_in_bulk_and_a_renamed_committee_show_at_once(client, cast, drafted, url):
    before = _dates(_kept(client, url))
    services.meeting_date_save(
        committee=cast.committee,
        actor=cast.administrator,
        instance=None,
        date=dt.date(drafted.year, 9, 8),
        start=dt.time(16),
        minutes=120,
    )
    assert _dates(_page(client, url)) == before + 1
    MeetingDate.objects.bulk_create(
        [MeetingDate(committee=cast.committee, date=dt.date(drafted.year, 10, 13), start=dt.time(16))]
    )
    assert _dates(_page(client, url)) == before + 2
    cast.committee.name = "Omdøbt udvalg"
    cast.committee.save()
    assert "Omdøbt udvalg: meetings" in _page(client, url)
