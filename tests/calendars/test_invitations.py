"""Invitations that update in place: what Django's outbox receives is an iTIP invitation Outlook acts on, a
``text/calendar; method=REQUEST`` (or ``CANCEL``) part beside the text and HTML, from the portal's sender to the
recipient alone, with the feed's UID and the calendar revision, so a moved visit replaces the entry and a cancelled
one removes it."""

import datetime as dt

import icalendar
import pytest

from meetings.models import Meeting, MeetingInvitation, Visit
from meetings.rotation import services as rotation_services
from meetings.rotation.ical import meeting_uid
from meetings.visits import services
from meetings.visits.ical import visit_uid
from tests import factories

from .mails import invitations, wire

pytestmark = pytest.mark.django_db

SENDER = '"Dialogportalen, Dalby Kommune" <dialogportalen@dalby.example>'


@pytest.fixture(autouse=True)
def _sender(settings):
    settings.DEFAULT_FROM_EMAIL = SENDER


@pytest.fixture
def slot(cast):
    return factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)


def _run(django_capture_on_commit_callbacks, mailoutbox, action):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        action()
    return {m.to[0]: m for m in mailoutbox}


def _event(message):
    [(method, body)] = invitations(message)
    calendar = icalendar.Calendar.from_ical(body)
    [event] = calendar.walk("VEVENT")
    assert str(calendar["method"]) == method
    return method, event


def _address(value) -> str:
    return str(value).removeprefix("mailto:")


def test_a_booking_sends_each_politician_an_invitation_addressed_to_them_alone(
    cast, slot, mailoutbox, django_capture_on_commit_callbacks
):
    told = _run(
        django_capture_on_commit_callbacks,
        mailoutbox,
        lambda: services.visit_book(slot=slot, booker=cast.member, colleague=cast.chair, purpose="Sprogarbejdet."),
    )
    visit = Visit.objects.get()

    for person in (cast.member, cast.chair):
        message = told[person.email]
        mime = wire(message)
        assert mime.get_content_type() == "multipart/mixed"
        alternative = next(p for p in mime.walk() if p.get_content_type() == "multipart/alternative")
        types = [p.get("Content-Type") for p in alternative.get_payload()]
        assert types[-1] == "text/calendar; method=REQUEST; charset=UTF-8"
        assert [p.get_content_type() for p in alternative.get_payload()] == ["text/plain", "text/html", "text/calendar"]
        method, event = _event(message)
        assert method == "REQUEST"
        assert str(event["uid"]) == visit_uid(visit)
        assert int(event["sequence"]) == visit.sequence
        assert _address(event["organizer"]) == "dialogportalen@dalby.example"
        assert event["organizer"].params["CN"] == "Dialogportalen, Dalby Kommune"
        attendees = event["attendee"] if isinstance(event["attendee"], list) else [event["attendee"]]
        assert [_address(a) for a in attendees] == [person.email]  # nobody else's address
        assert attendees[0].params["CN"] == person.full_name
        assert attendees[0].params["RSVP"] == "FALSE"
    # The leader is asked to confirm; the workplace's calendar is the personal feed, not an invitation.
    assert not invitations(told[cast.leader.email])


def test_a_moved_visit_updates_the_same_entry_with_a_higher_revision(
    cast, slot, mailoutbox, django_capture_on_commit_callbacks
):
    booked = _run(
        django_capture_on_commit_callbacks,
        mailoutbox,
        lambda: services.visit_book(slot=slot, booker=cast.member, colleague=cast.chair, purpose="Sprogarbejdet."),
    )
    visit = Visit.objects.get()
    later = factories.VisitSlotFactory(
        workplace=cast.workplace,
        starts_at=factories.working_days_after(slot.starts_at, 1),
        offer__created_by=cast.leader,
    )

    moved = _run(
        django_capture_on_commit_callbacks,
        mailoutbox,
        lambda: services.visit_move(visit=visit, actor=cast.member, slot=later),
    )

    _method, before = _event(booked[cast.chair.email])
    method, after = _event(moved[cast.chair.email])
    assert method == "REQUEST"
    assert str(after["uid"]) == str(before["uid"]) == visit_uid(visit)
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("dtstart") == later.starts_at
    # The politician who moved it holds the booking's invitation too: their calendar gets the update.
    _method, own = _event(moved[cast.member.email])
    assert str(own["uid"]) == visit_uid(visit) and own.decoded("dtstart") == later.starts_at


