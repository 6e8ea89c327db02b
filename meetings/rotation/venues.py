"""Borrowed venues and soft wishes for the rotation planner (issue 20): pure, plain data in and out, no ORM.

A workplace too small to seat the committee plus its secretariat still hosts: it presents itself, and a borrowed
venue gives the seats – a workplace under the same committee that lends its room, or one of the municipality's
meeting rooms (``VenueIn``). The nearest suitable room is used: by distance when both have coordinates, otherwise a
room in the same district. The seat rule (and step-free access when the parameters require it) applies to the room.

Soft wishes (months a workplace would like or would rather avoid) only break ties the fairness rules leave open;
:func:`unmet_wishes` reports every wish the plan does not meet.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .explain import _, format_month

EARTH_RADIUS_KM = 6371.0088

WISH_PREFER = "prefer"
WISH_AVOID = "avoid"


@dataclass(frozen=True)
class VenueIn:
    """One of the municipality's meeting rooms, kept by the secretariat."""

    slug: str
    name: str = ""
    district: str = ""
    seats: int = 0
    step_free: bool = False
    latitude: float | None = None
    longitude: float | None = None
    active: bool = True


@dataclass(frozen=True)
class RoomTaken:
    """A room another committee's meeting uses on a date (a municipal venue's slug, or a workplace's: lent, or the
    host's own premises). The planner never gives it to this committee that day."""

    date: dt.date
    room: str
    by: str = ""  # the other committee's name, for the explanations


@dataclass(frozen=True)
class VenueOption:
    """A room a workplace may borrow: a municipal venue, or a workplace's own room (``lender`` is its slug)."""

    slug: str
    name: str
    km: float | None
    lender: str | None = None


@dataclass(frozen=True)
class CannotHost:
    workplace: str
    reason: str

    def to_dict(self) -> dict:
        return {"workplace": self.workplace, "reason": self.reason}


@dataclass(frozen=True)
class UnmetWish:
    workplace: str
    wish: str
    month: int
    reason: str

    def to_dict(self) -> dict:
        return {"workplace": self.workplace, "wish": self.wish, "month": self.month, "reason": self.reason}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine); plenty for "which room is nearest" within a municipality."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def _has_place(latitude, longitude) -> bool:
    return latitude is not None and longitude is not None


def rooms_to_borrow(workplaces: Iterable, params) -> list[tuple]:
    """Every room a too-small workplace under the committee might borrow, before distance and district are
    considered: the municipality's active rooms, then the lending workplaces', each seating the committee plus the
    secretariat and step-free when ``params.venue_step_free`` asks for it. Worked out once per plan (not once per
    small workplace), so planning stays linear in the number of workplaces."""
    needed = params.seats_needed
    rooms: list[tuple[str, str, str, float | None, float | None, str | None]] = []
    for venue in params.venues:
        if venue.active and venue.seats >= needed and (venue.step_free or not params.venue_step_free):
            rooms.append((venue.slug, venue.name or venue.slug, venue.district, venue.latitude, venue.longitude, None))
    for other in workplaces:
        if not (other.active and other.lends_room) or other.seats < needed:
            continue
        if params.venue_step_free and not other.step_free:
            continue
        name = other.name or other.slug
        rooms.append((other.slug, name, other.district, other.latitude, other.longitude, other.slug))
    return rooms


def venue_options(workplace, workplaces: Iterable, params, rooms: Sequence[tuple] | None = None) -> list[VenueOption]:
    """The rooms ``workplace`` may borrow, nearest first: rooms with a known distance by distance, then rooms in the
    same district whose distance is unknown. Each seats the committee plus the secretariat and is step-free when
    ``params.venue_step_free`` asks for it. Ties go by slug, so the choice is deterministic. ``rooms`` is
    :func:`rooms_to_borrow` for ``workplaces`` when the caller has it already."""
    if rooms is None:
        rooms = rooms_to_borrow(workplaces, params)
    if not rooms:
        return []
    options = []
    here = _has_place(workplace.latitude, workplace.longitude)
    for slug, name, district, latitude, longitude, lender in rooms:
        if lender == workplace.slug:  # its own room is not a room to borrow
            continue
        if here and _has_place(latitude, longitude):
            km = distance_km(workplace.latitude, workplace.longitude, latitude, longitude)
            if params.venue_max_km is not None and km > params.venue_max_km:
                continue
            options.append(VenueOption(slug, name, round(km, 1), lender))
        elif district and district == workplace.district:
            options.append(VenueOption(slug, name, None, lender))
    return sorted(options, key=lambda o: (o.km is None, o.km or 0.0, o.slug))


