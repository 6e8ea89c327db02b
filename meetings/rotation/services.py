"""Writes for the annual rotation: meeting dates, the draft plan, hand changes, publishing and what follows.

Each service is one transaction on locked rows, records an audit entry and queues its notices in the outbox.
The planner itself is pure (``planner.py``); ``inputs_for`` turns the database into its inputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from codex.gate import codex_gate_refusal
from core import dates
from core.audit import audit_record
from core.fingerprint import canonical_bytes, sha256_hex
from core.outbox import outbox_enqueue, runs_in_own_transactions
from core.versioned_cache import model_version_bump

from ..errors import MeetingsError
from ..models import (
    Blackout,
    CancellationRequest,
    Committee,
    CommitteeMembership,
    Hosting,
    HostingWish,
    LedgerSnapshot,
    Meeting,
    MeetingDate,
    MeetingEvent,
    MeetingInvitation,
    MeetingReminder,
    PlannedMeeting,
    PlanningRun,
    PublishedInputs,
    RotationPlan,
    User,
    Venue,
    Workplace,
)
from . import calendar as holiday_calendar
from . import inputs as planner_inputs
from . import selectors
from .notifications import meeting_notice_kwargs, plan_notice_kwargs
from .planner import (
    Fairness,
    MeetingIn,
    Plan,
    PlanParams,
    ProposedMeeting,
    WorkplaceIn,
    evaluate_plan,
    explain_plan,
    plan_year,
    replan_date,
    venue_for,
)
from .selectors import breaks_in_words
from .venues import RoomTaken, VenueIn, unmet_wishes

REMINDER_DAYS = (28, 7)


class RotationError(MeetingsError):
    """A request the rotation's rules refuse; the message is translated."""


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _require_admin(actor: User | None) -> None:
    if actor is not None and not actor.roles.is_administrator:
        raise RotationError(_("Only the secretariat plans the rotation."))


def _day(value: dt.date) -> str:
    return dates.when(value, "date")


# --- Meeting dates ------------------------------------------------------------------------------------------------


def meeting_dates_generate(*, committee: Committee, year: int, actor: User | None = None) -> list[MeetingDate]:
    """Propose the year's dates from the committee's pattern; public holidays are never proposed.
    Dates already there are kept; returns the new ones."""
    _require_admin(actor)
    _require_unpublished(committee, year)
    proposals = holiday_calendar.meeting_dates(
        year,
        weekday=committee.meeting_weekday - 1,
        nth=committee.meeting_nth,
        skip_months=committee.meeting_skip_months or (),
        start=committee.meeting_start,
        minutes=committee.meeting_minutes,
    )
    with transaction.atomic():
        Committee.objects.select_for_update().get(pk=committee.pk)
        existing = set(MeetingDate.objects.filter(committee=committee, date__year=year).values_list("date", flat=True))
        created = [
            MeetingDate.objects.create(committee=committee, date=day, start=start, minutes=committee.meeting_minutes)
            for day, start, _end in proposals
            if day not in existing
        ]
        if created:
            audit_record(
                actor=actor,
                action="rotation.dates_generated",
                obj=committee,
                data={"year": year, "dates": [d.date.isoformat() for d in created]},
            )
    return created


def meeting_date_save(
    *,
    committee: Committee,
    date: dt.date,
    start: dt.time,
    minutes: int,
    actor: User,
    instance: MeetingDate | None = None,
) -> MeetingDate:
    """Add a date or change one. A public holiday or a date the committee already meets is refused."""
    _require_admin(actor)
    _require_unpublished(committee, date.year)
    if instance is not None:
        _require_unpublished(committee, instance.date.year)
    closed = holiday_calendar.closed_days_of_year(date.year)
    if date in closed:
        raise RotationError(
            _("%(day)s is a public holiday or a day the municipality is closed (%(name)s). Choose another date.")
            % {"day": _day(date), "name": closed[date]}
        )
    if minutes < 15:
        raise RotationError(_("A meeting lasts at least 15 minutes."))
    row = instance or MeetingDate(committee=committee)
    row.date, row.start, row.minutes = date, start, minutes
    try:
        with transaction.atomic():
            row.save()
            audit_record(actor=actor, action="rotation.date_saved", obj=row, data={"date": date.isoformat()})
    except IntegrityError:
        raise RotationError(_("The committee already meets on %(day)s.") % {"day": _day(date)}) from None
    return row


def meeting_date_delete(*, meeting_date: MeetingDate, actor: User) -> None:
    _require_admin(actor)
    _require_unpublished(meeting_date.committee, meeting_date.date.year)
    try:
        with transaction.atomic():
            audit_record(actor=actor, action="rotation.date_deleted", obj=meeting_date)
            meeting_date.delete()
    except ProtectedError:
        # A matter the workplaces are heard on is to be treated that day (the hearings keep the date).
        raise RotationError(
            _("Matters are to be treated at the meeting on this date. Move them to another date first.")
        ) from None


def _require_unpublished(committee: Committee, year: int) -> None:
    if RotationPlan.objects.published().filter(committee=committee, year=year).exists():
        raise RotationError(
            _("The plan for %(year)s is published. Change single meetings from their own pages.") % {"year": year}
        )


# --- The planner's inputs -----------------------------------------------------------------------------------------


@dataclass
class Inputs:
    workplaces: list[WorkplaceIn]
    meetings: list[MeetingIn]
    params: PlanParams
    dates: list[MeetingDate]
    by_slug: dict[str, Workplace]
    venues: dict[str, Venue]

    def rooms(self, slug: str | None) -> dict:
        """The model fields naming a borrowed room by its planner slug (a lending workplace wins a clash)."""
        if slug is None:
            return {"venue": None, "venue_workplace": None}
        if slug in self.by_slug:
            return {"venue": None, "venue_workplace": self.by_slug[slug]}
        return {"venue": self.venues.get(slug), "venue_workplace": None}


def _coordinate(value) -> float | None:
    return None if value is None else float(value)


