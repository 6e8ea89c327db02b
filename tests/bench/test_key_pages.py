"""The benchmark's key pages: each answers, runs a pinned number of queries that does not grow with the data, and
runs none while its template renders (everything is loaded by the view)."""

import pytest

from dialog_portal.bench import pages, queries
from dialog_portal.bench.scale import seed_scale

pytestmark = pytest.mark.django_db

# Queries per page, the same at every size. Every key page stays within the benchmark's target of 12.
# Every signed-in page reads its session, the person and their roles from the cache: no query (issue 19).
PINNED = {
    # the counts in one statement, the meetings over and not yet confirmed, questions passed on to them
    "dashboard: administrator": 4,
    # their seats, every visit list (one UNION ALL query, the participants' names aggregated in it), times held from a
    # waiting list, the meetings coming and those over (one UNION ALL query), matters, questions, stories,
    # challenges, agreements (the codex banner is cached)
    "dashboard: politician": 9,
    # their workplace roles and closures (one query), the visit lists, the meetings, agreements waiting and missing,
    # hearings, the positive list's reviews due, questions, stories, challenges
    "dashboard: leader": 10,
    # the matching ids (ordered by the kept visit counts), the page's rows, their committees; the filter bar's
    # choices are kept (issue 19)
    "workplace finder": 3,
    "workplace list": 3,  # the count, a page of rows off the list's index, their committees; choices kept
    # the rotation panel, its stories, the questions to it; the agreements in force with their goals and follow-ups
    # in one query (the bench's busiest workplace has one); the facts and the visits panel are kept (issue 19)
    "workplace page": 4,
    "leader's visit times": 7,  # the visits ahead, those past (+ their feedback), one participants query for both
    "personal calendar": 6,
    "all visits (secretariat)": 3,  # the workplace and politician filters search as one types (issue 19)
    "codex register (public)": 1,  # kept in the cache: the signature log's length (built anew: 7, flat)
    # the token; the body is kept under the feed's versions (meetings/feeds.py); built anew: 3, flat
    "iCal feed of a busy person": 1,
    "committee's agreement overview": 2,
    "agreement with its history": 9,
    "agreements of a chair": 3,
    "rotation review (draft)": 9,
    # the committees; the counts come from the cache (issue 19); + one query per column of the hearings (3) and the
    # questions (1)
    "equal-access ledger": 5,
    "committee's questions": 5,  # the workplaces to filter by, the count, a page of questions, their answers
    "public plan": 5,  # + the public matters of each meeting, the published inputs' fingerprint, public stories
    "committee's iCal feed": 1,  # the committee; the body is kept as the personal feed's (built anew: 2)
}


def test_every_key_page_has_a_pinned_query_count():
    assert {page.name for page in pages.KEY_PAGES} == set(PINNED)


@pytest.mark.parametrize("workplaces", [12, 48])
def test_key_pages_run_the_pinned_queries_at_every_size_and_none_while_rendering(workplaces):
    seed_scale(workplaces=workplaces, committees=3, years=2)
    measured = {row["page"]: row for row in queries.measure_all()}
    for name, expected in PINNED.items():
        row = measured[name]
        assert row["status"] == 200, row
        assert row["queries"] == expected, row
        assert row["queries_while_rendering"] == 0, row


def test_the_signed_in_floor_runs_no_query(client, settings):
    """Session, person and roles of a signed-in request all come from the cache once warm (issue 19)."""
    settings.ROOT_URLCONF = "dialog_portal.bench.urls"
    seed_scale(workplaces=12, committees=3, years=1)
    row = queries.measure_page(pages.FLOORS["signed_in"], client)
    assert (row["status"], row["queries"]) == (200, 0), row
