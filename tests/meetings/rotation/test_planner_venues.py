"""Borrowed venues and soft wishes in the rotation planner (issue 20); pure, no database.

The properties check the planner against oracles written from the rules alone: which rooms a small workplace may
borrow, who can host on a date, and brute force over every plan on small cases.
"""

import datetime as dt
import itertools
import math

from hypothesis import given
from hypothesis import strategies as st

from meetings.rotation import (
    MeetingIn,
    PlanParams,
    VenueIn,
    WorkplaceIn,
    evaluate_plan,
    plan_year,
    unmet_wishes,
    venue_for,
)
from meetings.rotation.venues import distance_km

from .test_planner_properties import NEVER, SETTINGS, YEAR

D = dt.date
DATES = [D(2027, 3, 9), D(2027, 5, 11), D(2027, 9, 14)]
MEETINGS = [MeetingIn(d, dt.time(16, 0)) for d in DATES]
HALL = VenueIn("dalby-medborgerhus", "Dalby Medborgerhus", "Dalby", 40, True, 55.70, 12.50)
PARAMS = PlanParams(committee_size=7, venues=(HALL,))  # 9 seats needed


def wp(slug, *, seats=20, district="Dalby", lat=None, lon=None, lends=False, step_free=True, **extra):
    return WorkplaceIn(
        slug,
        "daycare",
        district,
        seats,
        name=slug.title(),
        latitude=lat,
        longitude=lon,
        lends_room=lends,
        step_free=step_free,
        **extra,
    )


def test_a_small_workplace_hosts_in_the_nearest_venue_and_the_reason_says_so():
    workplaces = [wp("solsikken", seats=8, lat=55.71, lon=12.50), wp("skolen", seats=30)]
    plan = plan_year(workplaces, MEETINGS[:2], PARAMS)
    small = next(m for m in plan.meetings if m.host == "solsikken")
    assert small.venue == "dalby-medborgerhus"
    assert "Solsikken holds the meeting in the rooms of Dalby Medborgerhus, 1.1 km away" in small.why
    assert "because it has 8 seats and the meeting needs 9" in small.why
    big = next(m for m in plan.meetings if m.host == "skolen")
    assert big.venue is None
    assert plan.cannot_host == []
    assert plan.fairness.hostings_per_workplace == {"skolen": 1, "solsikken": 1}


def test_a_lending_workplace_nearer_than_the_venue_is_chosen_and_not_on_its_closed_days():
    lender = wp("bakkeskolen", seats=30, lat=55.601, lon=12.50, lends=True, blackout_days=frozenset({DATES[0]}))
    small = wp("myretuen", seats=6, lat=55.60, lon=12.50, hostings=[])
    params = PlanParams(committee_size=7, venues=(HALL,))
    assert venue_for([lender, small], MEETINGS, params, host="myretuen", day=DATES[1]) == "bakkeskolen"
    # The lender is closed on the first date: the municipal hall, further away, is used instead.
    assert venue_for([lender, small], MEETINGS, params, host="myretuen", day=DATES[0]) == "dalby-medborgerhus"
    assert venue_for([lender, small], MEETINGS, params, host="bakkeskolen", day=DATES[1]) is None


def test_without_coordinates_only_a_venue_in_the_same_district_is_used():
    far = VenueIn("nordhallen", "Nordhallen", "Nord", 40, True)
    params = PlanParams(committee_size=7, venues=(far,))
    plan = plan_year([wp("lille", seats=4, district="Syd")], MEETINGS[:1], params)
    assert plan.meetings[0].host is None
    assert [c.workplace for c in plan.cannot_host] == ["lille"]
    assert "4 seats, 9 needed" in plan.cannot_host[0].reason
    plan = plan_year([wp("lille", seats=4, district="Nord")], MEETINGS[:1], params)
    assert (plan.meetings[0].host, plan.meetings[0].venue) == ("lille", "nordhallen")
    assert "in the same district" in plan.meetings[0].why


