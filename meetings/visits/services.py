"""Writes for workplace visits: one service per change, each a transaction on locked rows.

Locking order, the same everywhere so two bookings never wait on each other in a circle:
the visit, then slots by primary key, then the workplace's visit settings, then people by primary key.
Capacity is also guarded by the database (``booked_count <= capacity``), updated with F().
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from codex.gate import codex_gate_refusal, codex_gate_refusal_for_colleague
from core import dates
from core.audit import audit_record
from core.outbox import outbox_enqueue

from ..errors import MeetingsError
from ..models import (
    Blackout,
    CalendarFeedToken,
    CommitteeMembership,
    User,
    Visit,
    VisitEvent,
    VisitFeedback,
    VisitOffer,
    VisitParticipant,
    VisitSettings,
    VisitSlot,
    Workplace,
    WorkplaceTie,
)
from ..models.visits import MAX_POLITICIANS_PER_SLOT
from .notifications import visit_notice_kwargs
from .slots import MAX_WEEKLY_SPAN, OfferTerms, OfferTimes, SingleTime, WeeklyTimes

Status = Visit.Status
Action = VisitEvent.Action


def _local(moment: dt.datetime) -> str:
    return dates.when(moment, "datetime")


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
    *, workplace: Workplace, actor: User, auto_confirm: bool, monthly_cap: int | None
) -> VisitSettings:
    """Whether bookings are confirmed automatically, and an optional cap of visits a month.
    Confirming automatically is confirming in advance, so it is behind the codex gate; turning it off is not."""
    _require_leader(actor, workplace)
    if auto_confirm:
        _require_codex_signed(actor)
    if monthly_cap is not None and monthly_cap < 1:
        raise MeetingsError(_("A monthly limit must be at least 1, or left empty."))
    settings_row, _created = VisitSettings.objects.update_or_create(
        workplace=workplace, defaults={"auto_confirm": auto_confirm, "monthly_cap": monthly_cap}
    )
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


def _check_slot_open(slot: VisitSlot, *, seats: int, now: dt.datetime) -> None:
    if slot.cancelled or not slot.offer.active:
        raise MeetingsError(_("This time is no longer offered."))
    if slot.starts_at <= now:
        raise MeetingsError(_("This time has passed. Choose a time in the future."))
    if Blackout.objects.filter(workplace_id=slot.workplace_id).covering(slot.day).exists():
        raise MeetingsError(_("The workplace is closed on that day. Choose another time."))
    free = slot.capacity - slot.booked_count
    if seats > free:
        if free <= 0:
            raise MeetingsError(_("This time is fully booked. Choose another time."))
        raise MeetingsError(_("Only %(free)s place is left at this time.") % {"free": free})


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

    Refuses past, cancelled, full and blacked-out times, a month over the workplace's cap, and
    anyone who already has a visit at that time. A declared tie must have been seen. The booker and the
    colleague must both have signed the codex in force (the gate).
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
        _check_slot_open(slot, seats=len(people), now=now)
        _check_monthly_cap(slot)
        _lock_and_check_overlap(people, slot)
        VisitSlot.objects.filter(pk=slot.pk).update(booked_count=F("booked_count") + len(people))
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
    return visit


def visit_cancel(*, visit: Visit, actor: User, reason: str = "", now: dt.datetime | None = None) -> Visit:
    """A participant cancels their booking; the leader, or the secretariat (from the admin), cancels a visit with a
    reason. Everyone else involved is told; the places become free again. A visit is cancelled, never deleted."""
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
        _release(visit)
        visit.status = Status.CANCELLED
        visit.sequence += 1
        visit.save(update_fields=["status", "sequence"])
        event = _event(visit, actor=actor, action=Action.CANCELLED, from_status=from_status, note=reason)
        _after_commit(visit, "cancelled", actor=actor, event=event)
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
        _check_slot_open(new_slot, seats=visit.seats, now=now)
        _check_monthly_cap(new_slot, exclude=visit)
        people = list(User.objects.filter(visit_participations__visit=visit))
        _lock_and_check_overlap(people, new_slot, exclude=visit)
        old_start = visit.starts_at
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
    return visit


def visit_hold(*, visit: Visit, actor: User | None = None, now: dt.datetime | None = None) -> Visit:
    """Record that a confirmed visit has taken place (once its time is over)."""
    with transaction.atomic():
        visit = _lock_visit(visit)
        if visit.status == Status.HELD:
            return visit
        if visit.status != Status.CONFIRMED or visit.ends_at > (now or timezone.now()):
            raise MeetingsError(_("Only a confirmed visit whose time is over can be marked as held."))
        visit.status = Status.HELD
        visit.save(update_fields=["status"])
        _event(visit, actor=actor, action=Action.HELD, from_status=Status.CONFIRMED)
    return visit


def visits_hold_past(*, now: dt.datetime | None = None) -> int:
    """Mark every confirmed visit whose time is over as held; run daily."""
    now = now or timezone.now()
    pks = list(Visit.objects.filter(status=Status.CONFIRMED, ends_at__lte=now).values_list("pk", flat=True))
    for pk in pks:
        visit_hold(visit=Visit(pk=pk), now=now)
    return len(pks)


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
        if locked.status == Status.CONFIRMED and locked.ends_at <= now:
            locked = visit_hold(visit=locked, actor=None, now=now)
        if locked.status != Status.HELD:
            raise MeetingsError(_("Feedback can be given once the visit has taken place."))
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
