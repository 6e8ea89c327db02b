"""Checking the import's rows (meetings/imports/checking.py): tables in, plans and problems out, with what the portal
holds handed in as plain data. No database: these tests have no ``db`` fixture, so a query would fail them."""

import datetime as dt
from decimal import Decimal

from django.utils import translation

from meetings.imports.checking import Existing, PersonPlan, Seat, check_references, plan_rows
from meetings.imports.reading import Table
from meetings.imports.results import Problems

TODAY = dt.date(2030, 6, 15)
COMMITTEE = {
    "slug": "kultur",
    "name": "Kulturudvalget",
    "area": "",
    "meeting_weekday": "1",
    "meeting_start": "16.00",
    "meeting_minutes": "120",
}
WORKPLACE = {
    "slug": "bibliotek",
    "name": "Dalby Bibliotek",
    "kind": "Bibliotek",
    "address": "Torvet 2",
    "district": "Centrum",
    "committees": "kultur",
    "seats": "30",
    "step_free": "ja",
    "active": "",
    "latitude": "55,1",
    "longitude": "9.5",
}


def person(email="karin@dalby.example", name="Karin Holst", role="politician", committee="kultur", **more):
    more.setdefault("committee_role", "member")
    return {
        "email": email,
        "full_name": name,
        "role": role,
        "committee": committee,
        "workplace": "",
        **more,
    }


def table(*rows: dict, first_line: int = 2) -> Table:
    return Table(headers=list(rows[0]) if rows else [], rows=list(enumerate(rows, start=first_line)))


def check(existing: Existing | None = None, unreadable=(), **tables: Table):
    """Plan the tables and check their references; the plans and the problems as (file, line, column, reason)."""
    problems = Problems()
    with translation.override("en"):
        plans = plan_rows(tables, problems, today=TODAY, unreadable=unreadable)
        check_references(plans, existing or Existing(), problems)
    return plans, [(p.kind, p.line, p.column, p.reason) for p in problems.sorted()]


def test_good_rows_become_typed_plans_keyed_as_the_portal_keys_them():
    plans, problems = check(
        committees=table(COMMITTEE),
        workplaces=table(WORKPLACE),
        people=table(person(email="Karin@Dalby.example", start_date="2030-01-01")),
        blackouts=table({"workplace": "bibliotek", "first_day": "2030-07-01", "last_day": "2030-07-14", "reason": "X"}),
        history=table({"committee": "kultur", "date": "2029-03-01", "workplace": "bibliotek"}),
    )
    assert problems == []
    assert plans.committees["kultur"].fields == {
        "name": "Kulturudvalget",
        "area": "",
        "meeting_weekday": 1,
        "meeting_start": dt.time(16),
        "meeting_minutes": 120,
    }
    workplace = plans.workplaces["bibliotek"]
    assert (workplace.kind, workplace.district, workplace.committees) == ("Bibliotek", "Centrum", ["kultur"])
    assert workplace.fields["latitude"] == Decimal("55.100000") and workplace.fields["step_free"] is True
    assert workplace.fields["is_active"] is True  # an empty cell keeps the default
    assert plans.people == {
        "karin@dalby.example": PersonPlan(
            2, "Karin Holst", memberships={"kultur": Seat(2, "member", dt.date(2030, 1, 1))}
        )
    }
    assert list(plans.blackouts) == [("bibliotek", dt.date(2030, 7, 1), dt.date(2030, 7, 14))]
    assert plans.hostings == {("kultur", dt.date(2029, 3, 1)): (2, "bibliotek")}
    assert plans.committee_slugs() == {"kultur"} and plans.workplace_slugs() == {"bibliotek"}


