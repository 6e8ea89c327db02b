"""Reads: the committee overview, the workplace's goals, the list and the dashboard keep a constant number of
queries as agreements grow; the overview counts and finds the missing ones."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import selectors, services
from agreements.models import Agreement, FollowUp, Status
from core.versioned_cache import model_version_bump
from tests import factories

from .conftest import make_agreement, step

pytestmark = pytest.mark.django_db


def _more_workplaces(cast, n, *, status=Status.ACTIVE, goals=3):
    """n more workplaces under the committee led by the cast's leader, each with an agreement and follow-ups."""
    for i in range(n):
        workplace = factories.WorkplaceFactory(committees=[cast.committee], name=f"Ekstra {i} {status}")
        factories.WorkplaceRoleFactory(user=cast.leader, workplace=workplace)
        cast.leader.__dict__.pop("_roles_cache", None)
        agreement = make_agreement(cast, status, goals=goals, workplace=workplace)
        if status == Status.ACTIVE:
            for goal in agreement.goals.all():
                services.followup_record(
                    agreement=agreement, actor=cast.leader, entries=[(goal, "midterm", "on_track", "Fint")]
                )
    for person in (cast.leader, cast.chair, cast.member):
        person.__dict__.pop("_roles_cache", None)


def _count(client, url):
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _count_dashboard(client):
    """The dashboard's queries when it is built anew (it is kept in the cache: dialog_portal/dashboard.py)."""
    client.get(reverse("home"))
    model_version_bump(Agreement)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured.captured_queries)


def test_the_overview_counts_states_and_names_the_missing_workplaces(cast):
    make_agreement(cast, Status.SUBMITTED)
    factories.WorkplaceFactory(committees=[cast.committee], name="Uden aftale", slug="uden-aftale")
    overview = selectors.committee_overview(cast.committee, timezone.localdate().year)
    assert overview.total == 2 and overview.missing == 1 and overview.with_agreement == 1
    assert [(s, n) for s, _label, n in overview.counts] == [("submitted", 1)]
    missing = [row.workplace.slug for row in overview.rows if row.status is None]
    assert missing == ["uden-aftale"]


def test_the_overview_shows_the_agreement_in_force_rather_than_its_amendment_in_draft(cast):
    active = make_agreement(cast, Status.ACTIVE)
    services.agreement_amend(agreement=active, actor=cast.leader)
    row = selectors.committee_overview(cast.committee, timezone.localdate().year).rows[0]
    assert (row.agreement_id, row.status) == (active.pk, Status.ACTIVE)


def test_the_overview_query_count_stays_the_same_as_agreements_grow(client_for, cast, django_assert_num_queries):
    client = client_for(cast.chair)
    url = reverse("agreements:committee-overview", args=[cast.committee.slug])
    _more_workplaces(cast, 1)
    few = _count(client, url)
    _more_workplaces(cast, 4, status=Status.SUBMITTED)
    factories.WorkplaceFactory.create_batch(3, committees=[cast.committee])
    client.get(url)  # warm again: the new workplace roles made the cached roles out of date (issue 19)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count('data-testid="overview-row"') == 9


def test_the_agreement_list_query_count_stays_the_same(client_for, cast, django_assert_num_queries):
    client = client_for(cast.leader)
    url = reverse("agreements:agreement-list")
    _more_workplaces(cast, 1, status=Status.DRAFT)
    few = _count(client, url)
    _more_workplaces(cast, 4, status=Status.CONSULTATION)
    client.get(url)  # warm again: the new workplace roles made the cached roles out of date (issue 19)
    with django_assert_num_queries(few):
        client.get(url)


def test_the_workplace_goals_take_one_query_however_many_goals_and_follow_ups(cast, django_assert_num_queries):
    agreement = make_agreement(cast, Status.ACTIVE, goals=5)
    for goal in agreement.goals.all():
        for kind, status in (("midterm", "at_risk"), ("midterm", "on_track")):
            services.followup_record(agreement=agreement, actor=cast.leader, entries=[(goal, kind, status, "")])
    with django_assert_num_queries(1):
        agreements = selectors.workplace_goals(cast.workplace)
        rows = agreements[0].goal_rows
        statuses = [row.latest.status for row in rows]
    assert len(rows) == 5
    assert statuses == ["on_track"] * 5  # the newest follow-up counts


def test_the_workplace_page_shows_the_goals_and_a_follow_up_link_for_the_right_people(client_for, cast):
    agreement = make_agreement(cast, Status.ACTIVE)
    goal = agreement.ordered_goals()[0]
    services.followup_record(agreement=agreement, actor=cast.chair, entries=[(goal, "midterm", "at_risk", "Hjælp")])
    url = reverse("meetings:workplace-detail", args=[cast.workplace.slug])
    content = client_for(cast.member).get(url).content.decode()
    assert 'data-testid="workplace-goals"' in content
    assert 'data-status="at_risk"' in content
    assert 'data-testid="workplace-followup-link"' in content
    outsider = client_for(cast.outsider).get(url).content.decode()
    assert goal.title in outsider
    assert 'data-testid="workplace-followup-link"' not in outsider


