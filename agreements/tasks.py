"""Celery tasks for agreements: the daily jobs in ``CELERY_BEAT_SCHEDULE``; each calls one service."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def activate_due() -> int:
    """Daily: signed agreements whose period has begun come into force."""
    return services.agreements_activate_due()


@shared_task(acks_late=True)
def remind_waiting() -> int:
    """Weekdays: remind whoever an agreement has waited on too long."""
    return services.agreement_reminders_send()


@shared_task(acks_late=True)
def remind_followups() -> int:
    """Weekdays: tell leaders and chairs that a follow-up is coming up."""
    return services.followup_reminders_send()
