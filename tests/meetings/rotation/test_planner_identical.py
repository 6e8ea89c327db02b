"""The planner's output never changes by accident: speed-ups (issue 19) must return the very same plans.

Each case below builds a committee from a seed – sizes from a handful to 2,000 workplaces, closures as single dates,
ranges and sets, uneven histories, borrowed venues (municipal rooms and lending workplaces, by distance and by
district), soft wishes, workplaces that cannot host at all, and a search budget small enough to run out – and runs
every public entry point on it: ``plan_year``, ``replan_date``, ``evaluate_plan``, ``explain_plan`` and
``venue_for``. The digest of the whole output (every host, guest, venue, figure and explanation, in English) must
equal the one recorded in ``planner_golden.json``.

When a change is *meant* to choose other plans, bump ``PLANNER_VERSION`` and record the digests again::

    .venv/bin/python -m tests.meetings.rotation.test_planner_identical --write

A change of wording alone also changes the digests; the failure says whether the choices changed too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sys
from pathlib import Path

import pytest

from meetings.rotation import (
    MeetingIn,
    PlanParams,
    VenueIn,
    WorkplaceIn,
    evaluate_plan,
    meeting_dates,
    plan_year,
    replan_date,
    venue_for,
)
from meetings.rotation.planner import PLANNER_VERSION, explain_plan

GOLDEN = Path(__file__).with_name("planner_golden.json")
YEAR = 2027
KINDS = ("skole", "dagtilbud", "plejecenter", "jobcenter")
DISTRICTS = ("Nord", "Syd", "Øst", "Vest", "Midt")
# (seed, workplaces, features): sizes from a handful to the benchmark's 2,000.
CASES = [
    (1, 4, ""),
    (2, 9, "history"),
    (3, 12, "venues wishes"),
    (4, 30, "history venues"),
    (5, 30, "closures"),
    (6, 60, "history wishes closures"),
    (7, 60, "venues closures cannot_host"),
    (8, 120, "history venues wishes closures cannot_host"),
    (9, 25, "uneven closures budget"),
    (10, 40, "uneven closures"),
    (11, 200, "history closures"),
    (12, 200, "venues wishes closures cannot_host"),
    (106, 4, "tight closures"),
    (110, 4, "tight closures"),
    (126, 4, "tight closures"),
    (107, 6, "tight closures history"),
    (111, 12, "tight closures history"),
    (100, 20, "tight closures history"),
    (152, 12, "tight closures budget"),
    (13, 2000, "closures"),
    (14, 2000, "history venues wishes closures cannot_host"),
]


def committee(seed: int, size: int, features: str) -> tuple[list[WorkplaceIn], list[MeetingIn], PlanParams]:
    """A committee built from ``seed``; ``features`` switches on what the plan must cope with."""
    rng = random.Random(seed)
    dates = [d for d, _s, _e in meeting_dates(YEAR, rng.randrange(5), rng.choice((1, 2, -1)), skip_months=(7,))]
    if "cannot_host" in features:
        dates = dates[: rng.randint(3, len(dates))]
    meetings = [MeetingIn(d, dt.time(16, 0) if k % 3 else dt.time(9, 30)) for k, d in enumerate(dates)]
    past = [dt.date(YEAR - 1 - k // 11, k % 11 + 1, 12) for k in range(60)]
    workplaces = []
    for n in range(size):
        blackout: object = ()
        if "closures" in features and (n % 3 == 0 or "tight" in features):
            picked = [
                d
                for d in dates
                if rng.random() < (0.7 if "uneven" in features else 0.5 if "tight" in features else 0.25)
            ]
            shape = n % 4
            if shape == 0:
                blackout = frozenset(picked)
            elif shape == 1:
                blackout = tuple(picked)
            else:
                first = dates[rng.randrange(len(dates))]
                blackout = ((first, first + dt.timedelta(days=rng.choice((0, 20, 60)))), *picked[:1])
        if "cannot_host" in features and n % 11 == 5:
            blackout = ((dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)),)
        hostings: tuple = ()
        if "history" in features:
            hostings = tuple(sorted(rng.sample(past, rng.choice((0, 0, 1, 1, 2)))))
        if "uneven" in features and n % 5 == 0:
            hostings = tuple(past[:3])
        wishes = avoids = ()
        if "wishes" in features and n % 4 == 1:
            wishes = tuple(sorted(rng.sample(range(1, 13), 2)))
        if "wishes" in features and n % 4 == 2:
            avoids = (rng.randint(1, 12),)
        located = "venues" in features and n % 2 == 0
        workplaces.append(
            WorkplaceIn(
                slug=f"w{seed}-{n:04d}",
                kind=KINDS[(n * 5 + seed) % len(KINDS)],
                district=DISTRICTS[(n * 3 + seed) % len(DISTRICTS)],
                seats=rng.choice((4, 8, 11, 14, 30)),
                active=n % 13 != 7,
                blackout_days=blackout,
                hostings=hostings,
                name=f"Sted {n}" if n % 2 else "",
                latitude=55.6 + rng.random() / 10 if located else None,
                longitude=12.4 + rng.random() / 10 if located else None,
                step_free=rng.random() < 0.7,
                lends_room="venues" in features and n % 7 == 0,
                wish_months=wishes,
                avoid_months=avoids,
            )
        )
    venues: tuple[VenueIn, ...] = ()
    if "venues" in features:
        venues = (
            VenueIn("hal-nord", "Nordhallen", "Nord", 40, True, 55.65, 12.45),
            VenueIn("hus-syd", "Syd Medborgerhus", "Syd", 20, True),
            VenueIn("sal-vest", "Vestsalen", "Vest", 30, False, 55.62, 12.48),
            VenueIn("lille", "Lille sal", "Øst", 6, True),
            VenueIn("lukket", "Lukket hal", "Midt", 50, True, active=False),
        )
    params = PlanParams(
        committee_size=9,
        venues=venues,
        venue_step_free=seed % 2 == 0,
        venue_max_km=5.0 if seed % 3 == 0 else None,
        search_budget=500 if "budget" in features else PlanParams(committee_size=9).search_budget,
    )
    return workplaces, meetings, params


def outputs(seed: int, size: int, features: str) -> dict:
    """Everything the public entry points return for one committee, as plain JSON."""
    workplaces, meetings, params = committee(seed, size, features)
    plan = plan_year(workplaces, meetings, params)
    out = {"plan": plan.to_json("udvalg", YEAR)}
    hosted = [m for m in plan.meetings if m.host]
    if hosted:
        cancelled = hosted[len(hosted) // 2]
        again = replan_date(plan, workplaces, params, day=cancelled.date, cancelled_host=cancelled.host)
        out["replan"] = again.to_json("udvalg", YEAR)
        # A hand change: the hosts move one date on, and the first meeting's guests go to the last meeting.
        hosts = [m.host for m in plan.meetings]
        hosts = hosts[-1:] + hosts[:-1]
        guests = [list(m.guests) for m in plan.meetings]
        guests[-1] = guests[-1] + guests[0]
        guests[0] = []
        fairness, broken = evaluate_plan(workplaces, meetings, params, hosts=hosts, guests=guests)
        out["evaluate"] = {"fairness": fairness.to_dict(), "broken": [b.to_dict() for b in broken]}
        out["explain"] = explain_plan(workplaces, meetings, params, hosts=hosts, guests=guests)
        out["venue_for"] = [
            venue_for(workplaces, meetings, params, host=w.slug, day=m.date)
            for w, m in zip(workplaces[:8], meetings * 8, strict=False)
        ]
    return out


def _choices(value):
    """The output without its explanations: what was chosen, not how it is put into words."""
    if isinstance(value, dict):
        return {k: _choices(v) for k, v in value.items() if k not in {"why", "reason"}}
    if isinstance(value, list):
        return [_choices(v) for v in value if not isinstance(v, str) or len(v) < 60]
    return value


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:24]


def digests(seed: int, size: int, features: str) -> dict[str, str]:
    out = outputs(seed, size, features)
    return {"choices": _digest(_choices(out)), "everything": _digest(out)}


def _case_id(case) -> str:
    seed, size, features = case
    return f"{seed}-{size}-{features.replace(' ', '-') or 'plain'}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_the_planner_returns_the_recorded_plans(case):
    recorded = json.loads(GOLDEN.read_text())
    assert recorded["planner_version"] == PLANNER_VERSION, "PLANNER_VERSION changed: record the digests again"
    now = digests(*case)
    expected = recorded["cases"][_case_id(case)]
    assert now["choices"] == expected["choices"], "the planner chooses other hosts, guests or figures"
    assert now["everything"] == expected["everything"], "the same choices, explained in other words"


def test_the_cases_cover_what_the_planner_must_cope_with():
    """The recorded cases are worth recording: venues are borrowed, wishes go unmet, some cannot host, a search
    runs out of budget, another searches every rule-keeping plan, and on some date nobody can host."""
    seen: dict[str, set] = {"venue": set(), "proof": set()}
    cannot_host = wishes_unmet = no_host = 0
    for seed, size, features in CASES:
        if size > 200:
            continue
        plan = outputs(seed, size, features)["plan"]
        seen["venue"] |= {m["venue"] for m in plan["meetings"] if m["venue"]}
        seen["proof"].add(plan["fairness"]["best_possible_proof"])
        cannot_host += len(plan["cannot_host"])
        wishes_unmet += len(plan["wishes_unmet"])
        no_host += sum(1 for m in plan["meetings"] if m["host"] is None)
    assert seen["venue"] & {"hal-nord", "hus-syd", "sal-vest"}
    assert any(not v.startswith(("hal-", "hus-", "sal-")) for v in seen["venue"])  # a lending workplace
    assert seen["proof"] == {"levelling_bound", "exhaustive_search", "search_budget_exceeded"}
    assert cannot_host and wishes_unmet and no_host


@pytest.mark.parametrize("case", [c for c in CASES if c[1] <= 200], ids=_case_id)
def test_a_plan_is_explained_alike_with_and_without_its_search(case):
    """The explanations of the planner's own plan read the ties its search worked out; explaining the same hosts
    afresh (as after a hand change, with no search behind it) gives the very same words."""
    workplaces, meetings, params = committee(*case)
    plan = plan_year(workplaces, meetings, params)
    hosts = [m.host for m in plan.meetings]
    guests = [list(m.guests) for m in plan.meetings]
    assert explain_plan(workplaces, meetings, params, hosts=hosts, guests=guests) == [m.why for m in plan.meetings]


def test_the_benchmarks_worst_case_reaches_the_best_spread():
    """A committee over 2,000 workplaces, as the benchmark plans it ten times (issue 19): the best possible spread,
    proven by the levelling bound."""
    from dialog_portal.bench.rotation import plan_committees

    result = plan_committees(workplaces=2000, committees=1, year=YEAR, each_committee_has_all=True)
    assert result["at_best_spread"]
    assert result["worst_spread"] == 1


if __name__ == "__main__":  # pragma: no cover - records the digests (see the module docstring)
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialog_portal.settings")
    django.setup()
    from django.utils import translation

    language = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--language=")), "en")
    with translation.override(language):
        table = {
            "planner_version": PLANNER_VERSION,
            "cases": {_case_id(case): digests(*case) for case in CASES},
        }
    text = json.dumps(table, indent=2, sort_keys=True) + "\n"
    if "--write" in sys.argv:
        GOLDEN.write_text(text)
    else:
        sys.stdout.write(text)
