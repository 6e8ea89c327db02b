"""A room is never given to two committees on the same day: the planner, given the rooms other committees use on
each date (``PlanParams.rooms_taken``), never picks one of them, and says which room and whose it is when that leaves
a workplace or a date without a room. Pure, no database."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from meetings.rotation import PlanParams, VenueIn, evaluate_plan, plan_year, replan_date, venue_for
from meetings.rotation.planner import RULE_HOST
from meetings.rotation.venues import RoomTaken

from .test_planner_properties import SETTINGS
from .test_planner_venues import DATES, HALL, MEETINGS, wp

FAR_HALL = VenueIn("aamoelle-forsamlingshus", "Åmølle Forsamlingshus", "Dalby", 40, True, 55.75, 12.50)
TAKEN = RoomTaken(DATES[0], "dalby-medborgerhus", "Ældreudvalget")


def test_a_taken_venue_is_passed_over_for_the_next_nearest_that_day_only():
    small = wp("solsikken", seats=8, lat=55.71, lon=12.50)
    params = PlanParams(committee_size=7, venues=(HALL, FAR_HALL), rooms_taken=(TAKEN,))
    assert venue_for([small], MEETINGS, params, host="solsikken", day=DATES[0]) == "aamoelle-forsamlingshus"
    assert venue_for([small], MEETINGS, params, host="solsikken", day=DATES[1]) == "dalby-medborgerhus"


def test_with_every_room_taken_that_day_the_small_workplace_hosts_another_date():
    small = wp("solsikken", seats=8, lat=55.71, lon=12.50)
    params = PlanParams(committee_size=7, venues=(HALL,), rooms_taken=(TAKEN,))
    plan = plan_year([small], MEETINGS[:2], params)
    first, second = plan.meetings
    assert (first.host, first.venue) == (None, None)
    assert first.host is None and "other committees use Dalby Medborgerhus (Ældreudvalget) that day" in first.why
    assert (second.host, second.venue) == ("solsikken", "dalby-medborgerhus")


def test_a_lending_workplaces_room_and_a_hosts_own_room_are_taken_too():
    lender = wp("bakkeskolen", seats=30, lat=55.601, lon=12.50, lends=True)
    small = wp("myretuen", seats=6, lat=55.60, lon=12.50)
    params = PlanParams(
        committee_size=7, venues=(HALL,), rooms_taken=(RoomTaken(DATES[1], "bakkeskolen", "Ældreudvalget"),)
    )
    assert venue_for([lender, small], MEETINGS, params, host="myretuen", day=DATES[1]) == "dalby-medborgerhus"
    # Bakkeskolen's own room is in use on that date, so it does not host then, and the explanation says whose it is.
    plan = plan_year([lender], MEETINGS[:2], params)
    assert [m.host for m in plan.meetings] == ["bakkeskolen", None]
    _fairness, broken = evaluate_plan([lender], MEETINGS[:2], params, hosts=[None, "bakkeskolen"], guests=[[], []])
    [rule] = [b for b in broken if b.workplace == "bakkeskolen"]
    assert rule.rule == RULE_HOST
    assert rule.reason == "Cannot host: Ældreudvalget uses its room on this date."


def test_a_hand_choice_without_a_free_room_names_the_room_and_the_other_committee():
    small = wp("solsikken", seats=8, lat=55.71, lon=12.50)
    big = wp("skolen", seats=30)
    params = PlanParams(committee_size=7, venues=(HALL,), rooms_taken=(TAKEN,))
    _fairness, broken = evaluate_plan(
        [small, big], MEETINGS[:2], params, hosts=["solsikken", "skolen"], guests=[["skolen"], ["solsikken"]]
    )
    [rule] = [b for b in broken if b.rule == RULE_HOST]
    assert rule.workplace == "solsikken" and rule.date == DATES[0]
    assert rule.reason.endswith("Other committees use Dalby Medborgerhus (Ældreudvalget) that day.")


def test_replanning_a_date_gives_the_next_in_line_a_free_room():
    small = wp("solsikken", seats=8, lat=55.71, lon=12.50, hostings=[dt.date(2026, 1, 5)])
    big = wp("skolen", seats=30)
    params = PlanParams(committee_size=7, venues=(HALL, FAR_HALL), rooms_taken=(TAKEN,))
    plan = plan_year([small, big], MEETINGS[:1], params)
    assert plan.meetings[0].host == "skolen"
    again = replan_date(plan, [small, big], params, day=DATES[0], cancelled_host="skolen")
    assert (again.meetings[0].host, again.meetings[0].venue) == ("solsikken", "aamoelle-forsamlingshus")


def test_without_rooms_taken_the_plan_is_the_same():
    workplaces = [wp("solsikken", seats=8, lat=55.71, lon=12.50), wp("skolen", seats=30)]
    plain = plan_year(workplaces, MEETINGS, PlanParams(committee_size=7, venues=(HALL,)))
    other_year = RoomTaken(dt.date(2031, 1, 1), "dalby-medborgerhus", "Ældreudvalget")
    with_unrelated = plan_year(
        workplaces, MEETINGS, PlanParams(committee_size=7, venues=(HALL,), rooms_taken=(other_year,))
    )
    assert plain == with_unrelated


@SETTINGS
@given(
    seats=st.lists(st.sampled_from([4, 8, 30]), min_size=1, max_size=5),
    taken=st.sets(
        st.tuples(st.integers(0, 2), st.sampled_from(["dalby-medborgerhus", "aamoelle-forsamlingshus", "w0", "w1"]))
    ),
)
def test_no_planned_meeting_ever_uses_a_room_taken_that_day(seats, taken):
    workplaces = [wp(f"w{n}", seats=s, lat=55.70 + n / 100, lon=12.50, lends=n == 1) for n, s in enumerate(seats)]
    rooms = tuple(RoomTaken(DATES[i], room, "Ældreudvalget") for i, room in sorted(taken))
    plan = plan_year(workplaces, MEETINGS, PlanParams(committee_size=7, venues=(HALL, FAR_HALL), rooms_taken=rooms))
    used = {(r.date, r.room) for r in rooms}
    for meeting in plan.meetings:
        if meeting.host:
            assert (meeting.date, meeting.venue or meeting.host) not in used
