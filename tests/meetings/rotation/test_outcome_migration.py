"""The migration that brought outcomes invents no "held": a past meeting counts as held only when its minutes were
written; visits the old hourly job marked held keep their status; everything else stays unconfirmed."""

import datetime as dt
import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import timezone

from meetings.models import Meeting, RotationPlan

pytestmark = pytest.mark.django_db


def _migration():
    (path,) = Path(__file__).resolve().parents[3].glob("meetings/migrations/*_visit_and_meeting_outcome.py")
    return importlib.import_module(f"meetings.migrations.{path.stem}")


def _meeting(cast, *, days_ago, minutes=""):
    start = timezone.now() - dt.timedelta(days=days_ago)
    plan, _created = RotationPlan.objects.get_or_create(
        committee=cast.committee,
        year=start.year,
        defaults={"status": RotationPlan.Status.PUBLISHED, "created_by": cast.administrator},
    )
    return Meeting.objects.create(
        committee=cast.committee,
        plan=plan,
        host=cast.workplace,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        minutes=minutes,
    )


def test_only_past_meetings_with_minutes_become_held_and_say_why(cast):
    minuted = _meeting(cast, days_ago=10, minutes="Vi talte om sprogarbejdet.")
    silent = _meeting(cast, days_ago=20)
    coming = _meeting(cast, days_ago=-10)
    _migration().held_where_minutes_were_written(apps, None)
    assert Meeting.objects.get(pk=minuted.pk).outcome == "held"
    assert minuted.events.get().action == "outcome_held"
    assert Meeting.objects.get(pk=silent.pk).outcome == ""
    assert Meeting.objects.get(pk=coming.pk).outcome == ""
    _migration().held_where_minutes_were_written(apps, None)  # running again changes nothing
    assert minuted.events.count() == 1
