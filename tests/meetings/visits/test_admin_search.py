"""The secretariat's visit list searches workplaces and politicians as one types (core/pickers.py) instead of
listing every one of them in a select; without JavaScript a typed name is resolved by the server."""

import pytest
from django.urls import reverse

from core.versioned_cache import model_version_bump
from meetings.models import Visit
from meetings.visits import selectors
from tests import factories

from .conftest import book

pytestmark = pytest.mark.django_db

LIST = "meetings:visit-admin-list"


@pytest.fixture
def visits(cast):
    """Visits at the cast's two workplaces and at a second 'Børnehuset'; the member and the other member took part."""
    here = book(factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader), cast.member)
    there = book(
        factories.VisitSlotFactory(workplace=cast.other_workplace, offer__created_by=cast.other_leader),
        cast.other_member,
    )
    third = factories.WorkplaceFactory(slug="maelkeboetten", name="Børnehuset Mælkebøtten", committees=[cast.committee])
    book(factories.VisitSlotFactory(workplace=third, offer__created_by=cast.leader), cast.chair)
    return here, there


def _visit(workplace, person, days_ahead):
    """A visit created directly (no booking rules: many of them for one person)."""
    slot = factories.VisitSlotFactory(
        workplace=workplace, starts_at=factories.next_weekday_at(9, days_ahead=days_ahead)
    )
    visit = Visit.objects.create(
        slot=slot,
        workplace=workplace,
        booked_by=person,
        purpose="Se huset.",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
    )
    visit.participants.create(person=person)
    return visit


def _shown(response):
    return {visit.pk for visit in response.context["page"].object_list}


# --- The endpoints ----------------------------------------------------------------------------------------------


def test_the_workplace_search_answers_names_containing_the_text(client_for, cast, visits):
    client = client_for(cast.administrator)
    data = client.get(reverse("meetings:visit-admin-workplace-search"), {"q": "børnehuset"}).json()
    assert data == {
        "results": [
            {"value": "solsikken", "label": "Børnehuset Solsikken"},
            {"value": "maelkeboetten", "label": "Børnehuset Mælkebøtten"},
        ][::-1],
        "more": False,
    }


def test_the_searches_answer_only_what_can_be_picked(client_for, cast, visits):
    factories.WorkplaceFactory(slug="uden", name="Børnehuset Uden Besøg")
    client = client_for(cast.administrator)
    workplaces = client.get(reverse("meetings:visit-admin-workplace-search"), {"q": "uden"}).json()
    people = client.get(reverse("meetings:visit-admin-person-search"), {"q": "test"}).json()
    assert workplaces["results"] == []
    # Only the people who took part in a visit, not the leaders, the outsider or the secretariat.
    assert [row["label"] for row in people["results"]] == ["Test chair", "Test member", "Test other member"]
    assert people["results"][1]["value"] == str(cast.member.pk)


def test_a_search_says_when_there_are_more_than_it_shows(client_for, cast):
    for n in range(12):
        workplace = factories.WorkplaceFactory(slug=f"sted-{n}", name=f"Sted {n:02}", committees=[cast.committee])
        _visit(workplace, cast.member, 20 + n)
    data = client_for(cast.administrator).get(reverse("meetings:visit-admin-workplace-search"), {"q": "sted"}).json()
    assert len(data["results"]) == 10
    assert data["more"] is True


@pytest.mark.parametrize("role", ["member", "leader", "chair", "outsider"])
def test_only_the_secretariat_may_search(client_for, cast, visits, role):
    client = client_for(getattr(cast, role))
    for name in ("meetings:visit-admin-workplace-search", "meetings:visit-admin-person-search"):
        assert client.get(reverse(name), {"q": "test"}).status_code == 404


def test_a_search_runs_one_query_however_many_match(client_for, cast, visits, django_assert_max_num_queries):
    client = client_for(cast.administrator)
    client.get(reverse("meetings:visit-admin-person-search"), {"q": "t"})
    with django_assert_max_num_queries(5):  # session, user, roles, the search
        client.get(reverse("meetings:visit-admin-person-search"), {"q": "t"})


# --- The page -----------------------------------------------------------------------------------------------------


def test_the_page_lists_no_workplace_or_person_as_options(client_for, cast, visits):
    page = client_for(cast.administrator).get(reverse(LIST)).content.decode()
    assert "<option" in page  # the status select only
    assert "Plejecenter Egebo" in page  # in the visits' table, not in a select
    assert 'value="egebo"' not in page
    assert f'value="{cast.other_member.pk}"' not in page


