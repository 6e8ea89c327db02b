"""Rules 1–3 as properties over many generated committees, feasible and infeasible, checked against brute force.

The oracles below share nothing with the planner: they enumerate plans naively on cases small enough to do so.
"""

import datetime as dt
import itertools
import math
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.rotation import MeetingIn, PlanParams, WorkplaceIn, levelling_bound, plan_year, replan_date

D = dt.date
PARAMS = PlanParams(committee_size=7)  # hosts need 9 seats
YEAR = [D(2025, month, 10) for month in range(1, 13)]
PAST = [D(2015 + k // 12, k % 12 + 1, 20) for k in range(96)]
NEVER = D.min
# Derandomised and without an example database, so CI is stable and nothing is written to the checkout;
# HYPOTHESIS_MAX_EXAMPLES=5000 runs a deeper search by hand.
SETTINGS = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "200")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def committees(draw, max_workplaces=6, max_dates=5):
    dates = sorted(draw(st.lists(st.sampled_from(YEAR), min_size=1, max_size=max_dates, unique=True)))
    n = draw(st.integers(1, max_workplaces))
    # A committee has one host per date, so past hostings are distinct dates shared out among the workplaces.
    past = draw(st.lists(st.sampled_from(PAST), unique=True, max_size=10))
    owners = draw(st.lists(st.integers(0, n - 1), min_size=len(past), max_size=len(past)))
    workplaces = []
    for i in range(n):
        blackout = draw(st.lists(st.sampled_from(dates), unique=True, max_size=len(dates)))
        as_ranges = draw(st.booleans())
        workplaces.append(
            WorkplaceIn(
                slug=f"w{i}",
                kind=draw(st.sampled_from(["school", "daycare"])),
                district=draw(st.sampled_from(["north", "south", "east"])),
                seats=draw(st.sampled_from([4, 9, 30])),
                active=draw(st.sampled_from([True, True, True, False])),
                blackout_days=[(d, d) for d in blackout] if as_ranges else frozenset(blackout),
                hostings=[p for p, o in zip(past, owners, strict=True) if o == i],
            )
        )
    return workplaces, [MeetingIn(d, dt.time(16, 0)) for d in dates]


def can_host(w, day):
    return w.active and w.seats >= PARAMS.seats_needed and not w.is_blacked_out(day)


def pool_of(workplaces, meetings):
    return [w.slug for w in workplaces if any(can_host(w, m.date) for m in meetings)]


def spread_of(counts, pool):
    return max(counts[s] for s in pool) - min(counts[s] for s in pool) if pool else 0


def rule_keeping_plans(workplaces, meetings):
    """Every host sequence that keeps rules 1 and 2: each date goes to an eligible workplace with fewest
    hostings and, among those, the longest waiting (ties kept open)."""
    counts = {w.slug: len(w.hostings) for w in workplaces}
    last = {w.slug: max(w.hostings, default=NEVER) for w in workplaces}

    def walk(i):
        if i == len(meetings):
            yield [], dict(counts)
            return
        eligible = [w.slug for w in workplaces if can_host(w, meetings[i].date)]
        if not eligible:
            for rest, final in walk(i + 1):
                yield [None, *rest], final
            return
        best = min((counts[s], last[s]) for s in eligible)
        for slug in [s for s in eligible if (counts[s], last[s]) == best]:
            saved = counts[slug], last[slug]
            counts[slug], last[slug] = counts[slug] + 1, meetings[i].date
            for rest, final in walk(i + 1):
                yield [slug, *rest], final
            counts[slug], last[slug] = saved

    return list(walk(0))


def any_plan_best_spread(workplaces, meetings):
    """The most even result of any plan that only keeps rule 1 (None when too many to enumerate)."""
    pool = pool_of(workplaces, meetings)
    choices = [[w.slug for w in workplaces if can_host(w, m.date)] or [None] for m in meetings]
    if math.prod(len(c) for c in choices) > 5_000:
        return None
    best = None
    for hosts in itertools.product(*choices):
        counts = {w.slug: len(w.hostings) for w in workplaces}
        for h in hosts:
            if h:
                counts[h] += 1
        value = spread_of(counts, pool)
        best = value if best is None else min(best, value)
    return best


def hostings_after(workplaces, plan):
    counts = {w.slug: len(w.hostings) for w in workplaces}
    for m in plan.meetings:
        if m.host:
            counts[m.host] += 1
    return counts


@SETTINGS
@given(committees())
def test_rule_1_every_host_is_eligible_and_every_hostless_date_is_explained(case):
    workplaces, meetings = case
    plan = plan_year(workplaces, meetings, PARAMS)
    by_slug = {w.slug: w for w in workplaces}
    rule_1_dates = {b.date for b in plan.broken_rules if b.rule == 1}
    assert [m.date for m in plan.meetings] == [m.date for m in meetings]
    for m in plan.meetings:
        anyone = any(can_host(w, m.date) for w in workplaces)
        if m.host is None:
            assert not anyone
            assert m.date in rule_1_dates
            assert m.guests == ()
        else:
            assert can_host(by_slug[m.host], m.date)
            assert m.date not in rule_1_dates


@SETTINGS
@given(committees(max_workplaces=5, max_dates=8))
def test_rule_2_each_host_is_next_in_the_queue_and_the_spread_is_the_best_possible(case):
    workplaces, meetings = case
    plan = plan_year(workplaces, meetings, PARAMS)
    plans = rule_keeping_plans(workplaces, meetings)
    assert [m.host for m in plan.meetings] in [hosts for hosts, _final in plans]
    pool = pool_of(workplaces, meetings)
    best = min(spread_of(final, pool) for _hosts, final in plans)
    fairness = plan.fairness
    assert fairness.spread_after == spread_of(hostings_after(workplaces, plan), pool) == best
    assert fairness.best_possible_spread == best
    assert fairness.best_possible_proof in {"levelling_bound", "exhaustive_search"}
    # The levelling bound is a true lower bound for any plan, and exact when nothing is blacked out.
    any_plan = any_plan_best_spread(workplaces, meetings)
    assert fairness.levelling_bound <= (any_plan if any_plan is not None else best) <= best
    if not any(w.is_blacked_out(m.date) for w in workplaces for m in meetings):
        assert best == fairness.levelling_bound


@SETTINGS
@given(committees())
def test_rule_2_is_reported_broken_exactly_when_hostings_differ_by_more_than_one(case):
    workplaces, meetings = case
    plan = plan_year(workplaces, meetings, PARAMS)
    counts = hostings_after(workplaces, plan)
    pool = pool_of(workplaces, meetings)
    reported = {b.workplace for b in plan.broken_rules if b.rule == 2}
    top = max((counts[s] for s in pool), default=0)
    assert reported == {s for s in pool if counts[s] < top - 1}
    assert all(b.reason for b in plan.broken_rules)


@SETTINGS
@given(committees(max_workplaces=7))
def test_rule_3_everyone_is_invited_once_and_guest_lists_are_as_even_as_blackouts_allow(case):
    workplaces, meetings = case
    plan = plan_year(workplaces, meetings, PARAMS)
    by_slug = {w.slug: w for w in workplaces}
    hosted = [m for m in plan.meetings if m.host]
    hosts = {m.host for m in hosted}
    guests = [g for m in plan.meetings for g in m.guests]
    assert len(guests) == len(set(guests))
    assert not hosts & set(guests)
    for m in plan.meetings:
        for g in m.guests:
            assert by_slug[g].active and not by_slug[g].is_blacked_out(m.date)
    not_invited = {w.slug for w in workplaces if w.active} - hosts - set(guests)
    rule_3_workplaces = {b.workplace for b in plan.broken_rules if b.rule == 3 and b.workplace}
    assert not_invited == rule_3_workplaces
    for slug in not_invited:
        assert all(by_slug[slug].is_blacked_out(m.date) for m in hosted)

    if hosted:
        # Brute force: the most even guest lists any assignment of the invitable workplaces could give.
        allowed = [
            [i for i, m in enumerate(hosted) if not by_slug[g].is_blacked_out(m.date)] for g in sorted(set(guests))
        ]
        best = min(
            max(sizes) - min(sizes)
            for choice in itertools.product(*allowed)
            for sizes in [[choice.count(i) for i in range(len(hosted))]]
        )
        sizes = [len(m.guests) for m in hosted]
        assert max(sizes) - min(sizes) == best
        unbalanced = [b for b in plan.broken_rules if b.rule == 3 and b.workplace is None]
        assert bool(unbalanced) == (best > 1)


@SETTINGS
@given(committees())
def test_the_same_data_gives_the_same_plan(case):
    workplaces, meetings = case
    once = plan_year(workplaces, meetings, PARAMS).to_json("u", 2025)
    again = plan_year(list(reversed(workplaces)), list(reversed(meetings)), PARAMS).to_json("u", 2025)
    assert once == again


@SETTINGS
@given(committees(), st.data())
def test_replanning_one_date_changes_only_that_date_and_keeps_the_cancellers_place(case, data):
    workplaces, meetings = case
    plan = plan_year(workplaces, meetings, PARAMS)
    hosted = [i for i, m in enumerate(plan.meetings) if m.host]
    if not hosted:
        return
    index = data.draw(st.sampled_from(hosted))
    day, cancelled = plan.meetings[index].date, plan.meetings[index].host
    replanned = replan_date(plan, workplaces, PARAMS, day=day, cancelled_host=cancelled)
    before, after = [m.host for m in plan.meetings], [m.host for m in replanned.meetings]
    assert before[:index] + before[index + 1 :] == after[:index] + after[index + 1 :]

    new = after[index]
    by_slug = {w.slug: w for w in workplaces}
    others = [w.slug for w in workplaces if w.slug != cancelled and can_host(w, day)]
    if not others:
        assert new is None
    else:
        counts = {w.slug: len(w.hostings) for w in workplaces}
        for i, h in enumerate(after):
            if h and i != index:
                counts[h] += 1
        assert new != cancelled and can_host(by_slug[new], day)
        assert counts[new] == min(counts[s] for s in others)
    assert replanned.fairness.hostings_per_workplace[cancelled] == plan.fairness.hostings_per_workplace[cancelled] - 1
    guests = [g for m in replanned.meetings for g in m.guests]
    assert len(guests) == len(set(guests))
    assert new not in guests
    for m in replanned.meetings:
        assert cancelled not in m.guests or m.date != day
        for g in m.guests:
            assert not by_slug[g].is_blacked_out(m.date)


@SETTINGS
@given(st.lists(st.integers(0, 6), max_size=6), st.integers(0, 8))
def test_the_levelling_bound_is_the_best_of_every_way_to_share_out_the_hostings(counts, hostings):
    if not counts:
        assert levelling_bound(counts, hostings) == 0
        return
    best = min(
        max(c + shares.count(i) for i, c in enumerate(counts)) - min(c + shares.count(i) for i, c in enumerate(counts))
        for shares in itertools.combinations_with_replacement(range(len(counts)), hostings)
    )
    assert levelling_bound(counts, hostings) == best
