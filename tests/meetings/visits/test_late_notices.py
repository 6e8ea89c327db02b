"""A visit notice tells the change that caused it, to the people involved then, however late the worker sends it
(issue 14, hole 10). Messages are delivered by hand after further changes."""

import datetime as dt

import pytest

from core.models import OutboxMessage
from core.outbox import outbox_deliver
from meetings.models import Visit, WorkplaceRole
from meetings.visits import services
from tests import factories

from .conftest import book

pytestmark = pytest.mark.django_db

HANDLER = "meetings.visits.notifications.visit_mail_send"


def _queued(kind: str) -> OutboxMessage:
    return OutboxMessage.objects.filter(handler=HANDLER, kwargs__kind=kind).latest("pk")


def _slot_at(cast, hour: int, days_ahead: int):
    start = factories.next_weekday_at(hour, days_ahead=days_ahead)
    return factories.VisitSlotFactory(
        workplace=cast.workplace, starts_at=start, ends_at=start + dt.timedelta(hours=1), offer__created_by=cast.leader
    )


def _ics(mail) -> str:
    [attachment] = mail.attachments
    return attachment[1].decode() if isinstance(attachment[1], bytes) else attachment[1]


def test_a_booking_notice_delivered_after_the_visit_was_confirmed_and_moved_tells_the_booking(cast, mailoutbox):
    first = _slot_at(cast, 9, days_ahead=8)
    later = _slot_at(cast, 13, days_ahead=9)
    visit = book(first, cast.member)
    booked = _queued("booked")
    services.visit_confirm(visit=visit, actor=cast.leader)
    services.visit_move(visit=visit, actor=cast.member, slot=later)

    assert outbox_deliver(message_id=booked.pk)

    by_person = {m.to[0]: m for m in mailoutbox}
    assert set(by_person) == {cast.member.email, cast.leader.email}
    to_leader = by_person[cast.leader.email]
    # Then it waited for the leader's answer; it says so, and that the visit has changed since.
    assert "bekræft" in to_leader.subject.lower() or "confirm" in to_leader.subject.lower()
    assert "/bekraeft/" in to_leader.body
    assert "siden" in to_leader.body or "since" in to_leader.body
    # The politician's calendar entry is the booking's: its time and revision, so a newer entry wins.
    ics = _ics(by_person[cast.member.email])
    assert "T090000" in ics and "T130000" not in ics
    assert "SEQUENCE:0" in ics
    assert "STATUS:TENTATIVE" in ics


def test_a_late_move_notice_tells_its_own_move_and_note(cast, mailoutbox):
    first, second, third = _slot_at(cast, 9, 8), _slot_at(cast, 11, 9), _slot_at(cast, 14, 10)
    visit = book(first, cast.member)
    services.visit_move(visit=visit, actor=cast.member, slot=second)
    moved = _queued("moved")
    note = Visit.objects.get(pk=visit.pk).events.latest("pk").note  # "Moved from … to …"
    services.visit_move(visit=Visit.objects.get(pk=visit.pk), actor=cast.member, slot=third)

    assert outbox_deliver(message_id=moved.pk)

    [to_leader] = [m for m in mailoutbox if m.to == [cast.leader.email]]
    assert note in to_leader.body
    newest = Visit.objects.get(pk=visit.pk).events.latest("pk").note
    assert newest not in to_leader.body


def test_a_late_cancellation_goes_to_the_leader_of_the_time(cast, mailoutbox):
    visit = book(_slot_at(cast, 9, 8), cast.member)
    services.visit_cancel(visit=visit, actor=cast.member)
    cancelled = _queued("cancelled")
    # The workplace gets a new leader before the worker gets to the notice.
    WorkplaceRole.objects.filter(user=cast.leader, workplace=cast.workplace).delete()
    factories.WorkplaceRoleFactory(user=factories.UserFactory(email="ny-leder@dalby.example"), workplace=cast.workplace)

    assert outbox_deliver(message_id=cancelled.pk)

    # The leader of the time is told; the politician who cancelled gets the cancellation for their calendar.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.member.email, cast.leader.email])
    assert "ny-leder@dalby.example" not in {m.to[0] for m in mailoutbox}


def test_a_visit_notice_queued_with_the_old_arguments_still_delivers(cast, mailoutbox):
    visit = book(_slot_at(cast, 9, 8), cast.member)
    OutboxMessage.objects.filter(handler=HANDLER).delete()
    old = OutboxMessage.objects.create(
        handler=HANDLER, kwargs={"visit_id": visit.pk, "kind": "booked", "actor_id": cast.member.pk}
    )

    assert outbox_deliver(message_id=old.pk)

    assert sorted(m.to[0] for m in mailoutbox) == sorted([cast.member.email, cast.leader.email])
