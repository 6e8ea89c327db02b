"""Notices (issue 17): each person's choice per channel decides whether a notice is e-mailed at once, kept for the
weekly digest (the default) or dropped; the digest sends one e-mail per person, and nothing when there is nothing."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from core.registry import DigestItem, NoticeChannel, notice_channels
from meetings.errors import MeetingsError
from meetings.models import NoticeChoice, NoticeDigest, NoticeItem, NoticePreference
from meetings.notices import notice_choice, notice_choices, notice_digests_send, notice_preferences_set, notice_send

pytestmark = pytest.mark.django_db

PROVIDED: list = []


def _provider(person, since, until):
    return [item for item in PROVIDED if since <= item.when < until]


@pytest.fixture(autouse=True)
def channels():
    """Two channels of the tests' own: one that queues, one whose provider finds its items."""
    notice_channels.register("test-queued", NoticeChannel(label="Queued things"))
    notice_channels.register("test-provided", NoticeChannel(label="Provided things", digest_provider=_provider))
    PROVIDED.clear()
    yield
    notice_channels._entries.pop("test-queued", None)
    notice_channels._entries.pop("test-provided", None)


def test_the_default_is_the_weekly_digest(cast):
    assert notice_choice(cast.member, "test-queued") == NoticeChoice.DIGEST


def test_a_digest_reader_gets_no_mail_at_once_and_the_notice_waits(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert notice_send(person=cast.member, channel="test-queued", title="Ny historie", url="/x/") == "digest"
    assert mail.outbox == []
    assert NoticeItem.objects.get(person=cast.member).title == "Ny historie"


def test_a_person_who_chose_at_once_gets_the_mail_after_commit(cast, django_capture_on_commit_callbacks):
    notice_preferences_set(person=cast.member, choices={"test-queued": NoticeChoice.NOW})
    with django_capture_on_commit_callbacks(execute=True):
        notice_send(person=cast.member, channel="test-queued", title="Ny historie", text="Om os", url="/x/")
    assert [m.to for m in mail.outbox] == [[cast.member.email]]
    assert mail.outbox[0].subject == "Ny historie"
    assert "http" in mail.outbox[0].body and "/x/" in mail.outbox[0].body
    assert not NoticeItem.objects.exists()


def test_a_person_who_chose_nothing_hears_nothing(cast, django_capture_on_commit_callbacks):
    notice_preferences_set(person=cast.member, choices={"test-queued": NoticeChoice.NONE})
    with django_capture_on_commit_callbacks(execute=True):
        assert notice_send(person=cast.member, channel="test-queued", title="Ny historie") == "none"
    assert mail.outbox == [] and not NoticeItem.objects.exists()


def test_an_unknown_channel_is_a_programming_error(cast):
    with pytest.raises(KeyError):
        notice_send(person=cast.member, channel="nope", title="x")


def test_an_unknown_choice_is_refused_and_nothing_saved(cast):
    with pytest.raises(MeetingsError):
        notice_preferences_set(person=cast.member, choices={"test-queued": NoticeChoice.NOW, "test-provided": "loud"})
    assert not NoticePreference.objects.exists()


def test_changing_a_choice_is_audited(cast):
    notice_preferences_set(person=cast.member, choices={"test-queued": NoticeChoice.NOW})
    entry = AuditEntry.objects.get(action="notices.preferences_set")
    assert entry.data == {"test-queued": "now"}


def test_the_digest_holds_queued_and_provided_items_in_one_mail(cast, django_capture_on_commit_callbacks):
    now = timezone.now()
    PROVIDED.append(DigestItem("Fundet", "Fra udbyderen", "/y/", now - dt.timedelta(days=1)))
    notice_send(person=cast.member, channel="test-queued", title="I køen", url="/x/")
    with django_capture_on_commit_callbacks(execute=True):
        assert notice_digests_send(now=now + dt.timedelta(seconds=1)) > 0
    to_member = [m for m in mail.outbox if m.to == [cast.member.email]]
    assert len(to_member) == 1
    body = to_member[0].body
    assert "I køen" in body and "Fundet" in body and "Queued things" in body
    assert NoticeItem.objects.get().digest is not None


def test_nothing_new_sends_nothing_and_a_second_run_sends_nothing(cast, django_capture_on_commit_callbacks):
    notice_send(person=cast.member, channel="test-queued", title="I køen")
    with django_capture_on_commit_callbacks(execute=True):
        notice_digests_send(now=timezone.now() + dt.timedelta(seconds=1))
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert notice_digests_send(now=timezone.now() + dt.timedelta(seconds=2)) == 0
    assert len(mail.outbox) == 1
    assert NoticeDigest.objects.count() == 1


def test_a_provider_item_from_before_the_last_digest_is_not_sent_again(cast, django_capture_on_commit_callbacks):
    now = timezone.now()
    PROVIDED.append(DigestItem("Fundet", "", "", now - dt.timedelta(hours=1)))
    with django_capture_on_commit_callbacks(execute=True):
        notice_digests_send(now=now)
        notice_digests_send(now=now + dt.timedelta(days=7))
    assert sum(1 for m in mail.outbox if m.to == [cast.member.email]) == 1


def test_the_notice_page_saves_the_choices(cast, client_for):
    client = client_for(cast.member)
    url = reverse("meetings:notice-preferences")
    page = client.get(url)
    assert page.status_code == 200 and "Queued things" in page.content.decode()
    # the features' own channels (stories, questions) are on the page too: the browser sends their choices as they are
    offered = dict.fromkeys(notice_choices(cast.member), "digest")
    answer = client.post(url, {**offered, "test-queued": "now", "test-provided": "none"})
    assert answer.status_code == 302
    assert notice_choice(cast.member, "test-queued") == "now"
    assert notice_choice(cast.member, "test-provided") == "none"


def test_the_notice_page_keeps_a_bad_choice_and_says_so(cast, client_for):
    client = client_for(cast.member)
    answer = client.post(reverse("meetings:notice-preferences"), {"test-queued": "loud", "test-provided": "none"})
    assert answer.status_code == 200
    assert not NoticePreference.objects.exists()


def test_the_notice_page_needs_a_login(client):
    answer = client.get(reverse("meetings:notice-preferences"))
    assert answer.status_code == 302 and "login" in answer["Location"]


def test_a_persons_notices_and_choices_are_exported_and_erased(cast):
    from dialog_portal.privacy import person_erase, person_export

    notice_preferences_set(person=cast.member, choices={"test-queued": NoticeChoice.NONE})
    notice_send(person=cast.member, channel="test-provided", title="x")  # a provider's channel queues nothing
    notice_send(person=cast.member, channel="stories", title="Ny historie")
    assert person_export(person=cast.member)["notice_choices"] == {"test-queued": "none"}
    removed = person_erase(person=cast.member, actor=cast.administrator)
    assert removed["notices"] == 2
    assert not NoticeItem.objects.filter(person=cast.member).exists()
    assert not NoticePreference.objects.filter(person=cast.member).exists()