def inputs_for(committee: Committee, year: int, *, dates: list[MeetingDate] | None = None) -> Inputs:
    """The committee's workplaces with their blackouts in the year and every hosting before it, as plain data.
    A fixed number of queries, however many workplaces."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    workplaces = list(
        Workplace.objects.filter(committees=committee).select_related("kind", "district").order_by("slug")
    )
    ids = [w.pk for w in workplaces]
    blackouts: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for workplace_id, first_day, last_day in Blackout.objects.filter(
        workplace_id__in=ids, first_day__lte=last, last_day__gte=first
    ).values_list("workplace_id", "first_day", "last_day"):
        blackouts.setdefault(workplace_id, []).append((first_day, last_day))
    hostings: dict[int, list[dt.date]] = {}
    # Only hostings that happened (or may yet be confirmed): one recorded as not taken place keeps the turn.
    for workplace_id, day in (
        Hosting.objects.counted().filter(committee=committee, date__lt=first).values_list("workplace_id", "date")
    ):
        hostings.setdefault(workplace_id, []).append(day)
    not_counted: dict[int, list[dt.date]] = {}
    for workplace_id, day in (
        Hosting.objects.not_counted().filter(committee=committee, date__lt=first).values_list("workplace_id", "date")
    ):
        not_counted.setdefault(workplace_id, []).append(day)
    dates = dates if dates is not None else list(MeetingDate.objects.filter(committee=committee, date__year=year))
    members = CommitteeMembership.objects.current(first).filter(committee=committee).count()
    members = max(members, CommitteeMembership.objects.current().filter(committee=committee).count())
    wishes: dict[tuple[int, str], list[int]] = {}
    for workplace_id, month, wish in HostingWish.objects.filter(workplace_id__in=ids).values_list(
        "workplace_id", "month", "wish"
    ):
        wishes.setdefault((workplace_id, wish), []).append(month)
    venues = list(Venue.objects.active().select_related("district").order_by("slug"))
    rooms_taken = _rooms_taken(committee, [d.date for d in dates])
    return Inputs(
        workplaces=[
            WorkplaceIn(
                slug=w.slug,
                kind=w.kind.name,
                district=w.district.name,
                seats=w.seats,
                active=w.is_active,
                blackout_days=tuple(sorted(blackouts.get(w.pk, ()))),
                hostings=tuple(sorted(hostings.get(w.pk, ()))),
                name=w.name,
                latitude=_coordinate(w.latitude),
                longitude=_coordinate(w.longitude),
                step_free=w.step_free,
                lends_room=w.lends_room,
                wish_months=tuple(sorted(wishes.get((w.pk, HostingWish.Wish.PREFER), ()))),
                avoid_months=tuple(sorted(wishes.get((w.pk, HostingWish.Wish.AVOID), ()))),
                hostings_not_counted=tuple(sorted(not_counted.get(w.pk, ()))),
            )
            for w in workplaces
        ],
        meetings=[MeetingIn(d.date, d.start) for d in sorted(dates, key=lambda d: d.date)],
        params=PlanParams(
            committee_size=members,
            secretariat_seats=settings.DIALOG_SECRETARIAT_SEATS,
            venues=tuple(
                VenueIn(
                    slug=v.slug,
                    name=v.name,
                    district=v.district.name,
                    seats=v.seats,
                    step_free=v.step_free,
                    latitude=_coordinate(v.latitude),
                    longitude=_coordinate(v.longitude),
                )
                for v in venues
            ),
            venue_step_free=settings.DIALOG_ROTATION_VENUE_STEP_FREE,
            venue_max_km=settings.DIALOG_ROTATION_VENUE_MAX_KM,
            rooms_taken=rooms_taken,
        ),
        dates=sorted(dates, key=lambda d: d.date),
        by_slug={w.slug: w for w in workplaces},
        venues={v.slug: v for v in venues},
    )


def _room_slug(venue, venue_workplace, host) -> str | None:
    """The planner's name for the room a meeting uses: the borrowed room's slug, else the host's own."""
    room = venue or venue_workplace or host
    return room.slug if room is not None else None


def _others_meetings_on(committee: Committee, days: list[dt.date]):
    """Other committees' published meetings still on, from the first of ``days`` to the end of the last (local
    time); callers keep those whose local date is one of the days."""
    first = dt.datetime.combine(min(days), dt.time.min, tzinfo=_tz())
    last = dt.datetime.combine(max(days) + dt.timedelta(days=1), dt.time.min, tzinfo=_tz())
    return Meeting.objects.filter(status=Meeting.Status.SCHEDULED, starts_at__gte=first, starts_at__lt=last).exclude(
        committee=committee
    )


def _rooms_taken(committee: Committee, days: list[dt.date]) -> tuple[RoomTaken, ...]:
    """The rooms other committees use on ``days``: their published meetings that are still on, which bind, and
    their current drafts, so two drafts made side by side in the autumn do not both count on the same room (a
    draft binds nobody at publishing; only a published meeting does). Two queries, whatever the number of
    committees."""
    if not days:
        return ()
    wanted = set(days)
    taken: list[RoomTaken] = []
    for meeting in (
        _others_meetings_on(committee, days)
        .select_related("committee", "venue", "venue_workplace", "host")
        .order_by("starts_at", "pk")
    ):
        room = _room_slug(meeting.venue, meeting.venue_workplace, meeting.host)
        if room and meeting.local_date in wanted:
            taken.append(RoomTaken(meeting.local_date, room, meeting.committee.name))
    for row in (
        PlannedMeeting.objects.filter(plan__status=RotationPlan.Status.DRAFT, date__in=wanted)
        .exclude(plan__committee=committee)
        .select_related("plan__committee", "venue", "venue_workplace", "host")
        .order_by("date", "pk")
    ):
        room = _room_slug(row.venue, row.venue_workplace, row.host)
        if room:
            taken.append(RoomTaken(row.date, room, row.plan.committee.name))
    return tuple(taken)


def _room_key(venue_id: int | None, venue_workplace_id: int | None, host_id: int | None) -> tuple[str, int] | None:
    if venue_id:
        return ("venue", venue_id)
    if venue_workplace_id or host_id:
        return ("workplace", venue_workplace_id or host_id)
    return None


