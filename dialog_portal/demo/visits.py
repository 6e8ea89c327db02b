"""Demo data for workplace visits: weekly visit times in the coming weeks at many workplaces, and visits in every
state – requested, confirmed, held (confirmed by the leader) with feedback from both sides and mirror answers, one
over but unconfirmed, one that did not take place, declined, cancelled and moved.

Everything goes through the visit services (``meetings.visits.services``) and the codex's mirror service, so the
events, the audit log and the slot counters are what the portal itself writes. Visits in the past are booked with
the service's ``now`` set to a moment before them, as if the politicians had booked them then. Only people who have
signed the codex take part (the demo politician login has not: the tour shows the gate). The demo tells nobody: its
notices are marked delivered before they leave.

Idempotent: a workplace that has weekly visit times gets none again, and a scene is played only at a workplace with
no visits yet. The summary reports the totals in the database, not what this run added."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from codex.errors import CodexError
from codex.gate import codex_gate_refusal
from codex.models import MirrorQuestion
from codex.services import mirror_answers_record
from core.models import OutboxMessage
from meetings.errors import MeetingsError
from meetings.models import (
    Blackout,
    CommitteeMembership,
    User,
    Visit,
    VisitOffer,
    VisitSlot,
    Workplace,
    WorkplaceRole,
)
from meetings.visits import services
from meetings.visits.slots import OfferTerms, SingleTime, WeeklyTimes
from meetings.workdays import is_working_day

from .organisation import DEMO_SCHOOL, LOGIN_CHAIR

# Weekly visit times for the next six weeks at two of every three workplaces (the rest offer none yet).
WEEKS_AHEAD = 6
OFFER_EVERY = 3
TOPICS = "Vi viser hverdagen, som den er, og fortæller gerne om det, der lykkes – og det, der driller."
PRACTICAL = "Mød op i receptionen. Der er parkering ved hovedindgangen."

PURPOSES = (
    "Jeg vil gerne se, hvordan I arbejder med de nye rammer, og høre, hvad I selv mener virker.",
    "Jeg vil gerne forstå jeres hverdag bedre, før udvalget drøfter næste års budget.",
    "Jeg har hørt om jeres samarbejde med de andre arbejdspladser i området og vil gerne se det.",
)
POLITICIAN_FEEDBACK = (
    "Et åbent og ærligt besøg. Medarbejderne fortalte både om det, der lykkes, og om det, der er svært. "
    "Jeg tager ventetiderne med til udvalget."
)
WORKPLACE_FEEDBACK = (
    "Godt at politikerne tog sig tid til at se hverdagen. Medarbejderne oplevede, at de blev lyttet til."
)
DECLINE_REASON = "Den dag har vi personalemøde hele eftermiddagen. Vælg gerne en anden tid."
CANCEL_REASON = "Jeg er blevet indkaldt til et ekstraordinært byrådsmøde."


@dataclass(frozen=True)
class Scene:
    """One visit's story at one workplace: ``days`` from today (negative: it has taken place) and what happens."""

    workplace: str  # a workplace's name; the demo school's scenes come first
    days: int
    # requested | confirmed | held | held_feedback | unconfirmed | no_show | declined | cancelled | moved
    story: str
    booker: int = 0  # which of the committee's signed politicians books (the chair first)


SCENES = (
    Scene(DEMO_SCHOOL, -42, "held_feedback"),
    Scene(DEMO_SCHOOL, 9, "requested", booker=1),
    Scene(DEMO_SCHOOL, 16, "confirmed", booker=2),
    Scene("Engskolen", -20, "held", booker=0),
    Scene("Børnehuset Regnbuen", -27, "held_feedback", booker=3),
    Scene("Plejecenter Lindegården", -35, "held_feedback"),
    Scene("Jobcenter Dalby", -14, "held_feedback", booker=1),
    Scene("Bostedet Skovbrynet", -49, "held_feedback", booker=2),
    Scene("Dalby Bibliotek", -21, "held_feedback", booker=1),
    Scene("Kystskolen", 10, "confirmed", booker=3),
    Scene("Plejecenter Egehaven", 8, "requested", booker=2),
    Scene("Integrationshuset", 12, "confirmed", booker=2),
    Scene("Engskolen", 11, "declined", booker=4),
    Scene("Sundhedscenter Dalby", 15, "cancelled", booker=3),
    Scene("Dalby Musikskole", 9, "moved", booker=0),
    # Over, but nobody has said yet whether it took place: shown as unconfirmed and not counted as contact.
    Scene("Bakkeskolen", -6, "unconfirmed", booker=1),
    # The politician never came: recorded by the leader, not counted as contact.
    Scene("Plejecenter Lindegården", -63, "no_show", booker=1),
)
NO_SHOW_NOTE = "Politikeren kom ikke, og vi hørte ikke noget. Vi tilbyder gerne en ny tid."


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _leader(workplace: Workplace) -> User | None:
    role = WorkplaceRole.objects.current().filter(workplace=workplace, role=WorkplaceRole.Role.LEADER).first()
    return role.user if role else None