def test_a_link_with_the_value_filters_as_before_and_shows_the_name(client_for, cast, visits):
    here, there = visits
    response = client_for(cast.administrator).get(reverse(LIST), {"arbejdsplads": "egebo"})
    assert _shown(response) == {there.pk}
    assert 'value="Plejecenter Egebo"' in response.content.decode()
    by_person = client_for(cast.administrator).get(reverse(LIST), {"person": cast.member.pk})
    assert _shown(by_person) == {here.pk}
    assert 'value="Test member"' in by_person.content.decode()


def test_a_typed_name_without_javascript_is_resolved(client_for, cast, visits):
    here, there = visits
    client = client_for(cast.administrator)
    response = client.get(reverse(LIST), {"arbejdsplads": "", "arbejdsplads_navn": "egebo", "person_navn": ""})
    assert _shown(response) == {there.pk}
    assert response.context["picks"]["arbejdsplads"].value == "egebo"
    # An exact name wins over the names that contain it.
    exact = client.get(reverse(LIST), {"arbejdsplads_navn": "", "person_navn": "test MEMBER"})
    assert _shown(exact) == {here.pk}


def test_a_name_that_fits_several_lists_them_and_shows_no_visits(client_for, cast, visits):
    response = client_for(cast.administrator).get(reverse(LIST), {"arbejdsplads_navn": "Børnehuset", "status": ""})
    page = response.content.decode()
    assert _shown(response) == set()
    assert "Børnehuset Solsikken" in page and "Børnehuset Mælkebøtten" in page
    assert 'value="Børnehuset"' in page  # what was typed is kept
    links = {label: href for href, label in response.context["pick_links"]["arbejdsplads"]}
    assert "arbejdsplads=solsikken" in links["Børnehuset Solsikken"]
    chosen = client_for(cast.administrator).get(reverse(LIST) + links["Børnehuset Solsikken"])
    assert _shown(chosen) == {visits[0].pk}


def test_a_name_that_fits_nothing_says_so(client_for, cast, visits):
    response = client_for(cast.administrator).get(reverse(LIST), {"person_navn": "Ingen Sådan"})
    assert _shown(response) == set()
    assert response.context["picks"]["person"].unmatched
    assert 'aria-invalid="true"' in response.content.decode()


def test_changing_the_text_overrides_a_stale_chosen_value(client_for, cast, visits):
    """Without JavaScript the hidden value stays from the last search; the text the person changed decides."""
    here, there = visits
    client = client_for(cast.administrator)
    kept = client.get(reverse(LIST), {"arbejdsplads": "egebo", "arbejdsplads_navn": "Plejecenter Egebo"})
    assert _shown(kept) == {there.pk}
    changed = client.get(reverse(LIST), {"arbejdsplads": "egebo", "arbejdsplads_navn": "Solsikken"})
    assert _shown(changed) == {here.pk}
    cleared = client.get(reverse(LIST), {"arbejdsplads": "egebo", "arbejdsplads_navn": ""})
    assert len(_shown(cleared)) == 3


def test_the_export_follows_the_typed_name(client_for, cast, visits):
    client = client_for(cast.administrator)
    body = client.get(reverse("meetings:visit-export"), {"arbejdsplads_navn": "Egebo"}).content.decode("utf-8-sig")
    assert "Plejecenter Egebo" in body
    assert "Børnehuset Solsikken" not in body


def test_the_page_runs_the_same_queries_however_many_workplaces_and_people(
    client_for, cast, visits, django_assert_num_queries
):
    client = client_for(cast.administrator)
    query = {"arbejdsplads": "egebo", "person": cast.other_member.pk}
    client.get(reverse(LIST), query)
    with django_assert_num_queries(2):  # the two picks cost one query each; the table is kept in the cache
        client.get(reverse(LIST), query)
    model_version_bump(Visit)  # the table built anew: + its count, its rows and their participants
    with django_assert_num_queries(5) as before:  # the two selects' lists cost none
        client.get(reverse(LIST), query)
    for n in range(5):
        workplace = factories.WorkplaceFactory(slug=f"sted-{n}", name=f"Sted {n}", committees=[cast.committee])
        _visit(workplace, cast.member, 20 + n)
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(reverse(LIST), query)


def test_the_resolver_without_text_keeps_an_unknown_value():
    picker = selectors.admin_workplace_picker()
    assert picker.resolve(value="findes-ikke", text=None).value == "findes-ikke"
    assert picker.resolve(value="", text=None).value == ""
