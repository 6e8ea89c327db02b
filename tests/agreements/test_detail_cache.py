"""The agreement's page keeps what every reader sees (the document, signatures, versions and history), its row and
each person's comments and last seen version under the versions of what they read (issue 19): every change shows
on the next request, and nothing one person may see or do reaches another."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from agreements import services
from agreements.errors import AgreementError
from agreements.models import Agreement, FollowUp, Goal, Status
from meetings.models import User
from meetings.models.organisation import roles_version_bump

from .conftest import GOAL, make_agreement, sign, step

pytestmark = pytest.mark.django_db


def _page(client, agreement) -> str:
    response = client.get(reverse("agreements:agreement-detail", args=[agreement.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("goals", [1, 5])
def test_a_warm_agreement_page_runs_no_query_and_a_fixed_number_when_built_anew(
    cast, client_for, django_assert_num_queries, goals
):
    agreement = make_agreement(cast, Status.ACTIVE, goals=goals)
    services.followup_record(
        agreement=agreement,
        actor=cast.leader,
        entries=[(g, FollowUp.Kind.MIDTERM, FollowUp.Status.ON_TRACK, "Godt i gang.") for g in agreement.goals.all()],
    )
    client = client_for(cast.leader)
    _page(client, agreement)
    with django_assert_num_queries(0):
        _page(client, agreement)
    cache.clear()
    client.force_login(cast.leader)
    # the session, the person, their roles and TOTP (3); the agreement and its consultees; goals, follow-ups,
    # versions, signatures and events; the comments and the version last seen: the same with one goal or five
    with django_assert_num_queries(11):
        _page(client, agreement)


def test_the_agreement_page_shows_every_change_of_what_it_keeps_at_once(cast, client_for):
    agreement = make_agreement(cast, Status.DRAFT, goals=1)
    client = client_for(cast.leader)
    assert "Mål 1" in _page(client, agreement)

    goal = agreement.goals.get()
    services.goal_save(agreement=agreement, actor=cast.leader, goal=goal, data={**GOAL, "title": "Flere børn leger"})
    assert "Flere børn leger" in _page(client, agreement)
    Goal.objects.filter(pk=goal.pk).update(indicator="Trivselsmålingen i marts.")  # a bulk write, no signal
    assert "Trivselsmålingen i marts." in _page(client, agreement)
    services.agreement_update(
        agreement=agreement,
        actor=cast.leader,
        core_task="Tryghed, leg og læring for alle.",
        support=agreement.support,
        follow_up_plan=agreement.follow_up_plan,
    )
    assert "Tryghed, leg og læring for alle." in _page(client, agreement)

    events = _page(client, agreement).count('<li class="mb-2"><strong>')
    step(agreement, cast, "consult")  # a state change: the status, the steps and the history
    page = _page(client, agreement)
    assert 'data-status="consultation"' in page
    assert page.count('<li class="mb-2"><strong>') == events + 1  # its event in the history
    services.comment_add(agreement=agreement, actor=cast.trio, body="Husk forældrene.")
    assert "Husk forældrene." in _page(client, agreement)

    for name in ("submit", "approve"):
        step(agreement, cast, name)
    assert "Ikke underskrevet endnu." in _page(client, agreement)
    sign(agreement, cast.leader, "workplace")  # a signature
    page = _page(client, agreement)
    assert "Test leader (" in page
    assert 'id="agreement-sign"' not in page  # the workplace's side is signed: the leader has nothing left to sign

    cast.leader.full_name = "Lene Leder"  # a name change
    cast.leader.save()
    assert "Lene Leder (" in _page(client, agreement)
    User.objects.filter(pk=cast.leader.pk).update(full_name="Lene L. Leder")  # a bulk write of people
    roles_version_bump()  # as every bulk write of people must (docs/architecture.md)
    assert "Lene L. Leder (" in _page(client, agreement)

    sign(agreement, cast.chair, "committee")
    agreement.refresh_from_db()
    assert agreement.status == Status.ACTIVE
    assert 'data-status="active"' in _page(client, agreement)
    goal.refresh_from_db()
    services.followup_record(  # a follow-up
        agreement=agreement,
        actor=cast.leader,
        entries=[(goal, FollowUp.Kind.MIDTERM, FollowUp.Status.AT_RISK, "Vi mangler tid.")],
    )
    assert "Vi mangler tid." in _page(client, agreement)
    FollowUp.objects.filter(goal=goal).update(note="Vi mangler hænder.")  # a bulk write
    assert "Vi mangler hænder." in _page(client, agreement)


def test_a_signed_agreement_stays_unchangeable(cast, client_for):
    agreement = make_agreement(cast, Status.ACTIVE, goals=1)
    _page(client_for(cast.leader), agreement)
    goal = agreement.goals.get()
    with pytest.raises(AgreementError):
        services.goal_save(agreement=agreement, actor=cast.leader, goal=goal, data={**GOAL, "title": "Ændret"})
    goal.title = "Ændret"
    with pytest.raises(AgreementError):
        goal.save()  # the model refuses too, whoever calls it
    assert "Ændret" not in _page(client_for(cast.leader), agreement)


def test_no_person_or_role_of_one_reader_reaches_another(cast, client_for):
    agreement = make_agreement(cast, Status.CONSULTATION, goals=1)
    services.comment_add(agreement=agreement, actor=cast.trio, body="Husk forældrene.")
    services.version_seen(agreement=agreement, person=cast.trio, number=1)
    # the administrator first: their audit-log link stays theirs
    assert 'data-testid="auditlog-history-link"' in _page(client_for(cast.administrator), agreement)
    leader_page = _page(client_for(cast.leader), agreement)
    assert 'data-testid="auditlog-history-link"' not in leader_page
    assert 'id="agreement-submit"' in leader_page
    assert "Marker som løst" in leader_page  # the leader may resolve any comment

    step(agreement, cast, "submit")
    services.comment_add(agreement=agreement, actor=cast.member, body="Skarpere mål, tak.")
    trio_page = _page(client_for(cast.trio), agreement)
    assert 'id="agreement-submit"' not in trio_page
    assert "Ny siden sidst" not in trio_page  # the trio saw version 1
    step(agreement, cast, "request_changes")
    step(agreement, cast, "resubmit")  # version 2, new to the trio, not to whoever has not opened any version
    trio_page = _page(client_for(cast.trio), agreement)
    member_page = _page(client_for(cast.member), agreement)
    assert "Ny siden sidst" in trio_page
    assert "Ny siden sidst" not in member_page

    # a reader who may not see the workings (another committee's member, the agreement signed) sees no versions and
    # no comments, though the page was kept for those who may
    for name in ("approve", "sign_workplace", "sign_committee"):
        step(agreement, cast, name)
    assert 'data-testid="versions"' in _page(client_for(cast.leader), agreement)
    other = _page(client_for(cast.other_member), agreement)
    assert 'data-testid="versions"' not in other
    assert "Skarpere mål, tak." not in other


def test_a_kept_agreement_is_still_refused_to_those_who_may_not_see_it(cast, client_for):
    agreement = make_agreement(cast, Status.CONSULTATION, goals=1)
    _page(client_for(cast.leader), agreement)
    url = reverse("agreements:agreement-detail", args=[agreement.pk])
    assert client_for(cast.outsider).get(url).status_code == 404
    agreement.consultees.add(cast.outsider)  # asked for the consultation: a many-to-many change
    assert client_for(cast.outsider).get(url).status_code == 200
    agreement.consultees.remove(cast.outsider)
    assert client_for(cast.outsider).get(url).status_code == 404
    Agreement.objects.filter(pk=agreement.pk).update(status=Status.DRAFT)  # a bulk write: the trio sees no draft
    assert client_for(cast.trio).get(url).status_code == 404


def test_the_agreement_page_is_kept_per_language(cast, client_for):
    agreement = make_agreement(cast, Status.DRAFT, goals=1)
    client = client_for(cast.leader)
    cast.leader.language = "da"
    cast.leader.save()
    assert "Hvor står vi nu" in _page(client, agreement)
    cast.leader.language = "en"
    cast.leader.save()
    page = _page(client, agreement)
    assert "Where we are now" in page
    assert "Hvor står vi nu" not in page


def test_a_refused_comment_shows_the_whole_page_again_with_the_form(cast, client_for):
    agreement = make_agreement(cast, Status.CONSULTATION, goals=1)
    client = client_for(cast.trio)
    _page(client, agreement)  # kept
    response = client.post(reverse("agreements:comment-create", args=[agreement.pk]), {"body": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mål 1" in page  # the document
    assert 'data-testid="history"' in page
    assert 'id="comment-form"' in page