def _signed(person: User | None) -> bool:
    return person is not None and not codex_gate_refusal(person)


def _politicians(workplace: Workplace) -> list[User]:
    """The signed politicians of the workplace's committees, the demo chair first, then in a fixed order."""
    memberships = (
        CommitteeMembership.objects.current()
        .filter(committee__in=workplace.committees.filter(is_active=True))
        .select_related("user")
        .order_by("committee__name", "pk")
    )
    people = list(dict.fromkeys(m.user for m in memberships))
    people.sort(key=lambda p: p.email != LOGIN_CHAIR)
    return [p for p in people if _signed(p)]


def _open_day(workplace: Workplace, day: dt.date, *, step: int) -> dt.date:
    """The nearest working day from ``day`` (moving by ``step``) on which the workplace is open: no weekend,
    holiday (``meetings.workdays``) or blackout, where a visit cannot be booked."""
    while not is_working_day(day) or Blackout.objects.filter(workplace=workplace).covering(day).exists():
        day += dt.timedelta(days=step)
    return day


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=_tz())


def _weekly_offers(today: dt.date, now: dt.datetime) -> None:
    workplaces = Workplace.objects.active().filter(committees__is_active=True).distinct().order_by("name")
    for index, workplace in enumerate(workplaces):
        if workplace.name != DEMO_SCHOOL and index % OFFER_EVERY == OFFER_EVERY - 1:
            continue
        if VisitOffer.objects.filter(workplace=workplace, kind=VisitOffer.Kind.WEEKLY).exists():
            continue
        leader = _leader(workplace)
        if not _signed(leader):
            continue  # a leader who has not signed the codex cannot offer times (the gate)
        times = WeeklyTimes(
            weekday=1 + index % 5,
            start_time=dt.time(9, 0) if index % 2 else dt.time(13, 0),
            end_time=dt.time(11, 0) if index % 2 else dt.time(15, 0),
            first_day=today + dt.timedelta(days=1),
            last_day=today + dt.timedelta(weeks=WEEKS_AHEAD),
        )
        terms = OfferTerms(slot_minutes=60, max_politicians=2 + index % 3, topics=TOPICS, practical_notes=PRACTICAL)
        services.visit_offer_create(workplace=workplace, actor=leader, times=times, terms=terms, now=now)


def _future_slots(workplace: Workplace, day: dt.date, now: dt.datetime) -> list[VisitSlot]:
    return list(VisitSlot.objects.filter(workplace=workplace, day__gte=day).open(now=now).order_by("starts_at"))


def _single_slot(workplace: Workplace, leader: User, start: dt.datetime, *, offered_at: dt.datetime) -> VisitSlot:
    offer = services.visit_offer_create(
        workplace=workplace,
        actor=leader,
        times=SingleTime(starts_at=start, ends_at=start + dt.timedelta(hours=1)),
        terms=OfferTerms(slot_minutes=60, max_politicians=2, topics=TOPICS, practical_notes=PRACTICAL),
        now=offered_at,
    )
    return offer.slots.get()


