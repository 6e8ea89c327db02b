"""seed_demo's contents: the demo municipality is seeded once for this module (each test's own changes are
rolled back), since these tests only read it. Tests that seed again over it are in test_seed_demo_again.py, those
that need an empty database in test_seed_demo.py."""

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Count
from django.utils import timezone

from codex.models import AnswerReceipt, MirrorAnswer, OccasionKind
from core.models import OutboxMessage
from dialog_portal.demo import organisation as demo
from meetings.models import (
    Blackout,
    Committee,
    CommitteeMembership,
    District,
    Meeting,
    RotationPlan,
    User,
    Venue,
    Visit,
    VisitEvent,
    VisitFeedback,
    VisitSlot,
    Workplace,
    WorkplaceKind,
    WorkplaceRole,
)
from tests.dialog_portal.test_seed_demo import LOGINS, politicians

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo_seeded_once, db):
    return demo_seeded_once


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


def test_the_demo_has_visits_in_every_state(seeded):
    states = set(Visit.objects.values_list("status", flat=True))
    assert states == set(Visit.Status.values)
    moved = Visit.objects.filter(events__action=VisitEvent.Action.MOVED)
    assert moved.exists()
    assert all(visit.events.exists() for visit in Visit.objects.all())


def test_many_workplaces_offer_free_times_in_the_coming_weeks(seeded):
    now = timezone.now()
    soon = VisitSlot.objects.open(now=now).filter(starts_at__lt=now + dt.timedelta(weeks=6))
    assert soon.values("workplace").distinct().count() >= 20
    assert soon.filter(workplace__name=demo.DEMO_SCHOOL).exists()


def test_held_visits_have_feedback_from_both_sides_and_mirror_answers(seeded):
    held = Visit.objects.filter(status=Visit.Status.HELD, starts_at__lt=timezone.now())
    with_both = [
        visit
        for visit in held
        if set(visit.feedback.values_list("kind", flat=True))
        == {VisitFeedback.Kind.POLITICIAN, VisitFeedback.Kind.WORKPLACE}
    ]
    assert len(with_both) >= 3
    keys = set(AnswerReceipt.objects.filter(occasion_key__startswith="visit:").values_list("occasion_key", flat=True))
    assert {f"visit:{visit.pk}" for visit in with_both} <= keys
    assert MirrorAnswer.objects.filter(occasion_kind=OccasionKind.VISIT).exists()


def test_the_demo_leader_has_a_booking_to_confirm_and_hosts_a_coming_meeting(seeded):
    school = Workplace.objects.get(name=demo.DEMO_SCHOOL)
    assert Visit.objects.filter(workplace=school, status=Visit.Status.REQUESTED, starts_at__gt=timezone.now()).exists()
    meeting = Meeting.objects.filter(host=school, starts_at__gt=timezone.now()).first()
    assert meeting is not None
    assert meeting.plan.status == RotationPlan.Status.PUBLISHED
    assert meeting.presentation == ""  # the leader writes it in the tour


def test_the_demo_chair_has_a_held_visit_to_give_feedback_on(seeded):
    chair = User.objects.get(email=demo.LOGIN_CHAIR)
    waiting = Visit.objects.with_person(chair).filter(status=Visit.Status.HELD).exclude(feedback__author=chair)
    assert waiting.exists()


def test_the_demo_politician_login_has_no_visit_so_the_tour_shows_the_codex_gate(seeded):
    politician = User.objects.get(email=demo.LOGIN_POLITICIAN)
    assert not Visit.objects.with_person(politician).exists()


def test_seeding_sends_no_visit_mail(seeded):
    assert OutboxMessage.objects.filter(handler__startswith="meetings.visits.").exists()
    assert not OutboxMessage.objects.filter(handler__startswith="meetings.visits.", delivered_at__isnull=True).exists()


def test_output_reports_the_visits(seeded):
    assert f"{Visit.objects.count()} visits (" in seeded
    assert "plans published in all" in seeded


def test_the_small_daycares_host_in_a_borrowed_venue_and_nobody_is_left_out(seeded):
    committee = Committee.objects.get(meetings__host__name="Vuggestuen Myretuen", meetings__venue__isnull=False)
    assert committee.name == "Børne- og Ungeudvalget"
    for name in ("Vuggestuen Myretuen", "Børnehuset Spiren"):
        hosted = Meeting.objects.filter(host__name=name, committee=committee)
        assert hosted.exists() and all(m.venue is not None and m.address == m.venue.address for m in hosted)
    plans = RotationPlan.objects.filter(committee=committee).exclude(status=RotationPlan.Status.DISCARDED)
    assert all(plan.cannot_host == [] for plan in plans)
    assert Venue.objects.filter(is_active=True, step_free=True).count() == len(demo.VENUES)
