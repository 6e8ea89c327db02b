"""The admin does not rewrite the history of visits: no deletes, no edits of what happened; a cancellation goes
through the service, so it frees the place, is recorded and tells everyone."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.utils import timezone

from core import dates
from core.models import AuditEntry, OutboxMessage
from meetings.errors import MeetingsError
from meetings.models import (
    CalendarFeedToken,
    Visit,
    VisitEvent,
    VisitFeedback,
    VisitSlot,
    WaitlistEntry,
)
from meetings.visits import services
from tests import factories

from .conftest import book, confirm_held

pytestmark = pytest.mark.django_db

VISITS = "/admin/meetings/visit/"


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.administrator)
    return client


@pytest.fixture
def visit(cast, slot):
    return services.visit_confirm(visit=book(slot, cast.member, colleague=cast.chair), actor=cast.leader)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _state(visit):
    visit = Visit.objects.get(pk=visit.pk)
    slot = VisitSlot.objects.get(pk=visit.slot_id)
    return (visit.status, visit.purpose, slot.booked_count, list(visit.events.values_list("action", "note")))


def _held_visit_with_feedback(cast):
    start = factories.on_a_working_day(timezone.now() - dt.timedelta(days=3))
    slot = factories.VisitSlotFactory(
        workplace=cast.workplace, offer__created_by=cast.leader, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    visit = book(slot, cast.member, now=start - dt.timedelta(days=14))
    services.visit_confirm(visit=visit, actor=cast.leader, now=start - dt.timedelta(days=1))
    confirm_held(visit, cast.member)
    feedback = services.visit_feedback_give(visit=visit, author=cast.member, text="Lærte meget", rating=4)
    return Visit.objects.get(pk=visit.pk), feedback


# --- Deleting is refused ------------------------------------------------------------------------------------------


def test_deleting_a_visit_in_the_admin_is_refused_and_nothing_changes(admin_client, visit):
    before = _state(visit)
    audit_entries = AuditEntry.objects.count()
    assert admin_client.get(f"{VISITS}{visit.pk}/delete/").status_code == 403
    assert admin_client.post(f"{VISITS}{visit.pk}/delete/", {"post": "yes"}).status_code == 403
    admin_client.post(VISITS, {"action": "delete_selected", "_selected_action": [visit.pk], "post": "yes"})
    assert _state(visit) == before
    assert AuditEntry.objects.count() == audit_entries


def test_the_visit_list_offers_cancelling_but_no_delete(admin_client, visit):
    actions = [name for name, _label in admin_client.get(VISITS).context["action_form"].fields["action"].choices]
    assert "cancel_visits" in actions
    assert "delete_selected" not in actions


def test_a_visit_and_its_events_cannot_be_deleted_from_the_shell_either(visit):
    with pytest.raises(MeetingsError):
        visit.delete()
    with pytest.raises(MeetingsError):
        Visit.objects.filter(pk=visit.pk).delete()
    with pytest.raises(MeetingsError):
        VisitEvent.objects.filter(visit=visit).delete()
    with pytest.raises(MeetingsError):
        VisitEvent.objects.filter(visit=visit).update(note="Omskrevet")
    with pytest.raises(MeetingsError):
        visit.events.first().delete()
    assert visit.events.count() == 2


# --- Cancelling through the service ----------------------------------------------------------------------------------


def test_the_admin_cancel_action_asks_for_a_reason_first(admin_client, visit):
    before = _state(visit)
    response = admin_client.post(VISITS, {"action": "cancel_visits", "_selected_action": [visit.pk]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vil du aflyse" in page and 'name="reason"' in page
    assert cast_names_in(page, visit)
    assert _state(visit) == before
    missing = admin_client.post(
        VISITS, {"action": "cancel_visits", "_selected_action": [visit.pk], "confirm": "1", "reason": " "}
    )
    assert missing.status_code == 200
    assert "Skriv en begrundelse" in missing.content.decode()
    assert _state(visit) == before


def cast_names_in(page: str, visit) -> bool:
    return all(p.person.full_name in page for p in visit.participants.select_related("person"))


def test_the_admin_cancel_action_frees_the_place_records_audits_and_tells_everyone(
    admin_client, cast, visit, django_capture_on_commit_callbacks
):
    slot = VisitSlot.objects.get(pk=visit.slot_id)
    assert slot.booked_count == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            VISITS,
            {"action": "cancel_visits", "_selected_action": [visit.pk], "confirm": "1", "reason": "Vandskade i huset."},
        )
    assert response.status_code == 302
    assert any("aflyst" in m for m in _messages(response)), _messages(response)
    visit.refresh_from_db()
    slot.refresh_from_db()
    assert visit.status == Visit.Status.CANCELLED
    assert slot.booked_count == 0
    event = visit.events.order_by("pk").last()
    assert (event.action, event.actor, event.note) == ("cancelled", cast.administrator, "Vandskade i huset.")
    audit = AuditEntry.objects.filter(action="visit.cancelled", object_id=str(visit.pk)).get()
    assert audit.actor_id == cast.administrator.pk
    notice = OutboxMessage.objects.filter(handler="meetings.visits.notifications.visit_mail_send").order_by("pk").last()
    assert notice.kwargs["kind"] == "cancelled" and notice.delivered_at is not None
    told = sorted(m.to[0] for m in mail.outbox)
    assert told == sorted([cast.member.email, cast.chair.email, cast.leader.email])
    assert all("Vandskade i huset." in m.body for m in mail.outbox)


def test_the_admin_cancel_action_names_the_visits_it_could_not_cancel(admin_client, cast, visit):
    past, _feedback = _held_visit_with_feedback(cast)
    response = admin_client.post(
        VISITS,
        {"action": "cancel_visits", "_selected_action": [visit.pk, past.pk], "confirm": "1", "reason": "Lukket."},
    )
    assert response.status_code == 302
    shown = " ".join(_messages(response))
    assert "1 besøg er aflyst" in shown
    assert "Børnehuset Solsikken" in shown and "Kun et kommende besøg kan aflyses" in shown
    assert Visit.objects.get(pk=past.pk).status == Visit.Status.HELD


def test_only_the_secretariat_cancels_a_visit_it_does_not_take_part_in(cast, visit):
    with pytest.raises(MeetingsError):
        services.visit_cancel(visit=visit, actor=cast.other_member, reason="Nej")
    with pytest.raises(MeetingsError):
        services.visit_cancel(visit=visit, actor=cast.administrator, reason="")
    services.visit_cancel(visit=visit, actor=cast.administrator, reason="Sekretariatet aflyser.")
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.CANCELLED


# --- What happened is not edited ---------------------------------------------------------------------------------


def test_a_visits_purpose_cannot_be_changed_in_the_admin(admin_client, visit):
    before = _state(visit)
    page = admin_client.get(f"{VISITS}{visit.pk}/change/").content.decode()
    assert 'name="purpose"' not in page and 'name="_save"' not in page
    response = admin_client.post(
        f"{VISITS}{visit.pk}/change/",
        {
            "purpose": "Omskrevet formål",
            "participants-TOTAL_FORMS": "0",
            "participants-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    assert _state(visit) == before


def test_feedback_cannot_be_changed_or_deleted_in_the_admin(admin_client, cast):
    _visit, feedback = _held_visit_with_feedback(cast)
    url = f"/admin/meetings/visitfeedback/{feedback.pk}/"
    assert admin_client.get(f"{url}change/").status_code == 200
    response = admin_client.post(
        f"{url}change/",
        {"visit": feedback.visit_id, "author": cast.chair.pk, "kind": "politician", "text": "Forfalsket", "rating": 1},
    )
    assert response.status_code == 403
    assert admin_client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    stored = VisitFeedback.objects.get(pk=feedback.pk)
    assert (stored.author, stored.text, stored.rating) == (cast.member, "Lærte meget", 4)


def test_feedback_once_given_never_changes_from_the_shell_either(cast):
    _visit, feedback = _held_visit_with_feedback(cast)
    feedback.text = "Forfalsket"
    with pytest.raises(MeetingsError):
        feedback.save()
    with pytest.raises(MeetingsError):
        feedback.delete()
    with pytest.raises(MeetingsError):
        VisitFeedback.objects.filter(pk=feedback.pk).update(rating=1)
    with pytest.raises(MeetingsError):
        VisitFeedback.objects.all().delete()
    assert VisitFeedback.objects.get(pk=feedback.pk).text == "Lærte meget"


def test_a_revoked_calendar_token_cannot_be_brought_back_in_the_admin(admin_client, cast):
    token = services.calendar_token_ensure(person=cast.member)
    services.calendar_token_revoke(person=cast.member)
    token.refresh_from_db()
    response = admin_client.post(
        f"/admin/meetings/calendarfeedtoken/{token.pk}/change/", {"revoked_at_0": "", "revoked_at_1": ""}
    )
    assert response.status_code == 403
    assert CalendarFeedToken.objects.get(pk=token.pk).revoked_at == token.revoked_at
    deleted = admin_client.post(f"/admin/meetings/calendarfeedtoken/{token.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403


def test_the_admin_revokes_a_calendar_address_through_the_service(admin_client, cast):
    token = services.calendar_token_ensure(person=cast.member)
    response = admin_client.post(
        "/admin/meetings/calendarfeedtoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    audit = AuditEntry.objects.get(action="calendar.revoked")
    assert audit.actor_id == cast.administrator.pk and audit.object_id == str(token.pk)
    assert any("1 kalenderadresse" in m for m in _messages(response)), _messages(response)


def test_the_events_inline_on_a_visit_is_read_only(admin_client, visit):
    page = admin_client.get(f"{VISITS}{visit.pk}/change/").content.decode()
    assert "events-0-note" not in page and "participants-0-person" not in page


@pytest.mark.parametrize(
    "model", ["visit", "visitfeedback", "calendarfeedtoken", "visitslot", "visitoffer", "workplacetie"]
)
def test_history_of_visits_has_no_add_or_delete_in_the_admin(admin_client, cast, visit, model):
    services.workplace_tie_declare(person=cast.member, workplace=cast.other_workplace, kind="relative")
    services.calendar_token_ensure(person=cast.member)
    _held_visit_with_feedback(cast)
    changelist = admin_client.get(f"/admin/meetings/{model}/")
    assert changelist.status_code == 200
    assert admin_client.get(f"/admin/meetings/{model}/add/").status_code == 403
    first = changelist.context["cl"].result_list[0]
    assert admin_client.get(f"/admin/meetings/{model}/{first.pk}/delete/").status_code == 403
    action_form = changelist.context["action_form"]
    actions = [name for name, _label in action_form.fields["action"].choices] if action_form else []
    assert "delete_selected" not in actions


def test_a_slots_capacity_cannot_be_changed_under_its_bookings(admin_client, visit):
    slot = VisitSlot.objects.get(pk=visit.slot_id)
    response = admin_client.post(f"/admin/meetings/visitslot/{slot.pk}/change/", {"capacity": 1})
    assert response.status_code == 403
    assert VisitSlot.objects.get(pk=slot.pk).capacity == slot.capacity


# --- The waiting list ------------------------------------------------------------------------------

WAITLIST = "/admin/meetings/waitlistentry/"


@pytest.fixture
def held_entry(cast):
    """The member waits at the cast's workplace and has a time held for them after a cancellation."""
    slot = factories.VisitSlotFactory(workplace=cast.workplace, capacity=1, offer__created_by=cast.leader)
    visit = book(slot, cast.chair)
    entry = services.waitlist_join(workplace=cast.workplace, person=cast.member)
    services.visit_cancel(visit=visit, actor=cast.chair)
    entry.refresh_from_db()
    return entry


