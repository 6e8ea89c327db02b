"""Writes for workplace visits: one service per change, each a transaction on locked rows.

Locking order, the same everywhere so two bookings never wait on each other in a circle:
the visit, then slots by primary key, then the workplace's visit settings, then people by primary key.
Capacity is also guarded by the database (``booked_count <= capacity``), updated with F().
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from codex.gate import codex_gate_refusal, codex_gate_refusal_for_colleague
from core import dates
from core.audit import audit_record
from core.outbox import outbox_enqueue

from ..errors import MeetingsError
from ..models import (
    Blackout,
    CalendarFeedToken,
    CommitteeMembership,
    Meeting,
    User,
    Visit,
    VisitEvent,
    VisitFeedback,
    VisitOffer,
    VisitParticipant,
    VisitSettings,
    VisitSlot,
    WaitlistEntry,
    Workplace,
    WorkplaceTie,
)
from ..models.visits import MAX_POLITICIANS_PER_SLOT
from ..workdays import is_working_day
from .notifications import visit_notice_kwargs
from .rules import MAX_NOTICE_DAYS, first_day_after_notice, inside_notice, same_address
from .slots import MAX_WEEKLY_SPAN, OfferTerms, OfferTimes, SingleTime, WeeklyTimes

Status = Visit.Status
Action = VisitEvent.Action
Waiting = WaitlistEntry.Status


def _local(moment: dt.datetime) -> str:
    return dates.when(moment, "datetime")


def _local_day(day: dt.date) -> str:
    return dates.when(day, "date")


def _settings_row(workplace_id: int) -> VisitSettings:
    return VisitSettings.objects.filter(workplace_id=workplace_id).first() or VisitSettings(workplace_id=workplace_id)


def _require_leader(actor: User, workplace: Workplace) -> None:
    if workplace.pk not in actor.roles.led_workplace_ids:
        raise MeetingsError(_("Only the workplace's leader can do this."))


def _require_codex_signed(person: User) -> None:
    """The codex gate: what commits a person to a visit needs the codex in force signed (see codex/gate.py)."""
    refusal = codex_gate_refusal(person)
    if refusal:
        raise MeetingsError(refusal)


def _event(visit: Visit, *, actor: User | None, action: str, from_status: str, note: str = "") -> VisitEvent:
    audit_record(actor=actor, action=f"visit.{action}", obj=visit, data={"from": from_status, "to": visit.status})
    return VisitEvent.objects.create(
        visit=visit, actor=actor, action=action, from_status=from_status, to_status=visit.status, note=note
    )


def _after_commit(visit: Visit, kind: str, *, event: VisitEvent, actor: User | None = None) -> None:
    """Queue the notice about ``event``, with the visit and the people involved as they are now."""
    outbox_enqueue(
        "meetings.visits.notifications.visit_mail_send", **visit_notice_kwargs(visit, kind, actor=actor, event=event)
    )


# --- Settings and offers ------------------------------------------------------------------


def visit_settings_update(
    *,
    workplace: Workplace,
    actor: User,
    auto_confirm: bool,
    monthly_cap: int | None,
    booking_notice_days: int | None = None,
    cancel_notice_days: int | None = None,
) -> VisitSettings:
    """Whether bookings are confirmed automatically, an optional cap of visits a month, and the notice for booking
    and for cancelling in working days (unchanged when not given).
    Confirming automatically is confirming in advance, so it is behind the codex gate; turning it off is not."""
    _require_leader(actor, workplace)
    if auto_confirm:
        _require_codex_signed(actor)
    if monthly_cap is not None and monthly_cap < 1:
        raise MeetingsError(_("A monthly limit must be at least 1, or left empty."))
    defaults = {"auto_confirm": auto_confirm, "monthly_cap": monthly_cap}
    for name, days in (("booking_notice_days", booking_notice_days), ("cancel_notice_days", cancel_notice_days)):
        if days is None:
            continue
        if not 0 <= days <= MAX_NOTICE_DAYS:
            raise MeetingsError(_("A notice is from 0 to %(most)s working days.") % {"most": MAX_NOTICE_DAYS})
        defaults[name] = days
    settings_row, _created = VisitSettings.objects.update_or_create(workplace=workplace, defaults=defaults)
    return settings_row


def visit_offer_create(
    *,
    workplace: Workplace,
    actor: User,
    times: OfferTimes,
    terms: OfferTerms | None = None,
    now: dt.datetime | None = None,
) -> VisitOffer:
    """Offer visit times: a single time (``SingleTime``) or a window every week for at most a year
    (``WeeklyTimes``), split into visits of ``terms.slot_minutes`` (``OfferTerms``; its defaults when not given).
    Past times are left out; blacked-out days are hidden when politicians look. Behind the codex gate."""
    terms = terms or OfferTerms()
    _require_leader(actor, workplace)
    _require_codex_signed(actor)
    now = now or timezone.now()
    tz = ZoneInfo(settings.TIME_ZONE)
    _check_offer_terms(terms)
    _check_offer_times(times)
    windows = [w for w in times.windows(terms.slot_minutes, tz) if w.start > now]
    if not windows:
        raise MeetingsError(_("These times leave no future time for a visit of that length."))
    with transaction.atomic():
        offer = VisitOffer.objects.create(
            workplace=workplace,
            kind=times.kind,
            slot_minutes=terms.slot_minutes,
            min_politicians=terms.min_politicians,
            max_politicians=terms.max_politicians,
            topics=terms.topics.strip(),
            practical_notes=terms.practical_notes.strip(),
            created_by=actor,
            **times.fields(),
        )
        VisitSlot.objects.bulk_create(
            VisitSlot(
                workplace=workplace,
                offer=offer,
                day=w.start.astimezone(tz).date(),
                starts_at=w.start,
                ends_at=w.end,
                capacity=terms.max_politicians,
            )
            for w in windows
        )
        _waitlist_offer_times(
            workplace_id=workplace.pk, slot_ids=list(offer.slots.values_list("pk", flat=True)), now=now
        )
    return offer


def _check_offer_terms(terms: OfferTerms) -> None:
    if terms.slot_minutes < 15:
        raise MeetingsError(_("A visit lasts at least 15 minutes."))
    if not 1 <= terms.min_politicians <= terms.max_politicians <= MAX_POLITICIANS_PER_SLOT:
        raise MeetingsError(
            _("The number of politicians must be from 1 to %(most)s, the fewest no more than the most.")
            % {"most": MAX_POLITICIANS_PER_SLOT}
        )


def _check_offer_times(times: OfferTimes) -> None:
    if isinstance(times, SingleTime):
        if not times.starts_at or not times.ends_at or times.ends_at <= times.starts_at:
            raise MeetingsError(_("Give a start and an end; the end must come after the start."))
        if times.ends_at - times.starts_at > dt.timedelta(hours=24):
            raise MeetingsError(_("A single time lasts at most a day."))
    elif isinstance(times, WeeklyTimes):
        if not (times.weekday and times.start_time and times.end_time and times.first_day and times.last_day):
            raise MeetingsError(_("Give a weekday, a time of day and the first and last day."))
        if times.end_time <= times.start_time:
            raise MeetingsError(_("The end must come after the start."))
        if times.last_day < times.first_day:
            raise MeetingsError(_("The last day must come after the first day."))
        if times.last_day - times.first_day > MAX_WEEKLY_SPAN:
            raise MeetingsError(_("A weekly offer can span at most a year. Add another offer for the next year."))
    else:
        raise MeetingsError(_("Unknown kind of offer."))


def visit_offer_withdraw(*, offer: VisitOffer, actor: User, now: dt.datetime | None = None) -> int:
    """Stop offering these times. Times already booked stay; cancel those visits one by one.
    Returns how many free times were taken away."""
    _require_leader(actor, offer.workplace)
    with transaction.atomic():
        offer = VisitOffer.objects.select_for_update().get(pk=offer.pk)
        if not offer.active:
            raise MeetingsError(_("These times have already been withdrawn."))
        offer.active = False
        offer.save(update_fields=["active"])
        return VisitSlot.objects.filter(
            offer=offer, booked_count=0, cancelled=False, starts_at__gt=now or timezone.now()
        ).update(cancelled=True)


# --- Booking rules ---------------------------------------------------------------------------


def responsible_committee_ids(workplace: Workplace) -> set[int]:
    return set(workplace.committees.filter(is_active=True).values_list("pk", flat=True))


def _check_may_visit(workplace: Workplace, person: User, *, colleague: bool = False) -> None:
    responsible = responsible_committee_ids(workplace)
    if not CommitteeMembership.objects.current().filter(user=person, committee_id__in=responsible).exists():
        if colleague:
            raise MeetingsError(
                _("%(name)s is not on a committee responsible for this workplace.") % {"name": person.full_name}
            )
        raise MeetingsError(_("You can book visits to the workplaces under your committees."))


def _check_slot_open(slot: VisitSlot, *, seats: int, now: dt.datetime, person: User | None = None) -> None:
    if slot.cancelled or not slot.offer.active:
        raise MeetingsError(_("This time is no longer offered."))
    if slot.starts_at <= now:
        raise MeetingsError(_("This time has passed. Choose a time in the future."))
    if (
        not is_working_day(slot.day)
        or Blackout.objects.filter(workplace_id=slot.workplace_id).covering(slot.day).exists()
    ):
        raise MeetingsError(_("The workplace is closed on that day. Choose another time."))
    free = slot.places_for(person, now)
    if seats > free:
        if free <= 0 and slot.free_places > 0:
            raise MeetingsError(
                _(
                    "This time is held for a politician on the waiting list until %(until)s. "
                    "Choose another time, or join the waiting list."
                )
                % {"until": _local(slot.held_until)}
            )
        if free <= 0:
            raise MeetingsError(_("This time is fully booked. Choose another time, or join the waiting list."))
        raise MeetingsError(
            ngettext("Only %(free)s place is left at this time.", "Only %(free)s places are left at this time.", free)
            % {"free": free}
        )


def _check_booking_notice(slot: VisitSlot, *, actor: User, now: dt.datetime) -> None:
    """The workplace's notice for booking, in working days. The workplace's own leader is exempt from it."""
    if slot.workplace_id in actor.roles.led_workplace_ids:
        return
    days = _settings_row(slot.workplace_id).booking_notice_days
    today = timezone.localtime(now).date()
    if inside_notice(slot.day, today=today, notice_days=days):
        raise MeetingsError(
            ngettext(
                "The workplace asks for %(days)s working day's notice. The first day you can book is %(day)s.",
                "The workplace asks for %(days)s working days' notice. The first day you can book is %(day)s.",
                days,
            )
            % {"days": days, "day": _local_day(first_day_after_notice(today, days))}
        )


def _check_monthly_cap(slot: VisitSlot, *, exclude: Visit | None = None) -> None:
    """A workplace with a cap receives at most that many visits (distinct times) a month;
    joining a time that already has a visit does not count again."""
    row = VisitSettings.objects.select_for_update().filter(workplace_id=slot.workplace_id).first()
    if row is None or row.monthly_cap is None:
        return
    visits = Visit.objects.active().filter(workplace_id=slot.workplace_id)
    if exclude is not None:
        visits = visits.exclude(pk=exclude.pk)
    if visits.filter(slot=slot).exists():
        return
    local = timezone.localtime(slot.starts_at)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month_end = (month_start + dt.timedelta(days=32)).replace(day=1)
    taken = visits.filter(starts_at__gte=month_start, starts_at__lt=month_end).values("slot").distinct().count()
    if taken >= row.monthly_cap:
        raise MeetingsError(
            _("The workplace receives at most %(cap)s visits a month, and that month is full. Choose another month.")
            % {"cap": row.monthly_cap}
        )


def _check_politician_cap(people: list[User], slot: VisitSlot, *, exclude: Visit | None = None) -> None:
    """At most ``DIALOG_VISITS_PER_POLITICIAN_PER_WORKPLACE_YEAR`` visits by one politician to the same workplace
    within 12 months of each other (held, confirmed or awaiting confirmation), so attention spreads; 0 is no cap.
    Call after :func:`_lock_and_check_overlap`, which locks the people."""
    cap = settings.DIALOG_VISITS_PER_POLITICIAN_PER_WORKPLACE_YEAR
    if not cap:
        return
    year = dt.timedelta(days=365)
    visits = VisitParticipant.objects.filter(
        person__in=people,
        visit__workplace_id=slot.workplace_id,
        visit__status__in=Visit.ACTIVE_STATUSES,
        visit__starts_at__gt=slot.starts_at - year,
        visit__starts_at__lt=slot.starts_at + year,
    )
    if exclude is not None:
        visits = visits.exclude(visit=exclude)
    counts = {row["person_id"]: row["n"] for row in visits.values("person_id").annotate(n=Count("pk"))}
    for person in people:
        count = counts.get(person.pk, 0)
        if count >= cap:
            raise MeetingsError(
                ngettext(
                    "%(name)s already has %(count)s visit to this workplace within 12 months of this time. A "
                    "politician visits the same workplace at most %(cap)s times a year, so that attention spreads to "
                    "other workplaces. Choose another workplace or a later time.",
                    "%(name)s already has %(count)s visits to this workplace within 12 months of this time. A "
                    "politician visits the same workplace at most %(cap)s times a year, so that attention spreads to "
                    "other workplaces. Choose another workplace or a later time.",
                    count,
                )
                % {"name": person.full_name or person.email, "count": count, "cap": cap}
            )


def _lock_and_check_overlap(people: list[User], slot: VisitSlot, *, exclude: Visit | None = None) -> None:
    """Lock the people (in key order, against deadlocks), then refuse a second visit at the same time."""
    list(User.objects.select_for_update().filter(pk__in=[p.pk for p in people]).order_by("pk").values_list("pk"))
    clashes = VisitParticipant.objects.filter(
        person__in=people,
        visit__status__in=Visit.ACTIVE_STATUSES,
        visit__starts_at__lt=slot.ends_at,
        visit__ends_at__gt=slot.starts_at,
    ).select_related("person")
    if exclude is not None:
        clashes = clashes.exclude(visit=exclude)
    clash = clashes.first()
    if clash is not None:
        raise MeetingsError(
            _("%(name)s already has a visit at that time.") % {"name": clash.person.full_name or clash.person.email}
        )


def _place_of_meeting(meeting: Meeting) -> str:
    return meeting.address or (meeting.host.address if meeting.host_id else "")


def _check_travel_time(people: list[User], slot: VisitSlot, address: str, *, exclude: Visit | None = None) -> None:
    """A visit needs ``DIALOG_TRAVEL_MINUTES`` between it and the person's other visits and committee meetings at
    other addresses (none at the same address). A committee meeting at the same time is refused wherever it is.
    Call after :func:`_lock_and_check_overlap`, which locks the people."""
    minutes = settings.DIALOG_TRAVEL_MINUTES
    gap = dt.timedelta(minutes=minutes)
    start, end = slot.starts_at - gap, slot.ends_at + gap
    near = (
        VisitParticipant.objects.filter(
            person__in=people,
            visit__status__in=Visit.ACTIVE_STATUSES,
            visit__starts_at__lt=end,
            visit__ends_at__gt=start,
        )
        .select_related("person", "visit__workplace")
        .order_by("visit__starts_at")
    )
    if exclude is not None:
        near = near.exclude(visit=exclude)
    for row in near:
        if not same_address(row.visit.workplace.address, address):
            raise MeetingsError(_travel_refusal(row.person, row.visit.workplace.name, row.visit, minutes))
    memberships = CommitteeMembership.objects.current().filter(user__in=people)
    for person in people:
        committee_ids = [m.committee_id for m in memberships if m.user_id == person.pk]
        if not committee_ids:
            continue
        meetings = (
            Meeting.objects.filter(committee_id__in=committee_ids, starts_at__lt=end, ends_at__gt=start)
            .exclude(status=Meeting.Status.CANCELLED)
            .select_related("committee", "host")
            .order_by("starts_at")
        )
        for meeting in meetings:
            overlaps = meeting.starts_at < slot.ends_at and meeting.ends_at > slot.starts_at
            if overlaps or not same_address(_place_of_meeting(meeting), address):
                raise MeetingsError(
                    _travel_refusal(person, meeting.committee.name, meeting, minutes, meeting=overlaps or None)
                )


def _travel_refusal(person: User, place: str, other, minutes: int, *, meeting: bool | None = None) -> str:
    name = person.full_name or person.email
    when = {
        "name": name,
        "place": place,
        "start": _local(other.starts_at),
        "end": dates.when(other.ends_at, "time"),
    }
    if meeting:
        return _("%(name)s has a meeting of %(place)s at that time (%(start)s–%(end)s).") % when
    if isinstance(other, Meeting):
        text = _("%(name)s has a meeting of %(place)s %(start)s–%(end)s at another address.") % when
    else:
        text = _("%(name)s has a visit to %(place)s %(start)s–%(end)s.") % when
    return " ".join(
        [
            text,
            ngettext(
                "Allow %(minutes)s minute to get from one place to the other. Choose another time.",
                "Allow %(minutes)s minutes to get from one place to the other. Choose another time.",
                minutes,
            )
            % {"minutes": minutes},
        ]
    )


def ties_between(person: User, workplace: Workplace) -> list[WorkplaceTie]:
    return list(WorkplaceTie.objects.filter(person=person, workplace=workplace))


def visit_book(
    *,
    slot: VisitSlot,
    booker: User,
    purpose: str,
    colleague: User | None = None,
    tie_seen: bool = False,
    now: dt.datetime | None = None,
) -> Visit:
    """Book a time for the booker and an optional colleague from a responsible committee.

    Refuses past, cancelled and full times, times on a closed day (a weekend, a public holiday or municipal closed
    day, a blackout), times inside the workplace's booking notice (not to its
    leader), a place held for someone else on the waiting list, a month over the workplace's cap, anyone who
    already has a visit at that time, and a visit too close to their other visits and committee meetings at other
    addresses (``DIALOG_TRAVEL_MINUTES``), and a politician with ``DIALOG_VISITS_PER_POLITICIAN_PER_WORKPLACE_YEAR``
    visits to the workplace within 12 months of the time. Booking takes the booker off the workplace's waiting list.
    A declared tie must have been seen. The booker and the colleague must both have signed the codex in force
    (the gate).
    """
    now = now or timezone.now()
    purpose = (purpose or "").strip()
    if not purpose:
        raise MeetingsError(_("Tell the workplace what you would like to learn on the visit."))
    _require_codex_signed(booker)
    people = [booker] + ([colleague] if colleague is not None and colleague.pk != booker.pk else [])
    if len(people) > 1:
        refusal = codex_gate_refusal_for_colleague(people[1])
        if refusal:
            raise MeetingsError(refusal)
    with transaction.atomic():
        slot = VisitSlot.objects.select_for_update().select_related("offer").get(pk=slot.pk)
        workplace = Workplace.objects.get(pk=slot.workplace_id)
        _check_may_visit(workplace, booker)
        if len(people) > 1:
            _check_may_visit(workplace, people[1], colleague=True)
        if ties_between(booker, workplace) and not tie_seen:
            raise MeetingsError(_("Please confirm that you have seen your declared tie to this workplace."))
        _check_slot_open(slot, seats=len(people), now=now, person=booker)
        _check_booking_notice(slot, actor=booker, now=now)
        _check_monthly_cap(slot)
        _lock_and_check_overlap(people, slot)
        _check_politician_cap(people, slot)
        _check_travel_time(people, slot, workplace.address)
        VisitSlot.objects.filter(pk=slot.pk).update(booked_count=F("booked_count") + len(people))
        _waitlist_booked(workplace_id=workplace.pk, person=booker, slot=slot, now=now)
        auto = VisitSettings.objects.filter(workplace=workplace, auto_confirm=True).exists()
        visit = Visit.objects.create(
            slot=slot,
            workplace=workplace,
            booked_by=booker,
            purpose=purpose,
            status=Status.REQUESTED,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            seats=len(people),
            tie_seen=tie_seen and bool(ties_between(booker, workplace)),
        )
        VisitParticipant.objects.bulk_create(VisitParticipant(visit=visit, person=p) for p in people)
        note = _("Declared tie seen by the booker.") if visit.tie_seen else ""
        event = _event(visit, actor=booker, action=Action.REQUESTED, from_status="", note=note)
        if auto:
            visit.status = Status.CONFIRMED
            visit.save(update_fields=["status"])
            event = _event(
                visit,
                actor=None,
                action=Action.CONFIRMED,
                from_status=Status.REQUESTED,
                note=_("Confirmed automatically."),
            )
        _after_commit(visit, "booked", actor=booker, event=event)
    return visit


# --- Transitions --------------------------------------------------------------------------------


def _lock_visit(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().select_related("workplace").get(pk=visit.pk)


def _is_participant(visit: Visit, person: User) -> bool:
    return visit.participants.filter(person=person).exists()


def _release(visit: Visit) -> None:
    VisitSlot.objects.filter(pk=visit.slot_id).update(booked_count=F("booked_count") - visit.seats)


def visit_confirm(*, visit: Visit, actor: User, now: dt.datetime | None = None) -> Visit:
    """The leader confirms a requested visit. Behind the codex gate."""
    with transaction.atomic():
        visit = _lock_visit(visit)
        _require_leader(actor, visit.workplace)
        _require_codex_signed(actor)
        if visit.status != Status.REQUESTED:
            raise MeetingsError(_("Only a visit awaiting confirmation can be confirmed."))
        if visit.starts_at <= (now or timezone.now()):
            raise MeetingsError(_("This visit's time has passed."))
        visit.status = Status.CONFIRMED
        visit.sequence += 1
        visit.save(update_fields=["status", "sequence"])
        event = _event(visit, actor=actor, action=Action.CONFIRMED, from_status=Status.REQUESTED)
        _after_commit(visit, "confirmed", actor=actor, event=event)
    return visit


def visit_decline(*, visit: Visit, actor: User, reason: str) -> Visit:
    """The leader declines a requested visit, with a reason; the places become free again."""
    reason = (reason or "").strip()
    if not reason:
        raise MeetingsError(_("Give a reason, so the politicians understand."))
    with transaction.atomic():
        visit = _lock_visit(visit)
        _require_leader(actor, visit.workplace)
        if visit.status != Status.REQUESTED:
            raise MeetingsError(_("Only a visit awaiting confirmation can be declined."))
        _release(visit)
        visit.status = Status.DECLINED
        visit.sequence += 1
        visit.save(update_fields=["status", "sequence"])
        event = _event(visit, actor=actor, action=Action.DECLINED, from_status=Status.REQUESTED, note=reason)
        _after_commit(visit, "declined", actor=actor, event=event)
        _waitlist_offer_times(workplace_id=visit.workplace_id, slot_ids=[visit.slot_id])
    return visit


def visit_cancel(*, visit: Visit, actor: User, reason: str = "", now: dt.datetime | None = None) -> Visit:
    """A participant cancels their booking; the leader, or the secretariat (from the admin), cancels a visit with a
    reason. Everyone else involved is told; the places become free again (and are offered to the waiting list). A
    visit is cancelled, never deleted. A cancellation inside the workplace's notice for cancelling is allowed, but
    recorded as late (``Visit.cancelled_late`` and the event), so it can be counted."""
    reason = (reason or "").strip()
    now = now or timezone.now()
    with transaction.atomic():
        visit = _lock_visit(visit)
        participant = _is_participant(visit, actor)
        is_leader = visit.workplace_id in actor.roles.led_workplace_ids
        if not (participant or is_leader or actor.roles.is_administrator):
            raise MeetingsError(_("You can only cancel visits you take part in or host."))
        if visit.status not in (Status.REQUESTED, Status.CONFIRMED):
            raise MeetingsError(_("Only a coming visit can be cancelled."))
        if visit.starts_at <= now:
            raise MeetingsError(_("This visit's time has passed."))
        if not participant and not reason:
            raise MeetingsError(_("Give a reason, so the politicians understand."))
        from_status = visit.status
        notice = _settings_row(visit.workplace_id).cancel_notice_days
        late = inside_notice(
            timezone.localtime(visit.starts_at).date(), today=timezone.localtime(now).date(), notice_days=notice
        )
        _release(visit)
        visit.status = Status.CANCELLED
        visit.cancelled_late = late
        visit.sequence += 1
        visit.save(update_fields=["status", "cancelled_late", "sequence"])
        action = Action.CANCELLED
        if late:
            action = Action.CANCELLED_LATE
            late_note = ngettext(
                "Cancelled later than the workplace's %(days)s working day's notice.",
                "Cancelled later than the workplace's %(days)s working days' notice.",
                notice,
            ) % {"days": notice}
            reason = f"{late_note} {reason}".strip()
        event = _event(visit, actor=actor, action=action, from_status=from_status, note=reason)
        _after_commit(visit, "cancelled", actor=actor, event=event)
        _waitlist_offer_times(workplace_id=visit.workplace_id, slot_ids=[visit.slot_id], now=now)
    return visit


def visit_move(*, visit: Visit, actor: User, slot: VisitSlot, now: dt.datetime | None = None) -> Visit:
    """Move a booking to another time at the same workplace. The visit keeps its history and
    calendar entry; it needs the leader's confirmation again unless the workplace confirms automatically.
    Behind the codex gate: moving commits the person to a new time."""
    now = now or timezone.now()
    with transaction.atomic():
        visit = _lock_visit(visit)
        if not _is_participant(visit, actor):
            raise MeetingsError(_("You can only move visits you take part in."))
        _require_codex_signed(actor)
        if visit.status not in (Status.REQUESTED, Status.CONFIRMED):
            raise MeetingsError(_("Only a coming visit can be moved."))
        if visit.starts_at <= now:
            raise MeetingsError(_("This visit's time has passed."))
        if slot.pk == visit.slot_id:
            raise MeetingsError(_("Choose a different time."))
        locked = {
            s.pk: s
            for s in VisitSlot.objects.select_for_update().filter(pk__in=[slot.pk, visit.slot_id]).order_by("pk")
        }
        new_slot = locked[slot.pk]
        if new_slot.workplace_id != visit.workplace_id:
            raise MeetingsError(_("A visit can only move to another time at the same workplace."))
        new_slot.offer = VisitOffer.objects.get(pk=new_slot.offer_id)
        _check_slot_open(new_slot, seats=visit.seats, now=now, person=actor)
        _check_booking_notice(new_slot, actor=actor, now=now)
        _check_monthly_cap(new_slot, exclude=visit)
        people = list(User.objects.filter(visit_participations__visit=visit))
        _lock_and_check_overlap(people, new_slot, exclude=visit)
        _check_politician_cap(people, new_slot, exclude=visit)
        _check_travel_time(people, new_slot, visit.workplace.address, exclude=visit)
        old_start = visit.starts_at
        old_slot_id = visit.slot_id
        from_status = visit.status
        _release(visit)
        VisitSlot.objects.filter(pk=new_slot.pk).update(booked_count=F("booked_count") + visit.seats)
        auto = VisitSettings.objects.filter(workplace_id=visit.workplace_id, auto_confirm=True).exists()
        visit.slot = new_slot
        visit.starts_at = new_slot.starts_at
        visit.ends_at = new_slot.ends_at
        visit.status = Status.CONFIRMED if auto and from_status == Status.CONFIRMED else Status.REQUESTED
        visit.sequence += 1
        visit.save(update_fields=["slot", "starts_at", "ends_at", "status", "sequence"])
        note = _("Moved from %(old)s to %(new)s.") % {"old": _local(old_start), "new": _local(new_slot.starts_at)}
        event = _event(visit, actor=actor, action=Action.MOVED, from_status=from_status, note=note)
        _after_commit(visit, "moved", actor=actor, event=event)
        _waitlist_booked(workplace_id=visit.workplace_id, person=actor, slot=new_slot, now=now)
        _waitlist_offer_times(workplace_id=visit.workplace_id, slot_ids=[old_slot_id], now=now)
    return visit


def _may_record_outcome(visit: Visit, person: User) -> bool:
    """The workplace's leaders and the politicians on the visit say what happened."""
    return visit.workplace_id in person.roles.led_workplace_ids or _is_participant(visit, person)


