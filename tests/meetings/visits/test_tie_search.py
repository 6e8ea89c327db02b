"""Declaring a tie searches the workplaces as one types (core/pickers.py) instead of a select of every active
workplace (2,000 at the largest municipality's scale); without JavaScript a typed name is resolved by the server,
and a name that fits several lists them to choose from (issue 19)."""

import pytest
from django.urls import reverse

from core.pickers import LIMIT
from meetings.models import WorkplaceTie
from tests import factories

pytestmark = pytest.mark.django_db

PAGE = reverse("meetings:workplace-tie-list")
SEARCH = reverse("meetings:workplace-tie-search")


def _declare(client, **data):
    return client.post(PAGE, {"kind": WorkplaceTie.Kind.BOARD, "note": "", **data})


def test_an_anonymous_visitor_cannot_search_the_workplaces(client):
    response = client.get(SEARCH, {"q": "b"})
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


@pytest.mark.parametrize("role", ["member", "leader", "outsider", "administrator"])
def test_anyone_signed_in_may_search_the_active_workplaces_as_on_the_form(client_for, cast, role):
    factories.WorkplaceFactory(slug="lukket", name="Børnehuset Lukket", is_active=False)
    data = client_for(getattr(cast, role)).get(SEARCH, {"q": "børnehuset"}).json()
    assert data == {"results": [{"value": str(cast.workplace.pk), "label": "Børnehuset Solsikken"}], "more": False}


def test_the_search_answers_a_limited_number_and_says_there_are_more(client_for, cast):
    for n in range(LIMIT + 5):
        factories.WorkplaceFactory(slug=f"sted-{n}", name=f"Sted {n:02}")
    data = client_for(cast.member).get(SEARCH, {"q": "sted"}).json()
    assert len(data["results"]) == LIMIT
    assert data["more"] is True


def test_the_form_lists_no_workplaces_however_many_there_are(client_for, cast, django_assert_num_queries):
    client = client_for(cast.member)
    client.get(PAGE)
    # Their ties; the session, the person and their roles come from the cache. None for the workplaces.
    with django_assert_num_queries(1):
        few = client.get(PAGE).content.decode()
    for n in range(40):
        factories.WorkplaceFactory(slug=f"sted-{n}", name=f"Sted {n:02}")
    with django_assert_num_queries(1):
        many = client.get(PAGE).content.decode()
    assert few.count("<option") == many.count("<option")
    assert "Sted 07" not in many and "Plejecenter Egebo" not in many


def test_a_typed_name_without_javascript_declares_the_tie(client_for, cast):
    response = _declare(client_for(cast.member), workplace_navn="plejecenter egebo", workplace="")
    assert response.status_code == 302
    assert WorkplaceTie.objects.get(person=cast.member).workplace == cast.other_workplace


def test_the_chosen_workplace_from_the_search_declares_the_tie(client_for, cast):
    client = client_for(cast.member)
    _declare(client, workplace_navn="Børnehuset Solsikken", workplace=str(cast.workplace.pk))
    assert WorkplaceTie.objects.get(person=cast.member).workplace == cast.workplace


def test_a_name_that_fits_several_lists_them_and_one_is_chosen(client_for, cast):
    third = factories.WorkplaceFactory(slug="maelkeboetten", name="Børnehuset Mælkebøtten")
    client = client_for(cast.member)
    response = _declare(client, workplace_navn="børnehuset", workplace="", note="Formand")
    assert response.status_code == 200
    assert not WorkplaceTie.objects.exists()
    content = response.content.decode()
    assert "Flere arbejdspladser passer med »børnehuset«. Vælg en af dem nedenfor." in content
    assert 'data-testid="tie-matches"' in content and "Børnehuset Mælkebøtten" in content
    assert 'value="Formand"' in content  # what was typed is kept
    _declare(client, workplace_navn="børnehuset", workplace="", workplace_choice=str(third.pk))
    assert WorkplaceTie.objects.get(person=cast.member).workplace == third


def test_a_name_that_fits_nothing_or_an_empty_field_is_refused_in_danish(client_for, cast):
    client = client_for(cast.member)
    content = _declare(client, workplace_navn="Zebra", workplace="").content.decode()
    assert "Intet passer med »Zebra«." in content
    content = _declare(client, workplace_navn="", workplace="").content.decode()
    assert "Skriv arbejdspladsens navn, og vælg den." in content
    assert not WorkplaceTie.objects.exists()


def test_a_closed_workplace_cannot_be_chosen_even_by_its_number(client_for, cast):
    closed = factories.WorkplaceFactory(slug="lukket", name="Lukket", is_active=False)
    response = _declare(client_for(cast.member), workplace=str(closed.pk))
    assert response.status_code == 200
    assert not WorkplaceTie.objects.exists()
