"""Only what happened counts: after a visit, the leader or a politician on it says whether it was held, did not take
place or was cancelled late. Nothing is marked held by itself; the unconfirmed are reminded; a politician visits the
same workplace at most a set number of times a year."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from core.models import OutboxMessage
from meetings.errors import MeetingsError
from meetings.models import Visit, VisitSlot
from meetings.visits import ical, services
from tests import factories

from .conftest import book

pytestmark = pytest.mark.django_db
Status = Visit.Status


@pytest.fixture(autouse=True)
def _english():
    """Refusals are asserted in their English source form (the cap's Danish wording is asserted on its own)."""
    with translation.override("en"):
        yield


def _past(cast, *, days_ago=3, colleague=None):
    """A visit the member booked two weeks ahead and the leader confirmed, now ``days_ago`` days over."""
    start = factories.on_a_working_day(timezone.now() - dt.timedelta(days=days_ago))
    slot = factories.VisitSlotFactory(
        workplace=cast.workplace, offer__created_by=cast.leader, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    visit = book(slot, cast.member, colleague=colleague, now=start - dt.timedelta(days=14))
    return services.visit_confirm(visit=visit, actor=cast.leader, now=start - dt.timedelta(days=2))


# --- Who says what happened, and when ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "member", "chair"])
def test_the_leader_or_a_politician_on_the_visit_confirms_it_was_held(cast, who):
    visit = _past(cast, colleague=cast.chair)
    person = getattr(cast, who)
    held = services.visit_outcome_record(visit=visit, actor=person, outcome="held", note="Godt besøg")
    assert held.status == Status.HELD
    event = held.events.order_by("-pk").first()
    assert (event.action, event.actor, event.from_status, event.note) == ("held", person, "confirmed", "Godt besøg")


@pytest.mark.parametrize("who", ["chair", "other_leader", "trio", "outsider", "administrator"])
def test_people_who_were_not_there_cannot_say_what_happened(cast, who):
    visit = _past(cast)
    with pytest.raises(MeetingsError, match="leader and the politicians on the visit"):
        services.visit_outcome_record(visit=visit, actor=getattr(cast, who), outcome="held")
    assert Visit.objects.get(pk=visit.pk).status == Status.CONFIRMED


def test_nothing_is_confirmed_before_the_visit_has_begun_nor_twice(cast, slot):
    coming = services.visit_confirm(visit=book(slot, cast.member), actor=cast.leader)
    with pytest.raises(MeetingsError, match="once the visit has begun"):
        services.visit_outcome_record(visit=coming, actor=cast.leader, outcome="held")
    visit = _past(cast)
    services.visit_outcome_record(visit=visit, actor=cast.leader, outcome="held")
    with pytest.raises(MeetingsError, match="already been confirmed"):
        services.visit_outcome_record(visit=visit, actor=cast.member, outcome="no_show")
    assert Visit.objects.get(pk=visit.pk).status == Status.HELD


def test_a_visit_never_confirmed_by_the_leader_or_an_unknown_outcome_is_refused(cast):
    start = factories.on_a_working_day(timezone.now() - dt.timedelta(days=3))
    slot = factories.VisitSlotFactory(
        workplace=cast.workplace, offer__created_by=cast.leader, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    requested = book(slot, cast.member, now=start - dt.timedelta(days=14))
    with pytest.raises(MeetingsError, match="Only a confirmed visit"):
        services.visit_outcome_record(visit=requested, actor=cast.leader, outcome="held")
    with pytest.raises(MeetingsError, match="Choose what happened"):
        services.visit_outcome_record(visit=_past(cast, days_ago=5), actor=cast.leader, outcome="maybe")


def test_a_no_show_frees_its_places_and_calendars_no_longer_show_it_as_confirmed(cast):
    visit = _past(cast)
    before = visit.sequence
    done = services.visit_outcome_record(visit=visit, actor=cast.leader, outcome="no_show", note="Ingen kom")
    assert done.status == Status.NO_SHOW
    assert done.sequence == before + 1
    assert VisitSlot.objects.get(pk=visit.slot_id).booked_count == 0
    assert "STATUS:CANCELLED" in ical.calendar_for([done], name="Besøg").decode()
    assert ical.invitation_method(done) == "CANCEL"


def test_a_late_cancellation_is_recorded_as_one(cast):
    visit = _past(cast)
    done = services.visit_outcome_record(visit=visit, actor=cast.member, outcome="cancelled_late")
    assert (done.status, done.cancelled_late) == (Status.CANCELLED, True)
    assert done.events.order_by("-pk").first().action == "cancelled_late"
    assert "STATUS:CANCELLED" in ical.calendar_for([done], name="Besøg").decode()


# --- Reminders instead of "held" by itself --------------------------------------------------------------------------


def test_the_unconfirmed_are_reminded_once_then_once_more_after_the_set_days_and_never_marked_held(
    cast, settings, django_capture_on_commit_callbacks
):
    settings.DIALOG_OUTCOME_REMINDER_DAYS = 5
    visit = _past(cast, days_ago=1)
    now = timezone.now()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.visit_outcome_reminders_send(now=now) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.member.email, cast.leader.email])
    assert "hvad der skete" in mail.outbox[0].body.lower() or "what happened" in mail.outbox[0].body.lower()
    assert services.visit_outcome_reminders_send(now=now + dt.timedelta(days=4)) == 0
    assert services.visit_outcome_reminders_send(now=now + dt.timedelta(days=5)) == 1
    assert services.visit_outcome_reminders_send(now=now + dt.timedelta(days=30)) == 0  # never a third time
    assert Visit.objects.get(pk=visit.pk).status == Status.CONFIRMED


def test_a_confirmed_visit_is_not_reminded_about(cast):
    visit = _past(cast)
    services.visit_outcome_record(visit=visit, actor=cast.leader, outcome="held")
    assert services.visit_outcome_reminders_send() == 0


def test_a_reminder_queued_before_someone_confirmed_sends_nothing(cast):
    from meetings.visits.notifications import visit_outcome_reminder_send

    visit = _past(cast)
    services.visit_outcome_reminders_send()
    services.visit_outcome_record(visit=visit, actor=cast.leader, outcome="held")
    mail.outbox.clear()
    assert visit_outcome_reminder_send(visit_id=visit.pk) == 0
    assert mail.outbox == []


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_reminder_job_runs_on_a_real_worker_and_its_notice_is_delivered(cast):
    from celery.contrib.testing.worker import start_worker

    from dialog_portal.celery import app
    from meetings.visits.tasks import remind_visit_outcomes
    from tests.workers import wait_for

    visit = _past(cast)
    # The booking's own notices are not this test's: only the reminder is left to deliver.
    OutboxMessage.objects.update(delivered_at=timezone.now())
    mail.outbox.clear()
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=10):
        app.conf.task_always_eager = False
        assert remind_visit_outcomes.delay().get(timeout=30) == 1
        assert wait_for(lambda: len(mail.outbox) == 2)
        assert remind_visit_outcomes.delay().get(timeout=30) == 0  # the second waits DIALOG_OUTCOME_REMINDER_DAYS
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.member.email, cast.leader.email])
    assert Visit.objects.get(pk=visit.pk).status == Status.CONFIRMED
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True).exists()


