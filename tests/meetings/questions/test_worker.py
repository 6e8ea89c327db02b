"""The question reminders on a real Celery worker (Redis in CI, the filesystem broker locally): the beat task runs
the service, the outbox hands the notice to the worker, the leader gets the e-mail."""

import pytest
from django.core import mail
from django.utils import timezone

from meetings.models import Question
from meetings.questions import services, tasks
from meetings.workdays import add_working_days
from tests.workers import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_the_reminder_task_runs_on_a_real_worker_and_the_leader_is_told(real_worker, cast):
    [question] = services.question_ask(
        actor=cast.member,
        committee=cast.committee,
        workplaces=[cast.workplace],
        text="Hvordan går det med sygefraværet?",
        no_individual_case=True,
    )
    assert wait_for(lambda: len(mail.outbox) == 1)  # the notice of the question, through the worker too
    mail.outbox.clear()
    Question.objects.filter(pk=question.pk).update(deadline=add_working_days(timezone.localdate(), 1))
    assert tasks.send_question_reminders.delay().get(timeout=30) == 1
    assert wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == [cast.leader.email]
    assert mail.outbox[0].subject.startswith("Påmindelse")
    assert Question.objects.get(pk=question.pk).reminded_at is not None
    assert tasks.send_question_reminders.delay().get(timeout=30) == 0  # once