def visit_outcome_record(
    *, visit: Visit, actor: User, outcome: str, note: str = "", now: dt.datetime | None = None
) -> Visit:
    """After the visit, the workplace's leader or a politician on it records what happened: it was held, it did not
    take place (no-show), or it was cancelled late. Nothing is marked held without someone saying so; only a held
    visit counts as contact in the ledger and opens feedback and the mirror questions. Only a confirmed visit that
    has begun; the first to record decides and it is kept (the event shows who and when). A visit that did not
    take place frees its places and raises the calendar revision, so calendars no longer show it as confirmed."""
    now = now or timezone.now()
    if outcome not in Visit.OUTCOMES:
        raise MeetingsError(_("Choose what happened."))
    note = (note or "").strip()
    with transaction.atomic():
        visit = _lock_visit(visit)
        if not _may_record_outcome(visit, actor):
            raise MeetingsError(
                _("Only the workplace's leader and the politicians on the visit confirm what happened.")
            )
        if visit.status in (Status.HELD, Status.NO_SHOW) or (
            visit.status == Status.CANCELLED and visit.cancelled_late and visit.ends_at <= now
        ):
            raise MeetingsError(_("What happened at this visit has already been confirmed."))
        if visit.status != Status.CONFIRMED:
            raise MeetingsError(_("Only a confirmed visit can be confirmed as held."))
        if visit.starts_at > now:
            raise MeetingsError(
                _("You can confirm what happened once the visit has begun, from %(start)s.")
                % {"start": _local(visit.starts_at)}
            )
        fields = ["status"]
        if outcome == "held":
            visit.status, action = Status.HELD, Action.HELD
        else:
            _release(visit)
            visit.sequence += 1
            fields.append("sequence")
            if outcome == "no_show":
                visit.status, action = Status.NO_SHOW, Action.NO_SHOW
            else:
                visit.status, visit.cancelled_late, action = Status.CANCELLED, True, Action.CANCELLED_LATE
                fields.append("cancelled_late")
        visit.save(update_fields=fields)
        _event(visit, actor=actor, action=action, from_status=Status.CONFIRMED, note=note)
    return visit