def _play(
    scene: Scene, index: int, workplace: Workplace, today: dt.date, now: dt.datetime, questions: list[MirrorQuestion]
) -> bool:
    leader = _leader(workplace)
    people = _politicians(workplace)
    if not _signed(leader) or not people:
        return False
    booker = people[scene.booker % len(people)]
    purpose = PURPOSES[index % len(PURPOSES)]
    if scene.days < 0:
        # A visit that has taken place: offered and booked three weeks before, confirmed the day after booking.
        day = _open_day(workplace, today + dt.timedelta(days=scene.days), step=-1)
        start = _at(day, 10)
        booked_at = start - dt.timedelta(weeks=3)
        slot = _single_slot(workplace, leader, start, offered_at=booked_at - dt.timedelta(days=1))
        visit = services.visit_book(slot=slot, booker=booker, purpose=purpose, now=booked_at, tie_seen=True)
        services.visit_confirm(visit=visit, actor=leader, now=booked_at + dt.timedelta(days=1))
        if scene.story == "no_show":
            services.visit_outcome_record(visit=visit, actor=leader, outcome="no_show", note=NO_SHOW_NOTE, now=now)
        elif scene.story != "unconfirmed":  # the leader confirms that it took place
            services.visit_outcome_record(visit=visit, actor=leader, outcome="held", now=now)
        if scene.story == "held_feedback":
            services.visit_feedback_give(visit=visit, author=booker, text=POLITICIAN_FEEDBACK, rating=4 + index % 2)
            services.visit_feedback_give(visit=visit, author=leader, text=WORKPLACE_FEEDBACK)
            for n, person in enumerate((booker, leader)):
                scores = {q.pk: 3 + (n + q.order + index) % 3 for q in questions}
                if scores:
                    mirror_answers_record(person=person, occasion_key=f"visit:{visit.pk}", scores=scores)
        return True
    day = _open_day(workplace, today + dt.timedelta(days=scene.days), step=1)
    slots = _future_slots(workplace, day, now)
    if len(slots) < 2:
        slots = [_single_slot(workplace, leader, _at(day, 10), offered_at=now), *slots]
        if len(slots) < 2:
            slots.append(_single_slot(workplace, leader, _at(day, 13), offered_at=now))
    visit = services.visit_book(slot=slots[0], booker=booker, purpose=purpose, now=now, tie_seen=True)
    if scene.story == "confirmed":
        services.visit_confirm(visit=visit, actor=leader, now=now)
    elif scene.story == "declined":
        services.visit_decline(visit=visit, actor=leader, reason=DECLINE_REASON)
    elif scene.story == "cancelled":
        services.visit_confirm(visit=visit, actor=leader, now=now)
        services.visit_cancel(visit=visit, actor=booker, reason=CANCEL_REASON, now=now)
    elif scene.story == "moved":
        services.visit_confirm(visit=visit, actor=leader, now=now)
        services.visit_move(visit=visit, actor=booker, slot=slots[-1], now=now)
    return True


def visit_totals(now: dt.datetime | None = None) -> str:
    """The visits in the database, in words: what the summary prints."""
    now = now or timezone.now()
    by_status = Counter(Visit.objects.values_list("status", flat=True))
    states = ", ".join(f"{by_status[status]} {status}" for status in Visit.Status.values if by_status[status])
    offering = VisitOffer.objects.filter(active=True, slots__starts_at__gt=now).values("workplace").distinct().count()
    free = VisitSlot.objects.open(now=now).count()
    return (
        f"Visits: {offering} workplaces offer times ({free} free times to come), "
        f"{sum(by_status.values())} visits ({states or 'none'})."
    )


def seed_visits(*, stdout=None, demo=None, **kwargs) -> list[str]:
    """Visit times at many workplaces and visits in every state. Idempotent; returns the summary line."""
    today = getattr(demo, "today", None) or timezone.localdate()
    now = timezone.now()
    if stdout:
        stdout.write("Seeding workplace visits …")
    played = 0
    offers_before = VisitOffer.objects.count()
    with transaction.atomic():
        first_outbox = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        _weekly_offers(today, now)
        questions = list(MirrorQuestion.objects.active())
        workplaces = {w.name: w for w in Workplace.objects.filter(name__in={s.workplace for s in SCENES})}
        # A workplace's scenes are played once: at a workplace that has no visits yet.
        fresh = {name for name, w in workplaces.items() if not Visit.objects.filter(workplace=w).exists()}
        for index, scene in enumerate(SCENES):
            if scene.workplace not in fresh or not workplaces[scene.workplace].is_active:
                continue
            try:
                with transaction.atomic():  # a scene the calendar does not allow today is left out whole
                    played += _play(scene, index, workplaces[scene.workplace], today, now, questions)
            except (MeetingsError, CodexError):
                continue
        # The demo e-mails nobody: its notices count as delivered.
        OutboxMessage.objects.filter(pk__gt=first_outbox, handler__startswith="meetings.visits.").update(
            delivered_at=timezone.now()
        )
    offers = VisitOffer.objects.count() - offers_before
    if demo is not None and hasattr(demo, "tally"):
        if offers:
            demo.tally["created", VisitOffer._meta.label] += offers
        if played:
            demo.tally["created", Visit._meta.label] += played
    return [visit_totals(now)]
