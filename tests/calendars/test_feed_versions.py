"""The feeds' versions (meetings/feeds.py): an unchanged feed is a 304 or its kept body after one query, and every
change to what a feed shows is in the next fetch, through every path that makes it (services, the admin's save,
deletes, the bulk writes that bump by hand) and as the window of past events moves with the day."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.feeds import window_start
from meetings.models import (
    Committee,
    Meeting,
    MeetingInvitation,
    RotationPlan,
    VisitOffer,
    VisitParticipant,
    Workplace,
    WorkplaceRole,
    roles_version_bump,
)
from meetings.services import person_language_set
from meetings.visits import services
from tests import factories

pytestmark = pytest.mark.django_db


def _feed(person) -> str:
    return reverse("meetings:calendar-feed", args=[services.calendar_token_ensure(person=person).token])


def _save(obj, **fields):
    """A change as the admin and the services make it: the row's save()."""
    obj = type(obj).objects.get(pk=obj.pk)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


def _unfolded(response) -> bytes:
    return response.content.replace(b"\r\n ", b"")


def _assert_shows_at_once(client, url, change, *, present: bytes = b"", absent: bytes = b""):
    """Unchanged, the feed is a 304; after the change, the next fetch has a new ETag and shows it."""
    first = client.get(url)
    assert first.status_code == 200
    if present:
        assert present not in _unfolded(first)
    if absent:
        assert absent in _unfolded(first)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    change()
    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    if present:
        assert present in _unfolded(after)
    if absent:
        assert absent not in _unfolded(after)
    # ...and the kept body is the new one too (a calendar app that sends no ETag).
    assert _unfolded(client.get(url)) == _unfolded(after)


def _uid(kind: str, obj) -> bytes:
    return f"UID:{kind}-{obj.pk}@".encode()


# --- Queries ---------------------------------------------------------------------------------------------------------


def test_an_unchanged_feed_costs_the_tokens_query_alone_as_304_and_as_kept_body(
    client, cast, booked, meeting, django_assert_num_queries
):
    url = _feed(cast.member)
    tag = client.get(url)["ETag"]
    with django_assert_num_queries(1):
        assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


def test_a_changed_feed_is_built_in_three_queries_however_many_visits_it_holds(
    client, cast, booked, meeting, django_assert_num_queries
):
    url = _feed(cast.member)
    client.get(url)  # the roles are kept from here on
    _save(meeting, programme="Rundvisning")
    with django_assert_num_queries(3):  # the token, the visits with their participants, the meetings
        client.get(url)
    for hour in (10, 11, 13):  # a politician visits a workplace at most four times a year
        slot = factories.VisitSlotFactory(
            workplace=cast.workplace,
            starts_at=factories.next_weekday_at(hour, days_ahead=9),
            offer__created_by=cast.leader,
        )
        services.visit_book(slot=slot, booker=cast.member, purpose="Flere besøg.", colleague=cast.chair)
    with django_assert_num_queries(3):
        body = client.get(url).content
    assert body.count(b"BEGIN:VEVENT") == 5


# --- Every path that changes what a feed shows --------------------------------------------------------------------


def test_a_service_change_of_a_visit(client, cast, booked):
    _assert_shows_at_once(
        client,
        _feed(cast.member),
        lambda: services.visit_cancel(visit=booked, actor=cast.member),
        present=b"STATUS:CANCELLED",
    )


def test_a_saved_visit(client, cast, booked):
    _assert_shows_at_once(
        client, _feed(cast.leader), lambda: _save(booked, purpose="Nyt formål"), present="Nyt formål".encode()
    )


def test_a_new_booking_by_the_person_whose_participants_are_written_in_bulk(client, cast, booked):
    slot = factories.VisitSlotFactory(
        workplace=cast.workplace,
        starts_at=factories.next_weekday_at(10, days_ahead=10),
        offer__created_by=cast.leader,
    )
    new = []
    _assert_shows_at_once(
        client,
        _feed(cast.member),
        lambda: new.append(services.visit_book(slot=slot, booker=cast.member, purpose="Et nyt besøg.")),
        present=b"Et nyt bes",
    )


