"""The hearing reminders on a real Celery worker (Redis in CI, the filesystem broker locally): the beat task runs
the service, the outbox hands the notice to the worker, the leader gets the e-mail."""

import pytest
from django.core import mail

from meetings.hearings import tasks
from meetings.models import Matter
from meetings.workdays import add_working_days
from tests.workers import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_the_reminder_task_runs_on_a_real_worker_and_the_leaders_are_told(real_worker, register, cast, heard):
    matter = register(deadline=add_working_days(heard.today, 3), urgency_reason="Tilsynet kræver svar.")
    assert wait_for(lambda: len(mail.outbox) == 3)  # the notice of the registration, through the worker too
    mail.outbox.clear()
    assert tasks.send_hearing_reminders.delay().get(timeout=30) == 1
    assert wait_for(lambda: len(mail.outbox) == 3)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.leader.email, cast.trio.email, heard.second_leader.email]
    )
    assert all(m.subject.startswith("Påmindelse") for m in mail.outbox)
    assert Matter.objects.get(pk=matter.pk).reminded_at is not None
