"""The rotation planner on worked examples; pure, no database."""

import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from meetings.rotation import MeetingIn, PlanParams, WorkplaceIn, levelling_bound, plan_year, replan_date

D = dt.date
PARAMS = PlanParams(committee_size=7)  # 7 members + 2 secretariat = 9 seats
DATES = [D(2025, 1, 14), D(2025, 2, 11), D(2025, 3, 11)]
MEETINGS = [MeetingIn(d, dt.time(16, 0)) for d in DATES]


def wp(slug, *, hostings=(), seats=20, kind="school", district="north", active=True, blackout=frozenset()):
    return WorkplaceIn(slug, kind, district, seats, active, blackout, list(hostings))


def hosts(plan):
    return [m.host for m in plan.meetings]


@pytest.fixture
def four():
    return [
        wp("a", hostings=[D(2023, 3, 14), D(2024, 3, 12)]),
        wp("b", hostings=[D(2023, 6, 13)]),
        wp("c", hostings=[D(2023, 9, 12)]),
        wp("d"),
    ]


def test_fewest_hostings_host_first_then_the_longest_waiting(four):
    plan = plan_year(four, MEETINGS, PARAMS)
    assert hosts(plan) == ["d", "b", "c"]
    assert plan.broken_rules == []


def test_each_choice_is_explained_in_words_an_administrator_can_repeat(four):
    whys = [m.why for m in plan_year(four, MEETINGS, PARAMS).meetings]
    assert whys[0].startswith("Never hosted before; 0 hostings, fewest of those who can host on this date.")
    assert whys[1].startswith("Longest waiting: last hosted in June 2023; 1 hosting, like the 2 others with fewest.")
    assert whys[2].startswith(
        "Longest waiting: last hosted in September 2023; 1 hosting, like the 1 other with fewest."
    )
    assert whys[0].endswith("1 guest, 1 from the host's district.")


def test_fairness_shows_the_spread_before_after_and_the_best_possible(four):
    fairness = plan_year(four, MEETINGS, PARAMS).fairness
    assert (fairness.spread_before, fairness.spread_after, fairness.best_possible_spread) == (2, 1, 1)
    assert fairness.best_possible_proof == "levelling_bound"
    assert fairness.hostings_per_workplace == {"a": 2, "b": 2, "c": 2, "d": 1}
    assert fairness.longest_waiting[0] == {"workplace": "d", "hostings": 1, "last_hosted": "2025-01-14"}


def test_a_workplace_without_enough_seats_never_hosts_but_is_invited(four):
    plan = plan_year([*four, wp("small", seats=8)], MEETINGS, PARAMS)
    assert "small" not in hosts(plan)
    assert sum(m.guests.count("small") for m in plan.meetings) == 1


def test_the_secretariat_seats_are_a_setting(four):
    eight = wp("eight", seats=8)
    assert "eight" not in hosts(plan_year([*four, eight], MEETINGS, PARAMS))
    assert "eight" in hosts(plan_year([*four, eight], MEETINGS, PlanParams(committee_size=7, secretariat_seats=1)))


def test_an_inactive_workplace_is_neither_host_nor_guest(four):
    plan = plan_year([*four, wp("closed", active=False)], MEETINGS, PARAMS)
    assert all(m.host != "closed" and "closed" not in m.guests for m in plan.meetings)
    assert "closed" not in plan.fairness.hostings_per_workplace


def test_a_blacked_out_workplace_keeps_its_place_in_the_queue(four):
    four[3] = wp("d", blackout=frozenset({DATES[0]}))
    plan = plan_year(four, MEETINGS, PARAMS)
    assert hosts(plan) == ["b", "d", "c"]
    assert "Workplaces with fewer hostings are blacked out on this date: d." in plan.meetings[0].why
    assert plan.broken_rules == []


def test_blackout_ranges_count_like_single_days(four):
    four[3] = wp("d", blackout=[(D(2025, 1, 1), D(2025, 1, 31)), D(2025, 3, 11)])
    assert hosts(plan_year(four, MEETINGS, PARAMS)) == ["b", "d", "c"]


def test_a_date_nobody_can_host_keeps_a_null_host_and_a_rule_1_break(four):
    blacked = [wp(w.slug, hostings=w.hostings, blackout=frozenset({DATES[1]})) for w in four]
    plan = plan_year(blacked, MEETINGS, PARAMS)
    assert plan.meetings[1].host is None
    assert plan.meetings[1].guests == ()
    [broken] = [b for b in plan.broken_rules if b.rule == 1]
    assert (broken.date, broken.workplace) == (DATES[1], None)
    assert broken.reason == "No host: all 4 workplaces with seats for 9 are blacked out on this date."
    assert plan.to_json("udvalg", 2025)["meetings"][1]["host"] is None


def test_no_host_at_all_when_no_workplace_has_the_seats():
    plan = plan_year([wp("a", seats=3), wp("b", seats=4)], MEETINGS, PARAMS)
    assert hosts(plan) == [None, None, None]
    assert {b.rule for b in plan.broken_rules} == {1, 3}
    assert "no active workplace has seats for 9" in plan.broken_rules[0].reason


