"""E-mails about questions to a workplace; the outbox calls these after commit.

- ``question_asked_send``: the workplace's leader is told at once, with the deadline (a task for them).
- ``question_reminder_send``: before the deadline, the leader of a question still waiting.
- ``question_answered_send``: the asker at once, and the rest of the committee through ``committee_notice``.
- ``question_passed_on_send``: the head of centre at once; the asker and the committee through ``committee_notice``.

``committee_notice`` is the one place the committee's notices go through, so that they can follow each person's
choice of notices (at once, a weekly digest, nothing) on the channel ``questions``.
"""

from core.mail import send_templated_mail
from meetings.models import CommitteeMembership, Question, QuestionAnswer, User, WorkplaceRole

CHANNEL = "questions"
EMAIL = "meetings/questions/email/"


def _load(question_id: int) -> Question | None:
    return Question.objects.select_related("workplace", "committee", "asked_by").filter(pk=question_id).first()


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


def _committee(committee_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, memberships__in=CommitteeMembership.objects.current().filter(committee_id=committee_id)
        )
        .distinct()
        .order_by("pk")
    )


def _send(kind: str, people, **context) -> int:
    for person in people:
        send_templated_mail(EMAIL + kind, to=[person.email], context={"person": person, **context})
    return len(people)


def committee_notice(*, question: Question, kind: str, skip: set[int] = frozenset(), **context) -> int:
    """Tell the committee's members (but ``skip``) what happened to a question: ``kind`` is "answered" or
    "passed_on". The one function to switch to the notice preferences and the weekly digest."""
    people = [p for p in _committee(question.committee_id) if p.pk not in skip]
    return _send(f"committee_{kind}", people, question=question, **context)


def question_asked_send(*, question_id: int) -> int:
    question = _load(question_id)
    if question is None:
        return 0
    return _send("asked", _leaders(question.workplace_id), question=question)


def question_reminder_send(*, question_id: int) -> int:
    question = _load(question_id)
    if question is None or question.status != Question.Status.OPEN:
        return 0
    return _send("reminder", _leaders(question.workplace_id), question=question)


def question_answered_send(*, answer_id: int) -> int:
    answer = (
        QuestionAnswer.objects.select_related("question__workplace", "question__committee", "question__asked_by")
        .filter(pk=answer_id)
        .first()
    )
    if answer is None:
        return 0
    question = answer.question
    asker = [question.asked_by] if question.asked_by.is_active else []
    sent = _send("answered", asker, question=question, answer=answer)
    return sent + committee_notice(question=question, kind="answered", skip={question.asked_by_id}, answer=answer)


def question_passed_on_send(*, question_id: int) -> int:
    question = _load(question_id)
    if question is None or question.status == Question.Status.OPEN:
        return 0
    send_templated_mail(
        EMAIL + "passed_to_head",
        to=[question.passed_to_email],
        context={"person": question.passed_to, "name": question.passed_to_name, "question": question},
    )
    return 1 + committee_notice(question=question, kind="passed_on")
