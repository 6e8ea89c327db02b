"""The person's roles are cached between requests (issue 19), and every change shows on the next request."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import CommitteeMembership, User, UserRoles, WorkplaceRole
from tests import factories

pytestmark = pytest.mark.django_db


def _fresh(user) -> UserRoles:
    """The roles as a new request sees them (a new user object, as the session loads it)."""
    return User.objects.get(pk=user.pk).roles


def _role_queries(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        _fresh(user)
    return sum("UNION" in q["sql"] for q in captured.captured_queries)


def test_the_roles_are_read_once_and_then_from_the_cache(cast):
    assert _fresh(cast.member).committee_ids == {cast.committee.pk}
    assert _role_queries(cast.member) == 0


def test_a_new_seat_counts_at_once(cast):
    assert not _fresh(cast.outsider).is_politician
    factories.MembershipFactory(user=cast.outsider, committee=cast.other_committee)
    assert _fresh(cast.outsider).committee_ids == {cast.other_committee.pk}


def test_a_removed_role_stops_counting_at_once(cast):
    assert _fresh(cast.leader).is_leader
    WorkplaceRole.objects.get(user=cast.leader).delete()
    assert not _fresh(cast.leader).is_leader


def test_a_changed_seat_counts_at_once(cast):
    assert _fresh(cast.member).chair_committee_ids == frozenset()
    seat = CommitteeMembership.objects.get(user=cast.chair)
    seat.role = CommitteeMembership.Role.MEMBER
    seat.save()
    seat = CommitteeMembership.objects.get(user=cast.member)
    seat.role = CommitteeMembership.Role.CHAIR
    seat.save()
    assert _fresh(cast.member).chair_committee_ids == {cast.committee.pk}
    assert _fresh(cast.chair).chair_committee_ids == frozenset()


def test_a_role_ended_today_counts_until_midnight_and_not_after(cast, monkeypatch):
    today = timezone.localdate()
    role = WorkplaceRole.objects.get(user=cast.leader)
    role.end_date = today
    role.save()
    assert _fresh(cast.leader).is_leader  # the cache holds it for today
    monkeypatch.setattr("meetings.models.organisation._today", lambda: today + dt.timedelta(days=1))
    assert not _fresh(cast.leader).is_leader  # the next day, without any write: the date is in the entry


def test_a_role_beginning_tomorrow_counts_from_tomorrow(cast, monkeypatch):
    today = timezone.localdate()
    factories.MembershipFactory(user=cast.outsider, committee=cast.committee, start_date=today + dt.timedelta(days=1))
    assert not _fresh(cast.outsider).is_politician
    monkeypatch.setattr("meetings.models.organisation._today", lambda: today + dt.timedelta(days=1))
    assert _fresh(cast.outsider).is_politician


def test_bulk_writes_bump_the_version(cast):
    """Erasure ends roles by an update (no signals); it bumps the version by hand, as the import does."""
    from dialog_portal.privacy import _end_roles

    assert _fresh(cast.member).is_politician
    _end_roles(CommitteeMembership.objects.filter(user=cast.member), timezone.localdate() - dt.timedelta(days=1))
    assert not _fresh(cast.member).is_politician


def test_administrator_is_read_from_the_person_not_the_cache(cast):
    assert _fresh(cast.administrator).is_administrator
    User.objects.filter(pk=cast.administrator.pk).update(is_staff=False)
    assert not _fresh(cast.administrator).is_administrator


def test_a_lost_version_key_is_a_miss_never_an_old_hit(cast):
    from django.core.cache import cache

    from meetings.models.organisation import ROLES_VERSION_KEY

    assert _fresh(cast.leader).is_leader
    cache.delete(ROLES_VERSION_KEY)
    WorkplaceRole.objects.filter(user=cast.leader).update(end_date=timezone.localdate() - dt.timedelta(days=1))
    assert not _fresh(cast.leader).is_leader


def test_the_dashboard_shows_a_new_seat_on_the_next_request(client_for, cast):
    client = client_for(cast.outsider)
    assert "Politician" not in str(client.get("/").context["roles"].labels())
    factories.MembershipFactory(user=cast.outsider, committee=cast.committee)
    assert client.get("/").context["board"].memberships[0].committee == cast.committee


def test_the_cached_menu_follows_a_role_change_at_once(client_for, cast):
    client = client_for(cast.leader)
    assert 'data-testid="nav-visit-times"' in client.get("/").content.decode()
    WorkplaceRole.objects.get(user=cast.leader).delete()
    content = client.get("/").content.decode()
    assert 'data-testid="nav-visit-times"' not in content
    assert 'data-testid="nav-calendar"' in content


def test_the_cached_menu_is_per_language_and_marks_the_current_page(client_for, cast):
    client = client_for(cast.member)
    danish = client.get("/").content.decode()
    assert "Udvalg" in danish and 'aria-current="page" href="/"' in danish
    cast.member.language = "en"
    cast.member.save()
    english = client.get("/").content.decode()
    assert ">Committees<" in english and ">Udvalg<" not in english
    committees = client.get(reverse("meetings:committee-list")).content.decode()
    assert 'aria-current="page" href="/"' not in committees


def test_the_menu_of_one_person_is_not_shown_to_another_with_other_roles(client, cast):
    client.force_login(cast.administrator)
    assert 'data-testid="nav-rotation"' in client.get("/").content.decode()
    client.force_login(cast.member)
    content = client.get("/").content.decode()
    assert 'data-testid="nav-rotation"' not in content and 'data-testid="nav-visits"' in content
    assert "Test member" in content  # the person's own name, outside the cached menu


def test_every_permission_check_reads_the_roles_through_one_door(cast):
    """``UserRoles.of``: the signed-in person's roles of this request, none at all for the anonymous visitor or no
    user; ``at`` a workplace's roles, ``chairs`` chair or vice-chair (issue 19's review: the permission modules of the
    hearings, questions, stories, agreements and the codex each spelled these)."""
    from django.contrib.auth.models import AnonymousUser

    for nobody in (AnonymousUser(), None):
        roles = UserRoles.of(nobody)
        assert not roles.is_administrator and not roles.committee_ids and roles.at(cast.workplace.pk) == frozenset()
        assert not roles.chairs(cast.committee.pk)
    leader = User.objects.get(pk=cast.leader.pk)
    assert UserRoles.of(leader) is leader.roles  # the request's own, computed once
    assert UserRoles.of(leader).at(cast.workplace.pk) == {WorkplaceRole.Role.LEADER}
    assert UserRoles.of(leader).at(cast.other_workplace.pk) == frozenset()
    assert UserRoles.of(cast.chair).chairs(cast.committee.pk) and not UserRoles.of(cast.member).chairs(
        cast.committee.pk
    )
    assert UserRoles.of(cast.vice_chair).chairs(cast.committee.pk)
    assert not UserRoles.of(cast.vice_chair).chairs(cast.other_committee.pk)
