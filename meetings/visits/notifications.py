"""E-mails about visits; the outbox calls :func:`visit_mail_send` after commit.

A notice is rendered from the change that caused it (see :func:`visit_notice_kwargs`), not from the visit as it is
when the worker gets to it.

The politicians booked get the visit as a calendar invitation (REQUEST while it is on, CANCEL once it is declined or
cancelled) addressed to each of them, with the visit's UID and calendar revision, so their mail client updates the
entry it has. Whoever made the change gets the invitation too when they hold one (a politician moving or cancelling
their own visit): their calendar must not keep the old time."""

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core import dates
from core.mail import CalendarPart, recipient_language, send_templated_mail

from ..models import User, Visit, VisitEvent, VisitParticipant, VisitSlot, WaitlistEntry, WorkplaceRole
from .ical import invitation_method, visit_invitation

# Who hears about what. "participants" are the politicians booked; "leaders" lead the workplace.
_PLAN = {
    "booked": [("participants", "visit_booked"), ("leaders", "visit_request")],
    "confirmed": [("participants", "visit_confirmed")],
    "declined": [("participants", "visit_declined")],
    "cancelled": [("participants", "visit_cancelled"), ("leaders", "visit_cancelled")],
    "moved": [("participants", "visit_moved"), ("leaders", "visit_request")],
}
KINDS = frozenset(_PLAN)


def _load(visit_id: int) -> Visit | None:
    return (
        Visit.objects.select_related("workplace", "slot__offer", "booked_by")
        .prefetch_related(Prefetch("participants", queryset=VisitParticipant.objects.select_related("person")))
        .filter(pk=visit_id)
        .first()
    )


def _leaders(workplace_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            workplace_roles__in=WorkplaceRole.objects.current().filter(
                workplace_id=workplace_id, role=WorkplaceRole.Role.LEADER
            ),
        )
        .distinct()
        .order_by("pk")
    )


def visit_notice_kwargs(visit: Visit, kind: str, *, actor: User | None, event: VisitEvent) -> dict:
    """The outbox arguments of a visit notice, fixed when it is queued (inside the change's transaction): the
    event, the visit's time, status and calendar revision after it, and who was involved then. A notice the worker
    sends an hour late, after the visit moved again, still tells this change, to these people."""
    return {
        "visit_id": visit.pk,
        "kind": kind,
        "actor_id": actor.pk if actor else None,
        "event_id": event.pk,
        "status": visit.status,
        "starts_at": visit.starts_at.isoformat(),
        "ends_at": visit.ends_at.isoformat(),
        "sequence": visit.sequence,
        "participant_ids": sorted(visit.participants.values_list("person_id", flat=True)),
        "leader_ids": [p.pk for p in _leaders(visit.workplace_id)],
    }


def _as_queued(visit: Visit, *, status: str, starts_at: str, ends_at: str, sequence: int) -> Visit:
    """The visit as it was when the notice was queued, for the e-mail and its calendar entry (never saved). The
    calendar entry carries that moment's revision, so a calendar that already has a newer one ignores it."""
    visit.current_sequence = visit.sequence
    visit.status = status
    visit.starts_at = dt.datetime.fromisoformat(starts_at)
    visit.ends_at = dt.datetime.fromisoformat(ends_at)
    visit.sequence = sequence
    return visit


def visit_mail_send(
    *,
    visit_id: int,
    kind: str,
    actor_id: int | None = None,
    event_id: int | None = None,
    status: str | None = None,
    starts_at: str | None = None,
    ends_at: str | None = None,
    sequence: int | None = None,
    participant_ids: list[int] | None = None,
    leader_ids: list[int] | None = None,
) -> int:
    """Tell the people involved about a change to a visit, the politicians booked with a calendar invitation. The
    person who made the change is not told about it, unless they are booked (their calendar needs the update).
    Returns the number of e-mails sent.

    Messages queued before notices carried their event (only ``visit_id``, ``kind``, ``actor_id``) still deliver:
    they tell the visit as it is now, to the people involved now, as they always did."""
    visit = _load(visit_id)
    if visit is None or kind not in _PLAN:
        return 0
    queued = event_id is not None
    event = VisitEvent.objects.filter(pk=event_id, visit=visit).first() if queued else None
    if queued:
        visit = _as_queued(visit, status=status, starts_at=starts_at, ends_at=ends_at, sequence=sequence)
        people = {p.pk: p for p in User.objects.filter(pk__in=[*participant_ids, *leader_ids])}
        participants = [people[pk] for pk in participant_ids if pk in people and people[pk].is_active]
        leaders = [people[pk] for pk in leader_ids if pk in people and people[pk].is_active]
        note = event.note if event is not None else ""
    else:
        participants = [p.person for p in visit.participants.all() if p.person.is_active]
        leaders = _leaders(visit.workplace_id)
        note = visit.events.order_by("-created_at", "-pk").values_list("note", flat=True).first() or ""
    base = settings.PORTAL_BASE_URL
    context = {
        "visit": visit,
        "participants": participants,
        "visit_url": f"{base}{visit.get_absolute_url()}",
        "confirm_url": f"{base}{reverse('meetings:visit-confirm', args=[visit.pk])}",
        "decline_url": f"{base}{reverse('meetings:visit-decline', args=[visit.pk])}",
        "last_note": note,
        "changed_since": queued and getattr(visit, "current_sequence", visit.sequence) > visit.sequence,
    }
    sent = 0
    for audience, template in _PLAN[kind]:
        invited = audience == "participants"
        people = participants if invited else leaders
        for person in people:
            # The one who made the change knows of it; a politician among those booked still gets the calendar
            # update, or their calendar keeps the entry as it was.
            if person.pk == actor_id and kind != "booked" and not invited:
                continue
            calendar = None
            if invited:
                content = visit_invitation(visit, person)
                calendar = CalendarPart(invitation_method(visit), content, filename="besoeg.ics")
            send_templated_mail(
                f"meetings/email/{template}",
                to=[person.email],
                context={**context, "person": person},
                calendar=calendar,
            )
            sent += 1
    return sent


