"""The booking rules people expect: notice for booking and cancelling, and travel time between places."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from meetings.errors import MeetingsError
from meetings.models import Meeting, RotationPlan, Visit, VisitEvent, VisitSettings, VisitSlot
from meetings.visits import services
from meetings.workdays import closed_days_of_year, is_working_day
from tests import factories

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2027, 3, 1)  # a plain week: no holidays


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def slot_at(workplace, start, minutes=60, **kwargs):
    return factories.VisitSlotFactory(
        workplace=workplace, starts_at=start, ends_at=start + dt.timedelta(minutes=minutes), **kwargs
    )


def book(slot, person, now, **kwargs):
    return services.visit_book(slot=slot, booker=person, purpose="Se stedet", now=now, **kwargs)


# --- Notice for booking --------------------------------------------------------------------------


def test_a_time_inside_the_two_working_days_notice_is_refused_with_the_first_day_to_book(cast):
    friday = at(MONDAY + dt.timedelta(days=4), 10)
    monday_after = slot_at(cast.workplace, at(MONDAY + dt.timedelta(days=7), 9))

    with translation.override("en"), pytest.raises(MeetingsError, match="2 working days' notice") as refused:
        book(monday_after, cast.member, friday)

    assert "9 March 2027" in str(refused.value)  # core.dates: English "j F Y"
    assert not Visit.objects.exists()


def test_a_time_after_the_notice_can_be_booked(cast):
    friday = at(MONDAY + dt.timedelta(days=4), 10)
    tuesday_after = slot_at(cast.workplace, at(MONDAY + dt.timedelta(days=8), 9))

    assert book(tuesday_after, cast.member, friday).status == Visit.Status.REQUESTED


def test_the_notice_is_set_per_workplace_and_zero_allows_the_same_day(cast):
    VisitSettings.objects.create(workplace=cast.workplace, booking_notice_days=0)
    today = slot_at(cast.workplace, at(MONDAY, 14))

    assert book(today, cast.member, at(MONDAY, 10)).pk


def test_the_leader_is_exempt_from_their_own_workplaces_notice(cast):
    factories.MembershipFactory(user=cast.leader, committee=cast.committee)
    tomorrow = slot_at(cast.workplace, at(MONDAY + dt.timedelta(days=1), 9))

    assert book(tomorrow, cast.leader, at(MONDAY, 10)).pk


def test_moving_into_the_notice_is_refused(cast):
    later = slot_at(cast.workplace, at(MONDAY + dt.timedelta(days=14), 9))
    visit = book(later, cast.member, at(MONDAY, 10))
    soon = slot_at(cast.workplace, at(MONDAY + dt.timedelta(days=1), 9))

    with pytest.raises(MeetingsError):
        services.visit_move(visit=visit, actor=cast.member, slot=soon, now=at(MONDAY, 10))
    visit.refresh_from_db()
    assert visit.slot == later


def test_the_slot_calendar_offers_no_time_inside_the_notice_and_says_so(client_for, cast):
    soon = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=1))
    later = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=8))
    url = reverse("meetings:visit-slot-list", args=[cast.workplace.slug])

    page = client_for(cast.member).get(url).content.decode()  # the pages speak Danish
    assert f'data-slot="{later.pk}"' in page
    assert f'data-slot="{soon.pk}"' not in page
    assert "Book mindst 2 arbejdsdage før" in page

    assert f'data-slot="{soon.pk}"' in client_for(cast.leader).get(url).content.decode()


def test_the_booking_page_warns_of_a_time_inside_the_notice_and_the_refusal_keeps_the_text(client_for, cast):
    soon = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=1))
    url = reverse("meetings:visit-create", args=[soon.pk])
    client = client_for(cast.member)

    assert 'data-testid="inside-notice"' in client.get(url).content.decode()
    page = client.post(url, {"purpose": "Se legepladsen"}).content.decode()
    assert "2 arbejdsdages varsel" in page
    assert "Se legepladsen" in page
    assert not Visit.objects.exists()


# --- Notice for cancelling -----------------------------------------------------------------------


def test_a_cancellation_inside_the_notice_is_allowed_and_recorded_as_late(cast, client_for):
    visit = book(slot_at(cast.workplace, at(MONDAY + dt.timedelta(days=7), 9)), cast.member, at(MONDAY, 10))

    services.visit_cancel(visit=visit, actor=cast.member, now=at(MONDAY + dt.timedelta(days=4), 10))

    visit.refresh_from_db()
    assert visit.status == Visit.Status.CANCELLED
    assert visit.cancelled_late
    event = visit.events.latest("pk")
    assert event.action == VisitEvent.Action.CANCELLED_LATE
    assert Visit.objects.filter(workplace=cast.workplace, cancelled_late=True).count() == 1
    page = client_for(cast.leader).get(visit.get_absolute_url()).content.decode()
    assert "Aflyst for sent" in page


def test_a_cancellation_before_the_notice_is_not_late(cast):
    visit = book(slot_at(cast.workplace, at(MONDAY + dt.timedelta(days=7), 9)), cast.member, at(MONDAY, 10))

    services.visit_cancel(visit=visit, actor=cast.member, now=at(MONDAY + dt.timedelta(days=2), 10))

    visit.refresh_from_db()
    assert not visit.cancelled_late
    assert visit.events.latest("pk").action == VisitEvent.Action.CANCELLED


def test_the_leaders_late_cancellation_is_late_too_and_keeps_the_reason(cast):
    visit = book(slot_at(cast.workplace, at(MONDAY + dt.timedelta(days=7), 9)), cast.member, at(MONDAY, 10))

    services.visit_cancel(visit=visit, actor=cast.leader, reason="Vandskade", now=at(MONDAY + dt.timedelta(days=6), 8))

    visit.refresh_from_db()
    assert visit.cancelled_late
    assert "Vandskade" in visit.events.latest("pk").note


# --- Travel time ------------------------------------------------------------------------------------


@pytest.fixture
def elsewhere(cast):
    return factories.WorkplaceFactory(name="Skolen ved Åen", address="Åvej 1, 4000 Dalby", committees=[cast.committee])


@pytest.fixture
def nine_to_ten_elsewhere(cast, elsewhere):
    day = MONDAY + dt.timedelta(days=7)
    return book(slot_at(elsewhere, at(day, 9)), cast.member, at(MONDAY, 10))


def test_a_visit_too_soon_after_one_at_another_address_is_refused_naming_it(cast, nine_to_ten_elsewhere):
    day = MONDAY + dt.timedelta(days=7)
    too_soon = slot_at(cast.workplace, at(day, 10, 15))

    with translation.override("en"), pytest.raises(MeetingsError, match="Skolen ved Åen") as refused:
        book(too_soon, cast.member, at(MONDAY, 10))
    assert "30 minutes" in str(refused.value)


def test_a_visit_ending_too_close_before_one_elsewhere_is_refused(cast, nine_to_ten_elsewhere):
    day = MONDAY + dt.timedelta(days=7)
    with pytest.raises(MeetingsError, match="Skolen ved Åen"):
        book(slot_at(cast.workplace, at(day, 7, 45)), cast.member, at(MONDAY, 10))


def test_the_full_gap_is_enough(cast, nine_to_ten_elsewhere):
    day = MONDAY + dt.timedelta(days=7)
    assert book(slot_at(cast.workplace, at(day, 10, 30)), cast.member, at(MONDAY, 10)).pk


def test_the_same_address_needs_no_gap(cast, elsewhere, nine_to_ten_elsewhere):
    neighbour = factories.WorkplaceFactory(address="åvej 1 4000  dalby", committees=[cast.committee])
    day = MONDAY + dt.timedelta(days=7)
    assert book(slot_at(neighbour, at(day, 10)), cast.member, at(MONDAY, 10)).pk


def test_the_gap_is_a_setting(cast, settings, nine_to_ten_elsewhere):
    settings.DIALOG_TRAVEL_MINUTES = 10
    day = MONDAY + dt.timedelta(days=7)
    assert book(slot_at(cast.workplace, at(day, 10, 15)), cast.member, at(MONDAY, 10)).pk


def test_a_colleagues_clash_is_named(cast, elsewhere):
    day = MONDAY + dt.timedelta(days=7)
    book(slot_at(elsewhere, at(day, 9)), cast.chair, at(MONDAY, 10))

    with pytest.raises(MeetingsError, match=cast.chair.full_name):
        book(slot_at(cast.workplace, at(day, 10)), cast.member, at(MONDAY, 10), colleague=cast.chair)


def _meeting(cast, start, address):
    plan = RotationPlan.objects.create(committee=cast.committee, year=start.year, status=RotationPlan.Status.PUBLISHED)
    return Meeting.objects.create(
        committee=cast.committee, plan=plan, starts_at=start, ends_at=start + dt.timedelta(hours=2), address=address
    )


def test_a_committee_meeting_at_another_address_needs_the_gap(cast):
    day = MONDAY + dt.timedelta(days=7)
    _meeting(cast, at(day, 11), "Rådhuspladsen 1, 4000 Dalby")

    with translation.override("en"), pytest.raises(MeetingsError, match=cast.committee.name):
        book(slot_at(cast.workplace, at(day, 10)), cast.member, at(MONDAY, 10))


def test_a_committee_meeting_at_the_same_address_needs_no_gap_but_never_overlaps(cast):
    day = MONDAY + dt.timedelta(days=7)
    _meeting(cast, at(day, 11), cast.workplace.address)

    assert book(slot_at(cast.workplace, at(day, 10)), cast.member, at(MONDAY, 10)).pk
    with pytest.raises(MeetingsError, match=cast.committee.name):
        book(slot_at(cast.workplace, at(day, 12)), cast.chair, at(MONDAY, 10))


def test_a_cancelled_meeting_is_no_clash(cast):
    day = MONDAY + dt.timedelta(days=7)
    meeting = _meeting(cast, at(day, 11), "Rådhuspladsen 1, 4000 Dalby")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)

    assert book(slot_at(cast.workplace, at(day, 10)), cast.member, at(MONDAY, 10)).pk


def test_moving_next_to_a_visit_elsewhere_is_refused(cast, nine_to_ten_elsewhere):
    day = MONDAY + dt.timedelta(days=7)
    visit = book(slot_at(cast.workplace, at(day, 14)), cast.member, at(MONDAY, 10))

    with pytest.raises(MeetingsError, match="Skolen ved Åen"):
        services.visit_move(
            visit=visit, actor=cast.member, slot=slot_at(cast.workplace, at(day, 10)), now=at(MONDAY, 10)
        )


def test_the_leader_sets_the_notices_on_the_visit_times_page_and_others_cannot(client_for, cast):
    url = reverse("meetings:visit-settings-update", args=[cast.workplace.slug])
    data = {"monthly_cap": "", "booking_notice_days": "5", "cancel_notice_days": "3"}

    assert client_for(cast.member).post(url, data).status_code == 404
    assert client_for(cast.other_leader).post(url, data).status_code == 404
    assert client_for(cast.leader).post(url, data).status_code == 302

    row = VisitSettings.objects.get(workplace=cast.workplace)
    assert (row.booking_notice_days, row.cancel_notice_days) == (5, 3)


def test_a_notice_beyond_thirty_working_days_is_refused_and_nothing_changes(client_for, cast):
    url = reverse("meetings:visit-settings-update", args=[cast.workplace.slug])
    client_for(cast.leader).post(url, {"booking_notice_days": "31", "cancel_notice_days": "2"})
    assert not VisitSettings.objects.filter(workplace=cast.workplace).exists()
    with pytest.raises(MeetingsError):
        services.visit_settings_update(
            workplace=cast.workplace, actor=cast.leader, auto_confirm=False, monthly_cap=None, booking_notice_days=31
        )


def test_the_move_page_offers_no_time_inside_the_notice(client_for, cast):
    booked = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=8))
    visit = services.visit_book(slot=booked, booker=cast.member, purpose="Se stedet")
    soon = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=1))
    later = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(13, days_ahead=9))

    page = client_for(cast.member).get(reverse("meetings:visit-move", args=[visit.pk])).content.decode()

    assert f'value="{later.pk}"' in page
    assert f'value="{soon.pk}"' not in page


def test_the_finder_shows_no_free_time_inside_the_workplaces_notice(client_for, cast):
    from meetings.visits.selectors import visit_finder

    factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=1))
    assert visit_finder(cast.member).get(pk=cast.workplace.pk).next_free is None

    VisitSettings.objects.create(workplace=cast.workplace, booking_notice_days=0)
    assert visit_finder(cast.member).get(pk=cast.workplace.pk).next_free is not None


# --- Days the workplace is closed ------------------------------------------------------------------

SATURDAY = MONDAY + dt.timedelta(days=5)
EASTER_MONDAY = dt.date(2027, 3, 29)  # 2. påskedag
CHRISTMAS_EVE = dt.date(2027, 12, 24)  # a Friday; the municipality is closed (meetings/workdays.py)


def _closed_weekday_ahead(days_ahead: int) -> dt.date:
    """The first Monday-to-Friday holiday or municipal closed day at least ``days_ahead`` days from today."""
    today = timezone.localdate()
    closed = sorted(day for year in (today.year, today.year + 1) for day in closed_days_of_year(year))
    return next(day for day in closed if day >= today + dt.timedelta(days=days_ahead) and day.weekday() < 5)


def _saturday_ahead(days_ahead: int) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    return day + dt.timedelta(days=(5 - day.weekday()) % 7)


@pytest.mark.parametrize("day", [SATURDAY, EASTER_MONDAY, CHRISTMAS_EVE], ids=["weekend", "holiday", "closed_day"])
def test_a_time_on_a_day_the_workplace_is_closed_is_refused_with_a_message(cast, day):
    assert not is_working_day(day)
    slot = slot_at(cast.workplace, at(day, 10))

    with translation.override("en"), pytest.raises(MeetingsError, match="closed on that day"):
        book(slot, cast.member, now=at(day, 10) - dt.timedelta(weeks=3))
    with translation.override("da"), pytest.raises(MeetingsError, match="Arbejdspladsen har lukket den dag"):
        book(slot, cast.member, now=at(day, 10) - dt.timedelta(weeks=3))
    assert not Visit.objects.exists()
    slot.refresh_from_db()
    assert slot.booked_count == 0


def test_the_leader_cannot_book_a_closed_day_either(cast):
    factories.MembershipFactory(user=cast.leader, committee=cast.committee)
    slot = slot_at(cast.workplace, at(EASTER_MONDAY, 10))

    with pytest.raises(MeetingsError):
        book(slot, cast.leader, now=at(EASTER_MONDAY, 10) - dt.timedelta(weeks=3))


def test_moving_to_a_closed_day_is_refused_and_the_visit_stays(cast):
    now = at(MONDAY, 8) - dt.timedelta(weeks=3)
    visit = book(slot_at(cast.workplace, at(MONDAY, 9)), cast.member, now=now)
    closed = slot_at(cast.workplace, at(EASTER_MONDAY, 9))

    with pytest.raises(MeetingsError):
        services.visit_move(visit=visit, actor=cast.member, slot=closed, now=now)
    visit.refresh_from_db()
    assert visit.starts_at == at(MONDAY, 9)


def test_a_working_day_next_to_a_holiday_can_be_booked(cast):
    tuesday = EASTER_MONDAY + dt.timedelta(days=1)
    assert book(slot_at(cast.workplace, at(tuesday, 10)), cast.member, now=at(tuesday, 10) - dt.timedelta(weeks=3))


def test_times_on_closed_days_are_not_offered_on_the_times_page(client_for, cast):
    holiday, saturday = _closed_weekday_ahead(7), _saturday_ahead(7)
    on_holiday = slot_at(cast.workplace, at(holiday, 10))
    on_saturday = slot_at(cast.workplace, at(saturday, 10))
    working = slot_at(cast.workplace, factories.next_weekday_at(10, days_ahead=8))
    url = reverse("meetings:visit-slot-list", args=[cast.workplace.slug])
    client = client_for(cast.member)

    pages = [client.get(url, {"fra": day.isoformat()}).content.decode() for day in (holiday, saturday)]
    working_page = client.get(url, {"fra": working.day.isoformat()}).content.decode()

    assert all(f'data-slot="{on_holiday.pk}"' not in page for page in pages)
    assert all(f'data-slot="{on_saturday.pk}"' not in page for page in pages)
    assert f'data-slot="{working.pk}"' in working_page
    assert set(VisitSlot.objects.open().values_list("pk", flat=True)) == {working.pk}


def test_the_factorys_times_never_land_on_a_closed_day():
    for days_ahead in range(0, 400, 1):
        assert is_working_day(factories.next_weekday_at(9, days_ahead=days_ahead).date())
