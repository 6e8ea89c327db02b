"""seed_demo's stories step: good and challenging stories in every state, with drawn photos, told to nobody, and
not twice."""

from django.core import mail

from core.models import OutboxMessage
from dialog_portal.demo.stories import seed_stories
from meetings.models import NoticeItem, Story


def test_the_demo_has_stories_in_every_state_with_photos_and_tells_nobody(
    cast, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    with django_capture_on_commit_callbacks(execute=True):
        seed_stories()
    stories = Story.objects.filter(workplace=cast.workplace)
    assert stories.count() == 4
    assert {s.status for s in stories} == {"shared", "awaiting", "hidden"}
    assert stories.filter(is_public=True).count() == 1
    assert {s.kind for s in stories} == {"good", "challenge"}
    assert stories.exclude(photo="").count() == 2
    assert mail.outbox == [] and not NoticeItem.objects.exists()
    assert not OutboxMessage.objects.filter(handler__startswith="meetings.notices.").exists()
    seed_stories()
    assert Story.objects.filter(workplace=cast.workplace).count() == 4