# --- The per-politician cap ------------------------------------------------------------------------------------------


def _slots(cast, n):
    first = factories.next_weekday_at(10, days_ahead=14)
    return [
        factories.VisitSlotFactory(
            workplace=cast.workplace,
            offer__created_by=cast.leader,
            starts_at=factories.working_days_after(first, 3 * i),
        )
        for i in range(n)
    ]


def test_a_politician_visits_the_same_workplace_at_most_the_cap_a_year(cast, settings):
    settings.DIALOG_VISITS_PER_POLITICIAN_PER_WORKPLACE_YEAR = 2
    first, second, third = _slots(cast, 3)
    book(first, cast.member)
    book(second, cast.member)
    with pytest.raises(MeetingsError) as refused:
        book(third, cast.member)
    assert "2 visits to this workplace" in str(refused.value)
    assert "at most 2 times a year" in str(refused.value)
    assert VisitSlot.objects.get(pk=third.pk).booked_count == 0
    with translation.override("da"), pytest.raises(MeetingsError) as refused:
        book(third, cast.member)
    assert f"{cast.member.full_name} har allerede 2 besøg på denne arbejdsplads" in str(refused.value)
    assert "højst den samme arbejdsplads 2 gange om året" in str(refused.value)
    book(third, cast.chair)  # another politician may: attention spreads


