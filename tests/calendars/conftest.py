"""Each calendar test runs once per independent parser (``reader``): ``icalendar``, ``vobject`` and ical.js.
ical.js needs Node.js and ``npm ci --prefix tests/calendars/js`` (scripts/test runs it): on a developer's machine
without them the ical.js runs are skipped; in CI (``CI=true``) they fail."""

import pytest

from meetings.visits import services
from tests import factories
from tests.conftest import IN_CI

from . import parsers

READERS = {
    "icalendar": parsers.read_icalendar,
    "vobject": parsers.read_vobject,
    "ical.js": parsers.read_icaljs,
}


@pytest.fixture(params=list(READERS))
def reader(request):
    if request.param == "ical.js":
        problem = parsers.icaljs_problem()
        if problem:
            if IN_CI:
                pytest.fail(f"CI reads every calendar with ical.js, but {problem}.")
            pytest.skip(problem)
    return READERS[request.param]


# The feeds' tests share a booked visit and a published meeting of the cast's committee at its workplace.


@pytest.fixture
def booked(cast):
    slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
    return services.visit_book(slot=slot, booker=cast.member, purpose="Vi vil gerne se sprogarbejdet.")


@pytest.fixture
def meeting(cast):
    return factories.published_meeting(
        committee=cast.committee,
        host=cast.workplace,
        starts_at=factories.next_weekday_at(16, days_ahead=20),
        address=cast.workplace.address,
    )