def test_a_participant_added_shows_in_the_fellow_participants_feed(client, cast, booked):
    _assert_shows_at_once(
        client,
        _feed(cast.member),
        lambda: VisitParticipant.objects.create(visit=booked, person=cast.other_member),
        present=b"Test other member",
    )


def test_a_participant_removed_loses_the_visit(client, cast, booked):
    _assert_shows_at_once(
        client,
        _feed(cast.member),
        lambda: VisitParticipant.objects.filter(visit=booked, person=cast.member).delete(),
        absent=_uid("visit", booked),
    )


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (lambda cast, booked: _save(cast.workplace, name="Nyt Hus"), b"Nyt Hus"),
        (lambda cast, booked: _save(cast.workplace, address="Nyvej 1"), b"Nyvej 1"),
        (
            lambda cast, booked: _save(VisitOffer.objects.get(pk=booked.slot.offer_id), practical_notes="Bagdoeren"),
            b"Bagdoeren",
        ),
        (lambda cast, booked: _save(cast.member, full_name="Anne Ny"), b"Anne Ny"),
    ],
    ids=["workplace name", "workplace address", "practical notes", "a participant's name"],
)
def test_a_name_or_address_shown_in_many_feeds(client, cast, booked, change, shown):
    _assert_shows_at_once(client, _feed(cast.member), lambda: change(cast, booked), present=shown)


def test_a_saved_meeting(client, cast, meeting):
    _assert_shows_at_once(
        client, _feed(cast.member), lambda: _save(meeting, programme="Rundvisning"), present=b"Rundvisning"
    )


def test_a_renamed_committee(client, cast, meeting):
    _assert_shows_at_once(
        client, _feed(cast.leader), lambda: _save(cast.committee, name="Skoleudvalget"), present=b"Skoleudvalget"
    )


def test_a_new_meeting_shows_in_the_committee_members_feed(client, cast, meeting):
    start = meeting.starts_at + dt.timedelta(days=7)
    new = []

    def add():
        new.append(
            Meeting.objects.create(
                committee=cast.committee,
                plan=meeting.plan,
                host=None,
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
            )
        )

    _assert_shows_at_once(client, _feed(cast.member), add, present=f"meeting-{meeting.pk + 1}@".encode())


def test_a_meeting_moved_to_another_host_leaves_the_old_hosts_feed_and_reaches_the_new(client, cast, meeting):
    _assert_shows_at_once(
        client, _feed(cast.leader), lambda: _save(meeting, host=cast.other_workplace), absent=_uid("meeting", meeting)
    )
    assert _uid("meeting", meeting) in _unfolded(client.get(_feed(cast.other_leader)))


def test_a_deleted_meeting(client, cast, meeting):
    _assert_shows_at_once(
        client,
        _feed(cast.member),
        lambda: Meeting.objects.filter(pk=meeting.pk).delete(),
        absent=_uid("meeting", meeting),
    )


def test_an_invitation_added_and_removed(client, cast, meeting):
    url = _feed(cast.other_leader)
    _assert_shows_at_once(
        client,
        url,
        lambda: MeetingInvitation.objects.create(meeting=meeting, workplace=cast.other_workplace),
        present=_uid("meeting", meeting),
    )
    _assert_shows_at_once(
        client,
        url,
        lambda: MeetingInvitation.objects.filter(meeting=meeting).delete(),
        absent=_uid("meeting", meeting),
    )


def test_invitations_written_in_bulk_reach_the_guests_feeds_without_a_hand_bump(client, cast, meeting):
    _assert_shows_at_once(
        client,
        _feed(cast.other_leader),
        lambda: MeetingInvitation.objects.bulk_create(
            [MeetingInvitation(meeting=meeting, workplace=cast.other_workplace)]
        ),
        present=_uid("meeting", meeting),
    )


def test_a_participant_written_in_bulk_shows_in_the_fellow_participants_feed(client, cast, booked):
    _assert_shows_at_once(
        client,
        _feed(cast.member),
        lambda: VisitParticipant.objects.bulk_create([VisitParticipant(visit=booked, person=cast.other_member)]),
        present=b"Test other member",
    )


