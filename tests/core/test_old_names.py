"""Names that outlive a move: Celery task names (stored beat schedules, messages already in the broker) and outbox
handler names (rows queued before the upgrade) keep working after the tasks and handlers moved."""

import pytest
from django.conf import settings
from django.core import mail

from core import outbox
from core.models import OutboxMessage
from dialog_portal.celery import app

OLD_TASKS = {
    "meetings.tasks.deliver_outbox_message": "core.tasks.deliver_outbox_message",
    "meetings.tasks.flush_outbox": "core.tasks.flush_outbox",
    "meetings.tasks.verify_chains": "core.tasks.verify_chains",
    "meetings.tasks.hold_past_visits": "meetings.visits.tasks.hold_past_visits",
    "meetings.tasks.send_meeting_reminders": "meetings.rotation.tasks.send_meeting_reminders",
    "meetings.tasks.draft_next_year_rotation": "meetings.rotation.tasks.draft_next_year_rotation",
    "meetings.tasks.plan_rotation_year": None,  # planning runs go through the outbox now
    "meetings.tasks.send_invitation": None,  # a plain function now: meetings.services.invitation_mail_send
    "meetings.tasks.send_visit_mail": None,  # a plain function now: meetings.visits.notifications.visit_mail_send
    "codex.tasks.send_sign_requests": None,
    "codex.tasks.send_sign_mail": None,
}


@pytest.mark.parametrize("old", sorted(OLD_TASKS))
def test_every_old_task_name_is_still_a_registered_task(old):
    app.loader.import_default_modules()
    assert old in app.tasks, f"{old} must keep answering for messages already in the broker"
    assert app.tasks[old].acks_late


@pytest.mark.parametrize("old,new", sorted((o, n) for o, n in OLD_TASKS.items() if n))
def test_a_moved_beat_job_is_registered_under_its_new_name_too(old, new):
    app.loader.import_default_modules()
    assert new in app.tasks


def test_the_beat_schedule_names_only_registered_tasks_by_their_new_names():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name
        assert not entry["task"].startswith("meetings.tasks."), name


@pytest.mark.django_db
def test_an_old_task_name_runs_the_moved_job(cast):
    app.loader.import_default_modules()
    assert app.tasks["meetings.tasks.hold_past_visits"].delay().get() == 0
    assert app.tasks["meetings.tasks.flush_outbox"].delay().get() == 0


@pytest.mark.parametrize("old,new", sorted(outbox.HANDLER_ALIASES.items()))
def test_every_handler_alias_points_at_a_plain_function_with_the_same_label(old, new):
    handler = outbox._resolve(new)
    assert callable(handler) and not hasattr(handler, "delay"), f"{new} must be a plain function, not a task"
    assert outbox._resolve(old) is handler
    assert outbox.handler_label(old) == outbox.handler_label(new) != new


@pytest.mark.django_db
def test_a_message_queued_under_an_old_handler_name_is_delivered_by_the_new_function(cast):
    message = OutboxMessage.objects.create(handler="meetings.tasks.send_invitation", kwargs={"user_id": cast.leader.pk})
    assert outbox.outbox_deliver(message_id=message.pk) is True
    message.refresh_from_db()
    assert message.delivered_at is not None and message.last_error == ""
    assert [m.to for m in mail.outbox] == [[cast.leader.email]]