def waitlist_offer_send(*, entry_id: int, slot_id: int, hold_until: str) -> int:
    """Tell the first on a waiting list that a time has opened and is held for them until ``hold_until``. Nothing
    is sent when they have left the list or booked meanwhile, or the hold has moved on."""
    entry = WaitlistEntry.objects.select_related("person", "workplace").filter(pk=entry_id).first()
    slot = VisitSlot.objects.select_related("offer").filter(pk=slot_id).first()
    if entry is None or slot is None or not entry.person.is_active:
        return 0
    if entry.status != WaitlistEntry.Status.OFFERED or entry.offered_slot_id != slot.pk:
        return 0
    base = settings.PORTAL_BASE_URL
    send_templated_mail(
        "meetings/email/visit_waitlist_offer",
        to=[entry.person.email],
        context={
            "person": entry.person,
            "workplace": entry.workplace,
            "slot": slot,
            "hold_until": dates.when(dt.datetime.fromisoformat(hold_until), "datetime"),
            "book_url": f"{base}{reverse('meetings:visit-create', args=[slot.pk])}",
            "waitlist_url": f"{base}{reverse('meetings:waitlist-list')}",
        },
    )
    return 1


def waitlist_lapsed_send(*, entry_id: int, slot_id: int | None, passed_on: bool) -> int:
    """Tell a person whose hold lapsed that the time went to the next in line (or is open to all again, when no one
    was waiting) and that they may join the list again. Nothing is sent when the entry is gone or the person is no
    longer active."""
    entry = WaitlistEntry.objects.select_related("person", "workplace").filter(pk=entry_id).first()
    if entry is None or entry.status != WaitlistEntry.Status.LAPSED or not entry.person.is_active:
        return 0
    slot = VisitSlot.objects.filter(pk=slot_id).first() if slot_id is not None else None
    base = settings.PORTAL_BASE_URL
    send_templated_mail(
        "meetings/email/visit_waitlist_lapsed",
        to=[entry.person.email],
        context={
            "person": entry.person,
            "workplace": entry.workplace,
            "slot": slot,
            "passed_on": passed_on,
            "times_url": f"{base}{reverse('meetings:visit-slot-list', args=[entry.workplace.slug])}",
            "waitlist_url": f"{base}{reverse('meetings:waitlist-list')}",
        },
    )
    return 1


def visit_outcome_reminder_send(*, visit_id: int, reminder: int = 1) -> int:
    """Ask the workplace's leaders and the politicians on a visit that is over to confirm what happened. Nothing is
    sent when someone has confirmed it meanwhile."""
    visit = _load(visit_id)
    if visit is None or visit.status != Visit.Status.CONFIRMED:
        return 0
    people = {p.person.pk: p.person for p in visit.participants.all() if p.person.is_active}
    people.update((p.pk, p) for p in _leaders(visit.workplace_id))
    link = f"{settings.PORTAL_BASE_URL}{reverse('meetings:visit-outcome', args=[visit.pk])}"
    for person in people.values():
        with translation.override(recipient_language([person.email], {"person": person})):
            subject = _("Did the visit to %(workplace)s take place? Please confirm") % {
                "workplace": visit.workplace.name
            }
            lines = [
                f"{visit.workplace.name}, {dates.when(visit.starts_at, 'weekday_datetime')}",
                _(
                    "Only visits confirmed as held count as contact in the equal-access ledger, and feedback and the "
                    "mirror questions open once the visit is confirmed. Please say what happened."
                ),
            ]
            if reminder > 1:
                lines.append(_("This is the last reminder."))
            label = _("Confirm what happened")
        send_templated_mail(
            "meetings/email/meeting_notice",
            to=[person.email],
            context={
                "person": person,
                "subject": subject,
                "lines": lines,
                "link": link,
                "link_label": label,
            },
        )
    return len(people)