def _reminder_due(now: dt.datetime):
    """Not reminded yet, or reminded once at least ``DIALOG_OUTCOME_REMINDER_DAYS`` ago; never a third time."""
    again = now - dt.timedelta(days=settings.DIALOG_OUTCOME_REMINDER_DAYS)
    return Q(outcome_reminders=0) | Q(outcome_reminders=1, outcome_reminded_at__lte=again)


def visit_outcome_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind the leader and the politicians of each confirmed visit that is over and unconfirmed to say what
    happened: once, and once more after ``DIALOG_OUTCOME_REMINDER_DAYS`` days. Marks nothing as held. Run by Celery
    beat (``visits-outcome-remind``). Returns how many visits were reminded about."""
    now = now or timezone.now()
    pks = list(Visit.objects.unconfirmed(now).filter(_reminder_due(now)).values_list("pk", flat=True))
    sent = 0
    for pk in pks:
        with transaction.atomic():
            visit = (
                Visit.objects.select_for_update(skip_locked=True)
                .unconfirmed(now)
                .filter(_reminder_due(now), pk=pk)
                .first()
            )
            if visit is None:
                continue
            visit.outcome_reminders += 1
            visit.outcome_reminded_at = now
            visit.save(update_fields=["outcome_reminders", "outcome_reminded_at"])
            outbox_enqueue(
                "meetings.visits.notifications.visit_outcome_reminder_send",
                visit_id=visit.pk,
                reminder=visit.outcome_reminders,
            )
            sent += 1
    return sent


def visit_feedback_give(
    *, visit: Visit, author: User, text: str, rating: int | None = None, now: dt.datetime | None = None
) -> VisitFeedback:
    """After the visit: a participant's short feedback with a 1–5 rating, or the leader's note."""
    now = now or timezone.now()
    text = (text or "").strip()
    if not text:
        raise MeetingsError(_("Write a few words."))
    with transaction.atomic():
        locked = _lock_visit(visit)
        if locked.status != Status.HELD:
            raise MeetingsError(_("Feedback can be given once the visit is confirmed as held."))
        if _is_participant(locked, author):
            kind = VisitFeedback.Kind.POLITICIAN
            if rating is None or not 1 <= int(rating) <= 5:
                raise MeetingsError(_("Rate how useful the visit was from 1 to 5."))
            rating = int(rating)
        elif locked.workplace_id in author.roles.led_workplace_ids:
            kind, rating = VisitFeedback.Kind.WORKPLACE, None
        else:
            raise MeetingsError(_("Only the visit's participants and the workplace's leader give feedback."))
        try:
            with transaction.atomic():
                return VisitFeedback.objects.create(visit=locked, author=author, kind=kind, text=text, rating=rating)
        except IntegrityError:
            raise MeetingsError(_("You have already given feedback on this visit.")) from None


# --- The waiting list ----------------------------------------------------------------------------
# Locks: the slots first (by key), then the waiting list's entries, as booking does (slot, settings, people, entries).


def _hold_length() -> dt.timedelta:
    return dt.timedelta(hours=settings.DIALOG_WAITLIST_HOLD_HOURS)


def _release_hold(slot_id: int | None, person_id: int) -> None:
    if slot_id is not None:
        VisitSlot.objects.filter(pk=slot_id, held_for_id=person_id).update(held_for=None, held_until=None)


def _month_is_full(slot: VisitSlot, cap: int | None) -> bool:
    if cap is None:
        return False
    visits = Visit.objects.active().filter(workplace_id=slot.workplace_id)
    if visits.filter(slot=slot).exists():
        return False
    local = timezone.localtime(slot.starts_at)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month_end = (month_start + dt.timedelta(days=32)).replace(day=1)
    return visits.filter(starts_at__gte=month_start, starts_at__lt=month_end).values("slot").distinct().count() >= cap


def waitlist_join(*, workplace: Workplace, person: User, now: dt.datetime | None = None) -> WaitlistEntry:
    """A politician from a committee responsible for the workplace asks to be told when a time opens there. Once
    per workplace while they are in line (a database constraint)."""
    _check_may_visit(workplace, person)
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(workplace=workplace, person=person, created_at=now or timezone.now())
            audit_record(actor=person, action="visit.waitlist_joined", obj=entry, data={"workplace": workplace.pk})
    except IntegrityError:
        raise MeetingsError(_("You are already on the waiting list for this workplace.")) from None
    return entry


def waitlist_leave(*, entry: WaitlistEntry, actor: User, now: dt.datetime | None = None) -> WaitlistEntry:
    """The person takes themselves off a waiting list; a time held for them goes to the next in line."""
    now = now or timezone.now()
    with transaction.atomic():
        slot_id = WaitlistEntry.objects.filter(pk=entry.pk).values_list("offered_slot_id", flat=True).first()
        list(VisitSlot.objects.select_for_update().filter(pk=slot_id).values_list("pk"))
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.person_id != actor.pk:
            raise MeetingsError(_("You can only take yourself off a waiting list."))
        if entry.status not in WaitlistEntry.IN_LINE:
            raise MeetingsError(_("You are no longer on this waiting list."))
        held = entry.offered_slot_id if entry.status == Waiting.OFFERED else None
        entry.status = Waiting.LEFT
        entry.closed_at = now
        entry.save(update_fields=["status", "closed_at"])
        audit_record(actor=actor, action="visit.waitlist_left", obj=entry, data={"workplace": entry.workplace_id})
        if held is not None:
            _release_hold(held, entry.person_id)
            _waitlist_offer_times(workplace_id=entry.workplace_id, slot_ids=[held], now=now)
    return entry


def _waitlist_booked(*, workplace_id: int, person: User, slot: VisitSlot, now: dt.datetime) -> None:
    """The person has booked a time at the workplace: they leave its waiting list, and a time held for them at
    another time there goes to the next in line. Inside the booking's transaction."""
    _release_hold(slot.pk, person.pk)  # the time held for them is theirs now: no longer held, whatever the list says
    entry = WaitlistEntry.objects.in_line().select_for_update().filter(workplace_id=workplace_id, person=person).first()
    if entry is None:
        return
    held = entry.offered_slot_id if entry.status == Waiting.OFFERED else None
    _release_hold(held, person.pk)
    entry.status = Waiting.BOOKED
    entry.closed_at = now
    entry.save(update_fields=["status", "closed_at"])
    audit_record(actor=person, action="visit.waitlist_booked", obj=entry, data={"slot": slot.pk})
    if held is not None and held != slot.pk:
        _waitlist_offer_times(workplace_id=workplace_id, slot_ids=[held], now=now)