def format_km(km: float) -> str:
    """ "2,3" in Danish, "2.3" in English and in the planner's own tests."""
    try:
        from django.conf import settings

        if settings.configured:
            from django.utils.formats import number_format

            return number_format(km, decimal_pos=1)
    except ImportError:  # pragma: no cover - Django is a project dependency
        pass
    return f"{km:.1f}"


def venue_reason(host_name: str, seats: int, needed: int, option: VenueOption) -> str:
    """Why a meeting is held in a borrowed room, in the words the host would use."""
    if option.km is not None:
        where = _("{host} holds the meeting in the rooms of {venue}, {km} km away").format(
            host=host_name, venue=option.name, km=format_km(option.km)
        )
    else:
        where = _("{host} holds the meeting in the rooms of {venue} in the same district").format(
            host=host_name, venue=option.name
        )
    return _(
        "{where}, because it has {seats} seats and the meeting needs {needed} (committee plus secretariat)."
    ).format(where=where, seats=seats, needed=needed)


def cannot_host_reason(*, seats: int, needed: int, has_options: bool, free_dates: int, venue_dates: int) -> str:
    """Why an active workplace cannot host on any of the year's dates."""
    if free_dates == 0:
        return _("Cannot host this year: it is closed on every meeting date.")
    if not has_options:
        return _(
            "Cannot host this year: {seats} seats, {needed} needed (committee plus secretariat), and no borrowed "
            "venue with room nearby or in its district."
        ).format(seats=seats, needed=needed)
    if venue_dates == 0:
        return _("Cannot host this year: on the dates it is open, no nearby venue with room is free.")
    return _("Cannot host this year.")  # pragma: no cover - the pool holds every workplace with an open date


def wish_score(workplace, day: dt.date) -> int:
    """-1 for a month the workplace would like, 1 for one it would rather avoid, 0 otherwise (lower is better)."""
    if day.month in workplace.wish_months:
        return -1
    if day.month in workplace.avoid_months:
        return 1
    return 0


def unmet_wishes(workplaces: Iterable, days: Sequence[dt.date], hosts: Sequence[str | None]) -> list[UnmetWish]:
    """Every soft wish the plan does not meet, for the workplaces that host this year (a workplace that is not
    next in line this year has nothing to wish about). Pure: works on a draft after hand changes, too."""
    hosted: dict[str, list[dt.date]] = {}
    for day, host in zip(days, hosts, strict=True):
        if host:
            hosted.setdefault(host, []).append(day)
    months_with_meetings = {d.month for d in days}
    out = []
    for w in sorted(workplaces, key=lambda w: w.slug):
        own = hosted.get(w.slug)
        if not own:
            continue
        months = {d.month for d in own}
        if w.wish_months and not months & set(w.wish_months):
            for month in sorted(set(w.wish_months)):
                if month not in months_with_meetings:
                    reason = _("Would like to host in {month}, but the committee does not meet that month.")
                else:
                    reason = _(
                        "Would like to host in {month}; hosts in {hosted} instead, because the rules on even "
                        "hosting come first."
                    )
                out.append(
                    UnmetWish(
                        w.slug,
                        WISH_PREFER,
                        month,
                        reason.format(month=_month_name(month, own[0].year), hosted=_months_text(own)),
                    )
                )
        for month in sorted(set(w.avoid_months) & months):
            reason = _(
                "Would rather not host in {month}, but it is its turn then: the rules on even hosting come first."
            )
            out.append(UnmetWish(w.slug, WISH_AVOID, month, reason.format(month=_month_name(month, own[0].year))))
    return out


def _month_name(month: int, year: int) -> str:
    return format_month(dt.date(year, month, 1))


def _months_text(days: list[dt.date]) -> str:
    return ", ".join(format_month(d) for d in sorted(days))
