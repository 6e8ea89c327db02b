"""E-mails about questions to a workplace; the outbox calls these after commit.

- ``question_asked_send``: the workplace's leader is told at once, with the deadline (a task for them).
- ``question_reminder_send``: before the deadline, the leader of a question still waiting.
- ``question_answered_send``: the asker at once.
- ``question_passed_on_send``: the head of centre at once.

The rest of the committee (and on a pass-on the asker too) hears through ``committee_notice``, which the services
call inside their transaction: the notices API (``meetings/notices.py``) on the channel ``questions``, by each
person's choice of an e-mail at once, the weekly digest (the default) or nothing.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.mail import send_templated_mail
from meetings.models import CommitteeMembership, Question, QuestionAnswer, User, WorkplaceRole
from meetings.notices import notice_send

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


def committee_notice(*, question: Question, kind: str, text: str, skip: frozenset[int] = frozenset()) -> int:
    """Tell the committee's members (but ``skip``) that a question was answered (``kind`` "answered") or passed on
    ("passed_on"), by their choice for the channel ``questions``. Call inside the service's transaction."""
    workplace = question.workplace.name
    if kind == "answered":
        title = format_lazy(_("{workplace} has answered a question from the committee"), workplace=workplace)
    else:
        title = format_lazy(
            _("The question to {workplace} is passed on to {name}"), workplace=workplace, name=question.passed_to_name
        )
    people = [p for p in _committee(question.committee_id) if p.pk not in skip]
    for person in people:
        notice_send(person=person, channel=CHANNEL, title=title, text=text[:300], url=question.get_absolute_url())
    return len(people)


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
    return _send("answered", asker, question=question, answer=answer)


def question_passed_on_send(*, question_id: int) -> int:
    question = _load(question_id)
    if question is None or question.status == Question.Status.OPEN:
        return 0
    send_templated_mail(
        EMAIL + "passed_to_head",
        to=[question.passed_to_email],
        context={"person": question.passed_to, "name": question.passed_to_name, "question": question},
    )
    return 1
