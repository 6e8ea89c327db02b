"""The booking rules that are plain arithmetic, without a database."""

import datetime as dt

import pytest

from meetings.visits.rules import first_day_after_notice, inside_notice, same_address


@pytest.mark.parametrize(
    ("today", "days", "first"),
    [
        (dt.date(2027, 3, 1), 2, dt.date(2027, 3, 3)),  # Monday: Wednesday
        (dt.date(2027, 3, 5), 2, dt.date(2027, 3, 9)),  # Friday: the weekend does not count
        (dt.date(2026, 12, 23), 2, dt.date(2026, 12, 29)),  # Christmas Eve and Day and the weekend do not count
        (dt.date(2027, 3, 24), 2, dt.date(2027, 3, 31)),  # Maundy Thursday, Good Friday and Easter Monday neither
        (dt.date(2027, 3, 6), 0, dt.date(2027, 3, 6)),  # no notice: today
    ],
)
def test_the_notice_counts_working_days_only(today, days, first):
    assert first_day_after_notice(today, days) == first


def test_a_day_before_the_first_day_after_the_notice_is_inside_it():
    monday = dt.date(2027, 3, 1)
    assert inside_notice(dt.date(2027, 3, 2), today=monday, notice_days=2)
    assert not inside_notice(dt.date(2027, 3, 3), today=monday, notice_days=2)


def test_addresses_are_the_same_place_whatever_the_case_commas_and_spaces():
    assert same_address("Skolevej 12, 4000 Dalby", "skolevej 12 4000  DALBY")
    assert not same_address("Skolevej 12, 4000 Dalby", "Skolevej 14, 4000 Dalby")


def test_an_empty_address_is_never_the_same_place():
    assert not same_address("", "")
    assert not same_address("Skolevej 12", " ")
