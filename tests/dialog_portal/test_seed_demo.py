"""seed_demo: a believable, fictional municipality that can be seeded again and again."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from dialog_portal.demo import organisation as demo
from dialog_portal.management.commands import seed_demo
from meetings.models import (
    Blackout,
    Committee,
    CommitteeMembership,
    District,
    RotationPlan,
    User,
    Visit,
    Workplace,
    WorkplaceKind,
    WorkplaceRole,
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
def seeded():
    return seed()


def snapshot() -> dict:
    models = (
        District,
        WorkplaceKind,
        Committee,
        Workplace,
        Workplace.committees.through,
        User,
        CommitteeMembership,
        WorkplaceRole,
        Blackout,
    )
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def politicians():
    return User.objects.filter(memberships__in=CommitteeMembership.objects.current()).distinct()


def test_running_twice_changes_nothing(seeded):
    before = snapshot()
    output = seed()
    assert snapshot() == before
    assert "This run: nothing changed." in output


def test_plan_is_the_same_on_every_build():
    today = dt.date(2026, 11, 22)
    assert demo.build_plan(today=today) == demo.build_plan(today=today)


def test_a_changed_password_survives_a_second_run(seeded):
    chair = User.objects.get(email=demo.LOGIN_CHAIR)
    chair.set_password("mit-eget-kodeord-42")
    chair.save()
    output = seed()
    chair.refresh_from_db()
    assert chair.check_password("mit-eget-kodeord-42")
    assert "(changed; --reset-passwords restores it)" in output


def test_reset_passwords_gives_the_demo_password_back(seeded):
    chair = User.objects.get(email=demo.LOGIN_CHAIR)
    chair.set_password("mit-eget-kodeord-42")
    chair.save()
    seed("--reset-passwords")
    chair.refresh_from_db()
    assert chair.check_password(demo.DEFAULT_DEMO_PASSWORD)


def test_password_comes_from_the_environment(monkeypatch, client):
    monkeypatch.setenv("DEMO_PASSWORD", "Et-andet-demo-kodeord")
    output = seed()
    assert client.login(email=demo.LOGIN_TRIO, password="Et-andet-demo-kodeord")
    assert "Et-andet-demo-kodeord" in output


def test_a_second_run_gives_the_chair_back_to_the_demo_chair(seeded):
    committee = Committee.objects.get(slug="boern-og-unge")
    committee.memberships.filter(role=CommitteeMembership.Role.CHAIR).update(role=CommitteeMembership.Role.MEMBER)
    usurper = committee.memberships.filter(user__email=demo.LOGIN_POLITICIAN).get()
    usurper.role = CommitteeMembership.Role.CHAIR
    usurper.save()
    seed()
    chair = committee.memberships.current().get(role=CommitteeMembership.Role.CHAIR)
    assert chair.user.email == demo.LOGIN_CHAIR
    assert committee.memberships.get(user__email=demo.LOGIN_POLITICIAN).role == CommitteeMembership.Role.MEMBER


def test_refuses_when_debug_is_off_without_force(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Committee.objects.exists()


def test_runs_without_force_when_debug_is_on(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert Committee.objects.count() == 5


def extra_step(*, stdout, demo):
    demo.person(email="ekstra@dalby.example", full_name="Ekstra Demoperson")
    return ["Extra step ran."]


def failing_step(*, stdout, demo):
    raise RuntimeError("the step broke")


def test_another_app_adds_a_step_with_one_line(monkeypatch, client):
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


@pytest.mark.parametrize("email", LOGINS)
def test_demo_person_can_log_in(seeded, client, email):
    assert client.login(email=email, password=demo.DEFAULT_DEMO_PASSWORD)


def test_demo_person_can_log_in_through_the_login_page(seeded, client):
    response = client.post("/konto/login/", {"login": demo.LOGIN_LEADER, "password": demo.DEFAULT_DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


def row_counts() -> dict:
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models() if not m._meta.proxy}


def test_a_second_run_adds_nothing_anywhere(seeded):
    before = row_counts()
    seed()
    assert row_counts() == before


def test_a_second_run_reports_totals_not_only_what_it_added(seeded):
    first = seeded
    output = seed()
    published = RotationPlan.objects.published().count()
    assert published > 0
    assert f"Rotation: {published} plans published in all (0 by this run)" in output
    assert f"{published} plans published in all ({published} by this run)" in first
    assert f"{Visit.objects.count()} visits" in output
    assert "Visits: 0 workplaces" not in output


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


def test_the_demo_publishes_the_last_three_months_of_the_ledger_once(seeded):
    from django.utils import timezone

    from meetings.models import LedgerSnapshot

    first = timezone.localdate().replace(day=1)
    months = []
    for _n in range(3):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        months.append(first)
    assert list(LedgerSnapshot.objects.values_list("month", flat=True)) == months
    digests = list(LedgerSnapshot.objects.values_list("digest", flat=True))
    seed()
    assert list(LedgerSnapshot.objects.values_list("digest", flat=True)) == digests
    newest = LedgerSnapshot.objects.first()
    assert any(r["hosted_12"] for r in newest.rows) and any(r["visits_12"] for r in newest.rows)
