"""Danish public holidays and meeting dates from a pattern; pure functions, no database."""

import datetime as dt

import pytest

from meetings.rotation.calendar import LAST, closed_days_of_year, is_closed, meeting_dates, nth_weekday

D = dt.date
MONDAY, TUESDAY, THURSDAY = 0, 1, 3

EASTER_BASED = {
    # year: (Skærtorsdag, Langfredag, Påskedag, 2. påskedag, Kristi himmelfartsdag, Pinsedag, 2. pinsedag)
    2024: (
        D(2024, 3, 28),
        D(2024, 3, 29),
        D(2024, 3, 31),
        D(2024, 4, 1),
        D(2024, 5, 9),
        D(2024, 5, 19),
        D(2024, 5, 20),
    ),
    2025: (
        D(2025, 4, 17),
        D(2025, 4, 18),
        D(2025, 4, 20),
        D(2025, 4, 21),
        D(2025, 5, 29),
        D(2025, 6, 8),
        D(2025, 6, 9),
    ),
    2026: (D(2026, 4, 2), D(2026, 4, 3), D(2026, 4, 5), D(2026, 4, 6), D(2026, 5, 14), D(2026, 5, 24), D(2026, 5, 25)),
    2027: (
        D(2027, 3, 25),
        D(2027, 3, 26),
        D(2027, 3, 28),
        D(2027, 3, 29),
        D(2027, 5, 6),
        D(2027, 5, 16),
        D(2027, 5, 17),
    ),
}


@pytest.mark.parametrize("year", sorted(EASTER_BASED))
def test_easter_based_holidays_are_closed_on_their_exact_dates(year):
    closed = closed_days_of_year(year)
    for day in EASTER_BASED[year]:
        assert day in closed, day


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_a_year_has_exactly_the_public_holidays_and_the_municipal_closed_days(year):
    fixed = {D(year, 1, 1), D(year, 6, 5), D(year, 12, 24), D(year, 12, 25), D(year, 12, 26), D(year, 12, 31)}
    assert set(closed_days_of_year(year)) == fixed | set(EASTER_BASED[year])


def test_store_bededag_is_closed_until_2023_and_open_from_2024():
    assert is_closed(D(2023, 5, 5))
    assert not is_closed(D(2024, 4, 26))


def test_the_municipal_closed_days_are_a_parameter():
    assert is_closed(D(2025, 6, 5))
    assert not is_closed(D(2025, 6, 5), closed_days=())
    assert not is_closed(D(2025, 5, 1))
    assert is_closed(D(2025, 5, 1), closed_days=((5, 1),))


def test_second_tuesday_of_every_month_except_july():
    dates = meeting_dates(2025, TUESDAY, 2, skip_months=[7], start=dt.time(16, 0), minutes=180)
    assert [d for d, _start, _end in dates] == [
        D(2025, 1, 14),
        D(2025, 2, 11),
        D(2025, 3, 11),
        D(2025, 4, 8),
        D(2025, 5, 13),
        D(2025, 6, 10),
        D(2025, 8, 12),
        D(2025, 9, 9),
        D(2025, 10, 14),
        D(2025, 11, 11),
        D(2025, 12, 9),
    ]
    assert {(start, end) for _d, start, end in dates} == {(dt.time(16, 0), dt.time(19, 0))}


def test_a_date_on_a_holiday_moves_to_the_next_same_weekday_in_the_month():
    # Easter Monday 2025 is the third Monday of April; Whit Monday 2025 the second Monday of June.
    dates = {d.month: d for d, _s, _e in meeting_dates(2025, MONDAY, 3)}
    assert dates[4] == D(2025, 4, 28)
    dates = {d.month: d for d, _s, _e in meeting_dates(2025, MONDAY, 2)}
    assert dates[6] == D(2025, 6, 16)


def test_a_date_that_cannot_move_within_its_month_is_dropped():
    # Ascension Day 2025 is the last Thursday of May and Christmas Day the last of December; the next Thursdays
    # are in the next month.
    months = [d.month for d, _s, _e in meeting_dates(2025, THURSDAY, LAST)]
    assert set(range(1, 13)) - set(months) == {5, 12}
    # 24 December 2026 is the fourth Thursday; it would move to the 31st, which is closed too.
    assert 12 not in [d.month for d, _s, _e in meeting_dates(2026, THURSDAY, 4)]


def test_no_proposed_date_is_ever_closed():
    for year in range(2023, 2031):
        for weekday in range(5):
            for nth in (1, 2, 3, 4, 5, LAST):
                for day, _s, _e in meeting_dates(year, weekday, nth):
                    assert not is_closed(day)
                    assert day.weekday() == weekday


def test_a_fifth_weekday_exists_only_in_some_months():
    assert nth_weekday(2025, 2, TUESDAY, 5) is None
    assert nth_weekday(2025, 9, TUESDAY, 5) == D(2025, 9, 30)
    assert len(meeting_dates(2025, TUESDAY, 5)) == 4


def test_an_evening_meeting_ends_the_same_day():
    [(_day, start, end), *_] = meeting_dates(2025, TUESDAY, 1, start=dt.time(17, 30), minutes=150)
    assert (start, end) == (dt.time(17, 30), dt.time(20, 0))


@pytest.mark.parametrize(("weekday", "nth"), [(7, 1), (-1, 1), (1, 0), (1, 6), (1, -2)])
def test_an_impossible_pattern_is_refused(weekday, nth):
    with pytest.raises(ValueError):
        meeting_dates(2025, weekday, nth)
