from celery import shared_task
from django.conf import settings

from .models import User
from .services import invitation_send


@shared_task(acks_late=True)
def send_invitation(user_id: int) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    invitation_send(user=user)
    return True


@shared_task(acks_late=True)
def send_visit_mail(visit_id: int, kind: str, actor_id: int | None = None, **queued) -> int:
    """The outbox handler of visit notices. ``queued`` is what the service fixed when it queued the notice
    (``visit_notice_kwargs``); rows queued before that carry only the first three and still deliver."""
    from .visits.notifications import visit_mail_send

    return visit_mail_send(visit_id=visit_id, kind=kind, actor_id=actor_id, **queued)


@shared_task(acks_late=True)
def hold_past_visits() -> int:
    from .visits.services import visits_hold_past

    return visits_hold_past()


@shared_task(bind=True, acks_late=True)
def deliver_outbox_message(self, message_id: int) -> bool:
    """Deliver one outbox message. A failure is retried after DIALOG_OUTBOX_RETRY_SECONDS, doubling each time (at
    most an hour), until the outbox gives the message up after DIALOG_OUTBOX_MAX_ATTEMPTS failed attempts (counted
    in its row, whoever handed it over) and stops raising; Celery's own count stops at the same number."""
    from .outbox import outbox_deliver

    try:
        return outbox_deliver(message_id=message_id)
    except Exception as error:
        attempts = settings.DIALOG_OUTBOX_MAX_ATTEMPTS
        countdown = min(settings.DIALOG_OUTBOX_RETRY_SECONDS * 2**self.request.retries, 3600)
        raise self.retry(exc=error, countdown=countdown, max_retries=attempts) from error


@shared_task(acks_late=True)
def flush_outbox() -> int:
    from .outbox import outbox_flush

    return outbox_flush()


@shared_task(acks_late=True)
def plan_rotation_year(run_id: int) -> None:
    from .rotation.services import planning_run_execute

    planning_run_execute(run_id=run_id)


@shared_task(acks_late=True)
def send_meeting_reminders() -> int:
    from .rotation.services import meeting_reminders_send

    return meeting_reminders_send()


@shared_task(acks_late=True)
def draft_next_year_rotation() -> int:
    from .rotation.services import rotation_autumn_drafts

    return len(rotation_autumn_drafts())


@shared_task(acks_late=True)
def verify_chains() -> int:
    """Nightly: re-compute the audit log and the signature log; tell the administrators when either is broken."""
    from .audit import chains_verify_and_alert

    return chains_verify_and_alert()
