"""A municipal venue (or a workplace's room) is never given to two committees on the same day: drafting, a hand host
swap and a re-plan leave rooms other committees use that day alone, publishing refuses a clash with a meeting
published since (naming the room, the date and the other committee), moving a meeting does too, and the database
refuses a second scheduled meeting in a borrowed room on a day by any path."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from meetings.models import Hosting, Meeting, MeetingDate, PlannedMeeting, RotationPlan, Venue, Workplace
from meetings.rotation import services
from meetings.rotation.services import RotationError
from tests import factories

pytestmark = pytest.mark.django_db


def venue(district, *, slug="dalby-medborgerhus", name="Dalby Medborgerhus", latitude=55.70) -> Venue:
    """A municipal venue with room for any committee, step-free, in ``district``."""
    return Venue.objects.create(
        slug=slug,
        name=name,
        address=f"{name}, 4000 Dalby",
        district=district,
        seats=40,
        step_free=True,
        latitude=latitude,
        longitude=12.50,
    )


class Rooms:
    def __init__(self, cast, year):
        self.year = year
        self.day = dt.date(year, 3, 10)
        self.hall = venue(cast.workplace.district)
        # Both committees' small workplaces are nearest to the hall: each needs a borrowed room.
        for workplace, lat in ((cast.workplace, 55.701), (cast.other_workplace, 55.702)):
            Workplace.objects.filter(pk=workplace.pk).update(seats=2, latitude=lat, longitude=12.50)
        for committee in (cast.committee, cast.other_committee):
            MeetingDate.objects.create(committee=committee, date=self.day, start=dt.time(16))

    def far_hall(self, cast):
        return venue(
            cast.workplace.district, slug="aamoelle-forsamlingshus", name="Åmølle Forsamlingshus", latitude=55.80
        )


@pytest.fixture
def rooms(cast):
    from django.utils import timezone

    return Rooms(cast, timezone.localdate().year + 1)


def _draft(committee, rooms, cast):
    return services.rotation_plan_draft(committee=committee, year=rooms.year, actor=cast.administrator)


def _publish(plan, cast):
    return services.rotation_plan_publish(plan=RotationPlan.objects.get(pk=plan.pk), actor=cast.administrator)


def test_a_room_published_for_one_committee_is_not_drafted_for_another_that_day(cast, rooms):
    ours = _draft(cast.committee, rooms, cast)
    assert ours.meetings.get().venue == rooms.hall
    _publish(ours, cast)
    theirs = _draft(cast.other_committee, rooms, cast).meetings.get()
    assert theirs.host is None and theirs.venue is None
    assert "other committees use Dalby Medborgerhus (Børne- og Ungeudvalget) that day" in theirs.why


def test_another_committees_draft_is_left_alone_too_and_a_free_room_is_used_instead(cast, rooms):
    rooms.far_hall(cast)
    assert _draft(cast.committee, rooms, cast).meetings.get().venue == rooms.hall
    theirs = _draft(cast.other_committee, rooms, cast).meetings.get()
    assert (theirs.host, theirs.venue.slug) == (cast.other_workplace, "aamoelle-forsamlingshus")


def _clashing_drafts(cast, rooms):
    """Two drafts that both give the hall to their small workplace on the same day: as drafts made before the rule,
    or side by side, can."""
    ours = _draft(cast.committee, rooms, cast)
    theirs = _draft(cast.other_committee, rooms, cast)
    PlannedMeeting.objects.filter(plan=theirs).update(host=cast.other_workplace, venue=rooms.hall)
    return ours, theirs


def test_publishing_refuses_a_room_published_since_for_another_committee_and_names_it(cast, rooms, client_for):
    ours, theirs = _clashing_drafts(cast, rooms)
    _publish(ours, cast)
    with pytest.raises(RotationError) as refusal:
        _publish(theirs, cast)
    message = str(refusal.value)
    assert "Dalby Medborgerhus is already used by Børne- og Ungeudvalget on" in message
    assert "Plan the year again, or give that date another host" in message
    assert RotationPlan.objects.get(pk=theirs.pk).status == RotationPlan.Status.DRAFT
    assert not Meeting.objects.filter(committee=cast.other_committee).exists()
    # The page says it in Danish, with the room, the date and the other committee.
    client = client_for(cast.administrator)
    url = reverse("meetings:rotation-publish", args=[theirs.pk])
    page = client.post(url, follow=True).content.decode()
    assert "Dalby Medborgerhus" in page and "Børne- og Ungeudvalget" in page


def test_the_database_refuses_a_second_scheduled_meeting_in_a_room_on_a_day_by_any_path(cast, rooms):
    [ours] = _publish(_draft(cast.committee, rooms, cast), cast)
    plan = RotationPlan.objects.create(committee=cast.other_committee, year=rooms.year, status="published")
    fields = {"committee": cast.other_committee, "plan": plan, "host": cast.other_workplace}
    later = {"starts_at": ours.starts_at + dt.timedelta(hours=4), "ends_at": ours.ends_at + dt.timedelta(hours=4)}
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(**fields, **later, venue=rooms.hall)
    Meeting.objects.create(**fields, **later, venue=rooms.hall, status=Meeting.Status.CANCELLED)  # not in the room
    next_day = {k: v + dt.timedelta(days=1) for k, v in later.items()}
    Meeting.objects.create(**fields, **next_day, venue=rooms.hall)  # another day
    lent = factories.WorkplaceFactory(slug="laaner", committees=[cast.committee])
    Meeting.objects.filter(pk=ours.pk).update(venue=None, venue_workplace=lent)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(**fields, **later, venue_workplace=lent)


def test_moving_a_meeting_onto_a_day_its_room_is_taken_is_refused(cast, rooms):
    _publish(_draft(cast.committee, rooms, cast), cast)
    MeetingDate.objects.filter(committee=cast.other_committee).update(date=rooms.day + dt.timedelta(days=7))
    [theirs] = _publish(_draft(cast.other_committee, rooms, cast), cast)
    assert theirs.venue == rooms.hall
    with pytest.raises(RotationError, match="Dalby Medborgerhus is already used by Børne- og Ungeudvalget on"):
        services.meeting_update(
            meeting=theirs,
            actor=cast.administrator,
            date=rooms.day,
            start=dt.time(9),
            minutes=120,
            agenda_url="",
            programme="",
        )
    assert Meeting.objects.get(pk=theirs.pk).local_date == rooms.day + dt.timedelta(days=7)


def test_a_hand_swap_to_a_small_workplace_leaves_the_taken_room_alone_and_says_why(cast, rooms):
    _publish(_draft(cast.committee, rooms, cast), cast)
    big = factories.WorkplaceFactory(slug="stor", name="Stor", committees=[cast.other_committee], seats=30)
    theirs = _draft(cast.other_committee, rooms, cast).meetings.get()
    assert theirs.host == big
    with pytest.raises(RotationError, match=r"Other committees use Dalby Medborgerhus \(Børne- og Ungeudvalget\)"):
        services.rotation_host_swap(planned=theirs, host=cast.other_workplace, actor=cast.administrator)
    swapped = services.rotation_host_swap(
        planned=theirs, host=cast.other_workplace, actor=cast.administrator, reason="Ønske"
    )
    assert swapped.venue is None


def test_a_replan_gives_the_next_in_line_a_room_no_other_committee_uses_that_day(cast, rooms):
    rooms.far_hall(cast)
    _publish(_draft(cast.committee, rooms, cast), cast)
    big = factories.WorkplaceFactory(slug="stor", name="Stor", committees=[cast.other_committee], seats=30)
    leader = factories.UserFactory(email="stor@dalby.example")
    factories.WorkplaceRoleFactory(user=leader, workplace=big)
    Hosting.objects.create(committee=cast.other_committee, workplace=cast.other_workplace, date=dt.date(2020, 1, 1))
    [theirs] = _publish(_draft(cast.other_committee, rooms, cast), cast)
    assert theirs.host == big
    services.meeting_cancellation_request(meeting=theirs, actor=leader, reason="Vandskade")
    proposal = services.meeting_replan_proposal(meeting=theirs)
    assert proposal.new_host == cast.other_workplace
    assert proposal.new_room["venue"].slug == "aamoelle-forsamlingshus"
    replanned = services.meeting_replan(meeting=theirs, actor=cast.administrator)
    assert (replanned.host, replanned.venue.slug) == (cast.other_workplace, "aamoelle-forsamlingshus")
