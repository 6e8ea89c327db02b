"""Asking to present (foretræde), the meeting page's matters, and the committee's decision told to the workplaces."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from meetings.hearings import services
from meetings.hearings.errors import HearingError
from meetings.models import Presentation
from meetings.workdays import add_working_days

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def answered(hearing, cast):
    services.hearing_draft_save(hearing=hearing, actor=cast.leader, text="Vi vil gerne forklare")
    services.hearing_respond(hearing=hearing, actor=cast.leader)
    return hearing


@pytest.fixture
def asked(answered, cast):
    return services.presentation_request(hearing=answered, actor=cast.leader, note="Om overgangen for børnene")


def test_the_leader_asks_to_present_only_with_a_response(hearing, cast):
    with pytest.raises(HearingError, match="Send høringssvaret først"):
        services.presentation_request(hearing=hearing, actor=cast.leader, note="Noget")


@pytest.mark.parametrize("who", ["trio", "chair", "administrator", "other_leader"])
def test_only_the_leader_asks_to_present(answered, cast, who):
    with pytest.raises(HearingError):
        services.presentation_request(hearing=answered, actor=getattr(cast, who), note="Noget")


def test_the_chair_is_told_and_accepts_with_a_time_and_the_leader_is_told(
    asked, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.presentation_accept(presentation=asked, actor=cast.chair, at=dt.time(16, 30))
    asked.refresh_from_db()
    assert (asked.status, asked.at, asked.decided_by) == (Presentation.Status.ACCEPTED, dt.time(16, 30), cast.chair)
    assert [m.to[0] for m in mail.outbox] == [cast.leader.email] and "16.30" in mail.outbox[0].subject
    with pytest.raises(HearingError, match="allerede"):
        services.presentation_decline(presentation=asked, actor=cast.chair, reason="For sent")


def test_a_request_tells_the_chair(answered, cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.presentation_request(hearing=answered, actor=cast.leader, note="Om overgangen")
    assert [m.to[0] for m in mail.outbox] == [cast.chair.email]
    assert "Om overgangen" in mail.outbox[0].body


@pytest.mark.parametrize("who", ["vice_chair", "member", "administrator", "leader", "other_member"])
def test_only_the_chair_answers_a_request_to_present(asked, cast, who):
    with pytest.raises(HearingError, match="formand"):
        services.presentation_accept(presentation=asked, actor=getattr(cast, who), at=dt.time(17))


def test_a_decline_needs_a_reason_which_the_leader_reads(asked, cast, client_for):
    with pytest.raises(HearingError, match="Skriv, hvorfor"):
        services.presentation_decline(presentation=asked, actor=cast.chair, reason=" ")
    services.presentation_decline(presentation=asked, actor=cast.chair, reason="Dagsordenen er fuld.")
    page = client_for(cast.leader).get(asked.hearing.get_absolute_url()).content.decode()
    assert "Dagsordenen er fuld." in page


def test_the_chair_accepts_on_the_page_and_the_meeting_page_shows_who_presents_what(asked, cast, meeting, client_for):
    chair = client_for(cast.chair)
    chair.post(reverse("meetings:presentation-accept", args=[asked.hearing.pk]), {"at": "16:30"})
    page = client_for(cast.member).get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="meeting-matters"' in page and asked.hearing.matter.title in page
    assert "Om overgangen for børnene" in page and cast.leader.full_name in page


def test_the_meeting_page_shows_a_matter_treated_without_a_response_in_red(matter, meeting, client_for, cast):
    services.hearing_reminders_send(today=add_working_days(matter.deadline, -3))
    page = client_for(cast.member).get(meeting.get_absolute_url()).content.decode()
    assert 'data-testid="without-response"' not in page  # the deadline has not passed yet
    matter.deadline = matter.deadline.replace(year=matter.deadline.year - 1)  # long passed
    matter.save(update_fields=["deadline"])
    page = client_for(cast.member).get(meeting.get_absolute_url()).content.decode()
    assert page.count('data-testid="without-response"') == 2


def test_the_meeting_page_shows_no_matters_to_another_committee_or_outsider(matter, meeting, client_for, cast):
    page = client_for(cast.leader).get(meeting.get_absolute_url()).content.decode()
    assert matter.title in page  # the host workplace is heard
    assert client_for(cast.other_member).get(meeting.get_absolute_url()).status_code == 404


def _on_meeting_day(matter, cast):
    matter.meeting_date.date = matter.deadline  # the meeting has come
    matter.meeting_date.save(update_fields=["date"])


def test_the_secretariat_records_the_decision_and_every_workplace_heard_is_told(
    answered, cast, heard, django_capture_on_commit_callbacks, monkeypatch
):
    matter = answered.matter
    with pytest.raises(HearingError, match="fra mødedagen"):
        services.matter_decide(matter=matter, actor=cast.administrator, decision="Vedtaget")
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: matter.meeting_date.date)
    with django_capture_on_commit_callbacks(execute=True):
        services.matter_decide(matter=matter, actor=cast.administrator, decision="Udvalget vedtog forslaget.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast.leader.email, cast.trio.email, heard.second_leader.email]
    )
    assert all("Udvalget vedtog forslaget." in m.body for m in mail.outbox)
    entry = AuditEntry.objects.get(action="hearing.decided")
    assert entry.data["without_response"] == [heard.second_workplace.pk]
    with pytest.raises(HearingError, match="allerede"):
        services.matter_decide(matter=matter, actor=cast.administrator, decision="Igen")
    with pytest.raises(HearingError, match="leder"):
        services.hearing_respond(hearing=answered, actor=cast.leader, no_comments=True)


@pytest.mark.parametrize("who", ["chair", "member", "leader"])
def test_only_the_secretariat_records_the_decision(matter, cast, client_for, who):
    with pytest.raises(HearingError, match="sekretariatet"):
        services.matter_decide(matter=matter, actor=getattr(cast, who), decision="Vedtaget")
    assert client_for(getattr(cast, who)).get(reverse("meetings:matter-decide", args=[matter.pk])).status_code == 403


def test_a_decision_needs_a_text_or_a_link(matter, cast):
    with pytest.raises(HearingError, match="Skriv afgørelsen"):
        services.matter_decide(matter=matter, actor=cast.administrator)


def _decided(matter, cast, monkeypatch, *, public):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: matter.meeting_date.date)
    return services.matter_decide(matter=matter, actor=cast.administrator, decision="Vedtaget.", is_public=public)


def test_a_public_matter_shows_on_the_public_plan_without_files_or_responses(
    answered, meeting, cast, client, monkeypatch
):
    matter = answered.matter
    url = reverse("meetings:public-plan", args=[cast.committee.slug, meeting.starts_at.year])
    assert matter.title not in client.get(url).content.decode()
    _decided(matter, cast, monkeypatch, public=True)
    monkeypatch.undo()
    page = client.get(url).content.decode()
    assert matter.title in page and "Vedtaget." in page and cast.workplace.name in page
    assert "Vi vil gerne forklare" not in page  # the response stays inside


def test_a_decided_matter_not_marked_public_stays_off_the_public_plan(answered, meeting, cast, client, monkeypatch):
    matter = answered.matter
    _decided(matter, cast, monkeypatch, public=False)
    monkeypatch.undo()
    url = reverse("meetings:public-plan", args=[cast.committee.slug, meeting.starts_at.year])
    assert matter.title not in client.get(url).content.decode()


def test_the_public_plan_runs_as_many_queries_with_more_public_matters(
    register, meeting, cast, client, monkeypatch, django_assert_num_queries
):
    url = reverse("meetings:public-plan", args=[cast.committee.slug, meeting.starts_at.year])
    _decided(register(), cast, monkeypatch, public=True)
    monkeypatch.undo()
    cache.clear()  # the page and its panels are kept (issue 19): both counts are of the page built anew
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(3):
        _decided(register(title=f"Sag {n}"), cast, monkeypatch, public=True)
        monkeypatch.undo()
    cache.clear()
    with django_assert_num_queries(len(few)):
        client.get(url)


def test_an_accepted_presenter_gets_the_meeting_in_their_calendar_and_may_open_it(
    asked, cast, meeting, client_for, heard
):
    second = asked.hearing.matter.hearings.get(workplace=heard.second_workplace)
    services.hearing_respond(hearing=second, actor=heard.second_leader, no_comments=True)
    other = services.presentation_request(hearing=second, actor=heard.second_leader, note="Kort om os")
    client = client_for(heard.second_leader)
    assert client.get(meeting.get_absolute_url()).status_code == 404  # not the host, not invited
    services.presentation_decline(presentation=other, actor=cast.chair, reason="Fuldt program")
    assert client.get(meeting.get_absolute_url()).status_code == 404
    Presentation.objects.filter(pk=other.pk).update(status=Presentation.Status.ACCEPTED, at=dt.time(17))
    heard.second_leader.__dict__.pop("_roles_cache", None)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert meeting.get_absolute_url() in client.get(reverse("meetings:calendar-detail")).content.decode()


def test_the_equal_access_ledger_counts_hearings_answered_and_presentations_given(asked, cast, client_for, heard):
    asked.hearing.matter.meeting_date.date = timezone.localdate() - dt.timedelta(days=10)  # the meeting was held
    asked.hearing.matter.meeting_date.save(update_fields=["date"])
    services.presentation_accept(presentation=asked, actor=cast.chair, at=dt.time(16, 30))
    page = client_for(cast.member).get(reverse("meetings:ledger")).content.decode()
    assert "Besvarede høringer" in page and "Foretræder" in page
    page = page[page.index('data-testid="ledger-table"') :]  # the table, not the chart above it
    row = page[page.index(f">{cast.workplace.name}<") :]
    row = row[: row.index("</tr>")]
    assert row.count('">1</td>') == 4  # one hearing answered and one presentation, in 12 and in 24 months
    other = page[page.index(f">{heard.second_workplace.name}<") :]
    assert other[: other.index("</tr>")].count('">1</td>') == 0
    services.matter_decide(matter=asked.hearing.matter, actor=cast.administrator, decision="Vedtaget.")
    page = client_for(cast.member).get(reverse("meetings:ledger")).content.decode()
    assert "Behandlet uden svar" in page
    page = page[page.index('data-testid="ledger-table"') :]
    other = page[page.index(f">{heard.second_workplace.name}<") :]
    assert other[: other.index("</tr>")].count('">1</td>') == 2  # treated without its response, 12 and 24 months


def test_an_accepted_presenter_gets_the_meeting_in_their_feed_at_once_and_loses_it_when_the_date_moves(
    asked, cast, meeting, client, heard
):
    from meetings.visits.services import calendar_token_ensure

    second = asked.hearing.matter.hearings.get(workplace=heard.second_workplace)
    services.hearing_respond(hearing=second, actor=heard.second_leader, no_comments=True)
    other = services.presentation_request(hearing=second, actor=heard.second_leader, note="Kort om os")
    url = reverse("meetings:calendar-feed", args=[calendar_token_ensure(person=heard.second_leader).token])
    uid = f"UID:meeting-{meeting.pk}@".encode()
    before = client.get(url)
    assert uid not in before.content
    assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304

    services.presentation_accept(presentation=other, actor=cast.chair, at=dt.time(17))  # the presenter's version
    accepted = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert accepted.status_code == 200
    assert uid in accepted.content

    heard.meeting_date.date += dt.timedelta(days=1)  # the matter's meeting date: its presenters' versions
    heard.meeting_date.save(update_fields=["date"])
    moved = client.get(url, HTTP_IF_NONE_MATCH=accepted["ETag"])
    assert moved.status_code == 200
    assert uid not in moved.content
