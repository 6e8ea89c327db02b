"""The rules of stories, whoever calls them: who writes, who shares, who makes public, who hides, and what is
refused (CPR numbers, a photo without a text alternative or consent); each change leaves an event and an audit
entry and tells the right people by their choice of notices."""

import pytest
from django.core import mail

from core.models import AuditEntry
from meetings.models import NoticeItem, Story, StoryEvent
from meetings.notices import notice_preferences_set
from meetings.stories import services
from meetings.stories.errors import StoryError

from .conftest import jpeg_with_gps

pytestmark = pytest.mark.django_db


def write(cast, author, **extra):
    fields = {"kind": "good", "title": "Vi læser højt", "text": "Hver morgen læser vi højt for de små."}
    return services.story_create(workplace=cast.workplace, author=author, **{**fields, **extra})


def test_a_leaders_story_is_shared_at_once_and_the_committee_hears_of_it(cast):
    story = write(cast, cast.leader)
    assert story.status == Story.Status.SHARED and story.shared_at
    assert [e.kind for e in story.events.all()] == ["written", "shared"]
    assert AuditEntry.objects.filter(action="story.shared", object_id=str(story.pk)).exists()
    told = set(NoticeItem.objects.filter(channel="stories").values_list("person__email", flat=True))
    assert told == {cast.chair.email, cast.vice_chair.email, cast.member.email}


def test_a_trio_members_story_waits_for_the_leader_who_hears_of_it(cast):
    story = write(cast, cast.trio)
    assert story.status == Story.Status.AWAITING and story.shared_at is None
    assert list(NoticeItem.objects.values_list("person__email", flat=True)) == [cast.leader.email]


@pytest.mark.parametrize("who", ["other_leader", "member", "chair", "other_member", "outsider", "administrator"])
def test_only_the_workplaces_leader_and_trio_write_its_stories(cast, who):
    with pytest.raises(StoryError):
        write(cast, getattr(cast, who))
    assert not Story.objects.exists()


def test_the_leader_shares_the_trios_story_and_the_author_and_committee_hear_of_it(cast):
    story = write(cast, cast.trio)
    NoticeItem.objects.all().delete()
    services.story_share(story=story, actor=cast.leader)
    story.refresh_from_db()
    assert story.status == Story.Status.SHARED
    told = set(NoticeItem.objects.values_list("person__email", flat=True))
    assert told == {cast.trio.email, cast.chair.email, cast.vice_chair.email, cast.member.email}


@pytest.mark.parametrize("who", ["trio", "other_leader", "chair", "administrator"])
def test_no_one_but_the_leader_shares_a_story(cast, who):
    story = write(cast, cast.trio)
    with pytest.raises(StoryError):
        services.story_share(story=story, actor=getattr(cast, who))
    story.refresh_from_db()
    assert story.status == Story.Status.AWAITING


def test_a_shared_story_cannot_be_shared_twice(cast):
    story = write(cast, cast.leader)
    with pytest.raises(StoryError):
        services.story_share(story=story, actor=cast.leader)


def test_the_leader_makes_a_shared_story_public_and_takes_it_off(cast):
    story = write(cast, cast.leader)
    services.story_public_set(story=story, actor=cast.leader, public=True)
    assert Story.objects.public().filter(pk=story.pk).exists()
    services.story_public_set(story=story, actor=cast.leader, public=False)
    assert not Story.objects.public().exists()
    assert [e.kind for e in StoryEvent.objects.filter(story=story)][-2:] == ["made_public", "made_private"]


def test_a_waiting_story_cannot_be_public_and_the_trio_cannot_make_it_so(cast):
    story = write(cast, cast.trio)
    with pytest.raises(StoryError):
        services.story_public_set(story=story, actor=cast.leader, public=True)
    services.story_share(story=story, actor=cast.leader)
    with pytest.raises(StoryError):
        services.story_public_set(story=story, actor=cast.trio, public=True)


def test_the_secretariat_hides_a_story_with_a_reason_the_author_is_told(cast, django_capture_on_commit_callbacks):
    story = write(cast, cast.trio)
    services.story_share(story=story, actor=cast.leader)
    services.story_public_set(story=story, actor=cast.leader, public=True)
    notice_preferences_set(person=cast.trio, choices={"stories": "now"})
    with django_capture_on_commit_callbacks(execute=True):
        services.story_hide(story=story, actor=cast.administrator, reason="Barnets navn fremgår af teksten.")
    story.refresh_from_db()
    assert story.status == Story.Status.HIDDEN and not story.is_public
    assert story.events.last().note == "Barnets navn fremgår af teksten."
    assert [m.to for m in mail.outbox] == [[cast.trio.email]]


def test_hiding_needs_a_reason_and_the_secretariat(cast):
    story = write(cast, cast.leader)
    with pytest.raises(StoryError):
        services.story_hide(story=story, actor=cast.administrator, reason="  ")
    with pytest.raises(StoryError):
        services.story_hide(story=story, actor=cast.chair, reason="Nej")
    story.refresh_from_db()
    assert story.status == Story.Status.SHARED


@pytest.mark.parametrize("text", ["Drengen 010203-1234 var glad", "cpr 0102031234"])
def test_a_story_with_a_cpr_number_is_refused(cast, text):
    with pytest.raises(StoryError, match="CPR"):
        write(cast, cast.leader, text=text)
    assert not Story.objects.exists()


def test_a_photo_needs_a_text_alternative_and_consent(cast):
    with pytest.raises(StoryError):
        write(cast, cast.leader, photo=jpeg_with_gps(), photo_alt="", photo_consent=True)
    with pytest.raises(StoryError):
        write(cast, cast.leader, photo=jpeg_with_gps(), photo_alt="Børn ved bordet", photo_consent=False)
    assert not Story.objects.exists()


def test_a_photo_is_stored_resized_and_without_metadata(cast):
    from PIL import Image

    story = write(cast, cast.leader, photo=jpeg_with_gps(), photo_alt="Børn ved bordet", photo_consent=True)
    with story.photo.open("rb") as handle, Image.open(handle) as stored:
        assert stored.size == (1600, 800) and not stored.getexif()


def test_a_refused_photo_leaves_no_story_and_no_file(cast, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(StoryError):
        write(
            cast,
            cast.leader,
            photo=SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg"),
            photo_alt="x",
            photo_consent=True,
        )
    assert not Story.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(media.rglob("*.jpg"))
