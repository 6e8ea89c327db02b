"""The weekly digest of notices, a beat job: it only calls the service (``meetings/notices.py``)."""

from celery import shared_task

from .notices import notice_digests_send


@shared_task
def send_notice_digests() -> int:
    """Weekly: each person's digest of the notices their channels kept for them."""
    return notice_digests_send()
