"""The workplace page's facts, people and closures are kept per workplace and language under the versions of what
they read (``meetings.views.workplace_facts``, issue 19): every change shows on the next request, through the page,
whatever path wrote it; the panels around them are the person's own and never kept with them."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone, translation

from meetings.models import Blackout, User, Visit, Workplace, WorkplaceRole, roles_version_bump
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


# --- The visits panel (meetings.visits.panels): kept per workplace, may-book/leader and language ------------------


def _panel(client, workplace) -> str:
    page = _page(client, workplace)
    return page.split('data-testid="visits-panel"', 1)[1].split("</section>", 1)[0]


def test_a_new_free_time_and_a_booking_show_in_the_visits_panel_at_once(client_for, cast):
    from meetings.visits.services import visit_book

    client = client_for(cast.chair)
    assert "ingen ledige tider" in _panel(client, cast.workplace)
    slot = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=20))
    assert 'data-testid="visits-by-politician"' not in _panel(client, cast.workplace)
    assert "ingen ledige tider" not in _panel(client, cast.workplace)
    visit_book(slot=slot, booker=cast.member, purpose="Vi vil se sprogarbejdet.")
    panel = _panel(client, cast.workplace)
    assert 'data-testid="visits-by-politician"' in panel and cast.member.full_name in panel
    cast.member.full_name = "Mette Omdøbt"
    cast.member.save()
    assert "Mette Omdøbt" in _panel(client, cast.workplace)


def test_the_visits_panel_is_kept_apart_for_those_who_may_book_and_for_the_leader(client_for, cast):
    assert 'data-testid="workplace-book-link"' in _panel(client_for(cast.chair), cast.workplace)
    leader_panel = _panel(client_for(cast.leader), cast.workplace)
    assert 'data-testid="workplace-book-link"' not in leader_panel
    assert 'data-testid="workplace-visit-times-link"' in leader_panel
    assert 'data-testid="visits-panel"' not in _page(client_for(cast.outsider), cast.workplace)


def test_the_visits_panel_follows_time_a_visit_ahead_becomes_one_to_confirm(cast, monkeypatch):
    from django.test import RequestFactory

    from core.registry import panels_read
    from meetings.visits.panels import workplace_visits_panel
    from meetings.visits.services import visit_book

    slot = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=20))
    visit = visit_book(slot=slot, booker=cast.member, purpose="Vi vil se sprogarbejdet.")
    Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.CONFIRMED)
    request = RequestFactory().get("/")
    request.user = cast.chair
    workplace = workplace_facts(cast.workplace.slug)[0]

    def cells():
        [panel] = panels_read([workplace_visits_panel(request, workplace)])
        row = panel.split(cast.member.full_name, 1)[1].split("</tr>", 1)[0]
        return re.findall(r"<td>(\d+)</td>", row)

    assert cells() == ["0", "0", "1"]  # held, not confirmed as held, booked ahead
    later = slot.ends_at + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert cells() == ["0", "1", "0"]  # it has ended: now to be confirmed as held


# --- The filter bars' kept choices (meetings.forms.keep_choices) ----------------------------------------------------


def test_a_new_kind_district_and_committee_show_in_the_filter_bars_at_once(client_for, cast):
    client = client_for(cast.chair)
    for name in ("meetings:workplace-list", "meetings:visit-finder"):
        client.get(reverse(name))
    factories.WorkplaceKindFactory(slug="bibliotek", name="Bibliotek")
    factories.DistrictFactory(name="Havnekvarteret")
    cast.committee.name = "Børne- og Skoleudvalget"
    cast.committee.save()
    for name in ("meetings:workplace-list", "meetings:visit-finder"):
        page = client.get(reverse(name)).content.decode()
        assert '<option value="bibliotek">Bibliotek</option>' in page
        assert ">Havnekvarteret</option>" in page
        assert ">Børne- og Skoleudvalget</option>" in page
    assert ">Ældreudvalget</option>" not in client.get(reverse("meetings:visit-finder")).content.decode()
    assert ">Ældreudvalget</option>" in client.get(reverse("meetings:workplace-list")).content.decode()


def test_a_politician_in_a_new_committee_finds_it_in_the_finders_filter_at_once(client_for, cast):
    client = client_for(cast.chair)
    assert ">Ældreudvalget</option>" not in client.get(reverse("meetings:visit-finder")).content.decode()
    factories.MembershipFactory(user=cast.chair, committee=cast.other_committee)
    assert ">Ældreudvalget</option>" in client.get(reverse("meetings:visit-finder")).content.decode()


def test_the_kept_filter_bar_follows_the_query_string_and_shows_its_errors(client_for, cast):
    client = client_for(cast.chair)
    assert 'value="Solsikken"' not in client.get(reverse("meetings:visit-finder")).content.decode()
    page = client.get(reverse("meetings:visit-finder") + "?q=Solsikken").content.decode()
    assert 'value="Solsikken"' in page
    page = client.get(reverse("meetings:visit-finder") + "?free_from=2026-12-10&free_to=2026-12-01").content.decode()
    assert 'id="id_free_to_error"' in page
    assert 'id="id_free_to_error"' not in client.get(reverse("meetings:visit-finder")).content.decode()
    page = client.get(reverse("meetings:workplace-list") + f"?kind={cast.workplace.kind.slug}").content.decode()
    assert f'<option value="{cast.workplace.kind.slug}" selected>' in page