def _refuse_rooms_given_twice(
    committee: Committee, wanted: list[tuple[dt.date, tuple[str, int] | None]], *, then: str
) -> None:
    """Lock the rooms ``wanted`` uses (date, room key) and refuse, in words naming the room, the date and the other
    committee and then what to do (``then``), when another committee's published meeting that is still on uses one
    of them that day. The lock
    makes two publishes (or a publish and a re-plan) of the same room wait for each other; the database's
    constraints (``meeting_venue_once_a_day``) hold the same for borrowed rooms by any other path."""
    wanted = [(day, key) for day, key in wanted if key is not None]
    if not wanted:
        return
    venue_ids = sorted({pk for _day, (kind, pk) in wanted if kind == "venue"})
    workplace_ids = sorted({pk for _day, (kind, pk) in wanted if kind == "workplace"})
    rooms: dict[tuple[str, int], Venue | Workplace] = {}
    for kind, model, ids in (("venue", Venue, venue_ids), ("workplace", Workplace, workplace_ids)):
        rooms |= {(kind, room.pk): room for room in model.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    used = {}
    for meeting in (
        _others_meetings_on(committee, [day for day, _key in wanted])
        .filter(
            Q(venue_id__in=venue_ids)
            | Q(venue_workplace_id__in=workplace_ids)
            | Q(host_id__in=workplace_ids, venue=None, venue_workplace=None)
        )
        .select_related("committee")
        .order_by("starts_at", "pk")
    ):
        key = _room_key(meeting.venue_id, meeting.venue_workplace_id, meeting.host_id)
        used.setdefault((meeting.local_date, key), meeting)
    for day, key in sorted(wanted):
        other = used.get((day, key))
        if other is not None:
            used_by = _("%(room)s is already used by %(committee)s on %(day)s.") % {
                "room": rooms[key].name,
                "committee": other.committee.name,
                "day": _day(day),
            }
            raise RotationError(f"{used_by} {then}")


# --- The draft plan -----------------------------------------------------------------------------------------------


def rotation_plan_draft(
    *,
    committee: Committee,
    year: int,
    actor: User | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> RotationPlan:
    """Plan the year: every date gets a host and the committee's workplaces are spread over the meetings as
    guests. Replaces the year's draft; a published plan is never touched. Generates the dates first when the
    committee has none for the year."""
    _require_admin(actor)
    _require_unpublished(committee, year)
    say = progress or (lambda percent, step: None)
    if not MeetingDate.objects.filter(committee=committee, date__year=year).exists():
        say(5, _("Proposing meeting dates from the committee's pattern"))
        meeting_dates_generate(committee=committee, year=year, actor=actor)
    say(15, _("Reading workplaces, blackouts and every earlier hosting"))
    inputs = inputs_for(committee, year)
    if not inputs.dates:
        raise RotationError(_("The committee has no meeting dates in %(year)s.") % {"year": year})
    say(40, _("Choosing hosts and guests"))
    plan = plan_year(inputs.workplaces, inputs.meetings, inputs.params)
    say(75, _("Saving the draft"))
    with transaction.atomic():
        Committee.objects.select_for_update().get(pk=committee.pk)
        _require_unpublished(committee, year)
        RotationPlan.objects.drafts().filter(committee=committee, year=year).update(
            status=RotationPlan.Status.DISCARDED
        )
        draft = RotationPlan.objects.create(
            committee=committee,
            year=year,
            created_by=actor,
            fairness=plan.fairness.to_dict(),
            broken_rules=[b.to_dict() for b in plan.broken_rules],
            inputs=_inputs_record(committee, year, inputs, plan),
            cannot_host=[c.to_dict() for c in plan.cannot_host],
            wishes_unmet=[w.to_dict() for w in plan.wishes_unmet],
        )
        _save_meetings(draft, plan, inputs)
        audit_record(
            actor=actor,
            action="rotation.drafted",
            obj=draft,
            data={"committee": committee.pk, "year": year, "broken_rules": len(plan.broken_rules)},
        )
    say(100, _("Done"))
    return draft


def _inputs_record(committee: Committee, year: int, inputs: Inputs, plan: Plan) -> dict:
    """The planner's inputs exactly as ``plan_year`` got them, and its plan: the start of the published record."""
    return planner_inputs.inputs_dump(
        inputs.workplaces, inputs.meetings, inputs.params, committee=committee.slug, year=year, planned=plan
    )


def _save_meetings(draft: RotationPlan, plan: Plan, inputs: Inputs) -> None:
    by_date = {d.date: d for d in inputs.dates}
    rows = PlannedMeeting.objects.bulk_create(
        PlannedMeeting(
            plan=draft,
            date=m.date,
            start=m.start or by_date[m.date].start,
            minutes=by_date[m.date].minutes,
            host=inputs.by_slug.get(m.host) if m.host else None,
            why=m.why,
            **inputs.rooms(m.venue),
        )
        for m in plan.meetings
    )
    through = PlannedMeeting.guests.through
    through.objects.bulk_create(
        through(plannedmeeting_id=row.pk, workplace_id=inputs.by_slug[slug].pk)
        for row, meeting in zip(rows, plan.meetings, strict=True)
        for slug in meeting.guests
    )
    model_version_bump(PlannedMeeting)  # the guests' rows are written without a signal


def _current_choice(draft: RotationPlan) -> tuple[list[PlannedMeeting], list[str | None], list[list[str]]]:
    planned = list(draft.meetings.select_related("host").prefetch_related("guests").order_by("date"))
    hosts = [p.host.slug if p.host else None for p in planned]
    guests = [sorted(g.slug for g in p.guests.all()) for p in planned]
    return planned, hosts, guests


def _evaluate(draft: RotationPlan, hosts, guests):
    inputs = inputs_for(draft.committee, draft.year, dates=None)
    planned_dates = [m.date for m in inputs.meetings]
    meetings = [MeetingIn(p.date, p.start) for p in draft.meetings.order_by("date")]
    if [m.date for m in meetings] != planned_dates:
        # The dates were edited after planning; evaluate the plan's own dates.
        inputs.meetings = meetings
    fairness, broken = evaluate_plan(
        inputs.workplaces,
        inputs.meetings,
        inputs.params,
        hosts=hosts,
        guests=guests,
        best_possible_spread=(draft.fairness or {}).get("best_possible_spread"),
        best_possible_proof=(draft.fairness or {}).get("best_possible_proof", "search_budget_exceeded"),
    )
    return fairness, broken


def _new_breaks(before: list[dict], after) -> list:
    known = {(b["rule"], b["date"], b["workplace"]) for b in before}
    return [b for b in after if (b.rule, b.date.isoformat() if b.date else None, b.workplace) not in known]


def _apply_hand_change(
    draft: RotationPlan, hosts, guests, *, actor: User, reason: str, action: str, data: dict, change: dict
) -> list:
    """Evaluate a changed plan; a change that breaks a hard rule the draft kept needs a written reason. The
    change and its reason join the plan's record (``hand_changes``) and the audit entry."""
    fairness, broken = _evaluate(draft, hosts, guests)
    new = _new_breaks(draft.broken_rules, broken)
    names = dict(Workplace.objects.filter(committees=draft.committee).values_list("slug", "name"))
    if new and not reason.strip():
        raise RotationError(
            _("This change breaks a rule: %(rules)s Write why you make it anyway.")
            % {"rules": " ".join(breaks_in_words(new, names))}
        )
    draft.fairness = fairness.to_dict()
    draft.broken_rules = [b.to_dict() for b in broken]
    draft.hand_changes = [
        *draft.hand_changes,
        {
            **change,
            "reason": reason.strip(),
            "breaks": breaks_in_words(new, names),
            "at": timezone.now().isoformat(timespec="seconds"),
            "by": actor.full_name,
        },
    ]
    draft.save(update_fields=["fairness", "broken_rules", "hand_changes"])
    audit_record(actor=actor, action=action, obj=draft, data={**data, "reason": reason.strip(), "new_breaks": len(new)})
    return new


def _explain_again(draft: RotationPlan, planned_rows: list[PlannedMeeting], hosts, guests) -> None:
    """Every row's reason worked out again for the plan as it now stands; a row changed by hand says so first,
    with its reason. Without this a hand swap would leave reasons such as "last hosted in January" standing
    after January's host was replaced."""
    inputs = inputs_for(draft.committee, draft.year)
    meetings = [MeetingIn(p.date, p.start) for p in planned_rows]
    whys = explain_plan(inputs.workplaces, meetings, inputs.params, hosts=hosts, guests=guests)
    for row, why in zip(planned_rows, whys, strict=True):
        if row.changed_by_hand:
            note = _("Changed by hand.")
            if row.hand_reason:
                note += " " + _("Reason: %(reason)s") % {"reason": row.hand_reason}
            why = f"{note} {why}"
        if row.why != why:
            row.why = why
            row.save(update_fields=["why"])


def _lock_draft(plan: RotationPlan) -> RotationPlan:
    locked = RotationPlan.objects.select_for_update().select_related("committee").get(pk=plan.pk)
    if not locked.is_draft:
        raise RotationError(_("Only a draft can be changed. A published plan changes meeting by meeting."))
    return locked


def rotation_host_swap(*, planned: PlannedMeeting, host: Workplace, actor: User, reason: str = "") -> PlannedMeeting:
    """Give a date another host by hand. The former host is invited to that meeting instead, the new host
    leaves any guest list. A change that breaks a hard rule needs a reason, which the plan keeps."""
    _require_admin(actor)
    with transaction.atomic():
        draft = _lock_draft(planned.plan)
        if not host.committees.filter(pk=draft.committee_id).exists():
            raise RotationError(_("%(workplace)s is not under this committee.") % {"workplace": host.name})
        planned_rows, hosts, guests = _current_choice(draft)
        index = next(i for i, p in enumerate(planned_rows) if p.pk == planned.pk)
        old = hosts[index]
        if old == host.slug:
            raise RotationError(_("%(workplace)s already hosts this meeting.") % {"workplace": host.name})
        hosts[index] = host.slug
        guests = [[g for g in lst if g != host.slug] for lst in guests]
        if old and old not in hosts:
            guests[index] = sorted([*guests[index], old])
        _apply_hand_change(
            draft,
            hosts,
            guests,
            actor=actor,
            reason=reason,
            action="rotation.host_swapped",
            data={"date": planned_rows[index].date.isoformat(), "host": host.pk},
            change={"kind": "host", "date": planned_rows[index].date.isoformat(), "from": old, "to": host.slug},
        )
        _store_choice(planned_rows, hosts, guests, draft)
        row = planned_rows[index]
        _refresh_room_and_wishes(draft, row, hosts)
        row.changed_by_hand = True
        row.hand_reason = reason.strip()
        row.save(update_fields=["changed_by_hand", "hand_reason"])
        _explain_again(draft, planned_rows, hosts, guests)
    return PlannedMeeting.objects.select_related("host").get(pk=row.pk)


def rotation_guest_move(
    *, plan: RotationPlan, workplace: Workplace, to: PlannedMeeting, actor: User, reason: str = ""
) -> None:
    """Move a guest to another meeting of the draft (or invite a workplace that was not invited)."""
    _require_admin(actor)
    with transaction.atomic():
        draft = _lock_draft(plan)
        planned_rows, hosts, guests = _current_choice(draft)
        index = next((i for i, p in enumerate(planned_rows) if p.pk == to.pk), None)
        if index is None:
            raise RotationError(_("That meeting is not in this plan."))
        if hosts[index] is None:
            raise RotationError(_("That date has no host, so it has no dialogue part to invite to."))
        if hosts[index] == workplace.slug:
            raise RotationError(_("%(workplace)s hosts that meeting.") % {"workplace": workplace.name})
        if workplace.slug in guests[index]:
            raise RotationError(_("%(workplace)s is already invited to that meeting.") % {"workplace": workplace.name})
        was_at = next((planned_rows[i].date.isoformat() for i, lst in enumerate(guests) if workplace.slug in lst), None)
        guests = [[g for g in lst if g != workplace.slug] for lst in guests]
        guests[index] = sorted([*guests[index], workplace.slug])
        _apply_hand_change(
            draft,
            hosts,
            guests,
            actor=actor,
            reason=reason,
            action="rotation.guest_moved",
            data={"date": planned_rows[index].date.isoformat(), "workplace": workplace.pk},
            change={
                "kind": "guest",
                "date": planned_rows[index].date.isoformat(),
                "workplace": workplace.slug,
                "from": was_at,
                "to": planned_rows[index].date.isoformat(),
            },
        )
        _store_choice(planned_rows, hosts, guests, draft)
        row = planned_rows[index]
        if reason.strip():
            row.hand_reason = reason.strip()
        row.changed_by_hand = True
        row.save(update_fields=["changed_by_hand", "hand_reason"])
        _explain_again(draft, planned_rows, hosts, guests)


def _refresh_room_and_wishes(draft: RotationPlan, row: PlannedMeeting, hosts: list[str | None]) -> None:
    """After a host swap: the room the new host borrows (if it is too small to seat the committee) and the wishes
    the changed plan no longer meets."""
    inputs = inputs_for(draft.committee, draft.year)
    meetings = [MeetingIn(p.date, p.start) for p in draft.meetings.order_by("date")]
    slug = hosts[[m.date for m in meetings].index(row.date)]
    room = venue_for(inputs.workplaces, meetings, inputs.params, host=slug, day=row.date) if slug else None
    for name, value in inputs.rooms(room).items():
        setattr(row, name, value)
    row.save(update_fields=["venue", "venue_workplace"])
    draft.wishes_unmet = [w.to_dict() for w in unmet_wishes(inputs.workplaces, [m.date for m in meetings], hosts)]
    draft.save(update_fields=["wishes_unmet"])


def _store_choice(planned_rows: list[PlannedMeeting], hosts, guests, draft: RotationPlan) -> None:
    by_slug = {w.slug: w for w in Workplace.objects.filter(committees=draft.committee)}
    through = PlannedMeeting.guests.through
    through.objects.filter(plannedmeeting__plan=draft).delete()
    rows = []
    for planned, host, lst in zip(planned_rows, hosts, guests, strict=True):
        new_host = by_slug.get(host) if host else None
        if planned.host_id != (new_host.pk if new_host else None):
            planned.host = new_host
            planned.save(update_fields=["host"])
        rows += [through(plannedmeeting_id=planned.pk, workplace_id=by_slug[g].pk) for g in lst]
    through.objects.bulk_create(rows)
    model_version_bump(PlannedMeeting)  # the guests' rows are written without a signal


# --- Wishes --------------------------------------------------------------------------------------------------------


def hosting_wishes_save(*, workplace: Workplace, actor: User, prefer: list[int], avoid: list[int]) -> None:
    """A workplace's soft wishes for the months it hosts in: its leader's or the secretariat's. They replace the
    workplace's earlier wishes; the planner lets them break ties only (issue 20)."""
    roles = actor.roles
    if not (roles.is_administrator or workplace.pk in roles.led_workplace_ids):
        raise RotationError(_("Only the workplace's leader or the secretariat can state its wishes."))
    prefer, avoid = sorted(set(prefer)), sorted(set(avoid))
    if any(not 1 <= month <= 12 for month in [*prefer, *avoid]):
        raise RotationError(_("Choose months from January to December."))
    both = set(prefer) & set(avoid)
    if both:
        raise RotationError(
            _("A month cannot be both wished for and avoided: %(months)s.")
            % {"months": ", ".join(str(HostingWish.Month(m).label) for m in sorted(both))}
        )
    with transaction.atomic():
        locked = Workplace.objects.select_for_update().get(pk=workplace.pk)
        HostingWish.objects.filter(workplace=locked).delete()
        HostingWish.objects.bulk_create(
            [HostingWish(workplace=locked, month=m, wish=HostingWish.Wish.PREFER) for m in prefer]
            + [HostingWish(workplace=locked, month=m, wish=HostingWish.Wish.AVOID) for m in avoid]
        )
        audit_record(actor=actor, action="rotation.wishes_saved", obj=locked, data={"prefer": prefer, "avoid": avoid})


# --- Publishing ---------------------------------------------------------------------------------------------------


def rotation_plan_publish(*, plan: RotationPlan, actor: User) -> list[Meeting]:
    """Publish the draft: create the meetings, the invitations and the hostings, and tell everyone involved –
    all of it or nothing. From now on the plan is never changed; single meetings change through services."""
    _require_admin(actor)
    with transaction.atomic():
        draft = _lock_draft(plan)
        _require_unpublished(draft.committee, draft.year)
        planned = list(
            draft.meetings.select_related("host", "venue", "venue_workplace")
            .prefetch_related("guests")
            .order_by("date")
        )
        missing = [p.date for p in planned if p.host is None]
        if missing:
            raise RotationError(
                _("Every date needs a host before the plan is published. Without a host: %(days)s.")
                % {"days": ", ".join(_day(d) for d in missing)}
            )
        if not planned:
            raise RotationError(_("The plan has no meetings."))
        _refuse_rooms_given_twice(
            draft.committee,
            [(row.date, _room_key(row.venue_id, row.venue_workplace_id, row.host_id)) for row in planned],
            then=_("Plan the year again, or give that date another host, before you publish."),
        )
        meetings = []
        for row in planned:
            starts = dt.datetime.combine(row.date, row.start, tzinfo=_tz())
            meeting = Meeting.objects.create(
                committee=draft.committee,
                plan=draft,
                host=row.host,
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=row.minutes),
                address=(row.borrowed_room or row.host).address,
                why=row.why,
                venue=row.venue,
                venue_workplace=row.venue_workplace,
            )
            guests = list(row.guests.all())
            MeetingInvitation.objects.bulk_create(MeetingInvitation(meeting=meeting, workplace=g) for g in guests)
            Hosting.objects.update_or_create(
                committee=draft.committee,
                date=row.date,
                defaults={"workplace": row.host, "source": Hosting.Source.PORTAL, "meeting": meeting},
            )
            MeetingEvent.objects.create(meeting=meeting, actor=actor, action="published")
            meetings.append(meeting)
        draft.status = RotationPlan.Status.PUBLISHED
        draft.published_at = timezone.now()
        draft.published_by = actor
        draft.save(update_fields=["status", "published_at", "published_by"])
        record = _published_record(draft, planned)
        PublishedInputs.objects.create(plan=draft, data=record, fingerprint=record["fingerprint"])
        audit_record(
            actor=actor,
            action="rotation.published",
            obj=draft,
            data={
                "committee": draft.committee_id,
                "year": draft.year,
                "meetings": [m.pk for m in meetings],
                "fingerprint": record["fingerprint"],
            },
        )
        outbox_enqueue("meetings.rotation.notifications.plan_published_send", **plan_notice_kwargs(draft, meetings))
    return meetings


def _published_record(draft: RotationPlan, planned: list[PlannedMeeting]) -> dict:
    """The published record: the draft's inputs and the planner's plan, every hand change with its reason (who
    made it stays in the plan's history, not in the public file) and the plan as published."""
    start = draft.inputs
    if not start:
        # A draft made before the inputs were kept: its inputs are read again now.
        inputs = inputs_for(draft.committee, draft.year)
        start = _inputs_record(
            draft.committee, draft.year, inputs, plan_year(inputs.workplaces, inputs.meetings, inputs.params)
        )
    by_date = {row["date"]: row for row in start["planned"]}
    published = [
        {
            **by_date.get(row.date.isoformat(), {}),
            "date": row.date.isoformat(),
            "start": row.start.isoformat(),
            "host": row.host.slug if row.host else None,
            "guests": sorted(g.slug for g in row.guests.all()),
        }
        for row in planned
    ]
    record = {key: value for key, value in start.items() if key != "fingerprint"}
    record["hand_changes"] = [{k: v for k, v in change.items() if k != "by"} for change in draft.hand_changes]
    record["published"] = published
    record["fingerprint"] = planner_inputs.fingerprint(record)
    return record


# --- Published meetings -------------------------------------------------------------------------------------------


def _lock_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("committee", "host", "venue", "venue_workplace")
        .get(pk=meeting.pk)
    )


