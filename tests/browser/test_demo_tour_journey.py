"""The start of the README's "Trying the demo" tour on the seeded demo municipality: the chair finds the workplace with
the fewest visits that has free times and books one; that workplace's leader sees the request; the demo leader sees
the booking waiting for them and the committee meeting their school hosts. Every page passes axe."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from dialog_portal.demo import organisation as demo
from meetings.models import Meeting, User, Visit, Workplace, WorkplaceRole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo", "--force", stdout=io.StringIO())


def _login(page, email):
    page.page.context.clear_cookies()
    page.login(User.objects.get(email=email), password=demo.DEFAULT_DEMO_PASSWORD)


def _visits_last_year(workplace: Workplace) -> int:
    since = timezone.now() - dt.timedelta(days=365)
    return Visit.objects.filter(workplace=workplace, status=Visit.Status.HELD, starts_at__gte=since).count()


def test_the_tour_starts_with_the_chair_booking_where_visits_are_fewest_and_the_leaders_seeing_it(browser_page, seeded):
    page = browser_page
    page.page.set_viewport_size({"width": 1024, "height": 800})  # a 1280 px screen at 125 % zoom
    today = timezone.localdate()

    # 1. The chair looks for workplaces with free times in the coming weeks: the fewest visits come first.
    _login(page, demo.LOGIN_CHAIR)
    page.locator('[data-testid="nav-visits"]').click()
    page.check()
    page.locator("#id_free_from").fill((today + dt.timedelta(days=1)).isoformat())
    page.locator("#id_free_to").fill((today + dt.timedelta(weeks=6)).isoformat())
    page.locator("#finder-submit").click()
    page.check()
    slugs = [row.get_attribute("data-slug") for row in page.locator('[data-testid="finder-row"]').all()]
    assert len(slugs) >= 5
    counts = [_visits_last_year(Workplace.objects.get(slug=slug)) for slug in slugs]
    assert counts == sorted(counts)
    visited = [slug for slug, n in zip(slugs, counts, strict=True) if n]
    assert visited, "the demo's held visits show in the finder"
    assert counts[0] == 0

    # Books the top workplace's first free time, by keyboard.
    workplace = Workplace.objects.get(slug=slugs[0])
    page.locator('[data-testid="finder-row"]').first.get_by_role("link", name=workplace.name).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/arbejdspladser/{workplace.slug}/besoeg/"))
    page.check()
    page.locator('[data-testid="book-slot"]').first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/book/$"))
    page.check()
    page.locator("#id_purpose").focus()
    page.keyboard.type("Jeg vil gerne se, hvordan I arbejder med de nye rammer.")
    page.locator("#book-submit").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/besoeg/\d+/$"))
    page.check()
    assert page.locator('[data-testid="visit-status"]').get_attribute("data-status") == "requested"
    visit = Visit.objects.get(workplace=workplace, booked_by__email=demo.LOGIN_CHAIR)

    # 2. That workplace's leader (every demo person has the demo password) sees the request on their overview.
    leader = WorkplaceRole.objects.current().get(workplace=workplace, role=WorkplaceRole.Role.LEADER).user
    _login(page, leader.email)
    row = page.locator(f'[data-testid="visit-{visit.pk}"]')
    assert row.is_visible()
    row.locator("a").first.click()
    page.check()
    assert re.search(r"/besoeg/\d+/$", page.url)
    assert page.locator("#visit-confirm-link").is_visible()

    # 3. The demo leader has a booking waiting and hosts a coming committee meeting: its page shows the host's side.
    _login(page, demo.LOGIN_LEADER)
    school = Workplace.objects.get(name=demo.DEMO_SCHOOL)
    waiting = Visit.objects.filter(workplace=school, status=Visit.Status.REQUESTED).first()
    assert page.locator(f'[data-testid="visit-{waiting.pk}"]').is_visible()
    meeting = Meeting.objects.filter(host=school, starts_at__gt=timezone.now()).order_by("starts_at").first()
    page.locator(f'[data-testid="dashboard-meetings"] a[href="/moeder/{meeting.pk}/"]').first.click()
    page.check()
    assert page.url.endswith(f"/moeder/{meeting.pk}/")
    assert page.locator("#presentation-edit").is_visible()
