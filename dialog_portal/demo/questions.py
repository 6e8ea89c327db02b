"""The questions' demo step for ``seed_demo``: for every committee a question to two workplaces in each state (open,
answered with a correction, passed on to a fictional head of centre, past the deadline), made through the real
services with the days moved back where a state needs the past. The demo tells nobody: its notices are marked
delivered before they leave. Run again, it adds nothing for a committee that has its demo questions."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.models import OutboxMessage
from meetings.models import Committee, CommitteeMembership, NoticeItem, Question, User, Workplace, WorkplaceRole
from meetings.questions import services

# The demo's questions, by the state each is left in; the first marks a committee as seeded.
OPEN = "Hvordan oplever I samarbejdet med de frivillige, og hvad kunne gøre det lettere?"
ANSWERED = "Hvad gør I for at fastholde nyuddannede medarbejdere det første år?"
PASSED_ON = "Hvorfor tager det så lang tid at få godkendt en ny stilling hos jer?"
OVERDUE = "Hvilke muligheder ser I for at bruge jeres lokaler til andet om aftenen?"
ANSWER = "Vi har en fast makker til hver nyuddannet og en samtale efter tre måneder. Det virker."
CORRECTION = "En rettelse: Samtalen holdes efter seks uger, ikke tre måneder."
HEAD = ("Centerchef Birthe Dalgaard", "birthe.dalgaard@dalby.example")


def _leader(workplace: Workplace) -> User | None:
    role = WorkplaceRole.objects.current().filter(workplace=workplace, role="leader").select_related("user").first()
    return role.user if role else None


def _politician(committee: Committee) -> User | None:
    seat = (
        CommitteeMembership.objects.current()
        .filter(committee=committee, user__is_active=True)
        .exclude(role="chair")
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return seat.user if seat else None


def seed_questions(*, stdout=None, demo=None, **kwargs) -> list[str]:
    today = getattr(demo, "today", None) or timezone.localdate()
    if stdout:
        stdout.write("Seeding questions to workplaces …")
    made = 0
    with transaction.atomic():
        first_outbox = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        first_item = NoticeItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for committee in Committee.objects.active().order_by("name"):
            if Question.objects.filter(committee=committee, text=OPEN).exists():
                continue
            asker = _politician(committee)
            led = [(w, _leader(w)) for w in Workplace.objects.active().under(committee).order_by("name")]
            led = [(w, leader) for w, leader in led if leader is not None][:2]
            if asker is None or len(led) < 2:
                continue
            made += _committee_questions(committee, asker, led, today)
        OutboxMessage.objects.filter(pk__gt=first_outbox, handler__startswith="meetings.questions.").update(
            delivered_at=timezone.now()
        )
        # ... nor in the weekly digest, nor at once for those who chose so.
        NoticeItem.objects.filter(pk__gt=first_item, channel="questions").delete()
        OutboxMessage.objects.filter(
            pk__gt=first_outbox, handler="meetings.notices.notice_mail_send", kwargs__channel="questions"
        ).update(delivered_at=timezone.now())
    return [f"Questions: {made} demo questions, {Question.objects.count()} in all."]


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _committee_questions(committee, asker, led, today) -> int:
    (first, first_leader), (second, second_leader) = led
    workplaces = [first, second]

    def ask(text, *, day=today):
        asked = services.question_ask(
            actor=asker, committee=committee, workplaces=workplaces, text=text, no_individual_case=True, today=day
        )
        Question.objects.filter(pk__in=[q.pk for q in asked]).update(asked_at=_at(day))
        return asked

    ask(OPEN)
    earlier = today - dt.timedelta(days=5)
    one, two = ask(ANSWERED, day=earlier)
    services.question_answer(question=one, actor=first_leader, text=ANSWER, now=_at(today - dt.timedelta(days=3)))
    services.question_answer(question=one, actor=first_leader, text=CORRECTION, now=_at(today - dt.timedelta(days=2)))
    services.question_answer(question=two, actor=second_leader, text=ANSWER, now=_at(today - dt.timedelta(days=1)))
    one, _two = ask(PASSED_ON, day=earlier)
    services.question_pass_on(
        question=one,
        actor=first_leader,
        name=HEAD[0],
        email=HEAD[1],
        note="Godkendelsen af stillinger ligger i centret, ikke hos os.",
    )
    ask(OVERDUE, day=today - dt.timedelta(days=30))
    return 8
