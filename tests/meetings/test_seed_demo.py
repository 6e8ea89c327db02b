"""seed_demo: a believable, fictional municipality that can be seeded again and again."""

import datetime as dt
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from meetings import demo
from meetings.management.commands import seed_demo
from meetings.models import (
    Blackout,
    Committee,
    CommitteeMembership,
    District,
    User,
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


def test_seed_builds_five_committees_sixty_workplaces_and_thirty_politicians(seeded):
    assert Committee.objects.active().count() == 5
    assert 55 <= Workplace.objects.count() <= 65
    assert 28 <= politicians().count() <= 32
    assert 5 <= District.objects.count() <= 6
    assert WorkplaceKind.objects.count() >= 8
    assert User.objects.filter(is_staff=True, email=demo.LOGIN_ADMIN).exists()


def test_every_committee_has_exactly_one_open_chair_and_vice_chair(seeded):
    for committee in Committee.objects.all():
        roles = Counter(committee.memberships.current().values_list("role", flat=True))
        assert roles[CommitteeMembership.Role.CHAIR] == 1, committee
        assert roles[CommitteeMembership.Role.VICE_CHAIR] == 1, committee
        assert sum(roles.values()) == demo.COMMITTEE_SIZE


def test_a_few_politicians_sit_on_two_committees(seeded):
    doubles = politicians().annotate(n=Count("memberships")).filter(n=2)
    assert 2 <= doubles.count() <= 8


def test_every_workplace_has_a_leader_and_a_trio_of_two(seeded):
    for workplace in Workplace.objects.all():
        roles = workplace.roles.current()
        assert roles.filter(role=WorkplaceRole.Role.LEADER).count() == 1, workplace
        titles = sorted(roles.filter(role=WorkplaceRole.Role.TRIO).values_list("title", flat=True))
        assert titles == [demo.AMR_TITLE, demo.TR_TITLE], workplace


def test_some_leaders_lead_two_workplaces(seeded):
    leaders = User.objects.filter(workplace_roles__role=WorkplaceRole.Role.LEADER).annotate(n=Count("workplace_roles"))
    assert leaders.filter(n=2).exists()
    assert leaders.filter(n=1).count() > leaders.filter(n=2).count()


def test_workplaces_vary_like_a_real_municipality(seeded, settings):
    committee_seats = demo.COMMITTEE_SIZE + settings.DIALOG_SECRETARIAT_SEATS
    workplaces = Workplace.objects.annotate(n=Count("committees"))
    assert workplaces.filter(n=0).count() == 0
    assert 2 <= workplaces.filter(n=2).count() <= 6
    assert 2 <= workplaces.filter(seats__lt=committee_seats).count() <= 6
    assert all(8 <= seats <= 60 for seats in workplaces.values_list("seats", flat=True))
    assert workplaces.filter(step_free=False).exists()
    assert 1 <= workplaces.filter(is_active=False).count() <= 2
    assert workplaces.exclude(description="").count() == workplaces.count()
    assert all(w.address.endswith(("Dalby", "Kystbyen", "Skovlunde", "Åmølle")) for w in workplaces)
    for lat, lon in workplaces.filter(latitude__isnull=False).values_list("latitude", "longitude"):
        assert 54.5 <= lat <= 57.8
        assert 8.0 <= lon <= 15.2


def test_schools_and_daycare_are_blacked_out_in_july_and_one_place_is_renovated(seeded):
    year = timezone.localdate().year
    july = dt.date(year, 7, 15)
    closed = Blackout.objects.covering(july).values_list("workplace__kind__slug", flat=True)
    assert {"skole", "dagtilbud"} <= set(closed)
    assert Blackout.objects.filter(reason__icontains="jul").exists()
    assert Blackout.objects.filter(reason__icontains="renovering").exists()


def test_every_email_is_on_the_fictional_domain(seeded):
    emails = list(User.objects.values_list("email", flat=True))
    assert len(emails) > 150
    assert all(email.endswith("@dalby.example") for email in emails)


def test_no_name_is_a_known_public_figure_and_no_name_is_used_twice(seeded):
    names = list(User.objects.values_list("full_name", flat=True))
    assert not set(names) & demo.KNOWN_FIGURES
    assert len(names) == len(set(names))


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


@pytest.mark.parametrize("email", LOGINS)
def test_demo_person_can_log_in(seeded, client, email):
    assert client.login(email=email, password=demo.DEFAULT_DEMO_PASSWORD)


def test_demo_person_can_log_in_through_the_login_page(seeded, client):
    response = client.post("/konto/login/", {"login": demo.LOGIN_LEADER, "password": demo.DEFAULT_DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


def test_password_comes_from_the_environment(monkeypatch, client):
    monkeypatch.setenv("DEMO_PASSWORD", "Et-andet-demo-kodeord")
    output = seed()
    assert client.login(email=demo.LOGIN_TRIO, password="Et-andet-demo-kodeord")
    assert "Et-andet-demo-kodeord" in output


def test_each_demo_login_holds_its_role(seeded):
    children = Committee.objects.get(slug="boern-og-unge")
    school = Workplace.objects.get(name=demo.DEMO_SCHOOL)
    roles = {email: User.objects.get(email=email).roles for email in LOGINS}
    assert roles[demo.LOGIN_ADMIN].is_administrator
    assert roles[demo.LOGIN_CHAIR].chair_committee_ids == {children.pk}
    assert children.pk in roles[demo.LOGIN_POLITICIAN].committee_ids
    assert roles[demo.LOGIN_POLITICIAN].chair_committee_ids == set()
    assert school.kind.slug == "skole"
    assert children in school.committees.all()
    assert roles[demo.LOGIN_LEADER].led_workplace_ids == {school.pk}
    assert roles[demo.LOGIN_TRIO].workplace_roles == {school.pk: {WorkplaceRole.Role.TRIO}}


def test_output_shows_how_to_log_in_as_each_role_and_the_counts(seeded):
    assert "http://localhost:8000/konto/login/" in seeded
    for email in LOGINS:
        assert email in seeded
    assert demo.DEFAULT_DEMO_PASSWORD in seeded
    assert "5 committees, 60 workplaces" in seeded


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
    monkeypatch.setattr(seed_demo, "DEMO_STEPS", [*seed_demo.DEMO_STEPS, f"{__name__}.extra_step"])
    output = seed()
    assert "Extra step ran." in output
    assert client.login(email="ekstra@dalby.example", password=demo.DEFAULT_DEMO_PASSWORD)


def test_a_failing_step_leaves_nothing_behind(monkeypatch):
    monkeypatch.setattr(seed_demo, "DEMO_STEPS", [*seed_demo.DEMO_STEPS, f"{__name__}.failing_step"])
    with pytest.raises(RuntimeError):
        seed()
    assert not Committee.objects.exists()
    assert not User.objects.exists()