def test_a_venue_too_small_or_not_step_free_is_not_used():
    cramped = VenueIn("lokalet", "Lokalet", "Dalby", 8, True)
    steps = VenueIn("kaelderen", "Kælderen", "Dalby", 50, False)
    params = PlanParams(committee_size=7, venues=(cramped, steps))
    plan = plan_year([wp("lille", seats=4)], MEETINGS[:1], params)
    assert plan.meetings[0].host is None and [c.workplace for c in plan.cannot_host] == ["lille"]
    relaxed = PlanParams(committee_size=7, venues=(cramped, steps), venue_step_free=False)
    assert plan_year([wp("lille", seats=4)], MEETINGS[:1], relaxed).meetings[0].venue == "kaelderen"


def test_a_workplace_closed_on_every_date_is_listed_with_the_reason_and_the_spread_leaves_it_out():
    workplaces = [wp("a"), wp("b"), wp("lukket", blackout_days=frozenset(DATES))]
    plan = plan_year(workplaces, MEETINGS, PARAMS)
    assert [(c.workplace, c.reason) for c in plan.cannot_host] == [
        ("lukket", "Cannot host this year: it is closed on every meeting date.")
    ]
    assert plan.to_json("u", 2027)["cannot_host"] == [
        {"workplace": "lukket", "reason": "Cannot host this year: it is closed on every meeting date."}
    ]
    assert plan.fairness.best_possible_spread == plan.fairness.spread_after == 1


def test_a_wish_breaks_a_tie_and_an_unmet_wish_is_reported():
    # Both have never hosted and a comes first alphabetically, but a would rather not host in March.
    workplaces = [wp("a", avoid_months=(3,), wish_months=(5,)), wp("b")]
    plan = plan_year(workplaces, MEETINGS[:2], PARAMS)
    assert [m.host for m in plan.meetings] == ["b", "a"]
    assert "because the others would rather not host this month" in plan.meetings[0].why
    assert plan.wishes_unmet == []
    # A wish never overrides the queue: c has hosted, so a wish for March does not move it ahead.
    workplaces = [wp("a", avoid_months=(3,)), wp("c", wish_months=(3,), hostings=[D(2026, 3, 10)])]
    plan = plan_year(workplaces, MEETINGS[:1], PARAMS)
    assert plan.meetings[0].host == "a"
    [unmet] = plan.wishes_unmet
    assert (unmet.workplace, unmet.wish, unmet.month) == ("a", "avoid", 3)
    assert plan.to_json("u", 2027)["wishes_unmet"][0]["reason"].startswith("Would rather not host in March 2027")


def test_unmet_wishes_names_a_month_without_meetings():
    [unmet] = unmet_wishes([wp("a", wish_months=(7,))], DATES, ["a", None, None])
    assert unmet.reason == "Would like to host in July 2027, but the committee does not meet that month."


# --- Properties ----------------------------------------------------------------------------------------------------

PLACES = [None, (55.70, 12.50), (55.72, 12.55), (55.60, 12.40)]


