"""All visits (the secretariat's) and the equal-access ledger stay flat as the data grows (issue 19): the same
queries, the same options in their selects (the workplace and politician filters search as one types) and at most
a page of rows, whether a committee has a handful of workplaces or more than a page of them."""

import re

import pytest
from django.conf import settings
from django.test import Client

from dialog_portal.bench import pages, queries
from dialog_portal.bench.scale import BUSY_EMAIL, seed_scale
from meetings.models import Committee, User, Visit
from tests.bench.test_key_pages import PINNED

pytestmark = pytest.mark.django_db

FLAT = {name: PINNED[name] for name in ("all visits (secretariat)", "equal-access ledger")}  # the key pages' pins


def _shown(page: pages.KeyPage) -> tuple[int, int, int]:
    """The page's options in selects, rows in its tables and rows in the ledger's chart, as its user sees it."""
    client = Client()
    client.force_login(User.objects.get(email=page.who()))
    body = client.get(page.path(), HTTP_HOST="localhost").content.decode()
    options = sum(inner.count("<option") for inner in re.findall(r"<select.*?</select>", body, re.S))
    return options, body.count("<tr"), body.count('data-testid="ledger-bar"')


@pytest.mark.parametrize("workplaces", [12, 240])  # 4 and 80 workplaces a committee: more than a page of the ledger
def test_all_visits_and_the_ledger_do_not_grow_with_the_data(workplaces):
    seed_scale(workplaces=workplaces, committees=3, years=2)
    chosen = [page for page in pages.KEY_PAGES if page.name in FLAT]
    for row in queries.measure_all(chosen):
        assert (row["status"], row["queries"], row["queries_while_rendering"]) == (200, FLAT[row["page"]], 0), row
    by_name = {page.name: page for page in chosen}
    options, rows, _bars = _shown(by_name["all visits (secretariat)"])
    assert options == len(Visit.Status.choices) + 1 + len(settings.LANGUAGES)  # statuses, "all", the languages
    assert rows <= 1 + 50  # the head and a page
    options, rows, bars = _shown(by_name["equal-access ledger"])
    seats = Committee.objects.filter(memberships__user__email=BUSY_EMAIL).distinct().count()
    assert options == seats + len(settings.LANGUAGES)
    assert bars <= 50 and rows <= 2 + 50 + 1 + 8  # the table's two head rows and a page, the gap's table
