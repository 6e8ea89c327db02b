"""The published inputs file (meetings/rotation/inputs.py), without a database: dump → JSON → load → plan_year gives
the same plan, the fingerprint catches any change, and the re-check names each difference."""

import dataclasses
import datetime as dt
import json

import pytest
from hypothesis import given

from meetings.rotation import inputs
from meetings.rotation.explain import group_reasons, join_names
from meetings.rotation.planner import PLANNER_VERSION, MeetingIn, PlanParams, WorkplaceIn, plan_year
from tests.meetings.rotation.test_planner_properties import PARAMS, SETTINGS, committees

D = dt.date


def through_a_file(data: dict) -> dict:
    """What a reader gets after downloading the file."""
    return json.loads(inputs.dumps(data))


@SETTINGS
@given(committees(), committees())
def test_replanning_from_the_published_inputs_gives_the_same_plan(case, other):
    workplaces, meetings = case
    plan = plan_year(workplaces, meetings, PARAMS)
    data = through_a_file(inputs.inputs_dump(workplaces, meetings, PARAMS, committee="k", year=2025, planned=plan))
    assert inputs.fingerprint_matches(data)
    loaded = inputs.inputs_load(data)
    again = plan_year(*loaded)
    assert again == plan
    assert inputs.plan_differences(data["planned"], inputs.plan_dump(again)) == []
    # Loaded inputs dump to the same inputs: nothing is lost or added on the way.
    redumped = inputs.inputs_dump(*loaded, committee="k", year=2025, planned=again)
    assert redumped["inputs"] == data["inputs"]
    # Another committee's plan differs wherever it does, and each difference is named.
    other_plan = plan_year(*other, PARAMS)
    named = {(d.date, d.field) for d in inputs.plan_differences(data["planned"], inputs.plan_dump(other_plan))}
    rows = {m.date.isoformat(): m for m in plan.meetings}
    for m in other_plan.meetings:
        mine = rows.get(m.date.isoformat())
        if mine is not None and mine.host != m.host:
            assert (m.date.isoformat(), "host") in named


def test_the_file_is_plain_readable_json_with_its_format_and_planner_version():
    workplaces = [
        WorkplaceIn(
            "aaskolen", "skole", "nord", 30, True, ((D(2027, 1, 1), D(2027, 1, 20)),), (D(2025, 3, 4),), "Åskolen"
        ),
        WorkplaceIn("bakken", "dagtilbud", "syd", 8, blackout_days=frozenset({D(2027, 2, 9), D(2027, 1, 12)})),
    ]
    meetings = [MeetingIn(D(2027, 1, 12), dt.time(16)), MeetingIn(D(2027, 2, 9), dt.time(16))]
    params = PlanParams(committee_size=7)
    data = inputs.inputs_dump(
        workplaces, meetings, params, committee="bu", year=2027, planned=plan_year(workplaces, meetings, params)
    )
    assert data["format"] == inputs.FORMAT and data["planner_version"] == PLANNER_VERSION
    assert data["inputs"]["workplaces"][0] == {
        "slug": "aaskolen",
        "kind": "skole",
        "district": "nord",
        "seats": 30,
        "active": True,
        "blackout_days": [["2027-01-01", "2027-01-20"]],
        "hostings": ["2025-03-04"],
        "name": "Åskolen",
        "latitude": None,
        "longitude": None,
        "step_free": False,
        "lends_room": False,
        "wish_months": [],
        "avoid_months": [],
        "hostings_not_counted": [],
    }
    assert data["inputs"]["workplaces"][1]["blackout_days"] == ["2027-01-12", "2027-02-09"]  # a set, sorted
    assert data["inputs"]["meetings"][0] == {"date": "2027-01-12", "start": "16:00:00"}
    assert data["inputs"]["params"] == {
        "committee_size": 7,
        "secretariat_seats": 2,
        "search_budget": 200000,
        "venues": [],
        "venue_step_free": True,
        "venue_max_km": None,
        "rooms_taken": [],
    }
    assert data["planned"][0] == {"date": "2027-01-12", "start": "16:00:00", "host": None, "guests": [], "venue": None}
    assert "why" not in data["planned"][0]
    assert inputs.dumps(data) == inputs.dumps(through_a_file(data))  # the same bytes for the same record


def test_a_field_added_to_the_planners_input_travels_without_a_change_to_the_file_format():
    @dataclasses.dataclass(frozen=True)
    class Venue:
        slug: str
        seats: int
        step_free: bool = False

    @dataclasses.dataclass(frozen=True)
    class Wider(WorkplaceIn):
        latitude: float | None = None
        venues: tuple[Venue, ...] = ()
        wishes: frozenset[int] = frozenset()

    wide = Wider("a", seats=30, latitude=55.4, venues=(Venue("hallen", 40, True),), wishes=frozenset({3, 1}))
    encoded = json.loads(json.dumps(inputs._encode(wide)))
    assert encoded["venues"] == [{"slug": "hallen", "seats": 40, "step_free": True}] and encoded["wishes"] == [1, 3]
    assert inputs._decode(Wider, encoded, "w") == wide


def test_the_fingerprint_catches_a_changed_character():
    workplaces = [WorkplaceIn("a", seats=30), WorkplaceIn("b", seats=30)]
    meetings = [MeetingIn(D(2027, 1, 12), dt.time(16))]
    data = inputs.inputs_dump(
        workplaces, meetings, PARAMS, committee="k", year=2027, planned=plan_year(workplaces, meetings, PARAMS)
    )
    assert inputs.fingerprint_matches(data)
    data["inputs"]["workplaces"][0]["seats"] = 31
    assert not inputs.fingerprint_matches(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other/9"), "unknown format"),
        (lambda d: d["inputs"]["workplaces"][0].update(seats="many"), r"workplaces\[0\]\.seats: expected a whole"),
        (lambda d: d["inputs"]["workplaces"][0].update(colour="red"), "unknown field"),
        (lambda d: d["inputs"]["meetings"][0].update(date="12/1/2027"), r"meetings\[0\]\.date"),
    ],
)
def test_an_unreadable_file_is_refused_naming_the_field(change, message):
    workplaces = [WorkplaceIn("a", seats=30)]
    meetings = [MeetingIn(D(2027, 1, 12), dt.time(16))]
    data = inputs.inputs_dump(
        workplaces, meetings, PARAMS, committee="k", year=2027, planned=plan_year(workplaces, meetings, PARAMS)
    )
    change(data)
    with pytest.raises(inputs.InputsError, match=message):
        inputs.inputs_load(data)


def test_workplaces_are_grouped_in_a_sentence_not_repeated():
    assert join_names([]) == "" and join_names(["Åskolen"]) == "Åskolen"
    assert join_names(["Bakkeskolen", "Åskolen", "Engen"]) == "Bakkeskolen, Åskolen and Engen"
    names = ["Bakkeskolen", "Åskolen", *[f"Sted {n}" for n in range(5)]]
    assert join_names(names) == "Bakkeskolen, Åskolen and 5 others"
    items = [(name, "", "Not invited.") for name in names] + [
        (None, "9. feb. 2027", "No host."),
        ("Sted 1", "9. feb. 2027", "Hosts again."),
    ]
    assert group_reasons(items) == [
        "Bakkeskolen, Sted 0 and 5 others: Not invited.",
        "9. feb. 2027: No host.",
        "9. feb. 2027, Sted 1: Hosts again.",
    ]