def test_each_bad_cell_is_named_and_the_row_is_left_out():
    bad = {**COMMITTEE, "slug": "kultur udvalg", "meeting_weekday": "8", "meeting_start": "25:00", "active": "måske"}
    plans, problems = check(committees=table(bad))
    assert plans.committees == {}
    assert problems == [
        (
            "committees",
            2,
            "slug",
            "'kultur udvalg' is not a valid slug: use at most 50 letters a–z, digits, hyphens and underscores.",
        ),
        ("committees", 2, "meeting_weekday", "The weekday must be a number from 1 (Monday) to 7 (Sunday)."),
        ("committees", 2, "meeting_start", "'25:00' is not a time of day as HH:MM, for example 16:00."),
        ("committees", 2, "active", "'måske' is not yes or no (ja/nej, true/false, 1/0)."),
    ]


def test_a_workplace_needs_both_coordinates_or_neither_and_each_committee_once():
    row = {**WORKPLACE, "latitude": "55.1", "longitude": "", "committees": "kultur;kultur"}
    _plans, problems = check(committees=table(COMMITTEE), workplaces=table(row))
    assert [(column, reason) for _kind, _line, column, reason in problems] == [
        ("longitude", "Give both latitude and longitude, or neither."),
        ("committees", "A committee is listed twice."),
    ]


def test_a_repeated_key_names_the_line_it_first_appeared_on():
    _plans, problems = check(committees=table(COMMITTEE, {**COMMITTEE, "name": "Igen"}))
    assert problems == [("committees", 3, "slug", "kultur already appears on line 2 of this file.")]


def test_a_person_row_must_fit_its_role():
    rows = table(
        person(email="ikke-en-adresse"),
        person(email="a@dalby.example", committee="", committee_role=""),
        person(email="b@dalby.example", role="leader"),
        person(email="c@dalby.example", role="borgmester"),
    )
    _plans, problems = check(people=rows)
    assert [(line, column) for _kind, line, column, _reason in problems] == [
        (2, "email"),
        (3, "committee"),
        (3, "committee_role"),
        (4, "workplace"),  # a leader needs a workplace, and has no committee
        (4, "committee"),
        (4, "committee_role"),
        (5, "role"),
    ]


def test_one_address_has_one_name_and_may_hold_several_roles():
    rows = table(
        person(),
        person(role="leader", committee="", committee_role="", workplace="bibliotek"),
        person(name="Karin H.", role="administrator", committee="", committee_role=""),
    )
    existing = Existing(committees=frozenset({"kultur"}), workplaces=frozenset({"bibliotek"}))
    plans, problems = check(people=rows, existing=existing)
    assert problems == [
        ("people", 4, "full_name", "The same e-mail address has the name 'Karin Holst' on line 2."),
    ]
    karin = plans.people["karin@dalby.example"]
    assert set(karin.memberships) == {"kultur"} and set(karin.workplace_roles) == {("bibliotek", "leader")}
    assert karin.administrator is False


def test_a_reference_may_point_at_the_portal_or_at_another_file_of_the_import():
    workplace = table({**WORKPLACE, "committees": "kultur;skole"})
    in_the_portal = Existing(committees=frozenset({"skole"}))
    _plans, problems = check(workplaces=workplace, existing=in_the_portal)
    assert problems == [
        (
            "workplaces",
            2,
            "committees",
            "There is no committee with the slug 'kultur' in the portal or the committees file.",
        )
    ]
    _plans, problems = check(committees=table(COMMITTEE), workplaces=workplace, existing=in_the_portal)
    assert problems == []


def test_a_reference_to_a_file_that_could_not_be_read_is_not_reported_twice():
    _plans, problems = check(workplaces=table(WORKPLACE), unreadable={"committees"})
    assert problems == []


def test_a_past_hosting_is_in_the_past_and_agrees_with_what_the_portal_recorded():
    history = table(
        {"committee": "kultur", "date": "2030-06-16", "workplace": "bibliotek"},
        {"committee": "kultur", "date": "2029-03-01", "workplace": "bibliotek"},
        {"committee": "kultur", "date": "2029-04-01", "workplace": "bibliotek"},
    )
    existing = Existing(
        committees=frozenset({"kultur"}),
        workplaces=frozenset({"bibliotek", "skolen"}),
        portal_hostings={("kultur", dt.date(2029, 3, 1)): "skolen", ("kultur", dt.date(2029, 4, 1)): "bibliotek"},
    )
    _plans, problems = check(history=history, existing=existing)
    assert problems == [
        ("history", 2, "date", "A past hosting cannot be in the future."),
        ("history", 3, "workplace", "The portal already records that skolen hosted the committee on this day."),
    ]


