"""The agreement jobs run on a real Celery worker (Redis in CI): the reminder task finds the waiting agreement
and its notice is delivered through the outbox by the same worker."""

import datetime as dt

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from agreements import tasks
from agreements.models import Agreement, Status
from core.models import OutboxMessage
from dialog_portal.celery import app
from tests.workers import wait_for

from .conftest import make_agreement

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_the_waiting_reminder_runs_on_a_real_worker_and_the_notice_is_delivered(cast, settings):
    settings.DIALOG_AGREEMENT_REMINDER_DAYS = 7
    agreement = make_agreement(cast, Status.CHANGES_REQUESTED)
    Agreement.objects.filter(pk=agreement.pk).update(
        status_changed_at=agreement.status_changed_at - dt.timedelta(days=8)
    )
    mail.outbox.clear()
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
        app.conf.task_always_eager = False
        assert tasks.remind_waiting.delay().get(timeout=30) == 1
        assert wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == [cast.leader.email]
    assert not OutboxMessage.objects.filter(handler__startswith="agreements.", delivered_at__isnull=True).exists()


def test_the_activation_job_runs_on_a_real_worker(real_worker, cast):
    agreement = make_agreement(cast, Status.ACTIVE)
    assert tasks.activate_due.delay().get(timeout=30) == 0  # nothing signed and waiting
    agreement.refresh_from_db()
    assert agreement.status == Status.ACTIVE


def test_the_nightly_check_on_a_real_worker_names_a_signed_text_changed_in_the_database(real_worker, cast):
    from django.db.models import QuerySet

    from agreements.models import AgreementVersion
    from core.tasks import verify_chains

    agreement = make_agreement(cast, Status.SIGNED)
    assert verify_chains.delay().get(timeout=30) == 0
    mail.outbox.clear()
    version = agreement.versions.get()
    # An UPDATE the append-only queryset refuses, as someone with a database login would run it.
    QuerySet.update(AgreementVersion.objects.filter(pk=version.pk), text={**version.text, "core_task": "Ændret."})

    assert verify_chains.delay().get(timeout=30) == 3  # the version and both signatures on it
    (message,) = mail.outbox
    assert message.to == [cast.administrator.email]
    assert f"Aftale {agreement.pk}, version 1" in message.body