def test_a_colleague_over_the_cap_is_named_and_zero_means_no_cap(cast, settings):
    settings.DIALOG_VISITS_PER_POLITICIAN_PER_WORKPLACE_YEAR = 1
    first, second, third = _slots(cast, 3)
    book(first, cast.chair)
    with pytest.raises(MeetingsError, match=cast.chair.full_name):
        book(second, cast.member, colleague=cast.chair)
    settings.DIALOG_VISITS_PER_POLITICIAN_PER_WORKPLACE_YEAR = 0
    book(second, cast.member, colleague=cast.chair)
    book(third, cast.chair)


def test_a_cancelled_visit_does_not_count_towards_the_cap(cast, settings):
    settings.DIALOG_VISITS_PER_POLITICIAN_PER_WORKPLACE_YEAR = 1
    first, second = _slots(cast, 2)
    services.visit_cancel(visit=book(first, cast.member), actor=cast.member)
    book(second, cast.member)


def test_the_workplace_page_shows_each_politicians_visits_by_name(client_for, cast):
    services.visit_outcome_record(visit=_past(cast), actor=cast.leader, outcome="held")
    _past(cast, days_ago=8)
    page = client_for(cast.chair).get(cast.workplace.get_absolute_url()).content.decode()
    assert 'data-testid="visits-by-politician"' in page
    assert cast.member.full_name in page


# --- The pages ------------------------------------------------------------------------------------------------------


def test_the_confirm_page_asks_on_get_and_records_on_post(client_for, cast):
    visit = _past(cast)
    url = reverse("meetings:visit-outcome", args=[visit.pk])
    detail = client_for(cast.leader).get(visit.get_absolute_url()).content.decode()
    assert url in detail
    assert 'data-testid="visit-unconfirmed"' in detail
    assert client_for(cast.leader).get(url).status_code == 200
    assert Visit.objects.get(pk=visit.pk).status == Status.CONFIRMED
    response = client_for(cast.leader).post(url, {"outcome": "held", "note": "Alle kom"})
    assert response.status_code == 302
    assert Visit.objects.get(pk=visit.pk).status == Status.HELD


def test_a_post_without_an_outcome_is_refused_and_keeps_the_note(client_for, cast):
    visit = _past(cast)
    response = client_for(cast.member).post(
        reverse("meetings:visit-outcome", args=[visit.pk]), {"note": "Jeg kom for sent"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Jeg kom for sent" in body
    assert response.context["form"].errors["outcome"]
    assert Visit.objects.get(pk=visit.pk).status == Status.CONFIRMED


def test_a_refused_post_shows_the_reason_on_the_form(client_for, cast):
    visit = _past(cast)
    services.visit_outcome_record(visit=visit, actor=cast.member, outcome="held")
    response = client_for(cast.leader).post(reverse("meetings:visit-outcome", args=[visit.pk]), {"outcome": "no_show"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Visit.objects.get(pk=visit.pk).status == Status.HELD


def test_the_dashboard_lists_what_is_left_to_confirm(client_for, cast):
    visit = _past(cast)
    for who in ("leader", "member"):
        response = client_for(getattr(cast, who)).get("/")
        assert response.context["board"].visits_to_confirm == [visit]
        assert f'data-testid="to-confirm-visit-{visit.pk}"' in response.content.decode()
    assert client_for(cast.chair).get("/").context["board"].visits_to_confirm == []
    services.visit_outcome_record(visit=visit, actor=cast.leader, outcome="held")
    assert client_for(cast.leader).get("/").context["board"].visits_to_confirm == []
