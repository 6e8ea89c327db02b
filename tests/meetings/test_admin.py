import pytest
from django.urls import reverse

from meetings.models import User

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "admin:meetings_user_changelist",
    "admin:meetings_user_add",
    "admin:meetings_committee_changelist",
    "admin:meetings_committee_add",
    "admin:meetings_committeemembership_changelist",
    "admin:meetings_workplace_changelist",
    "admin:meetings_workplace_add",
    "admin:meetings_workplacerole_changelist",
    "admin:meetings_blackout_changelist",
    "admin:meetings_district_changelist",
    "admin:meetings_workplacekind_changelist",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_administrator_opens_every_admin_page(client_for, cast, name):
    assert client_for(cast.administrator).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_politicians_cannot_open_admin_pages(client_for, cast, name):
    response = client_for(cast.chair).get(reverse(name))
    assert response.status_code in (302, 403)


def test_admin_search_and_filters_work(client_for, cast):
    client = client_for(cast.administrator)
    found = client.get(reverse("admin:meetings_workplace_changelist"), {"q": "Solsikken"})
    assert list(found.context["cl"].result_list) == [cast.workplace]
    filtered = client.get(
        reverse("admin:meetings_user_changelist"), {"memberships__committee__id__exact": cast.committee.pk}
    )
    assert set(filtered.context["cl"].result_list) == {cast.chair, cast.vice_chair, cast.member}


def test_administrator_creates_a_person_without_a_password(client_for, cast):
    response = client_for(cast.administrator).post(
        reverse("admin:meetings_user_add"),
        {"email": "ny@dalby.example", "full_name": "Ny Person", "usable_password": "false"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    person = User.objects.get(email="ny@dalby.example")
    assert not person.has_usable_password()


def test_admin_index_links_to_the_secretariats_tools(client_for, cast):
    body = client_for(cast.administrator).get(reverse("admin:index")).content.decode()
    assert reverse("meetings:organisation-import") in body
    assert reverse("meetings:visit-admin-list") in body
    assert reverse("codex:chain-verify") in body


@pytest.mark.parametrize("model", ["committee", "workplace"])
def test_committees_and_workplaces_are_set_inactive_not_deleted(client_for, cast, model):
    obj = cast.committee if model == "committee" else cast.workplace
    client = client_for(cast.administrator)
    assert client.post(reverse(f"admin:meetings_{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize(
    "model", ["meetingdate", "rotationplan", "meeting", "hosting", "cancellationrequest", "planningrun"]
)
def test_the_rotations_records_are_read_only_in_the_admin(client_for, cast, model):
    client = client_for(cast.administrator)
    changelist = client.get(reverse(f"admin:meetings_{model}_changelist"))
    assert changelist.status_code == 200
    assert reverse(f"admin:meetings_{model}_add") not in changelist.content.decode()  # no add button
    assert "delete_selected" not in changelist.context["cl"].model_admin.get_actions(changelist.wsgi_request)
    assert client.get(reverse(f"admin:meetings_{model}_add")).status_code == 403
