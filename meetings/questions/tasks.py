"""Beat jobs for questions to a workplace: they only call the services."""

from celery import shared_task

from . import services


@shared_task
def send_question_reminders() -> int:
    return services.question_reminders_send()