def meeting_update(
    *,
    meeting: Meeting,
    actor: User,
    date: dt.date,
    start: dt.time,
    minutes: int,
    agenda_url: str,
    programme: str,
    note: str = "",
) -> Meeting:
    """The secretariat changes a published meeting. A new time raises the calendar revision and tells everyone."""
    _require_admin(actor)
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        if locked.status == Meeting.Status.CANCELLED:
            raise RotationError(_("The meeting is cancelled."))
        starts = dt.datetime.combine(date, start, tzinfo=_tz())
        ends = starts + dt.timedelta(minutes=minutes)
        if minutes < 15:
            raise RotationError(_("A meeting lasts at least 15 minutes."))
        moved = starts != locked.starts_at or ends != locked.ends_at
        if moved and locked.host and Blackout.objects.covering(date).filter(workplace=locked.host).exists():
            raise RotationError(_("The host is closed on %(day)s. Choose another date.") % {"day": _day(date)})
        if moved and date in holiday_calendar.closed_days_of_year(date.year):
            raise RotationError(_("%(day)s is a public holiday. Choose another date.") % {"day": _day(date)})
        if moved and date != locked.local_date:
            _refuse_room_on(locked, date)
        changed = moved or agenda_url != locked.agenda_url or programme != locked.programme
        if not changed:
            return locked
        old_date = locked.local_date
        locked.starts_at, locked.ends_at = starts, ends
        locked.agenda_url, locked.programme = agenda_url, programme
        if moved:
            locked.sequence += 1
        locked.save()
        if moved and locked.host_id:
            try:
                with transaction.atomic():
                    Hosting.objects.filter(meeting=locked).update(date=date)
            except IntegrityError:  # one host a day per committee (the hostings' constraint): said in words
                raise RotationError(_("The committee already meets on %(day)s.") % {"day": _day(date)}) from None
        event = MeetingEvent.objects.create(
            meeting=locked, actor=actor, action="moved" if moved else "updated", note=note.strip()
        )
        audit_record(
            actor=actor,
            action="meeting.moved" if moved else "meeting.updated",
            obj=locked,
            data={"from": old_date.isoformat(), "to": date.isoformat()} if moved else {},
        )
        if moved:
            outbox_enqueue(
                "meetings.rotation.notifications.meeting_changed_send",
                **meeting_notice_kwargs(locked, "moved", actor=actor, event=event, note=note.strip()),
            )
    return locked


