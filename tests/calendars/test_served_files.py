"""Every kind of calendar the portal serves, read by three independent parsers: the personal feed, the committee's
public feed, a meeting's and a visit's ``.ics`` file and the invitations e-mails carry. Each event's start and end
in UTC must be the model's, for visits and meetings in winter, in summer and on the days summer time begins and
ends."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, RotationPlan, Visit
from meetings.rotation import services as rotation_services
from meetings.rotation.ical import meeting_uid
from meetings.visits import services
from meetings.visits.ical import visit_uid
from tests import factories

from .mails import invitations

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _every_day_open(monkeypatch):
    """Summer time begins and ends on a Sunday, and the dates next year may fall on a weekend: here the visits are
    calendar data on those days, so the rule that closed days cannot be booked is lifted (it is tested in
    tests/meetings/visits/test_booking_rules.py)."""
    monkeypatch.setattr("meetings.visits.services.is_working_day", lambda day: True)


@pytest.fixture(autouse=True)
def _no_visit_cap(settings):
    """One politician books every visit here, more than a year's share at one workplace: the per-politician cap is
    lifted (it is tested in tests/meetings/visits/test_outcomes.py)."""
    settings.DIALOG_VISITS_PER_POLITICIAN_PER_WORKPLACE_YEAR = 0


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() - 6) % 7)


def _local(day: dt.date, hour: int, minute: int = 0, *, fold: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute, fold=fold)))


@dataclass
class Served:
    year: int
    visits: list
    meetings: list

    def expected(self, *, visits=None, meetings=None) -> dict:
        visits = self.visits if visits is None else visits
        meetings = self.meetings if meetings is None else meetings
        out = {visit_uid(v): (v.starts_at, v.ends_at) for v in visits}
        out |= {meeting_uid(m): (m.starts_at, m.ends_at) for m in meetings}
        return {uid: (start.astimezone(dt.UTC), end.astimezone(dt.UTC)) for uid, (start, end) in out.items()}


def _book(cast, start: dt.datetime, minutes: int = 90) -> Visit:
    slot = factories.VisitSlotFactory(
        workplace=cast.workplace,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=minutes),
        offer__created_by=cast.leader,
    )
    return services.visit_book(slot=slot, booker=cast.member, purpose="Vi vil gerne se sprogarbejdet.")


@pytest.fixture
def served(cast) -> Served:
    """Next year: visits the member booked and meetings of their committee at the cast's workplace, in January,
    June, on the day summer time begins (a Sunday in March) and on the day it ends (the last Sunday of October,
    when 02.00–03.00 happens twice)."""
    year = timezone.localdate().year + 1
    spring, autumn = _last_sunday(year, 3), _last_sunday(year, 10)
    visits = [
        _book(cast, _local(dt.date(year, 1, 14), 10)),
        _book(cast, _local(dt.date(year, 6, 15), 15, 30)),
        _book(cast, _local(spring, 10)),
        _book(cast, _local(spring, 1, 30)),  # ends 03:00, after the hour that does not exist
        _book(cast, _local(autumn, 2, 30, fold=1), minutes=60),  # the second 02:30
        _book(cast, _local(autumn, 10)),
    ]
    plan = RotationPlan.objects.create(committee=cast.committee, year=year, status=RotationPlan.Status.PUBLISHED)
    meetings = [
        Meeting.objects.create(
            committee=cast.committee,
            plan=plan,
            host=cast.workplace,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=3),
            address=cast.workplace.address,
        )
        for start in (
            _local(dt.date(year, 1, 20), 16),
            _local(dt.date(year, 6, 16), 15, 30),
            _local(spring, 3, 30),
            _local(autumn, 2, 30),  # the first 02:30
            _local(dt.date(year, 12, 8), 16),
        )
    ]
    return Served(year=year, visits=visits, meetings=meetings)


def _times(reading) -> dict:
    return {uid: (e.start, e.end) for uid, e in reading.events.items()}


def test_the_personal_feed_is_read_as_meant_in_winter_summer_and_on_both_change_days(reader, client, cast, served):
    token = services.calendar_token_ensure(person=cast.member)

    response = client.get(reverse("meetings:calendar-feed", args=[token.token]))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    reading = reader(response.content)
    assert reading.method == "PUBLISH"
    assert _times(reading) == served.expected()
    june = reading.events[visit_uid(served.visits[1])]
    assert june.start == dt.datetime(served.year, 6, 15, 13, 30, tzinfo=dt.UTC)  # 15.30 summer time


def test_the_committees_public_feed_is_read_as_meant(reader, client, cast, served):
    client.logout()

    response = client.get(reverse("meetings:public-feed", args=[cast.committee.slug]))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert _times(reader(response.content)) == served.expected(visits=[])


def test_each_meetings_and_each_visits_file_is_read_as_meant(reader, client_for, cast, served):
    client = client_for(cast.member)
    for meeting in served.meetings:
        response = client.get(reverse("meetings:meeting-ics", args=[meeting.pk]))
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert _times(reader(response.content)) == served.expected(visits=[], meetings=[meeting])
    for visit in served.visits:
        response = client.get(reverse("meetings:visit-ics", args=[visit.pk]))
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert _times(reader(response.content)) == served.expected(visits=[visit], meetings=[])


def test_the_invitations_e_mails_carry_are_read_as_meant_through_booking_moving_and_cancelling(
    reader, cast, mailoutbox, django_capture_on_commit_callbacks
):
    year = timezone.localdate().year + 1
    winter, summer = _local(dt.date(year, 1, 14), 10), _local(dt.date(year, 6, 15), 15, 30)
    autumn = _local(_last_sunday(year, 10), 2, 30, fold=1)
    steps = []

    def step(action):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            visit = action()
        visit.refresh_from_db()
        steps.append((visit, [m for m in mailoutbox if m.to == [cast.member.email]]))
        return visit

    visit = step(lambda: _book(cast, winter))
    later = factories.VisitSlotFactory(
        workplace=cast.workplace,
        starts_at=summer,
        ends_at=summer + dt.timedelta(hours=2),
        offer__created_by=cast.leader,
    )
    step(lambda: services.visit_confirm(visit=visit, actor=cast.leader))
    step(lambda: services.visit_move(visit=Visit.objects.get(pk=visit.pk), actor=cast.member, slot=later))
    step(lambda: services.visit_cancel(visit=Visit.objects.get(pk=visit.pk), actor=cast.member))
    other = step(lambda: _book(cast, autumn, minutes=60))
    step(lambda: services.visit_decline(visit=other, actor=cast.leader, reason="Vi holder lukket."))

    methods = []
    for visit, messages in steps:
        [message] = messages
        [(method, body)] = invitations(message)
        methods.append(method)
        reading = reader(body)
        assert reading.method == method
        assert _times(reading) == {visit_uid(visit): (visit.starts_at, visit.ends_at)}
        assert reading.events[visit_uid(visit)].sequence == visit.sequence
    assert methods == ["REQUEST", "REQUEST", "REQUEST", "CANCEL", "REQUEST", "CANCEL"]


def test_a_moved_meetings_invitation_is_read_as_meant(
    reader, cast, served, mailoutbox, django_capture_on_commit_callbacks
):
    winter = served.meetings[0]
    june = dt.date(served.year, 6, 17)
    while june.weekday() >= 5:
        june += dt.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        moved = rotation_services.meeting_update(
            meeting=winter,
            actor=cast.administrator,
            date=june,
            start=dt.time(15, 30),
            minutes=120,
            agenda_url="",
            programme="",
        )

    told = {m.to[0]: m for m in mailoutbox}
    assert {cast.member.email, cast.chair.email, cast.leader.email} <= set(told)
    [(method, body)] = invitations(told[cast.member.email])
    reading = reader(body)
    assert method == reading.method == "REQUEST"
    assert _times(reading) == served.expected(visits=[], meetings=[moved])
    assert reading.events[meeting_uid(moved)].start == dt.datetime.combine(june, dt.time(13, 30), tzinfo=dt.UTC)
