"""The organisation has no beat job here (the weekly digest of notices is ``meetings/notice_tasks.py``, imported
below so every worker knows it). Its one task of old, the invitation e-mail, is now a plain function the outbox
calls (``meetings.services.invitation_mail_send``); the task keeps answering to its name for messages that were
already in the broker when it changed."""

from celery import shared_task

from . import notice_tasks  # noqa: F401  (the weekly digest's beat job, registered with the worker)
from .services import invitation_mail_send


@shared_task(acks_late=True, name="meetings.tasks.send_invitation")
def send_invitation(user_id: int) -> bool:
    return invitation_mail_send(user_id=user_id)