def _refuse_room_on(meeting: Meeting, day: dt.date) -> None:
    """A published meeting moved to ``day`` keeps its room only when no other committee uses it that day."""
    key = _room_key(meeting.venue_id, meeting.venue_workplace_id, meeting.host_id)
    _refuse_rooms_given_twice(meeting.committee, [(day, key)], then=_("Choose another date."))


def _require_host_leader(actor: User, meeting: Meeting) -> None:
    if meeting.host_id is None or meeting.host_id not in actor.roles.led_workplace_ids:
        raise RotationError(_("Only the host workplace's leader can do this."))


def meeting_presentation_update(*, meeting: Meeting, actor: User, presentation: str) -> Meeting:
    """The host's leader says what the workplace will present on the day: taking up the hosting, so it is behind
    the codex gate. (Asking to hand the meeting on is not: stepping back is never blocked.)"""
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        _require_host_leader(actor, locked)
        refusal = codex_gate_refusal(actor)
        if refusal:
            raise RotationError(refusal)
        locked.presentation = presentation.strip()
        locked.save(update_fields=["presentation"])
        MeetingEvent.objects.create(meeting=locked, actor=actor, action="presentation")
    return locked


# --- What happened: the meeting's outcome -------------------------------------------------------------------------


# The meeting's history row for each outcome (labelled in ``MeetingEvent.LABELS``).
OUTCOME_EVENTS = {value: f"outcome_{value}" for value in Meeting.Outcome.values}


