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