def test_a_workplace_blacked_out_on_every_date_is_reported_under_rule_3(four):
    plan = plan_year([*four, wp("away", seats=3, blackout=frozenset(DATES))], MEETINGS, PARAMS)
    assert [(b.rule, b.date, b.workplace) for b in plan.broken_rules] == [(3, None, "away")]
    assert plan.broken_rules[0].reason == "Not invited: blacked out on every meeting date this year."


def test_guests_are_spread_evenly_and_prefer_their_hosts_district():
    workplaces = [wp(f"host-{i}", district=f"d{i}", hostings=[D(2020, 1, 1 + i)]) for i in range(3)]
    workplaces += [wp(f"new-{i}", district="d1", seats=0) for i in range(4)]
    workplaces += [wp(f"far-{i}", district="d9", seats=0) for i in range(3)]
    plan = plan_year(workplaces, MEETINGS, PARAMS)
    sizes = sorted(len(m.guests) for m in plan.meetings)
    assert sizes == [2, 2, 3]
    host_d1 = next(m for m in plan.meetings if m.host == "host-1")
    assert sum(g.startswith("new-") for g in host_d1.guests) >= 2


def test_blackouts_that_force_uneven_hosting_are_reported_with_the_best_possible_figure():
    # b has hosted once, a never. Rule 2 gives a the first date, and b is blacked out on the other two; the
    # levelling bound (0: b, a, a) would need b to host again before a has hosted at all.
    workplaces = [wp("a"), wp("b", hostings=[D(2024, 5, 14)], blackout=frozenset(DATES[1:]))]
    plan = plan_year(workplaces, MEETINGS, PARAMS)
    assert hosts(plan) == ["a", "a", "a"]
    fairness = plan.fairness
    assert (fairness.levelling_bound, fairness.spread_after, fairness.best_possible_spread) == (0, 2, 2)
    assert fairness.best_possible_proof == "exhaustive_search"
    [broken] = plan.broken_rules
    assert (broken.rule, broken.date, broken.workplace) == (2, None, "b")
    assert (
        broken.reason
        == "Has 1 hosting while others have 3 hostings: it is blacked out on 2 of this year's 3 meeting dates."
    )


def test_a_tie_goes_to_the_workplace_with_fewest_open_dates_left():
    # Both have never hosted; b can only come on the first date, so b takes it and a the second.
    workplaces = [wp("a"), wp("b", blackout=frozenset(DATES[1:]))]
    plan = plan_year(workplaces, MEETINGS[:2], PARAMS)
    assert hosts(plan) == ["b", "a"]
    assert "because it has the fewest open dates left this year (0)" in plan.meetings[0].why
    assert plan.fairness.spread_after == 0


def _squeezed():
    """Three new workplaces, seven dates, blackouts late in the year: the preferred tie choices leave w1 hosting
    three times and w2 once; planning ahead keeps everyone at two or three."""
    dates = [D(2025, m, 10) for m in (3, 4, 7, 9, 10, 11, 12)]
    blackouts = {"w0": {D(2025, 7, 10), D(2025, 11, 10)}, "w1": {D(2025, 9, 10), D(2025, 12, 10)}}
    blackouts["w2"] = {D(2025, 11, 10), D(2025, 12, 10)}
    return [wp(s, blackout=frozenset(b)) for s, b in blackouts.items()], [MeetingIn(d) for d in dates]


def test_when_blackouts_squeeze_the_year_the_planner_looks_ahead_to_stay_even():
    workplaces, meetings = _squeezed()
    plan = plan_year(workplaces, meetings, PARAMS)
    assert hosts(plan) == ["w0", "w2", "w1", "w0", "w2", "w1", "w0"]
    assert (plan.fairness.spread_after, plan.fairness.best_possible_spread) == (1, 1)
    assert "so that hostings end up as even as blackouts allow" in plan.meetings[1].why


def test_a_search_cut_short_says_so_and_reports_only_the_lower_bound():
    workplaces, meetings = _squeezed()
    plan = plan_year(workplaces, meetings, PlanParams(committee_size=7, search_budget=1))
    assert hosts(plan) == ["w0", "w1", "w2", "w0", "w1", "w1", "w0"]
    fairness = plan.fairness
    assert (fairness.spread_after, fairness.best_possible_spread) == (2, 1)
    assert fairness.best_possible_proof == "search_budget_exceeded"


def test_ties_between_new_workplaces_follow_kind_shares():
    workplaces = [wp(f"s{i}", kind="school") for i in range(4)] + [wp(f"n{i}", kind="nursing") for i in range(2)]
    plan = plan_year(workplaces, MEETINGS, PARAMS)
    assert sorted(h[0] for h in hosts(plan)) == ["n", "s", "s"]  # fair shares: schools 2, nursing homes 1
    assert (
        "Chosen among 5 equally placed because its kind (school) is furthest below its fair share of hostings "
        "and its name comes first alphabetically." in plan.meetings[1].why
    )
    assert plan.fairness.soft_scores["kind_proportion"]["score"] == 1.0


