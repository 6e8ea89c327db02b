"""Each calendar test runs once per independent parser (``reader``): ``icalendar``, ``vobject`` and ical.js.
ical.js needs Node.js and ``npm ci --prefix tests/calendars/js`` (scripts/test runs it): on a developer's machine
without them the ical.js runs are skipped; in CI (``CI=true``) they fail."""

import pytest

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