@pytest.mark.parametrize("ending", ["cancelled by the politician", "cancelled by the leader", "declined"])
def test_a_cancelled_or_declined_visit_sends_a_cancel_for_the_same_entry(
    cast, slot, mailoutbox, django_capture_on_commit_callbacks, ending
):
    booked = _run(
        django_capture_on_commit_callbacks,
        mailoutbox,
        lambda: services.visit_book(slot=slot, booker=cast.member, purpose="Sprogarbejdet."),
    )
    visit = Visit.objects.get()
    end = {
        "cancelled by the politician": lambda: services.visit_cancel(visit=visit, actor=cast.member),
        "cancelled by the leader": lambda: services.visit_cancel(visit=visit, actor=cast.leader, reason="Vandskade."),
        "declined": lambda: services.visit_decline(visit=visit, actor=cast.leader, reason="Vi holder lukket."),
    }[ending]

    told = _run(django_capture_on_commit_callbacks, mailoutbox, end)

    _method, request = _event(booked[cast.member.email])
    method, cancel = _event(told[cast.member.email])
    assert method == "CANCEL"
    assert str(cancel["status"]) == "CANCELLED"
    assert str(cancel["uid"]) == str(request["uid"])
    assert int(cancel["sequence"]) > int(request["sequence"])
    assert [_address(a) for a in [cancel["attendee"]]] == [cast.member.email]


@pytest.fixture
def published(cast, rotation):
    plan = rotation_services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    rotation_services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    return plan


def test_a_moved_meeting_sends_everyone_concerned_a_request_for_the_same_entry(
    cast, published, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = Meeting.objects.filter(host=cast.workplace).order_by("starts_at").first()
    day = meeting.local_date + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)

    told = _run(
        django_capture_on_commit_callbacks,
        mailoutbox,
        lambda: rotation_services.meeting_update(
            meeting=meeting,
            actor=cast.administrator,
            date=day,
            start=dt.time(15, 30),
            minutes=120,
            agenda_url="",
            programme="",
        ),
    )

    meeting.refresh_from_db()
    for person in (cast.chair, cast.member, cast.leader):
        method, event = _event(told[person.email])
        assert method == "REQUEST"
        assert str(event["uid"]) == meeting_uid(meeting)
        assert int(event["sequence"]) == meeting.sequence == 1
        assert event.decoded("dtstart") == meeting.starts_at
        assert [_address(event["attendee"])] == [person.email]


def test_a_replanned_meeting_cancels_the_entry_of_the_host_that_withdrew(
    cast, published, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = Meeting.objects.filter(host=cast.workplace).order_by("starts_at").first()
    rotation_services.meeting_cancellation_request(meeting=meeting, actor=cast.leader, reason="Vandskade i salen")

    told = _run(
        django_capture_on_commit_callbacks,
        mailoutbox,
        lambda: rotation_services.meeting_replan(meeting=meeting, actor=cast.administrator),
    )

    meeting.refresh_from_db()
    assert meeting.host_id not in (None, cast.workplace.pk)
    assert not MeetingInvitation.objects.filter(meeting=meeting, workplace=cast.workplace).exists()
    uid = meeting_uid(meeting)
    by_method = {}
    for address, message in told.items():
        for method, body in invitations(message):
            [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
            if str(event["uid"]) == uid:
                by_method.setdefault(method, set()).add(address)
    assert by_method["CANCEL"] == {cast.leader.email}
    assert {cast.chair.email, cast.member.email} <= by_method["REQUEST"]


def test_a_meeting_nobody_can_host_sends_a_cancel(cast, published, mailoutbox, django_capture_on_commit_callbacks):
    meeting = Meeting.objects.filter(host=cast.workplace).order_by("starts_at").first()
    meeting.sequence = 4
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    from meetings.rotation.notifications import meeting_changed_send, meeting_notice_kwargs

    meeting_changed_send(**meeting_notice_kwargs(meeting, "replanned", actor=cast.administrator))

    method, event = _event(next(m for m in mailoutbox if m.to == [cast.chair.email]))
    assert method == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == 4
