"""Re-planning a date (issue 21): the page shows who is next in line before the POST, and each person affected is
told what is true for them, with the secretariat's message. Rotation e-mails carry names as plain text."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from core.models import OutboxMessage
from core.outbox import outbox_deliver
from meetings.models import CancellationRequest, Meeting, MeetingInvitation, User, WorkplaceRole
from meetings.rotation import notifications, services
from meetings.rotation.services import RotationError

pytestmark = pytest.mark.django_db

NOTE = "Parkér bag hallen & tag 'kaffe' med <3"
ESCAPED = ("&amp;", "&#x27;", "&#39;", "&lt;", "&gt;", "&quot;")


@pytest.fixture
def hosts_once(cast):
    """Six dates for six workplaces: each hosts once, so a host that withdraws is invited to another date."""
    cast.committee.meeting_skip_months = [1, 2, 3, 4, 5, 6]
    cast.committee.save()


@pytest.fixture
def published(cast, rotation):
    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    OutboxMessage.objects.all().delete()
    return plan


@pytest.fixture
def withdrawn(cast, published):
    meeting = Meeting.objects.filter(host=cast.workplace).order_by("starts_at").first()
    services.meeting_cancellation_request(meeting=meeting, actor=cast.leader, reason="Vandskade i salen")
    OutboxMessage.objects.all().delete()
    return meeting


def _deliver_all() -> None:
    for message in OutboxMessage.objects.order_by("pk"):
        assert outbox_deliver(message_id=message.pk)


def _mails_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def _leaders_of(workplace) -> list[User]:
    return [r.user for r in WorkplaceRole.objects.current().filter(workplace=workplace, role="leader")]


def _calendar_method(message) -> str:
    return next(mimetype for _body, mimetype in message.alternatives if mimetype.startswith("text/calendar"))


# --- The proposal -------------------------------------------------------------------------------------------------


def test_the_proposal_names_the_next_in_line_and_changes_nothing(cast, withdrawn):
    before = list(MeetingInvitation.objects.order_by("pk").values_list("meeting_id", "workplace_id"))
    proposal = services.meeting_replan_proposal(meeting=withdrawn)
    assert proposal.former_host == cast.workplace
    assert proposal.new_host not in (None, cast.workplace)
    assert list(MeetingInvitation.objects.order_by("pk").values_list("meeting_id", "workplace_id")) == before
    withdrawn.refresh_from_db()
    assert withdrawn.host == cast.workplace and withdrawn.sequence == 0

    replanned = services.meeting_replan(
        meeting=withdrawn, actor=cast.administrator, expected_host_id=proposal.new_host.pk
    )
    assert replanned.host == proposal.new_host
    for change in proposal.guest_changes:
        invited = MeetingInvitation.objects.filter(meeting=change.meeting, workplace=change.workplace).exists()
        assert invited == change.invited


def test_a_replan_confirmed_for_another_next_in_line_changes_nothing(cast, withdrawn):
    proposal = services.meeting_replan_proposal(meeting=withdrawn)
    stale = next(w for w in cast.committee.workplaces.all() if w not in (proposal.new_host, cast.workplace))
    with pytest.raises(RotationError, match="next in line has changed"):
        services.meeting_replan(meeting=withdrawn, actor=cast.administrator, expected_host_id=stale.pk)
    withdrawn.refresh_from_db()
    assert withdrawn.host == cast.workplace
    assert CancellationRequest.objects.get(meeting=withdrawn).status == CancellationRequest.Status.OPEN
    assert not OutboxMessage.objects.exists()


def test_a_past_meeting_gets_no_new_host(cast, withdrawn, monkeypatch):
    from django.utils import timezone

    later = withdrawn.ends_at + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(RotationError, match="coming meeting"):
        services.meeting_replan_proposal(meeting=withdrawn)


# --- Who is told what ---------------------------------------------------------------------------------------------


def test_each_person_affected_is_told_what_is_true_for_them_with_the_message(cast, hosts_once, withdrawn):
    proposal = services.meeting_replan_proposal(meeting=withdrawn)
    new_host = proposal.new_host
    assert {c.workplace for c in proposal.newly_invited} == {cast.workplace}  # it hosts no other date
    services.meeting_replan(meeting=withdrawn, actor=cast.administrator, note=NOTE, expected_host_id=new_host.pk)
    _deliver_all()

    [former] = [m for m in _mails_to(cast.leader) if "withdrawal" in m.subject]
    assert "keeps its place in the queue" in former.body and new_host.name in former.body
    assert "METHOD:CANCEL" in former.attachments[0][1].decode()

    for leader in _leaders_of(new_host):
        [hosting] = [m for m in _mails_to(leader) if m.subject.startswith("Your workplace hosts")]
        assert "next in line" in hosting.body and NOTE in hosting.body
        assert "METHOD:REQUEST" in hosting.attachments[0][1].decode()

    for person in (cast.chair, cast.member):
        [changed] = _mails_to(person)  # one mail: the other dates' guest changes are not theirs to hear
        assert changed.subject.startswith("Change to the meeting")
        assert f"{cast.workplace.name} cannot host the meeting." in changed.body
        assert NOTE in changed.body

    for change in proposal.guest_changes:
        word = "You are invited" if change.invited else "You are no longer invited"
        for leader in _leaders_of(change.workplace):
            assert any(m.subject.startswith(word) and NOTE in m.body for m in _mails_to(leader)), change
    for message in mail.outbox:
        assert not any(entity in message.subject + message.body for entity in ESCAPED), message.subject


def test_a_workplace_newly_invited_to_another_date_is_told_it_is_invited(cast, withdrawn, rotation):
    other = Meeting.objects.exclude(pk=withdrawn.pk).filter(host__isnull=False).order_by("starts_at").first()
    guest = rotation.workplaces[-1]
    kwargs = notifications.meeting_notice_kwargs(
        other, "invitations", actor=cast.administrator, note=NOTE, invited_ids=[guest.pk], guests_only=True
    )
    notifications.meeting_changed_send(**kwargs)
    leaders = _leaders_of(guest)
    assert leaders and {m.to[0] for m in mail.outbox} == {p.email for p in leaders}
    [message] = mail.outbox
    assert message.subject.startswith("You are invited to the meeting of")
    assert "is invited to the dialogue part" in message.body and "has changed" not in message.body
    assert "METHOD:REQUEST" in message.attachments[0][1].decode()


def test_a_moved_meetings_note_reaches_those_invited(cast, published):
    meeting = Meeting.objects.order_by("starts_at").first()
    day = meeting.local_date + dt.timedelta(days=1)
    from meetings.rotation import calendar as holidays

    while day in holidays.closed_days_of_year(day.year) or day.weekday() >= 5:
        day += dt.timedelta(days=1)
    services.meeting_update(
        meeting=meeting,
        actor=cast.administrator,
        date=day,
        start=dt.time(15),
        minutes=120,
        agenda_url="",
        programme="",
        note=NOTE,
    )
    _deliver_all()
    assert NOTE in _mails_to(cast.chair)[0].body


# --- Names as plain text in every rotation e-mail -----------------------------------------------------------------


def test_every_rotation_notice_carries_names_with_ampersands_apostrophes_and_angle_brackets_as_plain_text(
    cast, rotation, settings
):
    cast.committee.name = "Tom & Jerry's <Udvalg>"
    cast.committee.save()
    cast.workplace.name = "Børnehuset 'Sol' & <Måne>"
    cast.workplace.save()
    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    meeting = Meeting.objects.filter(host=cast.workplace).order_by("starts_at").first()
    services.meeting_cancellation_request(meeting=meeting, actor=cast.leader, reason="Vand & 'skade' <3")
    proposal = services.meeting_replan_proposal(meeting=meeting)
    services.meeting_replan(meeting=meeting, actor=cast.administrator, note=NOTE, expected_host_id=proposal.new_host.pk)
    _deliver_all()
    notifications.meeting_reminder_send(meeting_id=Meeting.objects.exclude(pk=meeting.pk).first().pk, days_before=7)
    notifications.drafts_ready_send(plan_ids=[plan.pk])

    handled = {m.handler.rsplit(".", 1)[1] for m in OutboxMessage.objects.all()}
    assert {"plan_published_send", "cancellation_requested_send", "meeting_changed_send"} <= handled
    assert mail.outbox
    for message in mail.outbox:
        text = message.subject + "\n" + message.body
        assert not any(entity in text for entity in ESCAPED), text
        html = message.alternatives[0][0]
        assert "<Udvalg>" not in html and "<Måne>" not in html
    assert any("Tom & Jerry's <Udvalg>" in m.subject for m in mail.outbox)
    assert any("Børnehuset 'Sol' & <Måne>" in m.subject + m.body for m in mail.outbox)


# --- The pages ----------------------------------------------------------------------------------------------------


def test_the_replan_page_shows_the_request_and_the_next_in_line_before_the_post(client, cast, withdrawn):
    client.force_login(cast.administrator)
    url = reverse("meetings:meeting-replan", args=[withdrawn.pk])
    proposal = services.meeting_replan_proposal(meeting=withdrawn)
    page = client.get(url).content.decode()
    assert "Vandskade i salen" in page
    assert proposal.new_host.name in page
    assert f'name="expected_host" value="{proposal.new_host.pk}"' in page
    withdrawn.refresh_from_db()
    assert withdrawn.host == cast.workplace


def test_a_stale_replan_page_shows_the_new_proposal_and_changes_nothing(client, cast, withdrawn):
    client.force_login(cast.administrator)
    url = reverse("meetings:meeting-replan", args=[withdrawn.pk])
    proposal = services.meeting_replan_proposal(meeting=withdrawn)
    stale = next(w for w in cast.committee.workplaces.all() if w not in (proposal.new_host, cast.workplace))
    response = client.post(url, {"note": NOTE, "expected_host": stale.pk})
    content = response.content.decode()
    assert response.status_code == 200
    assert f'name="expected_host" value="{proposal.new_host.pk}"' in content
    assert "Parkér bag hallen" in content  # the message typed is kept
    withdrawn.refresh_from_db()
    assert withdrawn.host == cast.workplace
