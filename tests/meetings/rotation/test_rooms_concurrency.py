"""Two plans published at the same moment that give the same municipal venue to two committees on the same day: one
is published, the other is refused in words, and the venue is never given twice (the services lock the room; the
database's constraint holds the same). Runs on PostgreSQL in CI, where the locks are what is tested (see
``tests/meetings/visits/test_concurrency.py`` for SQLite)."""

import datetime as dt

import pytest
from django.utils import timezone

from meetings.models import Meeting, MeetingDate, PlannedMeeting, RotationPlan, User, Workplace
from meetings.rotation import services
from meetings.rotation.services import RotationError
from tests.meetings.visits.test_concurrency import _race

from .test_rooms_once_a_day import venue

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_publishes_at_once_never_give_the_venue_twice(cast):
    year = timezone.localdate().year + 1
    day = dt.date(year, 3, 10)
    hall = venue(cast.workplace.district)
    for workplace in (cast.workplace, cast.other_workplace):
        Workplace.objects.filter(pk=workplace.pk).update(seats=2, district=cast.workplace.district)
    drafts = []
    for committee, host in ((cast.committee, cast.workplace), (cast.other_committee, cast.other_workplace)):
        MeetingDate.objects.create(committee=committee, date=day, start=dt.time(16))
        plan = RotationPlan.objects.create(committee=committee, year=year, created_by=cast.administrator)
        PlannedMeeting.objects.create(plan=plan, date=day, start=dt.time(16), host=host, venue=hall)
        drafts.append(plan)

    results = _race(
        [
            lambda plan=plan: services.rotation_plan_publish(
                plan=RotationPlan.objects.get(pk=plan.pk), actor=User.objects.get(pk=cast.administrator.pk)
            )
            for plan in drafts
        ]
    )

    published = [r for r in results if isinstance(r, list)]
    refused = [r for r in results if isinstance(r, RotationError)]
    assert len(published) == 1 and len(refused) == 1, results
    # The threads speak the portal's default language: the refusal names the room and the other committee.
    assert "Dalby Medborgerhus bruges allerede af" in str(refused[0])
    assert Meeting.objects.filter(venue=hall, status=Meeting.Status.SCHEDULED).count() == 1
    assert RotationPlan.objects.published().count() == 1
