"""What a leader offers, as plain values, and the bookable times it becomes: pure, no database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from meetings.models import VisitOffer
from meetings.visits.forms import VisitOfferForm
from meetings.visits.slots import OfferTerms, SingleTime, WeeklyTimes, split_window, weekly_windows

CPH = ZoneInfo("Europe/Copenhagen")


def test_a_window_is_split_into_whole_visits_and_a_remainder_is_dropped():
    start = dt.datetime(2030, 3, 5, 9, tzinfo=CPH)
    windows = split_window(start, start + dt.timedelta(minutes=150), 60)
    assert [(w.start.hour, w.end.hour) for w in windows] == [(9, 10), (10, 11)]


def test_weekly_times_keep_the_wall_clock_across_summer_time():
    windows = weekly_windows(
        weekday=2,
        start_time=dt.time(9),
        end_time=dt.time(10),
        first_day=dt.date(2030, 3, 18),
        last_day=dt.date(2030, 4, 7),
        minutes=60,
        tz=CPH,
    )
    assert [w.start.date() for w in windows] == [dt.date(2030, 3, 19), dt.date(2030, 3, 26), dt.date(2030, 4, 2)]
    assert {w.start.time() for w in windows} == {dt.time(9)}
    assert [w.start.utcoffset() for w in windows] == [dt.timedelta(hours=1)] * 2 + [dt.timedelta(hours=2)]


def test_each_kind_of_offer_is_a_value_with_its_own_columns_and_times():
    start = dt.datetime(2030, 3, 5, 9, tzinfo=CPH)
    single = SingleTime(start, start + dt.timedelta(hours=2))
    assert single.fields() == {"starts_at": start, "ends_at": start + dt.timedelta(hours=2)}
    assert len(single.windows(30, CPH)) == 4
    weekly = WeeklyTimes(2, dt.time(9), dt.time(11), dt.date(2030, 3, 1), dt.date(2030, 3, 31))
    assert set(weekly.fields()) == {"weekday", "start_time", "end_time", "first_day", "last_day"}
    assert len(weekly.windows(60, CPH)) == 4 * 2
    assert {SingleTime.kind, WeeklyTimes.kind} == set(VisitOffer.Kind.values)
    with pytest.raises(AttributeError):
        single.starts_at = start + dt.timedelta(days=1)  # frozen: what the form built is what the service gets


TERMS = {"slot_minutes": "45", "min_politicians": "2", "max_politicians": "3", "topics": " Køkkenet "}


def test_the_offer_form_builds_a_single_time_and_its_terms():
    form = VisitOfferForm({"kind": "single", "starts_at": "2030-03-05T09:00", "ends_at": "2030-03-05T11:00", **TERMS})
    assert form.is_valid(), form.errors
    times, terms = form.offer()
    assert times == SingleTime(dt.datetime(2030, 3, 5, 9, tzinfo=CPH), dt.datetime(2030, 3, 5, 11, tzinfo=CPH))
    assert terms == OfferTerms(slot_minutes=45, min_politicians=2, max_politicians=3, topics="Køkkenet")


def test_the_offer_form_builds_weekly_times_and_ignores_the_other_kinds_fields():
    data = {
        "kind": "weekly",
        "starts_at": "2030-03-05T09:00",
        "weekday": "3",
        "start_time": "13:00",
        "end_time": "15:00",
        "first_day": "2030-03-01",
        "last_day": "2030-05-31",
        **TERMS,
    }
    form = VisitOfferForm(data)
    assert form.is_valid(), form.errors
    times, _terms = form.offer()
    assert times == WeeklyTimes(3, dt.time(13), dt.time(15), dt.date(2030, 3, 1), dt.date(2030, 5, 31))


@pytest.mark.parametrize(
    ("kind", "given", "missing"),
    [
        ("single", {"starts_at": "2030-03-05T09:00"}, {"ends_at"}),
        ("weekly", {"weekday": "3", "start_time": "13:00"}, {"end_time", "first_day", "last_day"}),
    ],
)
def test_the_offer_form_names_each_field_the_chosen_kind_still_needs(kind, given, missing):
    form = VisitOfferForm({"kind": kind, **given, **TERMS})
    assert not form.is_valid()
    assert set(form.errors) == missing