@st.composite
def committees_with_venues(draw, max_workplaces=5, max_dates=4):
    dates = sorted(draw(st.lists(st.sampled_from(YEAR), min_size=1, max_size=max_dates, unique=True)))
    n = draw(st.integers(1, max_workplaces))
    past = draw(st.lists(st.sampled_from([D(2020, m, 5) for m in range(1, 13)]), unique=True, max_size=6))
    owners = draw(st.lists(st.integers(0, n - 1), min_size=len(past), max_size=len(past)))
    workplaces = []
    for i in range(n):
        place = draw(st.sampled_from(PLACES))
        workplaces.append(
            WorkplaceIn(
                slug=f"w{i}",
                district=draw(st.sampled_from(["north", "south"])),
                seats=draw(st.sampled_from([4, 8, 9, 30])),
                active=draw(st.sampled_from([True, True, True, False])),
                blackout_days=frozenset(draw(st.lists(st.sampled_from(dates), unique=True))),
                hostings=[p for p, o in zip(past, owners, strict=True) if o == i],
                latitude=place[0] if place else None,
                longitude=place[1] if place else None,
                step_free=draw(st.booleans()),
                lends_room=draw(st.booleans()),
                wish_months=tuple(draw(st.lists(st.integers(1, 12), unique=True, max_size=2))),
                avoid_months=tuple(draw(st.lists(st.integers(1, 12), unique=True, max_size=2))),
            )
        )
    venues = []
    for k in range(draw(st.integers(0, 2))):
        place = draw(st.sampled_from(PLACES))
        venues.append(
            VenueIn(
                slug=f"v{k}",
                district=draw(st.sampled_from(["north", "south"])),
                seats=draw(st.sampled_from([8, 9, 40])),
                step_free=draw(st.booleans()),
                latitude=place[0] if place else None,
                longitude=place[1] if place else None,
            )
        )
    params = PlanParams(committee_size=7, venues=tuple(venues), venue_step_free=draw(st.booleans()))
    return workplaces, [MeetingIn(d, dt.time(16, 0)) for d in dates], params


def rooms_for(w, workplaces, params, day):
    """Every room (slug, distance or None) ``w`` may use on ``day``, written from the rule, not the planner."""
    needed = params.seats_needed
    if w.seats >= needed:
        return [(None, 0.0)]
    rooms = [(v, v.seats, v.step_free) for v in params.venues if v.active]
    rooms += [(o, o.seats, o.step_free) for o in workplaces if o.lends_room and o.active and o.slug != w.slug]
    out = []
    for room, seats, step_free in rooms:
        if seats < needed or (params.venue_step_free and not step_free):
            continue
        if isinstance(room, WorkplaceIn) and room.is_blacked_out(day):
            continue
        if None not in (w.latitude, room.latitude):
            out.append((room.slug, distance_km(w.latitude, w.longitude, room.latitude, room.longitude)))
        elif room.district == w.district:
            out.append((room.slug, None))
    return out


def can_host(w, workplaces, params, day):
    return w.active and not w.is_blacked_out(day) and bool(rooms_for(w, workplaces, params, day))


def pool_of(workplaces, meetings, params):
    return [w.slug for w in workplaces if any(can_host(w, workplaces, params, m.date) for m in meetings)]


@SETTINGS
@given(committees_with_venues())
def test_every_active_workplace_can_host_on_some_date_or_is_listed_with_a_reason(case):
    workplaces, meetings, params = case
    plan = plan_year(workplaces, meetings, params)
    pool = set(pool_of(workplaces, meetings, params))
    listed = {c.workplace: c.reason for c in plan.cannot_host}
    assert set(listed) == {w.slug for w in workplaces if w.active} - pool
    assert all(reason.startswith("Cannot host this year") for reason in listed.values())
    assert not {m.host for m in plan.meetings} & set(listed)
    assert set(plan.fairness.hostings_per_workplace) == {w.slug for w in workplaces if w.active}


@SETTINGS
@given(committees_with_venues())
def test_the_seat_rule_is_checked_against_the_venue_and_the_nearest_room_is_used(case):
    workplaces, meetings, params = case
    plan = plan_year(workplaces, meetings, params)
    by_slug = {w.slug: w for w in workplaces}
    rooms = {v.slug: v for v in params.venues} | by_slug
    for m in plan.meetings:
        if m.host is None:
            assert m.venue is None
            assert not any(can_host(w, workplaces, params, m.date) for w in workplaces)
            continue
        host = by_slug[m.host]
        assert can_host(host, workplaces, params, m.date)
        if host.seats >= params.seats_needed:
            assert m.venue is None
            continue
        room = rooms[m.venue]
        assert room.seats >= params.seats_needed
        assert room.step_free or not params.venue_step_free
        options = rooms_for(host, workplaces, params, m.date)
        distances = [km for _slug, km in options if km is not None]
        chosen = dict(options)[m.venue]
        if distances:
            assert chosen is not None and math.isclose(round(chosen, 1), round(min(distances), 1), abs_tol=0.05)
        assert "holds the meeting in the rooms of" in m.why