def test_the_secretariat_sees_the_waiting_lists_with_status_held_time_and_until(admin_client, cast, held_entry):
    services.waitlist_join(workplace=cast.workplace, person=cast.vice_chair)

    response = admin_client.get(WAITLIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert cast.member.full_name in page and cast.vice_chair.full_name in page
    assert cast.workplace.name in page
    assert "Tid holdt" in page and "Venter" in page  # the statuses, in Danish
    assert dates.when(held_entry.offered_slot.starts_at, "datetime_short") in page
    assert dates.when(held_entry.hold_until, "datetime") in page


def test_the_waiting_lists_filter_by_status_and_workplace_and_search_by_person(admin_client, cast, held_entry):
    other = factories.WorkplaceFactory(name="Nordskolen")
    other.committees.add(cast.committee)
    services.waitlist_join(workplace=other, person=cast.vice_chair)

    by_status = admin_client.get(WAITLIST, {"status__exact": "offered"}).content.decode()
    by_workplace = admin_client.get(WAITLIST, {"workplace__id__exact": other.pk}).content.decode()
    by_name = admin_client.get(WAITLIST, {"q": cast.vice_chair.full_name}).content.decode()

    assert cast.member.full_name in by_status and cast.vice_chair.full_name not in by_status
    assert cast.vice_chair.full_name in by_workplace and cast.member.full_name not in by_workplace
    assert cast.vice_chair.full_name in by_name and cast.member.full_name not in by_name


def test_a_waiting_list_entry_cannot_be_added_changed_or_deleted_in_the_admin(admin_client, held_entry):
    before = list(WaitlistEntry.objects.values())
    url = f"{WAITLIST}{held_entry.pk}/change/"

    page = admin_client.get(url)
    posted = admin_client.post(url, {"status": "left"})

    assert page.status_code == 200 and 'name="status"' not in page.content.decode()
    assert posted.status_code == 403
    assert admin_client.get(f"{WAITLIST}add/").status_code == 403
    assert admin_client.post(f"{WAITLIST}{held_entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert 'value="delete_selected"' not in admin_client.get(WAITLIST).content.decode()
    assert list(WaitlistEntry.objects.values()) == before


@pytest.mark.parametrize("role", ["chair", "member", "leader", "trio", "outsider"])
def test_people_outside_the_secretariat_cannot_see_the_waiting_lists_in_the_admin(client, cast, held_entry, role):
    client.force_login(getattr(cast, role))

    for url in (WAITLIST, f"{WAITLIST}{held_entry.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_anonymous_is_sent_to_the_admin_login_for_the_waiting_lists(client, held_entry):
    response = client.get(WAITLIST)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_waiting_list_admin_query_count_does_not_grow(admin_client, cast, held_entry):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin_client.get(WAITLIST)  # warm: the person's roles are cached from then on (issue 19)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(WAITLIST)
    for _ in range(3):
        newcomer = factories.MembershipFactory(committee=cast.committee).user
        services.waitlist_join(workplace=cast.workplace, person=newcomer)
    with CaptureQueriesContext(connection) as many:
        admin_client.get(WAITLIST)

    assert WaitlistEntry.objects.count() >= 4
    assert len(many) == len(few)
