"""The committee's public plan keeps the other features' panels (the hearings' public matters, the stories) per
committee, year and language under the versions of what they read, and finds the committee in the cache (issue 19):
every change shows at once through the page, and nothing that is not public reaches it."""

from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from meetings.hearings import services
from meetings.models import Committee, Matter, Story, Workplace
from meetings.stories import services as stories

pytestmark = pytest.mark.django_db

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def url(cast, meeting):
    return reverse("meetings:public-plan", args=[cast.committee.slug, meeting.starts_at.year])


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _decide(matter, cast, monkeypatch, *, public=True):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: matter.meeting_date.date)
    services.matter_decide(matter=matter, actor=cast.administrator, decision="Vedtaget.", is_public=public)
    monkeypatch.undo()


def test_a_kept_public_plan_reads_nothing(client, url, matter, cast, monkeypatch, django_assert_num_queries):
    _decide(matter, cast, monkeypatch)
    _page(client, url)
    with django_assert_num_queries(0):  # the committee, the table and the panels are kept
        assert matter.title in _page(client, url)


def test_a_matter_made_public_or_not_and_a_renamed_workplace_show_at_once(client, url, matter, cast, monkeypatch):
    assert matter.title not in _page(client, url)
    _decide(matter, cast, monkeypatch, public=False)
    assert matter.title not in _page(client, url)  # decided, not public
    Matter.objects.filter(pk=matter.pk).update(is_public=True)
    assert matter.title in _page(client, url)
    Workplace.objects.filter(pk=cast.workplace.pk).update(name="Omdøbt Børnehus")
    assert "Omdøbt Børnehus" in _page(client, url)
    Matter.objects.filter(pk=matter.pk).update(is_public=False)
    assert matter.title not in _page(client, url)


def test_an_agreed_response_shows_at_once_and_goes_when_the_agreement_is_withdrawn(
    client, url, hearing, cast, monkeypatch
):
    services.hearing_draft_save(hearing=hearing, actor=cast.leader, text="Vi siger ja tak")
    services.hearing_respond(hearing=hearing, actor=cast.leader)
    _decide(hearing.matter, cast, monkeypatch)
    assert "Vi siger ja tak" not in _page(client, url)
    services.response_publication_set(hearing=hearing, actor=cast.leader, public=True)
    assert "Vi siger ja tak" in _page(client, url)
    services.response_publication_set(hearing=hearing, actor=cast.leader, public=False)
    assert "Vi siger ja tak" not in _page(client, url)


def test_a_story_shows_only_while_public_and_at_once(client, url, cast):
    story = stories.story_create(
        workplace=cast.workplace, author=cast.trio, kind="good", title="Vi læser højt", text="x"
    )
    assert "Vi læser højt" not in _page(client, url)  # waiting for the leader
    stories.story_share(story=story, actor=cast.leader)
    assert "Vi læser højt" not in _page(client, url)  # shared with the committee, not public
    stories.story_public_set(story=story, actor=cast.leader, public=True)
    assert "Vi læser højt" in _page(client, url)
    Story.objects.filter(pk=story.pk).update(is_public=False)
    assert "Vi læser højt" not in _page(client, url)


def test_a_closed_committee_is_not_found_at_once(client, url, cast):
    _page(client, url)
    Committee.objects.filter(pk=cast.committee.pk).update(is_active=False)
    assert client.get(url).status_code == 404
    Committee.objects.filter(pk=cast.committee.pk).update(is_active=True)
    assert client.get(url).status_code == 200
