"""Beat schedules stored by django-celery-beat name their task by its dotted name. The tasks of
``meetings/tasks.py`` moved (to ``core``, ``meetings.visits``, ``meetings.rotation``); the stored schedules follow.
The old names keep answering as alias tasks too, for messages already in the broker."""

from django.db import migrations
from django.utils import timezone

TASKS = {
    "meetings.tasks.deliver_outbox_message": "core.tasks.deliver_outbox_message",
    "meetings.tasks.flush_outbox": "core.tasks.flush_outbox",
    "meetings.tasks.verify_chains": "core.tasks.verify_chains",
    "meetings.tasks.hold_past_visits": "meetings.visits.tasks.hold_past_visits",
    "meetings.tasks.send_meeting_reminders": "meetings.rotation.tasks.send_meeting_reminders",
    "meetings.tasks.draft_next_year_rotation": "meetings.rotation.tasks.draft_next_year_rotation",
}


def _rename(apps, names: dict[str, str]) -> None:
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    renamed = 0
    for old, new in names.items():
        renamed += PeriodicTask.objects.filter(task=old).update(task=new)
    if renamed:  # the running beat reloads its schedule when this row changes
        PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def forwards(apps, schema_editor):
    _rename(apps, TASKS)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in TASKS.items()})


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_moved_handlers_and_content_types"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
