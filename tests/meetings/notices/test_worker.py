"""The weekly digest runs on a real Celery worker (Redis in CI): the beat job makes the digest and the same worker
delivers its e-mail through the outbox."""

import pytest
from django.core import mail

from core.models import OutboxMessage
from core.registry import NoticeChannel, notice_channels
from meetings.notice_tasks import send_notice_digests
from meetings.notices import notice_send
from tests.workers import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def channel():
    notice_channels.register("test-worker", NoticeChannel(label="Worker things"))
    yield
    notice_channels._entries.pop("test-worker", None)


def test_the_weekly_digest_runs_on_a_real_worker_and_sends_one_mail(real_worker, cast):
    notice_send(person=cast.member, channel="test-worker", title="Første")
    notice_send(person=cast.member, channel="test-worker", title="Anden")
    assert send_notice_digests.delay().get(timeout=30) == 1
    assert wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == [cast.member.email]
    assert "Første" in mail.outbox[0].body and "Anden" in mail.outbox[0].body
    assert not OutboxMessage.objects.filter(handler__startswith="meetings.notices", delivered_at__isnull=True).exists()
    assert send_notice_digests.delay().get(timeout=30) == 0
