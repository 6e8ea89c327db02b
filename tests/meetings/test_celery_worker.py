"""A real Celery worker on the configured broker: Redis in CI, the filesystem broker locally."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail

from dialog_portal.celery import app
from meetings.tasks import send_invitation
from tests.conftest import IN_CI

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_worker():
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
        yield app


def test_ci_runs_celery_on_redis():
    if IN_CI:
        assert settings.CELERY_BROKER_URL.startswith("redis://")
        assert app.conf.broker_url.startswith("redis://")
    else:
        assert app.conf.broker_url.split(":", 1)[0] in {"redis", "filesystem"}


def test_invitation_task_runs_on_a_real_worker_and_sends_the_mail(real_worker, cast):
    result = send_invitation.delay(cast.leader.pk)
    assert result.get(timeout=30) is True
    assert [m.to for m in mail.outbox] == [[cast.leader.email]]


def test_invitation_task_for_an_unknown_person_does_nothing(real_worker):
    assert send_invitation.delay(987654).get(timeout=30) is False
    assert mail.outbox == []
