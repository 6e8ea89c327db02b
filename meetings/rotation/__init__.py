"""The annual rotation (issue #6): meeting dates from a pattern, and a fair plan of hosts and guests.

Not all of the package is pure. The pure half takes plain data and gives plain data back, with no ORM and no
database, and imports without Django configured (its tests need neither):

- :mod:`.planner`: the plan of hosts and guests, its fairness figures and the proof of evenness;
- :mod:`.calendar`: public holidays, the municipality's closed days and meeting dates from a pattern;
- :mod:`.explain`: the words of the planner's explanations (translated once Django is configured).

This module re-exports only that half, so ``from meetings.rotation import plan_year`` loads no model.

The ORM lives beside it: :mod:`.services` (the writes: dates, drafts, publishing, hand changes; ``inputs_for``
turns the database into the planner's inputs), :mod:`.selectors` (the reads for the pages), :mod:`.notifications`
(the e-mails), :mod:`.ical` (meetings as calendar events), :mod:`.views` and :mod:`.forms` (the pages), and
:mod:`.demo` and :mod:`.scale` (demo and benchmark data).
"""

from .calendar import MUNICIPAL_CLOSED_DAYS, closed_days_of_year, is_closed, meeting_dates
from .planner import (
    BrokenRule,
    Fairness,
    MeetingIn,
    Plan,
    PlanParams,
    ProposedMeeting,
    WorkplaceIn,
    evaluate_plan,
    levelling_bound,
    plan_year,
    replan_date,
)

__all__ = [
    "MUNICIPAL_CLOSED_DAYS",
    "BrokenRule",
    "Fairness",
    "MeetingIn",
    "Plan",
    "PlanParams",
    "ProposedMeeting",
    "WorkplaceIn",
    "closed_days_of_year",
    "evaluate_plan",
    "is_closed",
    "levelling_bound",
    "meeting_dates",
    "plan_year",
    "replan_date",
]
