"""The audit log's person filter searches the people in the log as one types (core/pickers.py) instead of a select of
everyone; without JavaScript a typed name is resolved by the server (issue 19)."""

import html

import pytest
from django.urls import reverse

from core.audit import audit_record
from core.pickers import LIMIT
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("auditlog:entry-list")
SEARCH = reverse("auditlog:actor-search")


def _act(person, n=1):
    for _ in range(n):
        audit_record(actor=person, action="organisation.imported", object_type="organisation")


def _page(client, query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return response, html.unescape(response.content.decode())


def _rows(content: str) -> int:
    return content.count('data-testid="auditlog-row"')


@pytest.mark.parametrize(
    "role", ["chair", "vice_chair", "member", "other_member", "leader", "trio", "other_leader", "outsider"]
)
def test_only_administrators_may_search_the_people_of_the_log(client_for, cast, role):
    _act(cast.leader)
    assert client_for(getattr(cast, role)).get(SEARCH, {"q": "test"}).status_code == 404


def test_an_anonymous_visitor_cannot_search_the_people_of_the_log(client):
    response = client.get(SEARCH, {"q": "test"})
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_the_search_answers_only_people_who_did_something_in_the_log(client_for, cast):
    _act(cast.leader)
    _act(cast.chair)
    data = client_for(cast.administrator).get(SEARCH, {"q": "test"}).json()
    assert data == {
        "results": [
            {"value": str(cast.chair.pk), "label": "Test chair"},
            {"value": str(cast.leader.pk), "label": "Test leader"},
        ],
        "more": False,
    }


def test_the_search_answers_a_limited_number_and_says_there_are_more(client_for, cast):
    for n in range(LIMIT + 5):
        _act(factories.UserFactory(full_name=f"Person {n:02}"))
    data = client_for(cast.administrator).get(SEARCH, {"q": "person"}).json()
    assert len(data["results"]) == LIMIT
    assert data["more"] is True


def test_a_typed_name_without_javascript_shows_that_persons_entries(client_for, cast):
    _act(cast.leader, 2)
    _act(cast.chair, 3)
    response, content = _page(client_for(cast.administrator), {"person": "", "person_navn": "test LEADER"})
    assert _rows(content) == 2
    assert response.context["person"].value == str(cast.leader.pk)
    assert 'value="Test leader"' in content


def test_a_name_that_fits_several_lists_them_to_choose_from_and_shows_no_entries(client_for, cast):
    _act(cast.leader)
    _act(cast.other_leader)
    client = client_for(cast.administrator)
    response, content = _page(client, {"person_navn": "leader", "action": "organisation.*"})
    assert _rows(content) == 0
    assert "Flere passer med »leader«. Vælg en af dem:" in content
    links = {label: href for href, label in response.context["person_links"]}
    assert set(links) == {"Test leader", "Test other leader"}
    chosen = client.get(URL + links["Test other leader"])
    assert _rows(html.unescape(chosen.content.decode())) == 1
    assert "action=organisation." in links["Test leader"]  # the other filters are kept


def test_a_name_that_fits_nobody_says_so_in_danish(client_for, cast):
    _act(cast.leader)
    _, content = _page(client_for(cast.administrator), {"person_navn": "Zebra"})
    assert _rows(content) == 0
    assert "Intet passer med »Zebra«." in content


def test_a_link_with_the_persons_number_shows_their_name_in_the_field(client_for, cast):
    _act(cast.leader)
    _, content = _page(client_for(cast.administrator), {"person": cast.leader.pk})
    assert _rows(content) == 1
    assert 'value="Test leader"' in content


def test_the_filter_bar_lists_the_same_options_however_many_people_acted(client_for, cast):
    client = client_for(cast.administrator)
    _act(cast.leader)
    _, few = _page(client, {"action": ""})
    for n in range(40):
        _act(factories.UserFactory(full_name=f"Person {n:02}"))
    _, many = _page(client, {"action": ""})
    assert few.count("<option") == many.count("<option")


def test_filtering_by_a_person_runs_the_same_number_of_queries_however_many_people_acted(
    client_for, cast, django_assert_num_queries
):
    client = client_for(cast.administrator)
    _act(cast.leader, 3)
    client.get(URL)
    # Session, person (roles cached); the chosen person's name; the count, the page; the people named on it.
    with django_assert_num_queries(QUERIES):
        _, content = _page(client, {"person": cast.leader.pk})
    assert _rows(content) == 3
    for n in range(30):
        _act(factories.UserFactory(full_name=f"Person {n:02}"), 2)
    _act(cast.leader, 10)
    with django_assert_num_queries(QUERIES):
        _, content = _page(client, {"person": cast.leader.pk})
    assert _rows(content) == 13


QUERIES = 4
