"""The hearings' demo step for ``seed_demo``: for every committee a handful of matters in different states (open,
answered with an accepted presentation, no comments, late, ready after the deadline, decided and public), made
through the real services with the days moved back where a state needs the past. The demo tells nobody: its notices
are marked delivered before they leave. Run again, it adds nothing for a committee that has its demo matters."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.models import OutboxMessage
from meetings.hearings import services
from meetings.models import Committee, CommitteeMembership, Matter, MeetingDate, User, Workplace, WorkplaceRole
from meetings.workdays import add_working_days

CASE_PREFIX = "DEMO-"
SUMMARY = (
    "Forvaltningen foreslår at samle **to arbejdspladsers** administration ét sted.\n\n"
    "- Hvad betyder det for borgerne?\n- Hvad betyder det for medarbejderne?\n\n"
    "Udvalget behandler sagen på mødet og vil gerne høre arbejdspladserne først."
)
RESPONSE = (
    "Vi kan se fordelene ved forslaget, men beder om en overgangsperiode, så borgerne ikke mærker skiftet. "
    "Trioen er enig."
)


def _leader(workplace: Workplace) -> User | None:
    role = WorkplaceRole.objects.current().filter(workplace=workplace, role="leader").select_related("user").first()
    return role.user if role else None


def _chair(committee: Committee) -> User | None:
    seat = (
        CommitteeMembership.objects.current().filter(committee=committee, role="chair").select_related("user").first()
    )
    return seat.user if seat else None


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def seed_hearings(*, stdout=None, demo=None, **kwargs) -> list[str]:
    today = getattr(demo, "today", None) or timezone.localdate()
    admin = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if admin is None:
        return ["Hearings: no administrator yet; run the organisation step first."]
    if stdout:
        stdout.write("Seeding hearings …")
    made = 0
    with transaction.atomic():
        first_outbox = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        decide_later = []
        for committee in Committee.objects.active().order_by("name"):
            if Matter.objects.filter(committee=committee, case_number__startswith=CASE_PREFIX).exists():
                continue
            led = [(w, _leader(w)) for w in Workplace.objects.active().under(committee).order_by("name")]
            led = [(w, leader) for w, leader in led if leader is not None][:2]
            coming = list(MeetingDate.objects.filter(committee=committee, date__gt=today + dt.timedelta(days=30)))
            past = list(MeetingDate.objects.filter(committee=committee, date__lt=today - dt.timedelta(days=7)))
            if len(led) < 2 or not coming:
                continue
            made += _committee_matters(
                committee, admin, led, coming[0], past[-1] if past else None, today, decide_later
            )
        # The reminders and the secretariat's notice run as the daily jobs would have.
        services.hearing_reminders_send(today=today)
        services.hearing_deadlines_notice(today=today)
        for matter in decide_later:
            services.matter_decide(
                matter=matter,
                actor=admin,
                decision="Udvalget vedtog forslaget med den overgangsperiode, arbejdspladserne bad om.",
                is_public=True,
            )
        OutboxMessage.objects.filter(pk__gt=first_outbox, handler__startswith="meetings.hearings.").update(
            delivered_at=timezone.now()
        )
    return [f"Hearings: {made} demo matters, {Matter.objects.count()} in all."]


def _committee_matters(committee, admin, led, coming, past, today, decide_later) -> int:
    (first, first_leader), (second, second_leader) = led

    def register(title, *, day=today, meeting=coming, deadline=None, **extra):
        return services.matter_register(
            actor=admin,
            committee=committee,
            meeting_date=meeting,
            title=title,
            summary=SUMMARY,
            case_number=f"{CASE_PREFIX}{committee.pk}-{title[:12]}",
            workplaces=[first, second],
            deadline=deadline or add_working_days(day, services.hearing_working_days()),
            today=day,
            **extra,
        )

    def answer(matter, workplace, leader, *, text=RESPONSE, now=None):
        hearing = matter.hearings.get(workplace=workplace)
        if text:
            services.hearing_draft_save(hearing=hearing, actor=leader, text=text)
        return services.hearing_respond(hearing=hearing, actor=leader, no_comments=not text, now=now)

    made = 0
    # Open: nobody has answered yet.
    register("Nye åbningstider i weekenden")
    made += 1
    # Answered, with a presentation the chair has accepted.
    matter = register("Fælles administration i området")
    answer(matter, first, first_leader)
    hearing = matter.hearings.get(workplace=first)
    presentation = services.presentation_request(
        hearing=hearing, actor=first_leader, note="Hvordan overgangen kan blive tryg for borgerne."
    )
    chair = _chair(committee)
    if chair is not None:
        services.presentation_accept(presentation=presentation, actor=chair, at=dt.time(16, 30))
    made += 1
    # No comments from either workplace: ready for the committee.
    matter = register("Ny affaldsordning")
    answer(matter, first, first_leader, text="")
    answer(matter, second, second_leader, text="")
    made += 1
    # Late: the deadline has passed; one answered after it, the other not (ready after the reminder).
    started = today - dt.timedelta(days=30)
    matter = register("Flytning af kørselsordningen", day=started, deadline=add_working_days(started, 10))
    answer(matter, first, first_leader, now=_at(matter.deadline + dt.timedelta(days=2)))
    made += 1
    # Decided and public, after a meeting that was held.
    if past is not None:
        started = past.date - dt.timedelta(days=40)
        matter = register(
            "Sammenlægning af to køkkener", day=started, meeting=past, deadline=add_working_days(started, 12)
        )
        answer(matter, first, first_leader, now=_at(matter.deadline - dt.timedelta(days=1)))
        answer(matter, second, second_leader, text="", now=_at(matter.deadline - dt.timedelta(days=1)))
        decide_later.append(matter)
        made += 1
    return made
