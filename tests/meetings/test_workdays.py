"""The municipality's calendar of working days: weekends, Danish public holidays and the municipality's closed days."""

import datetime as dt

import pytest

from meetings.workdays import add_working_days, closed_days_of_year, is_working_day, working_days_between

D = dt.date


def test_weekends_public_holidays_and_the_municipalitys_own_closed_days_are_not_working_days():
    assert is_working_day(D(2026, 12, 7))  # a Monday
    assert not is_working_day(D(2026, 12, 5))  # Saturday
    assert not is_working_day(D(2026, 12, 6))  # Sunday
    assert not is_working_day(D(2026, 4, 3))  # Langfredag
    assert not is_working_day(D(2026, 6, 5))  # Grundlovsdag (a Friday in 2026)
    assert not is_working_day(D(2026, 12, 24))  # Juleaftensdag
    assert is_working_day(D(2026, 5, 1))  # 1 May is not a public holiday in Denmark
    assert is_working_day(D(2024, 4, 26))  # Store bededag was abolished from 2024


def test_ten_working_days_skip_weekends_and_easter():
    # Thursday 26 March 2026: Skærtorsdag 2 April, Langfredag 3 April and 2. påskedag 6 April are closed.
    assert add_working_days(D(2026, 3, 26), 10) == D(2026, 4, 14)
    assert add_working_days(D(2026, 4, 14), -10) == D(2026, 3, 26)
    assert add_working_days(D(2026, 3, 26), 0) == D(2026, 3, 26)


def test_counting_across_christmas_and_new_year():
    assert add_working_days(D(2026, 12, 22), 3) == D(2026, 12, 29)  # 24, 25, 26, 27 closed or weekend
    assert working_days_between(D(2026, 12, 22), D(2027, 1, 4)) == 5  # 23, 28, 29, 30, 4 (31 and 1 closed)


@pytest.mark.parametrize("start", [D(2026, 1, 1) + dt.timedelta(days=n * 11) for n in range(34)])
def test_adding_and_counting_agree(start):
    for count in (1, 3, 10, 25):
        end = add_working_days(start, count)
        assert working_days_between(start, end) == count
        assert is_working_day(end)


def test_closed_days_have_their_danish_names():
    names = closed_days_of_year(2026)
    assert names[D(2026, 6, 5)] == "Grundlovsdag"
    assert names[D(2026, 12, 25)] == "Juledag"


def test_an_absurd_count_is_refused_instead_of_looping():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 1), 100_000)
