"""seed_demo run again over the seeded demo: nothing changes, changed passwords and roles are kept or given back,
and the totals are reported. The demo is seeded once for this module (tests/dialog_portal/conftest.py); each test's
second seed and changes are rolled back. Tests that need an empty database are in test_seed_demo.py."""

import datetime as dt

import pytest

from dialog_portal.demo import organisation as demo
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
from tests.dialog_portal.test_seed_demo import LOGINS, seed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_demo_password(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)


@pytest.fixture
def seeded(demo_seeded_once, db):
    return demo_seeded_once


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


def test_running_twice_changes_nothing(seeded):
    before = snapshot()
    output = seed()
    assert snapshot() == before
    assert "This run: nothing changed." in output


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
