"""The benchmark's key pages: each answers, runs a pinned number of queries that does not grow with the data, and
runs none while its template renders (everything is loaded by the view)."""

import pytest

from dialog_portal.bench import pages, queries
from dialog_portal.bench.scale import seed_scale

pytestmark = pytest.mark.django_db

# Queries per page, the same at every size. Every key page stays within the benchmark's target of 12.
# Every signed-in page reads its session, the person and their roles from the cache: no query (issue 19).
PINNED = {
    # The dashboards are kept in the cache per person and language, under the versions of what they read (issue 19):
    # none. Built anew: the lists' own queries and the first moment time moves a row (administrator 4, politician
    # 10, leader 11: tests/dialog_portal/test_dashboard_cache.py).
    "dashboard: administrator": 0,
    "dashboard: politician": 0,
    "dashboard: leader": 0,
    # the filter bar and the results are kept per committees, query string and language, what the person visited per
    # person (built anew: the matching ids, the page's rows, their committees, the counts, the visited; flat)
    "workplace finder": 0,
    # the filter bar, the count and the page of rows are kept per query string (built anew: the count, a page of
    # rows off the list's index, their committees: tests/meetings/test_workplace_list_cache.py)
    "workplace list": 0,
    # the facts and every panel are kept, read in two round trips (built anew: the panels' own queries, flat:
    # tests/meetings/test_workplace_panels_cache.py)
    "workplace page": 0,
    # the workplace with its settings' fields, and the lists and offers per person, kept (built anew: the workplace,
    # its settings and the lists' 7, flat)
    "leader's visit times": 0,
    "personal calendar": 1,  # the feed address; the lists are kept under the person's feed versions (built anew: 6)
    # the table is kept per query string (built anew: 3); the filters search as one types (issue 19)
    "all visits (secretariat)": 0,
    "codex register (public)": 1,  # kept in the cache: the signature log's length (built anew: 7, flat)
    # the token; the body is kept under the feed's versions (meetings/feeds.py); built anew: 3, flat
    "iCal feed of a busy person": 1,
    # the committee and the page's content (counts, a page of the table) come from the cache in one round trip
    # (issue 19); built anew: the committee, the counts, the page's rows (tests/agreements/test_overview_pages.py)
    "committee's agreement overview": 0,
    # the row, the document, signatures, versions and history, the comments and the version last seen are kept
    # under the versions of what they read (issue 19); built anew: 9, flat
    "agreement with its history": 0,
    # the content is kept per person, filter and page (issue 19); built anew: a page of agreements and their number
    # in one query (a window count), the committees (tests/agreements/test_list_cache.py)
    "agreements of a chair": 0,
    # the committee, the plan, its dates and the planning run under way are kept, and the plan's rows, fairness and
    # history are one cached fragment, under the versions of what they read (12 queries in all on a miss, flat)
    "rotation review (draft)": 0,
    # the counts, the committees and the other features' columns come from the cache (issue 19); built anew: + the
    # ledger's, the hearings' 3 and the questions' 1: 14 in all with the session, flat
    "equal-access ledger": 0,
    # the committee; the list is kept (built anew: + the workplaces to filter by, the count, a page of questions)
    "committee's questions": 1,
    # the committee, the table and the other features' panels (public matters, public stories) are kept (built anew:
    # the committee, meetings, fingerprint, matters, stories)
    "public plan": 0,
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
