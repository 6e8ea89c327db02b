"""Dates and times as Danish writers expect them (DANISH.md §2), in Copenhagen time whether summer or winter."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from django.utils.formats import date_format

from core import dates

UTC = dt.UTC
# 16.00 in Copenhagen: summer time (UTC+2) in June, winter time (UTC+1) in December.
SUMMER = dt.datetime(2026, 6, 16, 14, 0, tzinfo=UTC)
WINTER = dt.datetime(2026, 12, 8, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _danish():
    with translation.override("da"):
        yield


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("date", "8. december 2026"),
        ("date_short", "8. dec. 2026"),
        ("day_month", "8. december"),
        ("weekday_date", "tirsdag den 8. december 2026"),
        ("weekday_day_month", "tirsdag den 8. december"),
        ("time", "16.00"),
        ("clock", "kl. 16.00"),
        ("datetime", "8. december 2026 kl. 16.00"),
        ("datetime_short", "8. dec. 2026 kl. 16.00"),
        ("weekday_datetime", "tirsdag den 8. december 2026 kl. 16.00"),
    ],
)
def test_each_named_format_reads_as_danish_writers_expect(name, expected):
    assert dates.when(WINTER, name) == expected


def test_a_summer_meeting_at_four_is_at_four_in_copenhagen_time():
    assert dates.when(SUMMER, "weekday_datetime") == "tirsdag den 16. juni 2026 kl. 16.00"
    assert dates.when(WINTER, "weekday_datetime") == "tirsdag den 8. december 2026 kl. 16.00"


def test_the_night_summer_time_begins_shows_the_hour_it_jumps_to():
    assert dates.when(dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "time") == "1.30"
    assert dates.when(dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "time") == "3.30"


def test_short_months_are_lowercase_with_a_full_stop_never_english():
    shown = [dates.when(dt.date(2026, month, 6), "date_short") for month in (1, 8, 9, 10, 12)]
    assert shown == ["6. jan. 2026", "6. aug. 2026", "6. sept. 2026", "6. okt. 2026", "6. dec. 2026"]


def test_a_time_range_uses_an_en_dash_and_full_stops():
    assert dates.clock_range(WINTER, WINTER + dt.timedelta(hours=2)) == "16.00–18.00"
    assert dates.clock_range(dt.time(9, 30), dt.time(11, 0), clock=True) == "kl. 9.30–11.00"


def test_weeks_are_iso_weeks_with_monday_first():
    assert dates.week(WINTER) == "uge 50"
    assert dates.week(dt.date(2026, 1, 1)) == "uge 1"
    assert dates.week(dt.date(2027, 1, 3)) == "uge 53"  # a Sunday: still the last week of 2026
    assert dates.week_span(dt.date(2026, 12, 3)) == "uge 49 (30. nov.–6. dec.)"


def test_a_sunday_evening_in_copenhagen_belongs_to_that_sunday_s_week():
    sunday_late = dt.datetime(2026, 12, 6, 23, 30, tzinfo=UTC)  # Monday 0.30 in Copenhagen
    assert dates.week(sunday_late) == "uge 50"


def test_django_s_own_format_names_are_danish_too():
    assert date_format(timezone.localtime(WINTER), "DATETIME_FORMAT") == "8. december 2026 kl. 16.00"
    assert date_format(WINTER, "SHORT_DATE_FORMAT") == "8. dec. 2026"
    assert Template("{{ moment|time }}").render(Context({"moment": dt.time(16, 0)})) == "16.00"


def test_the_template_filters_use_the_same_formats():
    template = Template(
        '{% load portal_dates %}{{ start|when:"weekday_datetime" }}–{{ end|when:"time" }}, {{ start|week }}, '
        "{{ start|clock_range:end }}"
    )
    rendered = template.render(Context({"start": SUMMER, "end": SUMMER + dt.timedelta(hours=2)}))
    assert rendered == "tirsdag den 16. juni 2026 kl. 16.00–18.00, uge 25, 16.00–18.00"


def test_english_readers_get_english_dates():
    with translation.override("en"):
        assert dates.when(WINTER, "weekday_datetime") == "Tuesday 8 December 2026, 16:00"
        assert dates.week(WINTER) == "week 50"


def test_an_unknown_format_name_is_a_mistake_not_a_blank():
    with pytest.raises(ValueError, match="Unknown date format"):
        dates.when(WINTER, "dato")


def test_the_planner_s_explanations_name_days_the_danish_way():
    from meetings.rotation.explain import format_day

    assert format_day(dt.date(2026, 12, 8)) == "8. dec. 2026"