def test_the_workplace_page_query_count_does_not_grow_with_goals(client_for, cast, django_assert_num_queries):
    client = client_for(cast.member)
    make_agreement(cast, Status.ACTIVE, goals=1)
    few = _count(client, reverse("meetings:workplace-detail", args=[cast.workplace.slug]))
    big = factories.WorkplaceFactory(committees=[cast.committee], slug="stor")
    factories.WorkplaceRoleFactory(user=cast.leader, workplace=big)
    cast.leader.__dict__.pop("_roles_cache", None)
    agreement = make_agreement(cast, Status.ACTIVE, goals=5, workplace=big)
    for goal in agreement.goals.all():
        for status in ("at_risk", "on_track"):
            services.followup_record(agreement=agreement, actor=cast.leader, entries=[(goal, "midterm", status, "")])
    client.get(reverse("meetings:workplace-detail", args=["stor"]))  # warm, as `few` was: the facts are kept
    with django_assert_num_queries(few):  # the goals' panel is read on every request
        response = client.get(reverse("meetings:workplace-detail", args=["stor"]))
    assert response.content.decode().count('data-testid="workplace-goal"') == 5


def test_the_workplace_goals_take_one_query_with_or_without_an_agreement_in_force(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.workplace_goals(cast.workplace) == []
    make_agreement(cast, Status.DRAFT, goals=2)  # not in force: still none
    with django_assert_num_queries(1):
        assert selectors.workplace_goals(cast.workplace) == []


def test_the_workplace_goals_keep_goals_without_follow_ups_and_an_agreement_without_goals(cast):
    agreement = make_agreement(cast, Status.ACTIVE, goals=3)
    first, second, third = agreement.ordered_goals()
    services.followup_record(agreement=agreement, actor=cast.leader, entries=[(second, "midterm", "at_risk", "Svært")])
    services.followup_record(agreement=agreement, actor=cast.leader, entries=[(second, "final", "achieved", "Nået")])
    (shown,) = selectors.workplace_goals(cast.workplace)
    assert [row.goal.pk for row in shown.goal_rows] == [first.pk, second.pk, third.pk]
    assert [row.latest and row.latest.status for row in shown.goal_rows] == [None, "achieved", None]
    assert [f.note for f in shown.goal_rows[1].history] == ["Nået", "Svært"]  # newest first
    assert shown.committee.name == cast.committee.name and shown.goal_rows[0].goal.title == first.title
    FollowUp.objects.filter(goal__agreement=agreement).delete()
    agreement.goals.all().delete()
    (bare,) = selectors.workplace_goals(cast.workplace)
    assert bare.pk == agreement.pk and bare.goal_rows == []


def test_the_workplace_page_runs_the_same_queries_with_and_without_an_agreement_in_force(client_for, cast):
    """The bench's busiest workplace has an agreement in force; the page's pin was counted on one without (issue
    19): both cost the same."""
    client = client_for(cast.member)
    without = _count(client, reverse("meetings:workplace-detail", args=[cast.workplace.slug]))
    agreement = make_agreement(cast, Status.ACTIVE, goals=4)
    for goal in agreement.goals.all():
        for status in ("at_risk", "on_track"):
            services.followup_record(agreement=agreement, actor=cast.chair, entries=[(goal, "midterm", status, "")])
    url = reverse("meetings:workplace-detail", args=[cast.workplace.slug])
    assert _count(client, url) == without
    content = client.get(url).content.decode()
    assert content.count('data-testid="workplace-goal"') == 4
    assert content.count('data-status="on_track"') == 4


def test_the_visit_page_shows_the_workplaces_goals(client_for, cast):
    make_agreement(cast, Status.ACTIVE)
    slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
    from meetings.visits.services import visit_book

    visit = visit_book(slot=slot, booker=cast.member, purpose="Se legepladsen")
    content = client_for(cast.member).get(visit.get_absolute_url()).content.decode()
    assert 'data-testid="workplace-goals"' in content and "Mål 1" in content


def test_the_dashboard_lists_what_waits_for_the_person(client_for, cast):
    submitted = make_agreement(cast, Status.SUBMITTED)
    content = client_for(cast.member).get(reverse("home")).content.decode()
    assert f'data-testid="agreement-task-{submitted.pk}"' in content
    content = client_for(cast.leader).get(reverse("home")).content.decode()
    assert f'data-testid="agreement-task-{submitted.pk}"' not in content  # the leader waits for the committee


def test_the_dashboard_query_count_stays_the_same_as_agreements_grow(client_for, cast, django_assert_num_queries):
    client = client_for(cast.leader)
    _more_workplaces(cast, 1, status=Status.APPROVED, goals=1)
    few = _count_dashboard(client)
    _more_workplaces(cast, 3, status=Status.APPROVED, goals=1)
    with django_assert_num_queries(few):
        client.get(reverse("home"))


def _waiting_agreements(cast):
    """Agreements in every state that gives someone a task: one in consultation with a consultee, one submitted,
    one approved and signed by the workplace, one approved and signed by nobody yet."""
    consulted = make_agreement(cast, Status.DRAFT)
    services.agreement_consultation_open(agreement=consulted, actor=cast.leader, consultees=[cast.trio])
    for status, signed in ((Status.SUBMITTED, False), (Status.APPROVED, True), (Status.APPROVED, False)):
        workplace = factories.WorkplaceFactory(committees=[cast.committee])
        factories.WorkplaceRoleFactory(user=cast.leader, workplace=workplace)
        cast.leader.__dict__.pop("_roles_cache", None)
        agreement = make_agreement(cast, status, workplace=workplace)
        if signed:
            step(agreement, cast, "sign_workplace")
    for person in (cast.leader, cast.chair, cast.member, cast.trio):
        person.__dict__.pop("_roles_cache", None)


@pytest.mark.parametrize("who", ["leader", "member", "chair", "trio"])
def test_the_dashboard_tasks_take_one_query_with_none_one_and_many(cast, who, django_assert_num_queries):
    """Consulted or not, approved or not, signed or not: no query more (issue 19)."""
    person = getattr(cast, who)
    assert person.roles is not None  # the roles come from the cache on a request
    with django_assert_num_queries(1):
        assert selectors.dashboard_tasks(person) == []
    _waiting_agreements(cast)
    person.__dict__.pop("_roles_cache", None)
    assert person.roles is not None
    with django_assert_num_queries(1):
        selectors.dashboard_tasks(person)


def test_the_dashboard_tasks_say_who_signs_and_who_comments(cast):
    _waiting_agreements(cast)
    approved = list(Agreement.objects.filter(status=Status.APPROVED).order_by("pk"))
    leader = {t.agreement.pk: t.text for t in selectors.dashboard_tasks(cast.leader)}
    chair = {t.agreement.pk: t.text for t in selectors.dashboard_tasks(cast.chair)}
    trio = {t.agreement.pk: t.text for t in selectors.dashboard_tasks(cast.trio)}
    assert approved[0].pk not in leader  # the workplace has signed it
    assert leader[approved[1].pk] == "Underskriv aftalen"
    assert chair[approved[0].pk] == chair[approved[1].pk] == "Underskriv aftalen"
    consulted = Agreement.objects.get(status=Status.CONSULTATION)
    assert trio[consulted.pk] == "Kommenter udkastet"
    assert list(trio) == [consulted.pk]


@pytest.mark.parametrize("who", ["leader", "member"])
def test_the_dashboards_run_the_same_queries_with_no_agreements_and_with_every_kind(client_for, cast, who):
    client = client_for(getattr(cast, who))
    empty = _count_dashboard(client)
    _waiting_agreements(cast)
    assert _count_dashboard(client) == empty
    assert client.get(reverse("home")).context["board"].agreement_tasks


def test_the_previous_agreement_skips_one_replaced_by_its_amendment(cast):
    year = timezone.localdate().year
    old = make_agreement(cast, Status.ACTIVE, year=year - 1)
    # An active agreement of last year, amended and replaced.
    amendment = services.agreement_amend(agreement=old, actor=cast.leader)
    from .conftest import step

    for name in ["consult", "submit", "approve", "sign_workplace", "sign_committee"]:
        step(amendment, cast, name)
    assert services.previous_agreement(cast.workplace, cast.committee, dt.date(year, 1, 1)) == amendment


def test_the_shared_goal_list_query_count_stays_the_same(client_for, cast, django_assert_num_queries):
    client = client_for(cast.chair)
    url = reverse("agreements:sharedgoal-list")
    factories.SharedGoalFactory(committee=cast.committee)
    few = _count(client, url)
    factories.SharedGoalFactory.create_batch(4, committee=cast.committee)
    factories.SharedGoalFactory.create_batch(2)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count('class="card mb-3"') == 7


def test_the_committee_page_links_its_members_to_the_overview(client_for, cast):
    url = reverse("meetings:committee-detail", args=[cast.committee.slug])
    assert 'data-testid="committee-agreements-link"' in client_for(cast.member).get(url).content.decode()
    assert 'data-testid="committee-agreements-link"' not in client_for(cast.leader).get(url).content.decode()


def test_the_dashboard_tells_a_leader_which_agreement_is_missing_this_year(client_for, cast):
    url = reverse("home")
    assert f'data-testid="agreement-missing-{cast.workplace.slug}"' in client_for(cast.leader).get(url).content.decode()
    make_agreement(cast)
    assert (
        f'data-testid="agreement-missing-{cast.workplace.slug}"'
        not in client_for(cast.leader).get(url).content.decode()
    )