@SETTINGS
@given(committees_with_venues(max_workplaces=4, max_dates=4))
def test_the_best_spread_counts_only_those_who_can_host_and_is_a_proven_bound(case):
    workplaces, meetings, params = case
    plan = plan_year(workplaces, meetings, params)
    pool = pool_of(workplaces, meetings, params)
    choices = [[w.slug for w in workplaces if can_host(w, workplaces, params, m.date)] or [None] for m in meetings]
    assert math.prod(len(c) for c in choices) <= 5_000

    def spread_of(hosts):
        counts = {w.slug: len(w.hostings) for w in workplaces}
        for h in hosts:
            if h:
                counts[h] += 1
        return max(counts[s] for s in pool) - min(counts[s] for s in pool) if pool else 0

    any_plan = min(spread_of(hosts) for hosts in itertools.product(*choices))
    fairness = plan.fairness
    assert fairness.spread_after == spread_of([m.host for m in plan.meetings])
    assert fairness.levelling_bound <= any_plan <= fairness.best_possible_spread
    # Rule 2 still holds with venues: each date goes to one of those with fewest hostings, longest waiting.
    counts = {w.slug: len(w.hostings) for w in workplaces}
    last = {w.slug: max(w.hostings, default=NEVER) for w in workplaces}
    for m in plan.meetings:
        if m.host:
            eligible = [w.slug for w in workplaces if can_host(w, workplaces, params, m.date)]
            assert (counts[m.host], last[m.host]) == min((counts[s], last[s]) for s in eligible)
            counts[m.host], last[m.host] = counts[m.host] + 1, m.date


@SETTINGS
@given(committees_with_venues())
def test_every_unmet_wish_is_reported_and_no_met_wish_is(case):
    workplaces, meetings, params = case
    plan = plan_year(workplaces, meetings, params)
    months = {}
    for m in plan.meetings:
        if m.host:
            months.setdefault(m.host, set()).add(m.date.month)
    expected = set()
    for w in workplaces:
        if w.slug not in months:
            continue
        if w.wish_months and not months[w.slug] & set(w.wish_months):
            expected |= {(w.slug, "prefer", month) for month in w.wish_months}
        expected |= {(w.slug, "avoid", month) for month in set(w.avoid_months) & months[w.slug]}
    assert {(u.workplace, u.wish, u.month) for u in plan.wishes_unmet} == expected


def test_a_hand_choice_of_a_small_workplace_names_why_it_cannot_host_that_day():
    lender = wp("bakkeskolen", seats=30, lends=True, blackout_days=frozenset({DATES[0]}))
    small = wp("myretuen", seats=6)
    params = PlanParams(committee_size=7)
    _fairness, broken = evaluate_plan([lender, small], MEETINGS[:1], params, hosts=["myretuen"], guests=[[]])
    assert "no borrowed venue with room is free on this date" in next(b.reason for b in broken if b.rule == 1)
    closed = wp("myretuen", seats=6, blackout_days=frozenset({DATES[1]}))
    _fairness, broken = evaluate_plan([lender, closed], MEETINGS[1:2], params, hosts=["myretuen"], guests=[[]])
    assert next(b.reason for b in broken if b.rule == 1) == "Cannot host: blacked out on this date."
    alone = [wp("myretuen", seats=6)]
    _fairness, broken = evaluate_plan(alone, MEETINGS[:1], params, hosts=["myretuen"], guests=[[]])
    assert next(b.reason for b in broken if b.rule == 1).startswith("Cannot host: 6 seats, 9 needed")
