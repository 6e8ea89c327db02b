"""The trial reminder on a real Celery worker (Redis in CI, the filesystem broker locally): the beat task runs the
service, the outbox hands the notice to the worker, the chair, the vice-chair and the leader get the e-mail."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from codex import tasks
from codex.challenges.models import Challenge, Status
from tests.workers import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_the_trial_reminder_runs_on_a_real_worker_and_the_chair_and_leader_are_told(real_worker, settings, cast):
    settings.DIALOG_CHALLENGE_TRIAL_REMINDER_DAYS = 30
    # A running trial made directly, not through the services: their notices would go through the worker while the
    # test writes, which SQLite's shared in-memory database answers with »table is locked«.
    challenge = Challenge.objects.create(
        workplace=cast.workplace,
        committee=cast.committee,
        rule="Ugentlig trivselsrapport",
        description="Tager tid.",
        hours_per_month=6,
        proposal="trial",
        trio_agrees=True,
        status=Status.TRIAL,
        created_by=cast.leader,
        treated_on=timezone.localdate(),
        trial_ends_on=timezone.localdate() + dt.timedelta(days=20),
        trial_evaluation="Måles.",
    )
    assert tasks.remind_trial_ends.delay().get(timeout=30) == 1
    assert wait_for(lambda: len(mail.outbox) == 3)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.chair.email, cast.vice_chair.email, cast.leader.email])
    assert all(m.subject.startswith("Prøvehandlingen med") for m in mail.outbox)
    assert Challenge.objects.get(pk=challenge.pk).trial_reminded_at is not None
    assert tasks.remind_trial_ends.delay().get(timeout=30) == 0  # once per end date