def _waitlist_offer_times(*, workplace_id: int, slot_ids: list[int], now: dt.datetime | None = None) -> int:
    """Offer times that opened at a workplace (a cancellation, a new offer, a lapsed hold) to those waiting there:
    the earliest time to the first in line, the next to the second, each one place held for them for
    ``DIALOG_WAITLIST_HOLD_HOURS`` and told by e-mail (and on their dashboard). Times inside the booking notice,
    already held, full, or in a month the workplace's cap has filled are not offered. Returns how many were
    offered. Runs inside the caller's transaction."""
    now = now or timezone.now()
    if not slot_ids or not WaitlistEntry.objects.filter(workplace_id=workplace_id, status=Waiting.WAITING).exists():
        return 0
    row = _settings_row(workplace_id)
    first_day = first_day_after_notice(timezone.localtime(now).date(), row.booking_notice_days)
    locked = list(
        VisitSlot.objects.select_for_update().filter(pk__in=slot_ids, workplace_id=workplace_id).order_by("pk")
    )
    open_ids = set(VisitSlot.objects.open(now).filter(pk__in=[s.pk for s in locked]).values_list("pk", flat=True))
    candidates = sorted(
        (
            s
            for s in locked
            if s.pk in open_ids and s.day >= first_day and not s.is_held(now) and not _month_is_full(s, row.monthly_cap)
        ),
        key=lambda s: (s.starts_at, s.pk),
    )
    if not candidates:
        return 0
    line = iter(
        WaitlistEntry.objects.select_for_update()
        .filter(workplace_id=workplace_id, status=Waiting.WAITING)
        .order_by("created_at", "pk")[: len(candidates)]
    )
    offered = 0
    hold_until = now + _hold_length()
    for slot in candidates:
        entry = next(line, None)
        if entry is None:
            break
        slot.held_for_id, slot.held_until = entry.person_id, hold_until
        slot.save(update_fields=["held_for", "held_until"])
        entry.status, entry.offered_slot, entry.offered_at, entry.hold_until = Waiting.OFFERED, slot, now, hold_until
        entry.save(update_fields=["status", "offered_slot", "offered_at", "hold_until"])
        audit_record(
            actor=None, action="visit.waitlist_offered", obj=entry, data={"slot": slot.pk, "until": str(hold_until)}
        )
        outbox_enqueue(
            "meetings.visits.notifications.waitlist_offer_send",
            entry_id=entry.pk,
            slot_id=slot.pk,
            hold_until=hold_until.isoformat(),
        )
        offered += 1
    return offered


