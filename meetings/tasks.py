"""The organisation's one beat job is the weekly digest of notices (``meetings/notices.py``). Its one task of old,
the invitation e-mail, is now a plain function the outbox calls (``meetings.services.invitation_mail_send``); the
task keeps answering to its name for messages that were already in the broker when it changed."""

from celery import shared_task

from .notices import notice_digests_send
from .services import invitation_mail_send


@shared_task(acks_late=True, name="meetings.tasks.send_invitation")
def send_invitation(user_id: int) -> bool:
    return invitation_mail_send(user_id=user_id)


@shared_task
def send_notice_digests() -> int:
    """Weekly: each person's digest of the notices their channels kept for them."""
    return notice_digests_send()
