import datetime as dt

from django.conf import settings
from django.core import mail
from django.utils import timezone

from codex import notifications, services, tasks
from codex.models import SignReminder

from .conftest import sign


def test_the_weekly_reminder_is_scheduled_on_monday_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["codex-remind-unsigned"]
    assert entry["task"] == "codex.tasks.remind_unsigned"
    assert entry["schedule"].hour == {8} and entry["schedule"].day_of_week == {1}


def test_the_reminder_mails_only_those_who_still_must_sign(cast, version, django_capture_on_commit_callbacks):
    sign(cast.chair, version)
    sign(cast.leader, version)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.remind_unsigned.delay().get() == 4
    assert {m.to[0] for m in mail.outbox} == {
        p.email for p in (cast.vice_chair, cast.member, cast.other_member, cast.other_leader)
    }
    assert "/kodeks/underskriv/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_nobody_is_reminded_twice_for_a_version_within_a_week(cast, version, django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.codex_reminders_send(now=now) == 6
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.codex_reminders_send(now=now + dt.timedelta(days=6, hours=23)) == 0
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.codex_reminders_send(now=now + dt.timedelta(days=7, minutes=1)) == 6
    assert len(mail.outbox) == 6
    assert SignReminder.objects.count() == 12


def test_the_publication_mail_counts_as_this_weeks_reminder(cast, django_capture_on_commit_callbacks):
    from .conftest import publish, write_draft

    with django_capture_on_commit_callbacks(execute=True):
        version = publish(cast.administrator, write_draft(cast.administrator))
    assert len(mail.outbox) == 6
    assert SignReminder.objects.filter(version=version).count() == 6
    assert services.codex_reminders_send() == 0


def test_no_reminders_without_a_published_codex(db):
    assert services.codex_reminders_send() == 0


def test_the_mail_notice_skips_people_who_left(cast, version):
    cast.member.is_active = False
    cast.member.save()
    assert notifications.sign_mail_send(person_id=cast.member.pk, version_id=version.pk, reminder=True) is False
