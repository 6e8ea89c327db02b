"""The workplace page's facts, people and closures are kept per workplace and language under the versions of what
they read (``meetings.views.workplace_facts``, issue 19): every change shows on the next request, through the page,
whatever path wrote it; the panels around them are the person's own and never kept with them."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation

from meetings.models import Blackout, User, Workplace, WorkplaceRole, roles_version_bump
from meetings.views import workplace_facts
from tests import factories


def _page(client, workplace) -> str:
    response = client.get(reverse("meetings:workplace-detail", args=[workplace.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_renamed_workplace_shows_at_once_by_save_and_by_bulk_update(client_for, cast):
    client = client_for(cast.member)
    assert "Børnehuset Solsikken" in _page(client, cast.workplace)
    cast.workplace.address = "Mælkebøttevej 1"
    cast.workplace.save()
    assert "Mælkebøttevej 1" in _page(client, cast.workplace)
    Workplace.objects.filter(pk=cast.workplace.pk).update(description="Leg og læring hver dag")
    assert "Leg og læring hver dag" in _page(client, cast.workplace)


def test_a_new_committee_kind_and_district_show_at_once(client_for, cast):
    client = client_for(cast.member)
    assert cast.other_committee.name not in _page(client, cast.workplace)
    cast.workplace.committees.add(cast.other_committee)
    assert cast.other_committee.name in _page(client, cast.workplace)
    cast.workplace.kind.name = "Naturbørnehave"
    cast.workplace.kind.save()
    cast.workplace.district.name = "Skovkvarteret"
    cast.workplace.district.save()
    page = _page(client, cast.workplace)
    assert "Naturbørnehave" in page and "Skovkvarteret" in page


def test_a_new_leader_and_a_new_name_show_at_once(client_for, cast):
    client = client_for(cast.member)
    newcomer = factories.UserFactory(full_name="Karen Nybegynder")
    assert "Karen Nybegynder" not in _page(client, cast.workplace)
    factories.WorkplaceRoleFactory(user=newcomer, workplace=cast.workplace, role=WorkplaceRole.Role.TRIO)
    assert "Karen Nybegynder" in _page(client, cast.workplace)
    newcomer.full_name = "Karen Gift Nybegynder"
    newcomer.save()
    assert "Karen Gift Nybegynder" in _page(client, cast.workplace)
    User.objects.filter(pk=newcomer.pk).update(full_name="Karen Andersen")  # a bulk write of people bumps by hand
    roles_version_bump()
    assert "Karen Andersen" in _page(client, cast.workplace)
    WorkplaceRole.objects.filter(user=newcomer).update(end_date=timezone.localdate() - dt.timedelta(days=1))
    assert "Karen Andersen" not in _page(client, cast.workplace)


def test_a_closure_shows_at_once_and_leaves_the_day_after_it_ends(client_for, cast, monkeypatch):
    client = client_for(cast.member)
    blackout = factories.BlackoutFactory(workplace=cast.workplace, reason="Personaledag")
    assert "Personaledag" in _page(client, cast.workplace)
    Blackout.objects.filter(pk=blackout.pk).update(reason="Kursusdag")
    assert "Kursusdag" in _page(client, cast.workplace)
    later = timezone.now() + dt.timedelta(days=20)  # past its last day: no longer a coming closure
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Kursusdag" not in workplace_facts(cast.workplace.slug)[1]


def test_the_facts_are_kept_per_language(client_for, cast):
    client = client_for(cast.member)
    assert "Niveaufri adgang" in _page(client, cast.workplace)
    with translation.override("en"):
        assert "Step-free access" in workplace_facts(cast.workplace.slug)[1]
    assert "Niveaufri adgang" in workplace_facts(cast.workplace.slug)[1]


def test_a_warm_page_reads_no_row_of_the_workplace(client_for, cast, django_assert_num_queries):
    client = client_for(cast.member)
    _page(client, cast.workplace)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        _page(client, cast.workplace)
    assert not [q for q in captured.captured_queries if 'FROM "meetings_workplace"' in q["sql"]]
