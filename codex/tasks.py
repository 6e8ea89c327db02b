"""Celery tasks: each loads by id and calls a service."""

from celery import shared_task

from meetings.models import User

from . import services
from .models import CodexVersion


@shared_task(acks_late=True)
def send_sign_requests(version_id: int) -> int:
    version = CodexVersion.objects.published().filter(pk=version_id).first()
    if version is None:
        return 0
    return services.codex_sign_requests_send(version=version)


@shared_task(acks_late=True)
def send_sign_mail(person_id: int, version_id: int, reminder: bool) -> bool:
    person = User.objects.filter(pk=person_id, is_active=True).first()
    version = CodexVersion.objects.published().filter(pk=version_id).first()
    if person is None or version is None:
        return False
    services.codex_sign_mail_send(person=person, version=version, reminder=reminder)
    return True


@shared_task
def remind_unsigned() -> int:
    """Weekly (Monday 08:00): remind everyone who still must sign the codex in force."""
    return services.codex_reminders_send()
