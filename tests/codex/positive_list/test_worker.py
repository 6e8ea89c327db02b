"""The review reminder on a real Celery worker (Redis in CI, the filesystem broker locally): the beat task runs the
service, the outbox hands the notice to the worker, the owner and the committee get the e-mail, once."""

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from codex import tasks
from codex.models import PolicyItem
from tests import factories
from tests.workers import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_the_review_reminder_runs_on_a_real_worker_once_per_review_date(real_worker, cast):
    assert "codex-remind-policy-reviews" in settings.CELERY_BEAT_SCHEDULE
    today = timezone.localdate()
    item = factories.PolicyItemFactory(
        committee=cast.committee,
        title="Dokumentation af læreplaner",
        owner_kind="head_of_centre",
        owner_title="Centerchef for Dagtilbud",
        owner_person=cast.leader,
        next_review_on=today + dt.timedelta(days=settings.DIALOG_POLICY_REVIEW_NOTICE_DAYS - 1),
    )
    factories.PolicyItemFactory(committee=cast.committee, next_review_on=today + dt.timedelta(days=200))
    mail.outbox.clear()
    assert tasks.remind_policy_reviews.delay().get(timeout=30) == 1
    people = sorted([cast.leader.email, cast.chair.email, cast.vice_chair.email, cast.member.email])
    assert wait_for(lambda: len(mail.outbox) == len(people))
    assert sorted(m.to[0] for m in mail.outbox) == people
    assert all("Dokumentation af læreplaner" in m.subject for m in mail.outbox)
    assert PolicyItem.objects.get(pk=item.pk).reminded_for == item.next_review_on
    # The next day's run reminds nobody again for the same review date.
    assert tasks.remind_policy_reviews.delay().get(timeout=30) == 0
