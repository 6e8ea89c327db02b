"""Questions to workplaces at scale for the benchmark (``seed_scale``; see ``dialog_portal/bench/scale.py``).

About 20,000 questions at 2,000 workplaces: ten per workplace, asked by its committee's politicians over the last
year, most answered (a few with a correction), some passed on, some waiting or past the deadline. Written with bulk
inserts; the deadline is counted as the services count it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from meetings.models import Question, QuestionAnswer
from meetings.workdays import add_working_days

from .bulk import aware, bulk

QUESTIONS_AT_FULL = 20_000
TEXTS = (
    "Hvordan går det med at skaffe uddannede medarbejdere?",
    "Hvad gør I for at nedbringe sygefraværet?",
    "Hvordan oplever I samarbejdet med de frivillige?",
    "Hvilke muligheder ser I for at bruge lokalerne om aftenen?",
)
ANSWER = "Tak for spørgsmålet. Vi arbejder med det i trioen og ser fremgang."
CORRECTION = "En rettelse: Fremgangen gælder kun det seneste halvår."


def questions(ctx) -> dict:
    total = ctx.scaled(QUESTIONS_AT_FULL)
    workplaces = ctx.ids["workplaces"]
    rows = []
    for n in range(total):
        w = workplaces[n % len(workplaces)]
        committee = ctx.maps["workplace_committee"][w]
        askers = ctx.maps["committee_politicians"][committee]
        day = ctx.today - dt.timedelta(days=(n * 7) % 365)
        state = n % 10
        status = Question.Status.ANSWERED if state < 7 else (Question.Status.PASSED_ON if state == 7 else "open")
        rows.append(
            Question(
                group=uuid.UUID(int=n + 1),
                committee_id=committee,
                workplace_id=w,
                asked_by_id=askers[n % len(askers)],
                text=TEXTS[n % len(TEXTS)],
                asked_at=aware(day, dt.time(9)),
                deadline=add_working_days(day, 10),
                status=status,
                answered_at=aware(day + dt.timedelta(days=3), dt.time(14)) if state < 7 else None,
                passed_to_name="Centerchef Birthe Dalgaard" if state == 7 else "",
                passed_to_email="birthe.dalgaard@dalby.example" if state == 7 else "",
                passed_by_id=ctx.maps["leader_of"][w] if state == 7 else None,
                passed_at=aware(day + dt.timedelta(days=2), dt.time(14)) if state == 7 else None,
            )
        )
    asked = bulk(Question, rows)
    answers = []
    for n, question in enumerate(asked):
        if question.status != Question.Status.ANSWERED:
            continue
        leader = ctx.maps["leader_of"][question.workplace_id]
        texts = [ANSWER] + ([CORRECTION] if n % 20 == 0 else [])
        answers += [
            QuestionAnswer(
                question_id=question.pk,
                number=number,
                text=text,
                author_id=leader,
                written_at=question.answered_at + dt.timedelta(hours=2 * (number - 1)),
            )
            for number, text in enumerate(texts, start=1)
        ]
    bulk(QuestionAnswer, answers)
    return {"questions": len(asked), "answers to questions": len(answers)}