def test_ties_between_new_workplaces_spread_over_districts():
    workplaces = [wp("a", district="north"), wp("b", district="north"), wp("c", district="south")]
    plan = plan_year(workplaces, MEETINGS[:2], PARAMS)
    assert hosts(plan) == ["a", "c"]
    assert "because its district (south) has hosted least this year" in plan.meetings[1].why
    assert plan.fairness.soft_scores["district_spread"]["score"] == 1.0
    assert plan.fairness.soft_scores["consecutive_district"] == {"score": 1.0, "repeats": 0}


def test_the_plan_is_the_same_whatever_the_input_order(four):
    workplaces = [*four, wp("e", kind="daycare", district="south"), wp("f", seats=2, district="south")]
    expected = plan_year(workplaces, MEETINGS, PARAMS).to_json("udvalg", 2025)
    for seed in range(5):
        shuffled, meetings = workplaces[:], MEETINGS[:]
        random.Random(seed).shuffle(shuffled)
        random.Random(seed).shuffle(meetings)
        assert plan_year(shuffled, meetings, PARAMS).to_json("udvalg", 2025) == expected


def test_the_json_has_exactly_the_documented_shape(four):
    data = plan_year(four, MEETINGS, PARAMS).to_json("boern-og-unge", 2025)
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"committee", "year", "meetings", "fairness", "broken_rules", "cannot_host", "wishes_unmet"}
    assert (data["committee"], data["year"]) == ("boern-og-unge", 2025)
    meeting = data["meetings"][0]
    assert set(meeting) == {"date", "start", "host", "venue", "guests", "why"}
    assert meeting["venue"] is None
    assert (meeting["date"], meeting["start"], meeting["host"]) == ("2025-01-14", "16:00", "d")
    assert {
        "spread_before",
        "spread_after",
        "best_possible_spread",
        "hostings_per_workplace",
        "longest_waiting",
        "kind_proportion",
        "district_spread",
        "guest_proximity",
        "consecutive_district",
    } <= set(data["fairness"])
    assert all(0 <= data["fairness"][k]["score"] <= 1 for k in ("kind_proportion", "guest_proximity"))


def test_broken_rules_serialise_with_rule_date_workplace_and_reason():
    data = plan_year([wp("a", seats=1)], MEETINGS[:1], PARAMS).to_json("u", 2025)
    assert data["broken_rules"][0] == {
        "rule": 1,
        "date": "2025-01-14",
        "workplace": None,
        "reason": "No host: no active workplace has seats for 9 (committee plus secretariat).",
    }


def test_replanning_a_date_gives_it_to_the_next_in_line_and_keeps_the_canceller_in_the_queue(four):
    plan = plan_year([*four, wp("e", hostings=[D(2024, 9, 10)])], MEETINGS, PARAMS)
    assert hosts(plan) == ["d", "b", "c"]
    replanned = replan_date(plan, [*four, wp("e", hostings=[D(2024, 9, 10)])], PARAMS, day=DATES[1], cancelled_host="b")
    # c already hosts in March, so the next in line for February is e (1 hosting, none this year).
    assert hosts(replanned) == ["d", "e", "c"]
    assert replanned.meetings[1].why.startswith("Re-planned after b cancelled; b keeps its place in the queue.")
    assert replanned.fairness.hostings_per_workplace["b"] == 1
    assert replanned.fairness.longest_waiting[0]["workplace"] == "b"
    assert "e" not in {g for m in replanned.meetings for g in m.guests}
    assert sum(m.guests.count("b") for m in replanned.meetings) == 1
    assert "b" not in replanned.meetings[1].guests


def test_replanning_without_anyone_else_eligible_leaves_the_date_open(four):
    only = [wp("a"), wp("b", blackout=frozenset({DATES[0]}))]
    plan = plan_year(only, MEETINGS[:1], PARAMS)
    replanned = replan_date(plan, only, PARAMS, day=DATES[0], cancelled_host="a")
    assert hosts(replanned) == [None]
    assert replanned.broken_rules[0].rule == 1


def test_replanning_refuses_a_host_that_does_not_host_that_day(four):
    plan = plan_year(four, MEETINGS, PARAMS)
    with pytest.raises(ValueError):
        replan_date(plan, four, PARAMS, day=DATES[0], cancelled_host="a")


@pytest.mark.parametrize(
    ("counts", "hostings", "bound"),
    [([], 5, 0), ([0, 0, 0], 3, 0), ([0, 0, 0], 4, 1), ([5, 0], 2, 3), ([2, 2, 1], 0, 1), ([0, 1, 1, 2], 3, 1)],
)
def test_the_levelling_bound_fills_the_least_served_first(counts, hostings, bound):
    assert levelling_bound(counts, hostings) == bound


def test_the_planner_runs_without_django_settings():
    code = (
        "import datetime as dt; from meetings.rotation import *; "
        "p = plan_year([WorkplaceIn('a', seats=20)], [MeetingIn(dt.date(2025, 3, 11))], PlanParams(7)); "
        "print(p.meetings[0].why)"
    )
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True, env={})
    assert out.stdout.startswith("Never hosted before")
