"""The benchmark's key pages: each answers, runs a pinned number of queries that does not grow with the data, and
runs none while its template renders (everything is loaded by the view)."""

import pytest

from dialog_portal.bench import pages, queries
from dialog_portal.bench.scale import seed_scale

pytestmark = pytest.mark.django_db

# Queries per page, the same at every size. Every key page stays within the benchmark's target of 12.
PINNED = {
    "dashboard: administrator": 11,  # + the meetings over and not yet confirmed, questions passed on to them
    # + the matters of their next meetings, times held from a waiting list, new stories, the visits and meetings over
    # and not yet confirmed, their own questions, challenges of rules waiting; over the target of 12: issue 19
    "dashboard: politician": 17,
    # + open hearings, requests to present, the positive list's reviews due, the trio's stories to share, the visits
    # and meetings over and not yet confirmed, questions to answer, their challenges of rules; over 12: issue 19
    "dashboard: leader": 19,
    "workplace finder": 9,
    "workplace list": 9,
    "workplace page": 13,  # + the rotation panel, its stories, the questions to it
    "leader's visit times": 11,
    "personal calendar": 10,
    "all visits (secretariat)": 6,  # the workplace and politician filters search as one types (issue 19)
    "codex register (public)": 1,  # kept in the cache: the signature log's length (built anew: 7, flat)
    "iCal feed of a busy person": 5,
    "committee's agreement overview": 5,
    "agreement with its history": 12,
    "agreements of a chair": 6,
    "rotation review (draft)": 12,
    "equal-access ledger": 12,  # + one query per column of the hearings (3) and the questions (1)
    "committee's questions": 8,  # the workplaces to filter by, the count, a page of questions, their answers
    "public plan": 5,  # + the public matters of each meeting, the published inputs' fingerprint, public stories
    "committee's iCal feed": 2,
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
