"""The rotation planner at scale: a year for every committee, and ten years in a row feeding each plan back as
history. Pure (no database): it measures the planner itself, which the Celery task and ``plan_rotation`` call.

The figure is CPU time (``time.process_time``): wall time on a shared machine also counts the time other processes
held the CPU. Wall time is kept beside it (``wall_seconds``)."""

from __future__ import annotations

import datetime as dt
import random
import time

from meetings.rotation import MeetingIn, PlanParams, WorkplaceIn, meeting_dates, plan_year

KINDS = ("skole", "dagtilbud", "plejecenter", "jobcenter", "bosted", "bibliotek")
DISTRICTS = ("Nord", "Syd", "Øst", "Vest", "Midt", "Kyst")


def _workplaces(count: int, prefix: str, rng: random.Random, year: int) -> list[WorkplaceIn]:
    out = []
    for n in range(count):
        blackout = ()
        if n % 3 == 0:  # a third close three weeks in summer
            first = dt.date(year, 7, 1) + dt.timedelta(days=n % 14)
            blackout = ((first, first + dt.timedelta(days=20)),)
        out.append(
            WorkplaceIn(
                slug=f"{prefix}-{n:04d}",
                kind=KINDS[n % len(KINDS)],
                district=DISTRICTS[(n * 7) % len(DISTRICTS)],
                seats=rng.choice((8, 14, 20, 30, 45)),
                blackout_days=blackout,
            )
        )
    return out


def _meetings(year: int, weekday: int) -> list[MeetingIn]:
    return [MeetingIn(d, s) for d, s, _e in meeting_dates(year, weekday, 2, skip_months=(7,))]


def plan_committees(*, workplaces: int, committees: int, year: int, each_committee_has_all: bool = False) -> dict:
    """Plan one year for every committee. Workplaces are shared out between the committees (the municipality), or
    every committee gets ``workplaces`` of its own (the worst case)."""
    rng = random.Random(year)
    per = workplaces if each_committee_has_all else workplaces // committees
    params = PlanParams(committee_size=9)
    started, wall = time.process_time(), time.perf_counter()
    spreads = []
    for c in range(committees):
        plan = plan_year(_workplaces(per, f"u{c}", rng, year), _meetings(year, 1 + c % 4), params)
        spreads.append((plan.fairness.spread_after, plan.fairness.best_possible_spread))
    seconds = time.process_time() - started
    return {
        "committees": committees,
        "workplaces_per_committee": per,
        "seconds": round(seconds, 3),
        "wall_seconds": round(time.perf_counter() - wall, 3),
        "at_best_spread": all(achieved <= best for achieved, best in spreads),
        "worst_spread": max(a for a, _b in spreads),
    }


def ten_years(*, workplaces: int, committees: int, first_year: int, years: int = 10) -> dict:
    """Plan ``years`` consecutive years; each year's hosts become history for the next. The achieved spread must
    never exceed the best possible one for that year."""
    rng = random.Random(first_year)
    per = workplaces // committees
    params = PlanParams(committee_size=9)
    history: dict[str, list[dt.date]] = {}
    rows = []
    for year in range(first_year, first_year + years):
        started = time.process_time()
        worst, bound_ok = 0, True
        for c in range(committees):
            base = _workplaces(per, f"u{c}", rng, year)
            wps = [
                WorkplaceIn(
                    w.slug, w.kind, w.district, w.seats, w.active, w.blackout_days, tuple(history.get(w.slug, ()))
                )
                for w in base
            ]
            plan = plan_year(wps, _meetings(year, 1 + c % 4), params)
            for meeting in plan.meetings:
                if meeting.host:
                    history.setdefault(meeting.host, []).append(meeting.date)
            worst = max(worst, plan.fairness.spread_after)
            bound_ok = bound_ok and plan.fairness.spread_after <= plan.fairness.best_possible_spread
        rows.append(
            {
                "year": year,
                "seconds": round(time.process_time() - started, 3),
                "worst_spread": worst,
                "at_best": bound_ok,
            }
        )
    return {
        "years": rows,
        "always_at_best": all(r["at_best"] for r in rows),
        "worst_spread": max(r["worst_spread"] for r in rows),
    }


def run(*, workplaces: int, committees: int, year: int) -> dict:
    return {
        "municipality": plan_committees(workplaces=workplaces, committees=committees, year=year),
        "worst_case_every_committee_all_workplaces": plan_committees(
            workplaces=workplaces, committees=committees, year=year, each_committee_has_all=True
        ),
        "ten_years": ten_years(workplaces=workplaces, committees=committees, first_year=year),
    }
