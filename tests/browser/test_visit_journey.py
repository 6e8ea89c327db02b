"""A leader offers times, a politician finds the least-visited workplace and books, the leader
confirms, and the politician sees the visit in their calendar. Every page passes axe."""

import datetime as dt

import pytest

from meetings.models import Visit
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _busy_workplace(cast):
    """A workplace under the same committee that has had two visits this year."""
    busy = factories.WorkplaceFactory(slug="travlt", name="Aaskolen", committees=[cast.committee])
    for days_ago in (30, 60):
        slot = factories.VisitSlotFactory(workplace=busy, starts_at=factories.next_weekday_at(9, days_ahead=-days_ago))
        visit = Visit.objects.create(
            slot=slot,
            workplace=busy,
            booked_by=cast.chair,
            purpose="Tidligere besøg",
            status=Visit.Status.HELD,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
        )
        visit.participants.create(person=cast.chair)
    return busy


def _switch_to(browser_page, person):
    browser_page.page.context.clear_cookies()
    browser_page.login(person)


def test_offer_find_book_confirm_and_see_it_in_the_calendar(browser_page, cast):
    _busy_workplace(cast)
    start = factories.next_weekday_at(9, days_ahead=10)

    # The leader offers two hours, split into visits of an hour.
    browser_page.login(cast.leader)
    browser_page.locator('[data-testid="nav-visit-times"]').click()
    browser_page.check()
    browser_page.locator("#offer-create-link").click()
    browser_page.check()
    browser_page.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    browser_page.locator("#id_ends_at").fill((start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    browser_page.locator("#id_topics").fill("Sprogarbejdet og den nye legeplads")
    browser_page.locator("#id_practical_notes").fill("Mød op ved hovedindgangen. Trinfri adgang.")
    browser_page.locator("#offer-submit").click()
    browser_page.check()
    assert cast.workplace.visit_slots.count() == 2

    # The politician finds the workplace with the fewest visits first and books.
    _switch_to(browser_page, cast.member)
    browser_page.locator('[data-testid="nav-visits"]').click()
    browser_page.check()
    first_row = browser_page.locator('[data-testid="finder-row"]').first
    assert first_row.get_attribute("data-slug") == cast.workplace.slug
    first_row.get_by_role("link", name=cast.workplace.name).click()
    browser_page.check()
    browser_page.locator('[data-testid="book-slot"]').first.click()
    browser_page.check()
    assert browser_page.locator('[data-testid="visit-framework"]').is_visible()
    browser_page.locator("#id_purpose").fill("Jeg vil gerne høre om sprogarbejdet.")
    browser_page.locator("#book-submit").click()
    browser_page.check()
    assert browser_page.locator('[data-testid="visit-status"]').get_attribute("data-status") == "requested"
    visit = Visit.objects.get(workplace=cast.workplace)

    # The leader confirms from the dashboard.
    _switch_to(browser_page, cast.leader)
    browser_page.locator(f'[data-testid="visit-{visit.pk}"] a').first.click()
    browser_page.check()
    browser_page.locator("#visit-confirm-link").click()
    browser_page.check()
    browser_page.locator("#transition-submit").click()
    browser_page.check()
    assert browser_page.locator('[data-testid="visit-status"]').get_attribute("data-status") == "confirmed"

    # The politician sees the confirmed visit in their calendar and makes a feed address.
    _switch_to(browser_page, cast.member)
    browser_page.locator('[data-testid="nav-calendar"]').click()
    browser_page.check()
    row = browser_page.locator(f'#calendar-upcoming [data-testid="visit-{visit.pk}"]')
    assert cast.workplace.name in row.inner_text()
    assert row.locator('[data-testid="visit-status"]').get_attribute("data-status") == "confirmed"
    browser_page.locator("#feed-create").click()
    browser_page.check()
    feed_url = browser_page.locator('[data-testid="feed-url"]').input_value()
    assert "/kalender/feed/" in feed_url

    # A calendar app subscribing to that address gets the confirmed visit, then 304 while nothing changes.
    feed = browser_page.request.get(feed_url)
    assert feed.status == 200 and feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert f"UID:visit-{visit.pk}@" in feed.text() and "STATUS:CONFIRMED" in feed.text()
    again = browser_page.request.get(feed_url, headers={"If-None-Match": feed.headers["etag"]})
    assert again.status == 304
