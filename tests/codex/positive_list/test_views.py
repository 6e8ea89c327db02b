"""The positive list's pages: public reading without names, the forms keep what was typed, the list pages run a fixed
number of queries, and the dashboards show the reviews due."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from codex.models import PolicyItem
from codex.positive_list import services
from tests import factories

TODAY = timezone.localdate


@pytest.fixture
def items(cast):
    owned = factories.PolicyItemFactory(
        committee=cast.committee,
        title="Dokumentation af læreplaner",
        kind="fixed_requirement",
        owner_kind="head_of_centre",
        owner_title="Centerchef for Dagtilbud",
        owner_person=cast.leader,
        next_review_on=TODAY() + dt.timedelta(days=10),
    )
    gone = factories.PolicyItemFactory(committee=cast.committee, title="Ugentlig trivselsmåling")
    services.policy_item_review(item=gone, actor=cast.chair, decision="abolish", reason="Ingen brugte tallene.")
    council = factories.PolicyItemFactory(title="Sammenhængende børnepolitik", kind="policy")
    return owned, gone, council


def test_the_public_list_shows_what_is_in_force_and_separately_what_was_removed(client, cast, items):
    owned, gone, _council = items
    url = reverse("codex:policy-list-detail", args=[cast.committee.slug])
    page = client.get(url).content.decode()
    assert owned.title in page and gone.title not in page
    assert "Centerchef for Dagtilbud" in page
    removed = client.get(url, {"vis": "fjernet"}).content.decode()
    assert gone.title in removed and owned.title not in removed and "Ingen brugte tallene." in removed


def test_the_public_pages_name_no_person(client, cast, items):
    owned, gone, _council = items
    for url in (
        reverse("codex:policy-list-index"),
        reverse("codex:policy-list-detail", args=[cast.committee.slug]),
        reverse("codex:policy-list-detail", args=[cast.committee.slug]) + "?vis=fjernet",
        owned.get_absolute_url(),
        gone.get_absolute_url(),
    ):
        page = client.get(url).content.decode()
        assert client.get(url).status_code == 200
        for person in (cast.leader, cast.chair):
            assert person.full_name not in page and person.email not in page, url


def test_a_signed_in_person_sees_the_owner_and_the_history(client_for, cast, items):
    owned, gone, _council = items
    page = client_for(cast.member).get(gone.get_absolute_url()).content.decode()
    assert cast.chair.full_name in page  # who recorded the review
    assert client_for(cast.member).get(owned.get_absolute_url()).content.decode().count(cast.leader.full_name) >= 1


def test_the_city_councils_list(client, items):
    _owned, _gone, council = items
    page = client.get(reverse("codex:policy-list-detail", args=["byraadet"])).content.decode()
    assert council.title in page


def test_an_unknown_list_is_not_found(client, cast):
    assert client.get(reverse("codex:policy-list-detail", args=["findes-ikke"])).status_code == 404


def test_search_and_filters(client, cast, items):
    url = reverse("codex:policy-list-detail", args=[cast.committee.slug])
    factories.PolicyItemFactory(
        committee=cast.committee, title="Mødeplan for skoler", demands_reporting=False, demands_meetings=True
    )
    page = client.get(url, {"q": "læreplaner"}).content.decode()
    assert "Dokumentation af læreplaner" in page and "Mødeplan for skoler" not in page
    page = client.get(url, {"demand": "meetings"}).content.decode()
    assert "Mødeplan for skoler" in page and "Dokumentation af læreplaner" not in page
    page = client.get(url, {"kind": "fixed_requirement"}).content.decode()
    assert "Dokumentation af læreplaner" in page and "Mødeplan for skoler" not in page


def test_the_list_page_runs_the_same_queries_however_long_the_list(client, cast, django_assert_num_queries):
    url = reverse("codex:policy-list-detail", args=[cast.committee.slug])
    factories.PolicyItemFactory.create_batch(3, committee=cast.committee)
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
    factories.PolicyItemFactory.create_batch(40, committee=cast.committee)
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(3):
        assert client.get(url, {"q": "Politik", "page": "2"}).status_code == 200


def test_the_overview_runs_the_same_queries_however_many_lists(client, cast, django_assert_num_queries):
    factories.PolicyItemFactory.create_batch(3, committee=cast.committee)
    with django_assert_num_queries(2):
        client.get(reverse("codex:policy-list-index"))
    factories.CommitteeFactory.create_batch(4)
    factories.PolicyItemFactory.create_batch(3, committee=cast.other_committee)
    with django_assert_num_queries(2):
        page = client.get(reverse("codex:policy-list-index"))
    assert cast.other_committee.name in page.content.decode()


def test_the_chair_adds_an_item(client_for, cast):
    client = client_for(cast.chair)
    assert client.get(reverse("codex:policy-item-create") + f"?liste={cast.committee.slug}").status_code == 200
    response = client.post(
        reverse("codex:policy-item-create"),
        {
            "policy_list": cast.committee.slug,
            "title": "Indberetning af sygefravær",
            "kind": "data_demand",
            "owner_kind": "committee",
            "demands_reporting": "on",
            "demands": "Månedlig indberetning.",
            "adopted_on": "2025-01-01",
            "next_review_on": (TODAY() + dt.timedelta(days=200)).isoformat(),
        },
    )
    item = PolicyItem.objects.get(title="Indberetning af sygefravær")
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.committee == cast.committee and item.demands_reporting and item.created_by == cast.chair


def test_a_chair_cannot_choose_the_city_councils_list(client_for, cast):
    page = client_for(cast.chair).get(reverse("codex:policy-item-create")).content.decode()
    assert 'value="byraadet"' not in page and f'value="{cast.committee.slug}"' in page
    assert f'value="{cast.other_committee.slug}"' not in page


def test_a_refused_item_keeps_what_was_typed(client_for, cast):
    response = client_for(cast.administrator).post(
        reverse("codex:policy-item-create"),
        {
            "policy_list": "byraadet",
            "title": "Strategi for velfærdsteknologi",
            "kind": "strategy",
            "owner_kind": "committee",
            "adopted_on": "2025-01-01",
            "next_review_on": "2027-01-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and not PolicyItem.objects.exists()
    assert "Strategi for velfærdsteknologi" in page
    assert "ejes af et udvalg" in page


def test_an_item_in_force_is_edited_through_the_service(client_for, cast, items):
    owned, _gone, _council = items
    data = {name: getattr(owned, name) for name in services.EDITABLE_FIELDS}
    data.update(title="Dokumentation af læreplaner (forenklet)", owner_person=cast.leader.pk)
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}
    response = client_for(cast.leader).post(reverse("codex:policy-item-edit", args=[owned.pk]), data)
    assert response.status_code == 302
    owned.refresh_from_db()
    assert owned.title.endswith("(forenklet)")
    assert owned.events.get(kind="changed").changes["title"][1] == owned.title


def test_a_removed_item_cannot_be_edited_or_reviewed(client_for, cast, items):
    _owned, gone, _council = items
    client = client_for(cast.administrator)
    assert client.get(reverse("codex:policy-item-edit", args=[gone.pk])).status_code == 403
    assert client.post(reverse("codex:policy-item-review", args=[gone.pk]), {"decision": "keep"}).status_code == 403


def test_the_review_form_abolishes_and_the_list_shows_it_removed(client_for, cast, items):
    owned, _gone, _council = items
    client = client_for(cast.chair)
    response = client.post(
        reverse("codex:policy-item-review", args=[owned.pk]),
        {"decision": "abolish", "reason": "Dokumentationen bruges ikke.", "decided_on": TODAY().isoformat()},
    )
    assert response.status_code == 302
    removed = client.get(reverse("codex:policy-list-detail", args=[cast.committee.slug]), {"vis": "fjernet"})
    assert owned.title in removed.content.decode()


def test_a_review_without_a_reason_keeps_what_was_typed(client_for, cast, items):
    owned, _gone, _council = items
    response = client_for(cast.chair).post(
        reverse("codex:policy-item-review", args=[owned.pk]),
        {"decision": "simplify", "reason": "", "changes": "Kun én gang om året.", "decided_on": TODAY().isoformat()},
    )
    assert response.status_code == 200 and "Kun én gang om året." in response.content.decode()
    assert not owned.reviews.exists()


def test_the_politicians_dashboard_shows_their_committees_reviews_due(client_for, cast, items):
    page = client_for(cast.member).get(reverse("home")).content.decode()
    assert 'data-testid="dashboard-policy-reviews"' in page and cast.committee.name in page
    assert (
        'data-testid="dashboard-policy-reviews"'
        not in client_for(cast.other_member).get(reverse("home")).content.decode()
    )


def test_the_leaders_dashboard_shows_the_reviews_due_on_their_committees_lists(client_for, cast, items):
    owned, _gone, council = items
    council.next_review_on = TODAY() + dt.timedelta(days=3)
    council.save()
    page = client_for(cast.leader).get(reverse("home")).content.decode()
    assert owned.title in page and council.title in page
    other = client_for(cast.other_leader).get(reverse("home")).content.decode()
    assert owned.title not in other and council.title in other


def test_the_codex_page_links_the_list(client, db):
    assert reverse("codex:policy-list-index") in client.get(reverse("codex:codex-detail")).content.decode()
