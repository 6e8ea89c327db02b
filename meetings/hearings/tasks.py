"""Beat jobs for hearings: they only call the services."""

from celery import shared_task

from . import services


@shared_task
def send_hearing_reminders() -> int:
    return services.hearing_reminders_send()


@shared_task
def notice_missing_responses() -> int:
    return services.hearing_deadlines_notice()
