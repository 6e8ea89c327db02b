"""The hearing reminders on a real Celery worker (Redis in CI, the filesystem broker locally): the beat task runs
the service, the outbox hands the notice to the worker, the leader gets the e-mail."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from dialog_portal.celery import app
from meetings.hearings import tasks
from meetings.models import Matter
from meetings.workdays import add_working_days

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_worker():
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
        yield app


def _wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_the_reminder_task_runs_on_a_real_worker_and_the_leaders_are_told(real_worker, register, cast, heard):
    matter = register(deadline=add_working_days(heard.today, 3), urgency_reason="Tilsynet kræver svar.")
    assert _wait_for(lambda: len(mail.outbox) == 3)  # the notice of the registration, through the worker too
    mail.outbox.clear()
    assert tasks.send_hearing_reminders.delay().get(timeout=30) == 1
    assert _wait_for(lambda: len(mail.outbox) == 3)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.leader.email, cast.trio.email, heard.second_leader.email]
    )
    assert all(m.subject.startswith("Påmindelse") for m in mail.outbox)
    assert Matter.objects.get(pk=matter.pk).reminded_at is not None
