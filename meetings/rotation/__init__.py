"""The annual rotation (issue #6): meeting dates from a pattern, and a fair plan of hosts and guests.

The package is the rotation's app (``apps.RotationConfig``): pages, services, selectors, notices and its beat jobs
work with the ORM. Its heart is pure, with plain data in and out and no ORM or settings, tested without a database:
:mod:`.planner` (the rules and the proof of evenness), :mod:`.calendar` (holidays and meeting dates) and
:mod:`.explain` (the planner's words). This module hands on the pure parts' names.
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
    venue_for,
)
from .venues import CannotHost, UnmetWish, VenueIn, unmet_wishes

__all__ = [
    "MUNICIPAL_CLOSED_DAYS",
    "BrokenRule",
    "CannotHost",
    "Fairness",
    "MeetingIn",
    "Plan",
    "PlanParams",
    "ProposedMeeting",
    "UnmetWish",
    "VenueIn",
    "WorkplaceIn",
    "closed_days_of_year",
    "evaluate_plan",
    "is_closed",
    "levelling_bound",
    "meeting_dates",
    "plan_year",
    "replan_date",
    "unmet_wishes",
    "venue_for",
]
