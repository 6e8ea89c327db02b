"""The codex's beat job. Its notices are no tasks: the outbox calls ``codex.notifications`` after commit; the old
task names still answer for messages that were in the broker when they changed."""

from celery import shared_task

from . import notifications, services
from .challenges import services as challenge_services
from .positive_list import services as positive_list_services


@shared_task(acks_late=True)
def remind_unsigned() -> int:
    """Weekly (Monday 08:00): remind everyone who still must sign the codex in force."""
    return services.codex_reminders_send()


@shared_task(acks_late=True)
def remind_policy_reviews() -> int:
    """Daily (07:30): remind the owner and the committee of items on the positive list due for review soon."""
    return positive_list_services.policy_reviews_remind()


@shared_task(acks_late=True)
def remind_trial_ends() -> int:
    """Daily (07:45): remind the chair and the leader of trials on challenges of rules that end soon."""
    return challenge_services.challenge_trial_reminders_send()


@shared_task(acks_late=True, name="codex.tasks.send_sign_requests")
def send_sign_requests(version_id: int) -> int:
    return notifications.sign_requests_send(version_id=version_id)


@shared_task(acks_late=True, name="codex.tasks.send_sign_mail")
def send_sign_mail(person_id: int, version_id: int, reminder: bool) -> bool:
    return notifications.sign_mail_send(person_id=person_id, version_id=version_id, reminder=reminder)
