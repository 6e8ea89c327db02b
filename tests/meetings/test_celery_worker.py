"""A real Celery worker on the configured broker: Redis in CI, the filesystem broker locally."""

import time

import pytest
from django.conf import settings
from django.core import mail

from dialog_portal.celery import app
from meetings.tasks import send_invitation
from tests.conftest import IN_CI
from tests.workers import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_ci_runs_celery_on_redis():
    if IN_CI:
        assert settings.CELERY_BROKER_URL.startswith("redis://")
        assert app.conf.broker_url.startswith("redis://")
    else:
        assert app.conf.broker_url.split(":", 1)[0] in {"redis", "filesystem"}


def test_the_invitation_task_under_its_old_name_runs_on_a_real_worker_and_sends_the_mail(real_worker, cast):
    """A message for ``meetings.tasks.send_invitation`` may still wait in the broker after the upgrade."""
    result = send_invitation.delay(cast.leader.pk)
    assert result.get(timeout=30) is True
    assert [m.to for m in mail.outbox] == [[cast.leader.email]]


def test_the_old_invitation_task_for_an_unknown_person_does_nothing(real_worker):
    assert send_invitation.delay(987654).get(timeout=30) is False
    assert mail.outbox == []


# --- A notice that keeps failing (issue 14) ------------------------------------------------------------------------

CAUSE = {"fixed": False}
DELIVERED: list[dict] = []


def notice_until_fixed(**kwargs):
    """Fails like a notice whose subject holds a control character, until the cause is fixed."""
    if not CAUSE["fixed"]:
        raise ValueError("Header values can't contain newlines")
    DELIVERED.append(kwargs)


def test_a_failing_notice_stops_after_the_set_attempts_and_a_retry_from_the_list_delivers_it_once(
    real_worker, cast, settings, client
):
    from django.urls import reverse

    from core.models import OutboxMessage
    from core.outbox import DEAD_LETTER_NOTICE, outbox_enqueue

    CAUSE["fixed"] = False
    DELIVERED.clear()
    settings.DIALOG_OUTBOX_MAX_ATTEMPTS = 3
    settings.DIALOG_OUTBOX_RETRY_SECONDS = 0.2  # 0.2 s, 0.4 s: the worker retries by itself
    message = outbox_enqueue(f"{__name__}.notice_until_fixed", user_id=cast.leader.pk)  # no transaction: sent now

    assert wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).dead_at is not None)
    message.refresh_from_db()
    assert message.attempts == 3 and message.delivered_at is None and "newlines" in message.last_error
    # The administrators are told once, by a notice the same worker delivers.
    assert wait_for(lambda: OutboxMessage.objects.filter(handler=DEAD_LETTER_NOTICE, delivered_at__isnull=False))
    assert [m.to for m in mail.outbox] == [[cast.administrator.email]]
    client.force_login(cast.administrator)
    listed = client.get(reverse("meetings:outbox-dead-list")).content.decode()
    assert cast.leader.full_name in listed and "newlines" in listed

    CAUSE["fixed"] = True
    assert client.post(reverse("meetings:outbox-retry", args=[message.pk])).status_code == 302
    assert wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).delivered_at is not None)
    assert wait_for(lambda: len(DELIVERED) >= 1)
    time.sleep(1)  # nothing more arrives: delivered once
    (delivered,) = DELIVERED
    assert delivered == {"user_id": cast.leader.pk}
    assert 'data-testid="outbox-dead-row"' not in client.get(reverse("meetings:outbox-dead-list")).content.decode()
