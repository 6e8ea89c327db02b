"""The secretariat's import page: who may open it, CSRF, errors shown as a table, success as a message."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from meetings.models import Committee, User, Workplace

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
URL = reverse("meetings:organisation-import")


@pytest.fixture(autouse=True)
def _in_english(client):
    """These tests read the pages' English texts: the person chose English with the language switch."""
    client.cookies["dialog_language"] = "en"


def upload(name: str, content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else (SAMPLES / name).read_bytes(), "text/csv")


def sample_uploads() -> dict:
    return {kind: upload(f"{kind}.csv") for kind in ("committees", "workplaces", "people", "blackouts")}


def test_anonymous_is_sent_to_the_login_page(client, cast):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("person", ["outsider", "chair", "member", "leader", "trio"])
def test_people_who_are_not_administrators_get_403(client_for, cast, person):
    client = client_for(getattr(cast, person))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"committees": upload("committees.csv")}).status_code == 403
    assert not Committee.objects.filter(slug="skole-og-dagtilbud").exists()


def test_a_deactivated_administrator_gets_no_page(client_for, cast):
    cast.administrator.is_active = False
    cast.administrator.save()

    assert client_for(cast.administrator).get(URL).status_code == 302


def test_administrator_sees_the_form_with_labelled_file_fields(client_for, cast):
    response = client_for(cast.administrator).get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    for kind in ("committees", "workplaces", "people", "blackouts"):
        assert f'for="id_{kind}"' in html
        assert f'name="{kind}"' in html
    assert 'name="invite"' in html
    assert "meeting_weekday" in html  # the help text lists the columns
    assert 'enctype="multipart/form-data"' in html


def test_administrator_imports_the_sample_files(client_for, cast):
    client = client_for(cast.administrator)

    response = client.post(URL, sample_uploads(), follow=True)

    assert response.redirect_chain == [(URL, 302)]
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 2
    assert "Committees: 3 created, 0 updated, 0 unchanged" in messages[0]
    # How each file was read, so a file read another way than meant is seen at once.
    assert messages[1].startswith(
        "committees.csv: Read as CSV separated by commas, character set UTF-8. workplaces.csv: Read as CSV"
    )
    assert Workplace.objects.filter(slug="jobcenter-dalby").exists()
    assert not User.objects.filter(email="birthe.lyngbaek@dalby.example", invited_at__isnull=False).exists()


def test_importing_again_from_the_page_says_nothing_changed(client_for, cast):
    client = client_for(cast.administrator)
    client.post(URL, sample_uploads(), follow=True)

    response = client.post(URL, sample_uploads(), follow=True)

    assert next(str(m) for m in response.context["messages"]) == (
        "Import finished. Nothing changed: everything in the files is already in the portal."
    )


def test_bad_rows_are_listed_in_a_table_and_nothing_is_imported(client_for, cast):
    people = (SAMPLES / "people.csv").read_bytes() + b"ny@dalby.example,Ny,borgmester,,,,,\n"
    files = {**sample_uploads(), "people": upload("people.csv", people)}

    response = client_for(cast.administrator).post(URL, files)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<th scope="col">Line</th>' in html
    assert "<td>16</td>" in html
    assert "&#x27;borgmester&#x27; is not a role" in html
    assert [(p.file, p.line, p.column) for p in response.context["problems"]] == [("people.csv", 16, "role")]
    assert not Committee.objects.filter(slug="skole-og-dagtilbud").exists()


def test_posting_no_file_asks_for_one(client_for, cast):
    response = client_for(cast.administrator).post(URL, {})

    assert response.status_code == 200
    assert "Choose at least one file to import." in response.content.decode()


def test_the_invite_box_invites_the_new_people(client_for, cast, mailoutbox, django_capture_on_commit_callbacks):
    client = client_for(cast.administrator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {**sample_uploads(), "invite": "on"})

    assert len(mailoutbox) == 11
    assert User.objects.get(email="birthe.lyngbaek@dalby.example").invited_at is not None


def test_csrf_is_enforced(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.administrator)

    refused = client.post(URL, {"committees": upload("committees.csv")})

    assert refused.status_code == 403
    assert not Committee.objects.filter(slug="skole-og-dagtilbud").exists()

    client.get(URL)
    token = client.cookies["csrftoken"].value
    accepted = client.post(URL, {"committees": upload("committees.csv"), "csrfmiddlewaretoken": token})

    assert accepted.status_code == 302
    assert Committee.objects.filter(slug="skole-og-dagtilbud").exists()


def test_the_administrator_dashboard_links_to_the_import(client_for, cast):
    response = client_for(cast.administrator).get(reverse("home"))

    assert URL in response.content.decode()
