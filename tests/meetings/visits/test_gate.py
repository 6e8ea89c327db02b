"""The codex gate in the visit services: every action that commits a person to a visit is refused, whoever calls
it, to a politician or leader who must sign the codex in force and has not; those who had signed the version before
a material change may go on through the grace period. Stepping back is never blocked."""

import pytest
from django.utils import translation

from meetings.errors import MeetingsError
from meetings.models import Visit, VisitSettings, VisitSlot
from meetings.visits import services
from meetings.visits.slots import SingleTime
from tests import factories
from tests.codex.conftest import GATE_STATES, gate_open, gate_state, sign

from .conftest import book

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def _attempt(action) -> bool:
    """Whether the action went through; a refusal must be the gate's (it names the codex)."""
    try:
        action()
    except MeetingsError as error:
        assert "codex" in str(error), str(error)
        return False
    return True


@pytest.mark.parametrize("state", GATE_STATES)
def test_booking_a_visit_is_behind_the_gate(cast, slot, state):
    gate_state(cast.administrator, [cast.member], state)
    assert _attempt(lambda: book(slot, cast.member)) == gate_open(state)
    assert Visit.objects.exists() == gate_open(state)
    assert VisitSlot.objects.get(pk=slot.pk).booked_count == (1 if gate_open(state) else 0)


@pytest.mark.parametrize("state", GATE_STATES)
def test_a_colleague_who_has_not_signed_cannot_be_brought_along(cast, slot, state):
    version = gate_state(cast.administrator, [cast.chair], state)
    sign(cast.member, version)  # the booker has signed the version in force
    try:
        book(slot, cast.member, colleague=cast.chair)
    except MeetingsError as error:
        assert not gate_open(state)
        assert cast.chair.full_name in str(error) and "codex" in str(error)
        assert not Visit.objects.exists()
    else:
        assert gate_open(state)
        assert Visit.objects.get().participants.count() == 2


@pytest.mark.parametrize("state", GATE_STATES)
def test_moving_a_visit_is_behind_the_gate(cast, slot, state):
    visit = book(slot, cast.member)  # booked before the codex was published
    other = factories.VisitSlotFactory(
        workplace=cast.workplace, offer=slot.offer, starts_at=factories.next_weekday_at(11)
    )
    gate_state(cast.administrator, [cast.member], state)
    assert _attempt(lambda: services.visit_move(visit=visit, actor=cast.member, slot=other)) == gate_open(state)
    assert Visit.objects.get(pk=visit.pk).slot_id == (other.pk if gate_open(state) else slot.pk)


@pytest.mark.parametrize("state", GATE_STATES)
def test_offering_visit_times_is_behind_the_gate(cast, state):
    gate_state(cast.administrator, [cast.leader], state)
    start = factories.next_weekday_at(9, days_ahead=10)
    offered = _attempt(
        lambda: services.visit_offer_create(
            workplace=cast.workplace, actor=cast.leader, times=SingleTime(start, start.replace(hour=10))
        )
    )
    assert offered == gate_open(state)
    assert cast.workplace.visit_offers.exists() == gate_open(state)


@pytest.mark.parametrize("state", GATE_STATES)
def test_confirming_a_visit_is_behind_the_gate(cast, slot, state):
    visit = book(slot, cast.member)
    gate_state(cast.administrator, [cast.leader], state)
    assert _attempt(lambda: services.visit_confirm(visit=visit, actor=cast.leader)) == gate_open(state)
    expected = Visit.Status.CONFIRMED if gate_open(state) else Visit.Status.REQUESTED
    assert Visit.objects.get(pk=visit.pk).status == expected


@pytest.mark.parametrize("state", GATE_STATES)
def test_confirming_automatically_is_behind_the_gate_but_turning_it_off_is_not(cast, state):
    gate_state(cast.administrator, [cast.leader], state)
    switch_on = lambda: services.visit_settings_update(  # noqa: E731
        workplace=cast.workplace, actor=cast.leader, auto_confirm=True, monthly_cap=None
    )
    assert _attempt(switch_on) == gate_open(state)
    services.visit_settings_update(workplace=cast.workplace, actor=cast.leader, auto_confirm=False, monthly_cap=3)
    assert VisitSettings.objects.get(workplace=cast.workplace).monthly_cap == 3


def test_stepping_back_is_never_blocked(cast, slot):
    visit = book(slot, cast.member)
    eleven = factories.next_weekday_at(11)
    later = factories.VisitSlotFactory(workplace=cast.workplace, offer=slot.offer, starts_at=eleven)
    second = book(later, cast.chair)
    gate_state(cast.administrator, [cast.member, cast.leader, cast.chair], "after_grace")
    services.visit_cancel(visit=visit, actor=cast.member)
    services.visit_decline(visit=second, actor=cast.leader, reason="Vi har personalemøde.")
    assert services.visit_offer_withdraw(offer=slot.offer, actor=cast.leader) >= 0
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.CANCELLED


def test_the_gate_can_be_turned_off(cast, slot, settings):
    gate_state(cast.administrator, [cast.member], "unsigned")
    settings.DIALOG_CODEX_GATE = False
    assert book(slot, cast.member).pk


# --- The pages: the gate notice first, the service's refusal shown beside the form ----------------------------------


def test_the_pages_of_guarded_actions_show_the_gate_notice_to_those_who_must_sign(client, cast, slot):
    from django.urls import reverse

    visit = book(slot, cast.member)
    gate_state(cast.administrator, [], "unsigned")
    pages = [
        (cast.member, reverse("meetings:visit-move", args=[visit.pk])),
        (cast.leader, reverse("meetings:visit-confirm", args=[visit.pk])),
        (cast.leader, reverse("meetings:visit-offer-create", args=[cast.workplace.slug])),
    ]
    for person, url in pages:
        client.force_login(person)
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 403, url
            assert 'data-testid="codex-gate-notice"' in response.content.decode(), url
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.REQUESTED


def test_booking_with_an_unsigned_colleague_says_why_and_keeps_what_was_typed(client, cast, slot):
    from django.urls import reverse

    version = gate_state(cast.administrator, [], "unsigned")
    sign(cast.member, version)
    client.force_login(cast.member)
    with translation.override("da"):
        response = client.post(
            reverse("meetings:visit-create", args=[slot.pk]),
            {"purpose": "Vi vil se sprogarbejdet.", "colleague": cast.chair.pk},
            HTTP_ACCEPT_LANGUAGE="da",
        )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{cast.chair.full_name} har ikke skrevet under på det gældende kodeks for tillid" in page
    assert "Vi vil se sprogarbejdet." in page
    assert not Visit.objects.exists()