def may_confirm_meeting(person: User, meeting: Meeting) -> bool:
    """The host's leader, the committee's chair or vice-chair and the secretariat say what happened."""
    roles = person.roles
    chair = roles.chairs(meeting.committee_id)
    host_leader = meeting.host_id is not None and meeting.host_id in roles.led_workplace_ids
    return roles.is_administrator or chair or host_leader


def meeting_outcome_record(
    *,
    meeting: Meeting,
    actor: User,
    outcome: str,
    attended_ids: list[int] | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Meeting:
    """After the meeting, the host's leader, the chair or the secretariat records what happened: held (with the
    guest workplaces that took part, ``MeetingInvitation.attended``), did not take place, or cancelled late. Only a
    held meeting counts as contact in the ledger and opens the minutes and the mirror questions. Only a scheduled
    meeting that has begun; the first to record decides and it is kept (an event says who and when)."""
    now = now or timezone.now()
    if outcome not in Meeting.Outcome.values:
        raise RotationError(_("Choose what happened."))
    note = (note or "").strip()
    attended = set(attended_ids or [])
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        if not may_confirm_meeting(actor, locked):
            raise RotationError(
                _("Only the host's leader, the committee's chair and the secretariat confirm what happened.")
            )
        if locked.outcome:
            raise RotationError(_("What happened at this meeting has already been confirmed."))
        if locked.status != Meeting.Status.SCHEDULED:
            raise RotationError(_("The meeting is cancelled."))
        if locked.starts_at > now:
            raise RotationError(
                _("You can confirm what happened once the meeting has begun, from %(start)s.")
                % {"start": dates.when(locked.starts_at, "datetime")}
            )
        invitations = list(MeetingInvitation.objects.select_for_update().filter(meeting=locked).order_by("pk"))
        unknown = attended - {i.workplace_id for i in invitations}
        if unknown:
            raise RotationError(_("Only workplaces invited to the meeting can be marked as taking part."))
        held = outcome == Meeting.Outcome.HELD
        for invitation in invitations:
            invitation.attended = held and invitation.workplace_id in attended
            invitation.save(update_fields=["attended"])
        locked.outcome, locked.outcome_by, locked.outcome_at = outcome, actor, now
        locked.save(update_fields=["outcome", "outcome_by", "outcome_at"])
        MeetingEvent.objects.create(
            meeting=locked, actor=actor, action=OUTCOME_EVENTS[outcome], note=note, created_at=now
        )
        # A hosting that did not happen no longer counts (``Hosting.objects.counted``): the host is first in line
        # again. The hosting row stays, and the audit entry says so.
        hosting = Hosting.objects.filter(meeting=locked).values_list("pk", flat=True).first()
        audit_record(
            actor=actor,
            action="meeting.outcome",
            obj=locked,
            data={
                "outcome": outcome,
                "attended": sorted(attended) if held else [],
                "hosting": hosting,
                "hosting_counts": held,
            },
        )
    return locked


def meeting_outcome_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind the host's leader and the committee's chair of each meeting that is over and unconfirmed to say what
    happened: once, and once more after ``DIALOG_OUTCOME_REMINDER_DAYS`` days. Marks nothing as held. Run by Celery
    beat (``meetings-outcome-remind``). Returns how many meetings were reminded about."""
    now = now or timezone.now()
    again = now - dt.timedelta(days=settings.DIALOG_OUTCOME_REMINDER_DAYS)
    due = Q(outcome_reminders=0) | Q(outcome_reminders=1, outcome_reminded_at__lte=again)
    pks = list(Meeting.objects.unconfirmed(now).filter(due).values_list("pk", flat=True))
    sent = 0
    for pk in pks:
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update(skip_locked=True).unconfirmed(now).filter(due, pk=pk).first()
            if meeting is None:
                continue
            meeting.outcome_reminders += 1
            meeting.outcome_reminded_at = now
            meeting.save(update_fields=["outcome_reminders", "outcome_reminded_at"])
            outbox_enqueue(
                "meetings.rotation.notifications.meeting_outcome_reminder_send",
                meeting_id=meeting.pk,
                reminder=meeting.outcome_reminders,
            )
            sent += 1
    return sent


def meeting_minutes_record(*, meeting: Meeting, actor: User, minutes: str) -> Meeting:
    """Short minutes of the on-site dialogue, after the meeting: by the secretariat or the committee's chair."""
    roles = actor.roles
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        chair = roles.chairs(locked.committee_id)
        if not (roles.is_administrator or chair):
            raise RotationError(_("Only the secretariat or the committee's chair writes the minutes."))
        if locked.starts_at > timezone.now():
            raise RotationError(_("The minutes are written after the meeting."))
        if not locked.is_held:
            raise RotationError(_("The minutes are written once the meeting is confirmed as held."))
        locked.minutes = minutes.strip()
        locked.save(update_fields=["minutes"])
        MeetingEvent.objects.create(meeting=locked, actor=actor, action="minutes")
        audit_record(actor=actor, action="meeting.minutes", obj=locked)
    return locked


def meeting_cancellation_request(*, meeting: Meeting, actor: User, reason: str) -> CancellationRequest:
    """The host asks the secretariat to find another host for the date."""
    if not reason.strip():
        raise RotationError(_("Tell the secretariat why the workplace cannot host."))
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        _require_host_leader(actor, locked)
        if locked.status == Meeting.Status.CANCELLED or locked.starts_at <= timezone.now():
            raise RotationError(_("Only a coming meeting can be handed on."))
        try:
            with transaction.atomic():
                request = CancellationRequest.objects.create(
                    meeting=locked, workplace=locked.host, requested_by=actor, reason=reason.strip()
                )
        except IntegrityError:
            raise RotationError(_("The secretariat already has your request for this meeting.")) from None
        MeetingEvent.objects.create(meeting=locked, actor=actor, action="cancellation_requested", note=reason.strip())
        audit_record(actor=actor, action="meeting.cancellation_requested", obj=locked, data={"request": request.pk})
        outbox_enqueue("meetings.rotation.notifications.cancellation_requested_send", request_id=request.pk)
    return request


@dataclass
class GuestChange:
    """A workplace newly invited to, or no longer invited to, one of the year's meetings by a re-planning."""

    meeting: Meeting
    workplace: Workplace
    invited: bool


@dataclass
class ReplanProposal:
    """What re-planning a date would do, worked out without changing anything: the confirmation page shows it,
    and :func:`meeting_replan` applies the same computation on locked rows."""

    meeting: Meeting
    former_host: Workplace
    new_host: Workplace | None
    why: str
    guest_changes: list[GuestChange]
    year_meetings: list[Meeting]
    new_guest_ids: dict[int, set[int]]  # meeting id -> the workplaces invited after the re-planning
    new_room: dict = field(default_factory=dict)  # the borrowed room of the new host ({venue, venue_workplace})

    @property
    def cancels(self) -> bool:
        return self.new_host is None

    @property
    def newly_invited(self) -> list[GuestChange]:
        return [c for c in self.guest_changes if c.invited]

    @property
    def no_longer_invited(self) -> list[GuestChange]:
        return [c for c in self.guest_changes if not c.invited]


def _year_meetings(meeting: Meeting, *, lock: bool) -> list[Meeting]:
    qs = Meeting.objects.select_for_update(of=("self",)) if lock else Meeting.objects.all()
    return list(
        qs.filter(plan=meeting.plan)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("host")
        .prefetch_related("invitations__workplace")
        .order_by("starts_at")
    )


def _replan_proposal(meeting: Meeting, year_meetings: list[Meeting]) -> ReplanProposal:
    if meeting.host is None or meeting.status == Meeting.Status.CANCELLED:
        raise RotationError(_("Only a meeting with a host can be re-planned."))
    if meeting.starts_at <= timezone.now():
        raise RotationError(_("Only a coming meeting can get a new host."))
    dates = [MeetingDateLike(m.local_date, m.starts_at.astimezone(_tz()).time()) for m in year_meetings]
    inputs = inputs_for(meeting.committee, meeting.local_date.year, dates=dates)
    current = Plan(
        meetings=[_planned_from(m) for m in year_meetings],
        fairness=_fairness_from(meeting.plan),
        broken_rules=[],
    )
    replanned = replan_date(
        current, inputs.workplaces, inputs.params, day=meeting.local_date, cancelled_host=meeting.host.slug
    )
    by_slug = inputs.by_slug
    new_host, why, changes, new_guest_ids, new_room = None, "", [], {}, {}
    for row, new in zip(year_meetings, replanned.meetings, strict=True):
        old_guests = {inv.workplace_id: inv.workplace for inv in row.invitations.all()}
        new_guests = {by_slug[g].pk: by_slug[g] for g in new.guests}
        new_guest_ids[row.pk] = set(new_guests)
        changes += [GuestChange(row, w, True) for pk, w in sorted(new_guests.items()) if pk not in old_guests]
        changes += [GuestChange(row, w, False) for pk, w in sorted(old_guests.items()) if pk not in new_guests]
        if row.pk == meeting.pk:
            new_host = by_slug.get(new.host) if new.host else None
            why = new.why
            new_room = inputs.rooms(new.venue)
    return ReplanProposal(
        meeting=meeting,
        former_host=meeting.host,
        new_host=new_host,
        why=why,
        guest_changes=changes,
        year_meetings=year_meetings,
        new_guest_ids=new_guest_ids,
        new_room=new_room,
    )


def meeting_replan_proposal(*, meeting: Meeting) -> ReplanProposal:
    """Who would host the date instead (the next in line) and whose invitations would change, without changing
    anything; refused as :func:`meeting_replan` would refuse it."""
    return _replan_proposal(meeting, _year_meetings(meeting, lock=False))


def meeting_replan(
    *, meeting: Meeting, actor: User, note: str = "", expected_host_id: int | Literal[False] | None = False
) -> Meeting:
    """Re-plan only this date after its host cancels: the next in line hosts, the cancelling workplace keeps
    its place in the queue and is invited to another meeting; everyone affected is told what is true for them,
    with the secretariat's ``note``. ``expected_host_id`` is the host the confirmation page showed (None: nobody,
    so the date is cancelled; False: not checked); if the next in line has changed since, nothing changes."""
    _require_admin(actor)
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        proposal = _replan_proposal(locked, _year_meetings(locked, lock=True))
        if expected_host_id is not False and expected_host_id != _pk(proposal.new_host):
            raise RotationError(
                _("The next in line has changed since the page was opened. Check the new proposal and confirm again.")
            )
        cancelled = proposal.former_host
        for row in proposal.year_meetings:
            new_guests = proposal.new_guest_ids[row.pk]
            old_guests = {inv.workplace_id for inv in row.invitations.all()}
            if new_guests != old_guests:
                MeetingInvitation.objects.filter(meeting=row).exclude(workplace_id__in=new_guests).delete()
                MeetingInvitation.objects.bulk_create(
                    MeetingInvitation(meeting=row, workplace_id=w) for w in new_guests - old_guests
                )
        new_host = proposal.new_host
        if new_host is not None:
            room = proposal.new_room
            key = _room_key(_pk(room.get("venue")), _pk(room.get("venue_workplace")), new_host.pk)
            _refuse_rooms_given_twice(
                locked.committee,
                [(locked.local_date, key)],
                then=_("Open the page again to see who is next in line now."),
            )
        locked.host = new_host
        locked.venue = proposal.new_room.get("venue")
        locked.venue_workplace = proposal.new_room.get("venue_workplace")
        room = locked.borrowed_room or new_host
        locked.address = room.address if room else ""
        locked.why = proposal.why
        locked.sequence += 1
        if new_host is None:
            locked.status = Meeting.Status.CANCELLED
        locked.save()
        hosting = Hosting.objects.filter(meeting=locked).first()
        if locked.host is not None:
            if hosting:
                hosting.workplace = locked.host
                hosting.save(update_fields=["workplace"])
        elif hosting:
            # Nobody hosts: the cancelling workplace keeps its place, nobody else gains one. The row goes (a kept
            # row would hold the committee's date, ``hosting_one_host_a_day``, against a meeting moved there); the
            # event and the audit entry name who withdrew.
            hosting.delete()
        CancellationRequest.objects.filter(meeting=locked, status=CancellationRequest.Status.OPEN).update(
            status=CancellationRequest.Status.REPLANNED, handled_at=timezone.now(), handled_by=actor
        )
        event = MeetingEvent.objects.create(
            meeting=locked,
            actor=actor,
            action="replanned",
            note=note.strip() or (_("%(old)s cancelled.") % {"old": cancelled.name}),
        )
        audit_record(
            actor=actor,
            action="meeting.replanned",
            obj=locked,
            data={"from_host": cancelled.pk, "to_host": locked.host_id},
        )
        # The re-planned date's notice goes to everyone it concerns; another date's only to the workplaces
        # newly invited to it or no longer invited: for the rest of its people nothing changed.
        changes: dict[int, tuple[list[int], list[int]]] = {}
        for change in proposal.guest_changes:
            invited, dropped = changes.setdefault(change.meeting.pk, ([], []))
            (invited if change.invited else dropped).append(change.workplace.pk)
        invited, dropped = changes.pop(locked.pk, ([], []))
        outbox_enqueue(
            "meetings.rotation.notifications.meeting_changed_send",
            **meeting_notice_kwargs(
                locked,
                "replanned",
                actor=actor,
                event=event,
                former_host_id=cancelled.pk,
                note=note.strip(),
                invited_ids=invited,
                uninvited_ids=dropped,
            ),
        )
        others = {m.pk: m for m in proposal.year_meetings}
        for meeting_id, (invited, dropped) in sorted(changes.items()):
            outbox_enqueue(
                "meetings.rotation.notifications.meeting_changed_send",
                **meeting_notice_kwargs(
                    others[meeting_id],
                    "invitations",
                    actor=actor,
                    note=note.strip(),
                    invited_ids=invited,
                    uninvited_ids=dropped,
                    guests_only=True,
                ),
            )
    return locked


def _pk(obj) -> int | None:
    return obj.pk if obj is not None else None


@dataclass
class MeetingDateLike:
    date: dt.date
    start: dt.time
    minutes: int = 180


def _planned_from(meeting: Meeting):
    return ProposedMeeting(
        date=meeting.local_date,
        start=meeting.starts_at.astimezone(_tz()).time(),
        host=meeting.host.slug if meeting.host else None,
        guests=tuple(sorted(inv.workplace.slug for inv in meeting.invitations.all())),
        why=meeting.why,
    )


def _fairness_from(plan: RotationPlan):
    data = plan.fairness or {}
    return Fairness(
        spread_before=data.get("spread_before", 0),
        spread_after=data.get("spread_after", 0),
        best_possible_spread=data.get("best_possible_spread", 0),
        best_possible_proof=data.get("best_possible_proof", ""),
        levelling_bound=data.get("levelling_bound", 0),
        hostings_per_workplace=data.get("hostings_per_workplace", {}),
        longest_waiting=data.get("longest_waiting", []),
        soft_scores={},
    )


# --- Scheduled work -----------------------------------------------------------------------------------------------


def meeting_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind the host, the committee and the guests 28 and 7 days before each meeting, never twice. A meeting
    published less than 7 days ahead gets no 28-day reminder after its 7-day one."""
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        coming = list(
            Meeting.objects.select_for_update(skip_locked=True)
            .filter(status=Meeting.Status.SCHEDULED, starts_at__gt=now, starts_at__lte=now + dt.timedelta(days=28))
            .prefetch_related("reminders")
        )
        for meeting in coming:
            done = {r.days_before for r in meeting.reminders.all()}
            due = [d for d in REMINDER_DAYS if meeting.starts_at - dt.timedelta(days=d) <= now]
            if not due:
                continue
            nearest = min(due)
            if nearest in done:
                continue
            MeetingReminder.objects.bulk_create(
                [MeetingReminder(meeting=meeting, days_before=d, sent_at=now) for d in due if d not in done]
            )
            outbox_enqueue(
                "meetings.rotation.notifications.meeting_reminder_send", meeting_id=meeting.pk, days_before=nearest
            )
            sent += 1
    return sent


def rotation_autumn_drafts(*, today: dt.date | None = None) -> list[RotationPlan]:
    """From the configured autumn day on, draft next year's plan for every active committee that has neither a
    draft nor a published plan for it, and tell the secretariat. Safe to run every day."""
    today = today or timezone.localdate()
    month, day = (int(part) for part in settings.DIALOG_ROTATION_DRAFT_DAY.split("-"))
    if today < dt.date(today.year, month, day):
        return []
    year = today.year + 1
    drafts = []
    for committee in Committee.objects.active().order_by("name"):
        if (
            RotationPlan.objects.filter(committee=committee, year=year)
            .exclude(status=RotationPlan.Status.DISCARDED)
            .exists()
        ):
            continue
        try:
            drafts.append(rotation_plan_draft(committee=committee, year=year))
        except RotationError:
            continue
    if drafts:
        with transaction.atomic():
            outbox_enqueue("meetings.rotation.notifications.drafts_ready_send", plan_ids=[d.pk for d in drafts])
    return drafts


def planning_run_start(*, committee: Committee, year: int, actor: User) -> PlanningRun:
    """Queue the planning run (through the outbox, after commit) and return the run the page follows. With the
    broker down the run waits as queued, and the outbox's flush hands it over once the broker is back."""
    _require_admin(actor)
    _require_unpublished(committee, year)
    with transaction.atomic():
        run = PlanningRun.objects.create(committee=committee, year=year, requested_by=actor)
        audit_record(actor=actor, action="rotation.planning_started", obj=run, data={"year": year})
        outbox_enqueue("meetings.rotation.services.planning_run_execute", run_id=run.pk)
    return run


@runs_in_own_transactions
def planning_run_execute(*, run_id: int) -> None:
    """Run a queued planning run (the outbox's handler): progress goes to the run's row, which the page shows.
    Each step commits on its own, so the page sees it at once; a run that has finished is not run again."""
    run = PlanningRun.objects.select_related("committee", "requested_by").filter(pk=run_id).first()
    if run is None or run.finished:
        return

    def progress(percent: int, step: str) -> None:
        PlanningRun.objects.filter(pk=run.pk).update(status=PlanningRun.Status.RUNNING, percent=percent, step=step)

    try:
        plan = rotation_plan_draft(committee=run.committee, year=run.year, actor=run.requested_by, progress=progress)
    except RotationError as error:
        PlanningRun.objects.filter(pk=run.pk).update(
            status=PlanningRun.Status.FAILED, error=str(error), finished_at=timezone.now()
        )
        return
    PlanningRun.objects.filter(pk=run.pk).update(
        status=PlanningRun.Status.DONE, plan=plan, percent=100, finished_at=timezone.now()
    )


# --- The public ledger --------------------------------------------------------------------------------------------


def _previous_month(day: dt.date) -> dt.date:
    first = day.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def ledger_snapshot_take(*, month: dt.date | None = None, today: dt.date | None = None) -> LedgerSnapshot:
    """Publish the equal-access ledger as it stood at the end of ``month`` (by default the month before ``today``):
    per active committee and workplace, the contacts of the 12 and 24 months up to midnight after the month's last
    day. Immutable and once a month: a month already published is returned as it is. Only a month that is over can
    be published."""
    today = today or timezone.localdate()
    month = (month or _previous_month(today)).replace(day=1)
    if month > _previous_month(today):
        raise RotationError(_("A month can be published only when it is over."))
    existing = LedgerSnapshot.objects.filter(month=month).first()
    if existing is not None:
        return existing
    after = (month + dt.timedelta(days=32)).replace(day=1)
    as_of = dt.datetime.combine(after, dt.time(), tzinfo=ZoneInfo("Europe/Copenhagen"))
    rows = []
    for committee in Committee.objects.active().order_by("name"):
        counted = selectors.ledger(committee, now=as_of)
        for row in sorted(counted.rows, key=lambda r: r.workplace.name):
            rows.append(
                {
                    "committee": committee.name,
                    "committee_slug": committee.slug,
                    "workplace": row.workplace.name,
                    "workplace_slug": row.workplace.slug,
                    **{
                        f"{kind}_{months}": getattr(row, f"{kind}_{months}")
                        for kind, _label in selectors.LEDGER_KINDS
                        for months in (12, 24)
                    },
                }
            )
    try:
        with transaction.atomic():
            snapshot = LedgerSnapshot.objects.create(month=month, rows=rows, digest=sha256_hex(canonical_bytes(rows)))
            audit_record(
                actor=None,
                action="rotation.ledger_published",
                obj=snapshot,
                data={"month": month.isoformat(), "rows": len(rows), "digest": snapshot.digest},
            )
    except IntegrityError:
        # Another run published the month meanwhile; theirs stands.
        return LedgerSnapshot.objects.get(month=month)
    return snapshot
