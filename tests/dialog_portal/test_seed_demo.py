"""seed_demo: a believable, fictional municipality that can be seeded again and again."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from dialog_portal.demo import organisation as demo
from dialog_portal.management.commands import seed_demo
from meetings.models import (
    Committee,
    CommitteeMembership,
    RotationPlan,
    User,
)

pytestmark = pytest.mark.django_db

LOGINS = [demo.LOGIN_ADMIN, demo.LOGIN_CHAIR, demo.LOGIN_POLITICIAN, demo.LOGIN_LEADER, demo.LOGIN_TRIO]


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _default_demo_password(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)


@pytest.fixture
def organisation_only(monkeypatch):
    """seed_demo with its first step alone (the committees, workplaces and people with their logins): the tests of
    the command itself need no more, and a whole seed costs some 15-30 s (it is seeded whole in
    test_seed_demo_contents.py, test_seed_demo_again.py, the demo tour's browser test and below)."""
    monkeypatch.setattr(seed_demo, "DEMO_STEPS", seed_demo.DEMO_STEPS[:1])
    assert seed_demo.DEMO_STEPS[0].__name__ == "seed_organisation"


def politicians():
    return User.objects.filter(memberships__in=CommitteeMembership.objects.current()).distinct()


def test_plan_is_the_same_on_every_build():
    today = dt.date(2026, 11, 22)
    assert demo.build_plan(today=today) == demo.build_plan(today=today)


def test_password_comes_from_the_environment(monkeypatch, client, organisation_only):
    monkeypatch.setenv("DEMO_PASSWORD", "Et-andet-demo-kodeord")
    output = seed()
    assert client.login(email=demo.LOGIN_TRIO, password="Et-andet-demo-kodeord")
    assert "Et-andet-demo-kodeord" in output


def test_refuses_when_debug_is_off_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Committee.objects.exists()


def test_runs_without_force_when_debug_is_on(settings, organisation_only):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert Committee.objects.count() == 5


def extra_step(*, stdout, demo):
    demo.person(email="ekstra@dalby.example", full_name="Ekstra Demoperson")
    return ["Extra step ran."]


def failing_step(*, stdout, demo):
    raise RuntimeError("the step broke")


def test_another_app_adds_a_step_with_one_line(monkeypatch, client, organisation_only):
    monkeypatch.setattr(seed_demo, "DEMO_STEPS", [*seed_demo.DEMO_STEPS, extra_step])
    output = seed()
    assert "Extra step ran." in output
    assert client.login(email="ekstra@dalby.example", password=demo.DEFAULT_DEMO_PASSWORD)


def test_a_failing_step_leaves_nothing_behind(monkeypatch):
    monkeypatch.setattr(seed_demo, "DEMO_STEPS", [*seed_demo.DEMO_STEPS, failing_step])
    with pytest.raises(RuntimeError):
        seed()
    assert not Committee.objects.exists()
    assert not User.objects.exists()


def test_after_the_committees_last_meeting_of_the_year_the_demo_leader_hosts_next_years_first(monkeypatch):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from meetings.models import Meeting

    this_year = dt.date.today().year
    late = dt.datetime(this_year, 12, 30, 12, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    monkeypatch.setattr(timezone, "now", lambda: late)
    output = seed()
    meeting = Meeting.objects.filter(host__name=demo.DEMO_SCHOOL, starts_at__gt=late).order_by("starts_at").first()
    assert meeting.starts_at.year == this_year + 1
    assert meeting.plan.status == RotationPlan.Status.PUBLISHED
    assert meeting.committee.slug == "boern-og-unge"
    # The other committees' plans for next year stay drafts for the secretariat's part of the tour.
    assert RotationPlan.objects.drafts().filter(year=this_year + 1).count() == Committee.objects.count() - 1
    assert "plans published in all" in output
