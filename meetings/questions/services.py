"""Writes for questions to a workplace: ask, answer (or correct an answer), pass on to the administration, and the
daily reminder. Each one transaction on locked rows, with an audit entry and notices through the outbox.

The rules, refused here whoever calls (a page, the admin, a task, the shell):

- Only a member of the committee asks, and only the active workplaces under it. The asker confirms that the
  question is not about an individual case; a question or an answer with something that looks like a CPR number is
  refused, nothing stored (``core.validators.cpr_numbers``). Texts are at most ``QUESTION_TEXT_MAX`` characters.
- The answer is due ``DIALOG_QUESTION_WORKING_DAYS`` working days after the question (weekends, public holidays and
  the municipality's closed days do not count; ``meetings/workdays.py``).
- The leader answers, or passes the question on to a named head of centre, who answers if they have an account.
- An answer is final: a correction is a new answer entry, the first kept. A question is never edited.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.audit import audit_record
from core.outbox import outbox_enqueue
from core.validators import control_character_message, control_characters, cpr_message, cpr_numbers
from meetings.models import QUESTION_TEXT_MAX, Committee, Question, QuestionAnswer, User, Workplace
from meetings.workdays import add_working_days

from . import permissions as can
from .errors import QuestionError
from .notifications import committee_notice

REMINDER_WORKING_DAYS = 2
NOTICES = "meetings.questions.notifications."


def question_working_days() -> int:
    return settings.DIALOG_QUESTION_WORKING_DAYS


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise QuestionError(message)


def text_check(text: str, *, what: str) -> str:
    """The cleaned text of a question or an answer, or a refusal that says what is wrong: empty, too long, an
    invisible control character, or something that looks like a CPR number."""
    text = (text or "").strip()
    _require(bool(text), _("Write the %(what)s first.") % {"what": what})
    _require(
        len(text) <= QUESTION_TEXT_MAX,
        ngettext(
            "The text is %(length)s character long; at most %(max)s are allowed. Shorten it and try again.",
            "The text is %(length)s characters long; at most %(max)s are allowed. Shorten it and try again.",
            len(text),
        )
        % {"length": len(text), "max": QUESTION_TEXT_MAX},
    )
    found = control_characters(text, line_breaks=True)
    _require(not found, control_character_message(found) if found else "")
    _require(not cpr_numbers(text), cpr_message())
    return text


def question_deadline(today: dt.date) -> dt.date:
    return add_working_days(today, question_working_days())


def question_ask(
    *,
    actor: User,
    committee: Committee,
    workplaces,
    text: str,
    no_individual_case: bool,
    today: dt.date | None = None,
) -> list[Question]:
    """A politician asks one or several of the committee's workplaces the same question: one question per workplace,
    sharing a group. The leaders are told at once; the committee sees the question on its list."""
    today = today or timezone.localdate()
    _require(can.can_ask(actor, committee), _("Only the committee's members can ask its workplaces a question."))
    text = text_check(text, what=_("question"))
    _require(
        no_individual_case,
        _("Tick the box to confirm that the question is not about an individual case or a named person."),
    )
    workplaces = list(workplaces)
    _require(bool(workplaces), _("Choose the workplaces you want to ask."))
    under = set(Workplace.objects.active().under(committee).values_list("pk", flat=True))
    outside = [w.name for w in workplaces if w.pk not in under]
    _require(
        not outside,
        _("These workplaces are not under the committee: %(names)s.") % {"names": ", ".join(sorted(outside))},
    )
    deadline = question_deadline(today)
    group = uuid.uuid4()
    with transaction.atomic():
        questions = [
            Question.objects.create(
                group=group, committee=committee, workplace=workplace, asked_by=actor, text=text, deadline=deadline
            )
            for workplace in sorted(workplaces, key=lambda w: w.name)
        ]
        for question in questions:
            audit_record(
                actor=actor,
                action="question.asked",
                obj=question,
                data={
                    "committee": committee.pk,
                    "workplace": question.workplace_id,
                    "group": str(group),
                    "deadline": deadline.isoformat(),
                },
            )
            outbox_enqueue(NOTICES + "question_asked_send", question_id=question.pk)
    return questions


def _lock(question: Question) -> Question:
    return Question.objects.select_for_update().select_related("workplace", "committee").get(pk=question.pk)


def question_answer(*, question: Question, actor: User, text: str, now: dt.datetime | None = None) -> QuestionAnswer:
    """The leader (or the head of centre the question was passed to) answers; the asker and the committee are told.
    On an answered question, the same person's text is a correction: a new answer entry, the first one kept."""
    now = now or timezone.now()
    text = text_check(text, what=_("answer"))
    with transaction.atomic():
        question = _lock(question)
        before = question.status
        correcting = before == Question.Status.ANSWERED
        if correcting:
            _require(
                can.can_correct(actor, question), _("Only the one who answered the question can correct the answer.")
            )
        else:
            _require(
                can.can_answer(actor, question),
                _("Only the workplace's leader can answer the question.")
                if question.status == Question.Status.OPEN
                else _("The question was passed on. Only the head of centre it was passed to can answer it."),
            )
        previous = question.answers.order_by("-number").first()
        answer = QuestionAnswer.objects.create(
            question=question, number=previous.number + 1 if previous else 1, text=text, author=actor, written_at=now
        )
        if not correcting:
            question.status, question.answered_at = Question.Status.ANSWERED, now
            question.save(update_fields=["status", "answered_at"])
        audit_record(
            actor=actor,
            action="question.corrected" if correcting else "question.answered",
            obj=question,
            data={
                "workplace": question.workplace_id,
                "number": answer.number,
                "from": before,
                "late": timezone.localdate(now) > question.deadline,
            },
        )
        outbox_enqueue(NOTICES + "question_answered_send", answer_id=answer.pk)
        committee_notice(question=question, kind="answered", text=answer.text, skip=frozenset({question.asked_by_id}))
    return answer