def waitlist_holds_lapse(*, now: dt.datetime | None = None) -> int:
    """Holds whose time is up: the person leaves the list (they may join again), the time goes to the next in
    line, and the person is told by e-mail through the outbox. Run by Celery beat (``visits-waitlist-lapse``).
    Returns how many holds lapsed."""
    now = now or timezone.now()
    due = list(
        WaitlistEntry.objects.filter(status=Waiting.OFFERED, hold_until__lte=now).values_list("pk", "offered_slot_id")
    )
    lapsed = 0
    for pk, slot_id in due:
        with transaction.atomic():
            list(VisitSlot.objects.select_for_update().filter(pk=slot_id).values_list("pk"))
            entry = WaitlistEntry.objects.select_for_update().filter(pk=pk, status=Waiting.OFFERED).first()
            if entry is None or entry.hold_until > now:
                continue
            entry.status = Waiting.LAPSED
            entry.closed_at = now
            entry.save(update_fields=["status", "closed_at"])
            audit_record(actor=None, action="visit.waitlist_lapsed", obj=entry, data={"slot": slot_id})
            _release_hold(slot_id, entry.person_id)
            passed_on = False
            if slot_id is not None:
                passed_on = _waitlist_offer_times(workplace_id=entry.workplace_id, slot_ids=[slot_id], now=now) > 0
            outbox_enqueue(
                "meetings.visits.notifications.waitlist_lapsed_send",
                entry_id=entry.pk,
                slot_id=slot_id,
                passed_on=passed_on,
            )
            lapsed += 1
    return lapsed


