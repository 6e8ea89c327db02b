"""Visits on a phone and from the workplace page (issue 21): the finder, the equal-access overview and the public plan
fit a 390 px screen without sideways scrolling; the finder's filters fold there and open by keyboard; a politician
books from the workplace page by keyboard at 125 % zoom; the leader's offer form switches between its two kinds
without losing what was typed; stopping the calendar address asks first. Every page passes axe."""

import datetime as dt

import pytest
from django.urls import reverse

from meetings.models import CalendarFeedToken, Visit
from meetings.visits import services as visit_services
from tests import factories
from tests.browser.conftest import enter_to_next_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# A 1280 px wide screen at 125 % zoom lays the page out in 1024 CSS pixels.
ZOOM_125 = {"width": 1024, "height": 720}


def _fits_sideways(page) -> bool:
    """Neither the page nor any table scrolls sideways."""
    return page.evaluate(
        """() => document.documentElement.scrollWidth <= window.innerWidth
              && [...document.querySelectorAll('table')]
                   .every(t => t.getBoundingClientRect().right <= window.innerWidth)
              && [...document.querySelectorAll('.table-responsive')]
                   .every(w => w.scrollWidth <= w.clientWidth)"""
    )


def _press_until_focused(page, selector: str, *, limit: int = 80):
    """Tab through the page until the element is focused, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} cannot be reached by keyboard")


def _many_workplaces(cast, count=8):
    for n in range(count):
        workplace = factories.WorkplaceFactory(
            slug=f"arbejdsplads-med-et-meget-langt-navn-{n}",
            name=f"Dagtilbuddet ved Den Lange Skovvej og Engen, afdeling {n}",
            committees=[cast.committee],
        )
        factories.VisitSlotFactory(workplace=workplace, starts_at=factories.next_weekday_at(9, days_ahead=5 + n))


def test_the_finder_fits_a_phone_with_its_filters_folded_and_opened_by_keyboard(browser_page, cast):
    _many_workplaces(cast)
    page = browser_page
    page.set_viewport_size(PHONE)
    page.login(cast.member)
    page.visit(reverse("meetings:visit-finder"))
    assert _fits_sideways(page)
    details = page.locator("#finder-filters")
    assert details.get_attribute("open") is None
    assert not page.locator("#id_q").is_visible()
    # The results come first: the first workplace is on the first screen.
    assert page.locator('[data-testid="finder-row"]').first.bounding_box()["y"] < PHONE["height"]
    _press_until_focused(page, "#finder-filters > summary")
    page.keyboard.press("Enter")
    assert page.locator("#id_q").is_visible()
    page.locator("#id_not_visited").check()
    page.locator("#finder-submit").click()
    page.check()
    assert page.locator("#finder-filters").get_attribute("open") is not None
    assert _fits_sideways(page)


def test_the_finders_filters_are_open_on_a_wide_screen(browser_page, cast):
    page = browser_page
    page.login(cast.member)
    page.visit(reverse("meetings:visit-finder"))
    assert page.locator("#id_q").is_visible()


def test_the_equal_access_overview_and_the_public_plan_fit_a_phone(browser_page, cast, rotation):
    from meetings.rotation import services

    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    page = browser_page
    page.set_viewport_size(PHONE)
    page.visit(reverse("meetings:public-plan", args=[cast.committee.slug, rotation.year]))
    assert page.locator('[data-testid="public-plan-row"]').count() > 0
    assert _fits_sideways(page)
    page.login(cast.chair)
    page.visit(reverse("meetings:ledger"))
    assert page.locator('[data-testid="ledger-row"]').count() == len(rotation.workplaces)
    assert _fits_sideways(page)
    # Each number says what it counts, since the column headings are not shown on a phone.
    first_cell = page.locator('[data-testid="ledger-row"] td').first
    label = first_cell.evaluate("el => getComputedStyle(el, '::before').content")
    assert "12" in label


def test_a_politician_books_from_the_workplace_page_by_keyboard_at_125_percent(browser_page, cast):
    slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
    page = browser_page
    page.set_viewport_size(ZOOM_125)
    page.login(cast.member)
    page.visit(cast.workplace.get_absolute_url())
    assert _fits_sideways(page)
    _press_until_focused(page, '[data-testid="workplace-book-link"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('meetings:visit-slot-list', args=[cast.workplace.slug])}")
    page.check()
    _press_until_focused(page, f'[data-slot="{slot.pk}"] [data-testid="book-slot"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{reverse('meetings:visit-create', args=[slot.pk])}")
    page.check()
    _press_until_focused(page, "#id_purpose")
    page.keyboard.type("Jeg vil gerne høre om sprogarbejdet.")
    _press_until_focused(page, "#book-submit")
    enter_to_next_page(page)
    visit = Visit.objects.get(workplace=cast.workplace)
    assert page.locator('[data-testid="visit-status"]').get_attribute("data-status") == visit.status

    # The leader finds the visit times from the same page.
    page.page.context.clear_cookies()
    page.login(cast.leader)
    page.visit(cast.workplace.get_absolute_url())
    page.locator('[data-testid="workplace-visit-times-link"]').click()
    page.check()
    assert (
        page.locator(
            f'[data-testid="awaiting-visit"] a[href="{visit.get_absolute_url()}"], [data-testid="visit-{visit.pk}"]'
        ).count()
        == 1
    )


def test_the_offer_form_switches_kinds_without_losing_what_was_typed(browser_page, cast):
    page = browser_page
    page.login(cast.leader)
    page.visit(reverse("meetings:visit-offer-create", args=[cast.workplace.slug]))
    assert page.locator("#offer-single").is_visible()
    assert not page.locator("#offer-weekly").is_visible()
    start = factories.next_weekday_at(9, days_ahead=10)
    page.locator("#id_starts_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_kind_1").check()
    assert page.locator("#offer-weekly").is_visible()
    assert not page.locator("#offer-single").is_visible()
    page.locator("#id_start_time").fill("09:00")
    page.locator("#id_kind_0").check()
    assert page.locator("#id_starts_at").input_value() == start.strftime("%Y-%m-%dT%H:%M")
    page.locator("#id_kind_1").check()
    assert page.locator("#id_start_time").input_value() == "09:00"
    page.check()


def test_stopping_the_calendar_address_asks_first(browser_page, cast):
    visit_services.calendar_token_ensure(person=cast.member)
    page = browser_page
    page.login(cast.member)
    page.visit(reverse("meetings:calendar-detail"))
    page.locator("#feed-revoke-link").click()
    page.check()
    assert CalendarFeedToken.objects.usable().filter(person=cast.member).exists()
    page.locator("#feed-revoke-submit").click()
    page.check()
    assert not CalendarFeedToken.objects.usable().filter(person=cast.member).exists()


def test_done_feedback_shows_as_done_on_the_visit(browser_page, cast):
    start = factories.next_weekday_at(9, days_ahead=-3)
    slot = factories.VisitSlotFactory(
        workplace=cast.workplace, offer__created_by=cast.leader, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    visit = visit_services.visit_book(
        slot=slot, booker=cast.member, purpose="Se stedet", now=start - dt.timedelta(days=14)
    )
    visit_services.visit_confirm(visit=visit, actor=cast.leader, now=start - dt.timedelta(days=2))
    visit_services.visit_outcome_record(visit=visit, actor=cast.leader, outcome="held")
    page = browser_page
    page.login(cast.member)
    page.visit(visit.get_absolute_url())
    page.locator("#visit-feedback-link").click()
    page.check()
    page.locator("#id_text").fill("Jeg lærte meget om sprogarbejdet.")
    page.locator("label[for='id_rating_4']").click()
    page.locator("main form button[type=submit]").click()
    page.check()
    assert page.locator('[data-testid="feedback-done"]').is_visible()
    assert page.locator("#visit-feedback-link").count() == 0


def test_a_full_month_shows_as_full_on_the_time_list_and_the_booking_page(browser_page, cast):
    from meetings.models import VisitSettings

    VisitSettings.objects.create(workplace=cast.workplace, monthly_cap=1)
    taken = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=40))
    visit_services.visit_book(slot=taken, booker=cast.chair, purpose="Se stedet")
    day = taken.day
    free = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=taken.starts_at + dt.timedelta(hours=3))
    page = browser_page
    page.set_viewport_size(PHONE)
    page.login(cast.member)
    page.visit(reverse("meetings:visit-slot-list", args=[cast.workplace.slug]) + f"?fra={day:%Y-%m-%d}")
    assert page.locator('[data-testid="month-full"]').is_visible()
    assert page.locator(f'[data-slot="{free.pk}"] [data-testid="slot-month-full"]').is_visible()
    assert page.locator(f'[data-slot="{free.pk}"] [data-testid="book-slot"]').count() == 0
    assert _fits_sideways(page)
    page.visit(reverse("meetings:visit-create", args=[free.pk]))
    assert page.locator('[data-testid="month-full"]').is_visible()
    assert page.locator("#visit-book-form").count() == 0