def test_a_participant_replaced_by_update_leaves_one_feed_and_reaches_the_other(client, cast, booked):
    other = _feed(cast.other_member)
    assert _uid("visit", booked) not in _unfolded(client.get(other))
    _assert_shows_at_once(
        client,
        _feed(cast.member),
        lambda: VisitParticipant.objects.filter(visit=booked, person=cast.member).update(person=cast.other_member),
        absent=_uid("visit", booked),
    )
    assert _uid("visit", booked) in _unfolded(client.get(other))


def test_a_new_role_brings_the_workplaces_visits(client, cast, booked):
    _assert_shows_at_once(
        client,
        _feed(cast.other_leader),
        lambda: WorkplaceRole.objects.create(
            user=cast.other_leader, workplace=cast.workplace, role=WorkplaceRole.Role.LEADER
        ),
        present=_uid("visit", booked),
    )


def test_a_bulk_write_that_bumps_the_roles_shared_version_as_the_import_erasure_and_demo_do(client, cast, booked):
    def bulk():
        Workplace.objects.filter(pk=cast.workplace.pk).update(name="Importeret navn")
        roles_version_bump()

    _assert_shows_at_once(client, _feed(cast.member), bulk, present=b"Importeret navn")


def test_the_language_is_part_of_the_etag(client, cast, booked):
    url = _feed(cast.member)
    danish = client.get(url)
    person_language_set(person=cast.member, language="en")  # the person's choice: the feed has no session
    english = client.get(url, HTTP_IF_NONE_MATCH=danish["ETag"])
    assert english.status_code == 200
    assert english["ETag"] != danish["ETag"]
    assert b"Participants:" in english.content
    assert b"Participants:" not in danish.content


def test_a_new_address_has_its_own_etag_and_the_old_one_is_gone(client, cast, booked):
    old = _feed(cast.member)
    tag = client.get(old)["ETag"]
    token = services.calendar_token_regenerate(person=cast.member)
    assert client.get(old, HTTP_IF_NONE_MATCH=tag).status_code == 404
    new = client.get(reverse("meetings:calendar-feed", args=[token.token]), HTTP_IF_NONE_MATCH=tag)
    assert new.status_code == 200
    assert new["ETag"] != tag


def test_the_committees_public_feed_follows_its_meetings_and_plans(client, cast, meeting):
    url = reverse("meetings:public-feed", args=[cast.committee.slug])
    _assert_shows_at_once(
        client, url, lambda: _save(meeting, agenda_url="https://dalby.example/a"), present=b"dalby.example/a"
    )
    _assert_shows_at_once(
        client,
        url,
        lambda: _save(meeting.plan, status=RotationPlan.Status.DRAFT),
        absent=_uid("meeting", meeting),
    )


def test_a_deactivated_committees_feed_is_gone_at_once(client, cast, meeting):
    url = reverse("meetings:public-feed", args=[cast.committee.slug])
    tag = client.get(url)["ETag"]
    Committee.objects.filter(pk=cast.committee.pk).update(is_active=False)
    assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 404


# --- The window of past events moves with the day -----------------------------------------------------------------


def test_an_event_passing_out_of_the_window_leaves_the_feed_the_next_day(client, cast, booked, monkeypatch):
    now = timezone.now()
    # 10:00 on the local day 89 days before today's local day (not the local day of the moment 89 days ago: late in the
    # evening in winter, that moment is already the next day in summer time, 88 days back, and stays in the window).
    day = timezone.localdate(now) - dt.timedelta(days=89)
    past = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    _save(booked, starts_at=past, ends_at=past + dt.timedelta(hours=1))
    url = _feed(cast.member)
    today = client.get(url)
    assert _uid("visit", booked) in _unfolded(today)
    assert client.get(url, HTTP_IF_NONE_MATCH=today["ETag"]).status_code == 304

    monkeypatch.setattr(timezone, "now", lambda: now + dt.timedelta(days=2))
    later = client.get(url, HTTP_IF_NONE_MATCH=today["ETag"])
    assert later.status_code == 200
    assert later["ETag"] != today["ETag"]
    assert _uid("visit", booked) not in _unfolded(later)


def test_the_window_starts_at_local_midnight():
    assert window_start(90, today=dt.date(2026, 6, 30)).isoformat() == "2026-04-01T00:00:00+02:00"
