"""The admin never changes a sent response: every hearing record is read-only there."""

import pytest

from meetings.hearings import services

RESPONSES = "/admin/meetings/hearingresponse/"


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.administrator)
    return client


def test_a_sent_response_is_shown_read_only_and_cannot_be_deleted_in_the_admin(admin_client, cast, hearing):
    services.hearing_draft_save(hearing=hearing, actor=cast.leader, text="Vores svar")
    response = services.hearing_respond(hearing=hearing, actor=cast.leader)
    page = admin_client.get(f"{RESPONSES}{response.pk}/change/")
    assert page.status_code == 200 and b'name="text"' not in page.content
    admin_client.post(f"{RESPONSES}{response.pk}/change/", {"text": "Ændret", "number": 1})
    assert admin_client.post(f"{RESPONSES}{response.pk}/delete/", {"post": "yes"}).status_code == 403
    response.refresh_from_db()
    assert response.text == "Vores svar"


def test_matters_are_registered_on_the_page_not_in_the_admin(admin_client, matter):
    assert admin_client.get("/admin/meetings/matter/add/").status_code == 403
    assert admin_client.get(f"/admin/meetings/matter/{matter.pk}/change/").status_code == 200
    assert admin_client.get(f"/admin/meetings/hearing/{matter.hearings.first().pk}/change/").status_code == 200