def question_pass_on(*, question: Question, actor: User, name: str, email: str, note: str = "") -> Question:
    """The leader says the question belongs with the administration and passes it to a named head of centre. The
    head of centre is told by e-mail; when the address is an active account's, they answer through the portal, else
    the record says where the question went. The asker and the committee see it passed on."""
    name, email, note = (name or "").strip(), (email or "").strip().lower(), (note or "").strip()
    _require(bool(name), _("Write the name of the head of centre."))
    try:
        validate_email(email)
    except ValidationError:
        raise QuestionError(_("Write the head of centre's e-mail address, for example navn@kommune.dk.")) from None
    _require(len(name) <= 200 and len(note) <= QUESTION_TEXT_MAX, _("The text is too long. Shorten it."))
    _require(not cpr_numbers(note), cpr_message())
    with transaction.atomic():
        question = _lock(question)
        _require(
            can.can_pass_on(actor, question),
            _("Only the workplace's leader can pass on a question that is waiting for an answer."),
        )
        account = User.objects.filter(email__iexact=email, is_active=True).first()
        question.status = Question.Status.PASSED_ON
        question.passed_to_name, question.passed_to_email, question.passed_to = name, email, account
        question.pass_note, question.passed_by, question.passed_at = note, actor, timezone.now()
        question.save(
            update_fields=[
                "status",
                "passed_to_name",
                "passed_to_email",
                "passed_to",
                "pass_note",
                "passed_by",
                "passed_at",
            ]
        )
        audit_record(
            actor=actor,
            action="question.passed_on",
            obj=question,
            data={"workplace": question.workplace_id, "to": name, "has_account": account is not None},
        )
        outbox_enqueue(NOTICES + "question_passed_on_send", question_id=question.pk)
        committee_notice(question=question, kind="passed_on", text=note or question.text)
    return question


def question_reminders_send(*, today: dt.date | None = None) -> int:
    """Daily: from ``REMINDER_WORKING_DAYS`` working days before the deadline, remind the leader of each question still
    waiting for an answer. Once per question."""
    today = today or timezone.localdate()
    count = 0
    with transaction.atomic():
        due = list(
            Question.objects.select_for_update(skip_locked=True)
            .filter(
                status=Question.Status.OPEN,
                reminded_at__isnull=True,
                deadline__lte=add_working_days(today, REMINDER_WORKING_DAYS),
            )
            .order_by("pk")
        )
        for question in due:
            Question.objects.filter(pk=question.pk).update(reminded_at=timezone.now())
            outbox_enqueue(NOTICES + "question_reminder_send", question_id=question.pk)
            count += 1
    return count
