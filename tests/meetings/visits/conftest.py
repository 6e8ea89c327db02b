import pytest

from tests import factories


@pytest.fixture
def slot(cast):
    """A free time next week at the cast's workplace, for up to four politicians."""
    return factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)


def book(slot, person, **kwargs):
    from meetings.visits.services import visit_book

    kwargs.setdefault("purpose", "Vi vil gerne se sprogarbejdet.")
    return visit_book(slot=slot, booker=person, **kwargs)


def confirm_held(visit, person, **kwargs):
    """Someone who was there (the leader or a politician on the visit) confirms that it was held."""
    from meetings.visits.services import visit_outcome_record

    return visit_outcome_record(visit=visit, actor=person, outcome="held", **kwargs)


def later_time(cast, slot, name: str):
    """A free time a day and an hour after ``slot``'s, and both times as the pages write them (``name``, Danish)."""
    import datetime as dt

    from django.utils import translation

    from core import dates

    later = factories.VisitSlotFactory(
        workplace=cast.workplace, offer=slot.offer, starts_at=slot.starts_at + dt.timedelta(days=1, hours=1)
    )
    with translation.override("da"):
        return later, dates.when(slot.starts_at, name), dates.when(later.starts_at, name)


def move(visit, person, slot):
    """Move the visit, whether or not the person has signed the codex (the gate has tests of its own)."""
    from unittest import mock

    from meetings.visits.services import visit_move

    with mock.patch("meetings.visits.services._require_codex_signed"):
        return visit_move(visit=visit, actor=person, slot=slot)