def test_a_committee_keeps_one_chair_counting_the_portal_and_the_file():
    existing = Existing(committees=frozenset({"kultur"}), seat_holders=(("kultur", "old@dalby.example", "chair"),))
    _plans, problems = check(people=table(person(committee_role="chair")), existing=existing)
    assert problems == [
        (
            "people",
            2,
            "committee_role",
            "The committee kultur would have more than one chair: karin@dalby.example, old@dalby.example.",
        )
    ]
    # The chair in the portal is in the file as a member: the seats are swapped, not doubled.
    rows = table(
        person(committee_role="chair"), person(email="old@dalby.example", name="Ole Old", committee_role="member")
    )
    _plans, problems = check(people=rows, existing=existing)
    assert problems == []


def test_problems_come_in_file_order_then_line_order():
    _plans, problems = check(
        people=table(person(email="x"), first_line=7),
        committees=table({**COMMITTEE, "meeting_minutes": "5"}, first_line=3),
    )
    assert [(kind, line) for kind, line, _column, _reason in problems] == [("committees", 3), ("people", 7)]


def test_a_committee_says_which_weekday_of_the_month_and_which_months_to_skip():
    plans, problems = check(committees=table({**COMMITTEE, "meeting_nth": "-1", "meeting_skip_months": "12; 7"}))
    assert problems == []
    assert plans.committees["kultur"].fields["meeting_nth"] == -1
    assert plans.committees["kultur"].fields["meeting_skip_months"] == [7, 12]


def test_empty_weekday_of_the_month_and_skipped_months_mean_the_second_and_none():
    plans, problems = check(committees=table({**COMMITTEE, "meeting_nth": "", "meeting_skip_months": ""}))
    assert problems == []
    assert plans.committees["kultur"].fields["meeting_nth"] == 2
    assert plans.committees["kultur"].fields["meeting_skip_months"] == []


def test_without_the_columns_the_committee_keeps_its_weekday_of_the_month_and_skipped_months():
    plans, problems = check(committees=table(COMMITTEE))
    assert problems == []
    assert "meeting_nth" not in plans.committees["kultur"].fields
    assert "meeting_skip_months" not in plans.committees["kultur"].fields


def test_a_bad_weekday_of_the_month_or_month_is_named_and_the_row_left_out():
    rows = table(
        {**COMMITTEE, "meeting_nth": "0", "meeting_skip_months": "7"},
        {**COMMITTEE, "slug": "b", "meeting_nth": "first", "meeting_skip_months": ""},
        {**COMMITTEE, "slug": "c", "meeting_nth": "1", "meeting_skip_months": "7;13"},
        {**COMMITTEE, "slug": "d", "meeting_nth": "1", "meeting_skip_months": "7;juli"},
        {**COMMITTEE, "slug": "e", "meeting_nth": "1", "meeting_skip_months": "7;7"},
        {**COMMITTEE, "slug": "f", "meeting_nth": "1", "meeting_skip_months": ";".join(str(m) for m in range(1, 13))},
    )
    plans, problems = check(committees=rows)
    assert plans.committees == {}
    assert [(line, column) for _kind, line, column, _reason in problems] == [
        (2, "meeting_nth"),
        (3, "meeting_nth"),
        (4, "meeting_skip_months"),
        (5, "meeting_skip_months"),
        (6, "meeting_skip_months"),
        (7, "meeting_skip_months"),
    ]
    reasons = [reason for *_rest, reason in problems]
    assert "'0' is not 1, 2, 3, 4 or 5" in reasons[0] and "-1 (the last)" in reasons[0]
    assert "'13' is not a month number" in reasons[2]
    assert "'juli' is not a month number" in reasons[3]
    assert reasons[4] == "A month is listed twice."
    assert reasons[5] == "Leave at least one month with meetings."
