"""The codex's beat job. Its notices are no tasks: the outbox calls ``codex.notifications`` after commit; the old
task names still answer for messages that were in the broker when they changed."""

from celery import shared_task

from . import notifications, services


@shared_task(acks_late=True)
def remind_unsigned() -> int:
    """Weekly (Monday 08:00): remind everyone who still must sign the codex in force."""
    return services.codex_reminders_send()


@shared_task(acks_late=True, name="codex.tasks.send_sign_requests")
def send_sign_requests(version_id: int) -> int:
    return notifications.sign_requests_send(version_id=version_id)


@shared_task(acks_late=True, name="codex.tasks.send_sign_mail")
def send_sign_mail(person_id: int, version_id: int, reminder: bool) -> bool:
    return notifications.sign_mail_send(person_id=person_id, version_id=version_id, reminder=reminder)