# --- Ties ------------------------------------------------------------------------------------


def workplace_tie_declare(*, person: User, workplace: Workplace, kind: str, note: str = "") -> WorkplaceTie:
    """A politician declares a tie to a workplace; it is shown to them when they book a visit there."""
    if kind not in WorkplaceTie.Kind.values:
        raise MeetingsError(_("Choose what kind of tie it is."))
    try:
        with transaction.atomic():
            return WorkplaceTie.objects.create(person=person, workplace=workplace, kind=kind, note=note.strip())
    except IntegrityError:
        raise MeetingsError(_("You have already declared this tie.")) from None


def workplace_tie_remove(*, tie: WorkplaceTie, actor: User) -> None:
    if tie.person_id != actor.pk:
        raise MeetingsError(_("You can only remove your own ties."))
    tie.delete()


# --- Calendar feed tokens ---------------------------------------------------------------------


def calendar_token_ensure(*, person: User) -> CalendarFeedToken:
    """The person's usable feed token, made on first use."""
    token = CalendarFeedToken.objects.usable().filter(person=person).first()
    if token is not None:
        return token
    try:
        with transaction.atomic():
            return CalendarFeedToken.objects.create(person=person)
    except IntegrityError:  # made at the same moment in another request
        return CalendarFeedToken.objects.usable().get(person=person)


def calendar_token_revoke(*, person: User, actor: User | None = None) -> int:
    """Stop the person's feed address from working (by the person, or by the secretariat in the admin).
    Recorded in the audit log; a revoked address never works again. Returns how many were revoked."""
    with transaction.atomic():
        tokens = list(CalendarFeedToken.objects.usable().select_for_update().filter(person=person))
        now = timezone.now()
        for token in tokens:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            audit_record(actor=actor or person, action="calendar.revoked", obj=token, data={"person": person.pk})
    return len(tokens)


def calendar_token_regenerate(*, person: User) -> CalendarFeedToken:
    """A new feed address; the old one stops working at once."""
    with transaction.atomic():
        calendar_token_revoke(person=person)
        return CalendarFeedToken.objects.create(person=person)
