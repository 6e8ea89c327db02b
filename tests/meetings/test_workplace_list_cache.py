"""The workplace list below its heading (the filter bar, the count, a page of rows) is kept per query string and
language under the versions of workplaces, committees, kinds and districts (``meetings.views.workplace_list``, issue
19): every change shows on the next request, whatever path wrote it, and a failed filter still shows its errors."""

from django.urls import reverse

from meetings.models import Committee, District, Workplace, WorkplaceKind
from tests import factories

URL = reverse("meetings:workplace-list")


def _list(client, query: str = "") -> str:
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode().split("</h1>", 1)[1]


def test_a_new_renamed_deactivated_and_deleted_workplace_shows_at_once(client_for, cast):
    client = client_for(cast.member)
    assert "Børnehuset Solsikken" in _list(client)
    newcomer = factories.WorkplaceFactory(slug="mejsen", name="Dagplejen Mejsen")
    assert "Dagplejen Mejsen" in _list(client)
    newcomer.name = "Dagplejen Musvitten"
    newcomer.save()
    assert "Dagplejen Musvitten" in _list(client)
    Workplace.objects.filter(pk=newcomer.pk).update(is_active=False)  # a bulk write, no signal
    assert "Dagplejen Musvitten</a> <span" in _list(client)
    Workplace.objects.filter(pk=newcomer.pk).delete()
    assert "Dagplejen Musvitten" not in _list(client)


def test_committees_kinds_and_districts_show_at_once_from_either_side(client_for, cast):
    client = client_for(cast.member)
    row = _list(client).split("Plejecenter Egebo", 1)[1].split("</tr>", 1)[0]
    assert cast.committee.name not in row
    cast.other_workplace.committees.add(cast.committee)
    row = _list(client).split("Plejecenter Egebo", 1)[1].split("</tr>", 1)[0]
    assert cast.committee.name in row
    cast.committee.workplaces.remove(cast.other_workplace)  # the other side of the many-to-many
    row = _list(client).split("Plejecenter Egebo", 1)[1].split("</tr>", 1)[0]
    assert cast.committee.name not in row
    Committee.objects.filter(pk=cast.other_committee.pk).update(name="Sundheds- og Ældreudvalget")
    WorkplaceKind.objects.filter(pk=cast.other_workplace.kind_id).update(name="Plejebolig")
    District.objects.filter(pk=cast.other_workplace.district_id).update(name="Havnekvarteret")
    row = _list(client).split("Plejecenter Egebo", 1)[1].split("</tr>", 1)[0]
    assert "Sundheds- og Ældreudvalget" in row and "Plejebolig" in row and "Havnekvarteret" in row


def test_each_query_string_and_page_is_kept_apart(client_for, cast):
    client = client_for(cast.member)
    for n in range(30):
        factories.WorkplaceFactory(slug=f"sted-{n:02d}", name=f"Sted {n:02d}", committees=[cast.committee])
    first, second = _list(client), _list(client, "?page=2")
    assert "Sted 00" in first and "Sted 29" not in first
    assert "Sted 29" in second and "Sted 00" not in second
    only = _list(client, "?q=egebo")
    assert "Plejecenter Egebo" in only and "Børnehuset Solsikken" not in only
    assert 'value="egebo"' in only and 'value="egebo"' not in _list(client)
    assert "Børnehuset Solsikken" in _list(client, f"?committee={cast.committee.slug}")
    assert "Plejecenter Egebo" not in _list(client, f"?committee={cast.committee.slug}")


def test_a_failed_filter_shows_its_error_summary_every_time(client_for, cast):
    client = client_for(cast.member)
    for _ in range(2):
        page = client.get(URL + "?district=999999").content.decode()
        assert 'data-testid="error-summary"' in page
    assert 'data-testid="error-summary"' not in client.get(URL).content.decode()


def test_the_list_is_kept_per_language(client_for, cast):
    client = client_for(cast.member)
    assert "Nulstil filtre" in _list(client)
    cast.member.language = "en"
    cast.member.save()
    assert "Clear filters" in _list(client)
    cast.member.language = "da"
    cast.member.save()
    assert "Nulstil filtre" in _list(client)
