"""The booking rules in the browser: a time inside the workplace's notice is refused with the first day one can book,
and a politician joins a full workplace's waiting list and books the time held for them when it opens. By keyboard,
at 125 % zoom (a 1024 px wide window); every page passes axe. The secretariat reads the waiting lists in the admin.
A time on a holiday is neither offered nor booked."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from meetings.models import Visit, WaitlistEntry
from meetings.visits import services
from meetings.workdays import closed_days_of_year
from tests import factories
from tests.browser.conftest import enter_to_next_page, set_zoom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_width(page) -> bool:
    return page.evaluate(
        "[...document.querySelectorAll('main *')].every(e => e.closest('.table-responsive') "
        "|| e.getBoundingClientRect().right <= window.innerWidth + 1)"
    )


def _submit_by_keyboard(page, button):
    button.focus()
    enter_to_next_page(page)


def test_a_booking_inside_the_notice_is_refused_with_the_first_day_to_book(browser_page, cast):
    soon = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=1))
    later = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=factories.next_weekday_at(9, days_ahead=8))
    page = browser_page
    page.set_viewport_size({"width": 1024, "height": 720})
    page.login(cast.member)

    # The workplace's times say how far ahead to book, and offer no time inside the notice.
    page.visit(f"/arbejdspladser/{cast.workplace.slug}/besoeg/")
    assert "Book mindst 2 arbejdsdage før" in page.get_by_test_id("booking-notice").inner_text()
    assert page.locator(f'[data-slot="{later.pk}"]').is_visible()
    assert page.locator(f'[data-slot="{soon.pk}"]').count() == 0
    assert _fits_the_width(page)

    # An old link to a time inside the notice: the page warns, and the booking is refused with the reason.
    page.visit(f"/besoeg/tid/{soon.pk}/book/")
    assert page.get_by_test_id("inside-notice").is_visible()
    page.locator("#id_purpose").fill("Jeg vil gerne se den nye legeplads.")
    _submit_by_keyboard(page, page.locator("#book-submit"))
    error = page.locator(".alert-danger, .alert-block, [role=alert]").first.inner_text()
    assert "Arbejdspladsen beder om 2 arbejdsdages varsel" in error
    assert page.locator("#id_purpose").input_value() == "Jeg vil gerne se den nye legeplads."
    assert not Visit.objects.exists()


def test_a_politician_joins_the_waiting_list_and_books_the_time_held_for_them(browser_page, cast):
    slot = factories.VisitSlotFactory(workplace=cast.workplace, capacity=1, offer__created_by=cast.leader)
    taken = services.visit_book(slot=slot, booker=cast.chair, purpose="Se sprogarbejdet")
    page = browser_page
    page.set_viewport_size({"width": 1024, "height": 720})
    page.login(cast.member)

    # The only time is full: the member joins the waiting list from the workplace's times.
    page.visit(f"/arbejdspladser/{cast.workplace.slug}/besoeg/")
    _submit_by_keyboard(page, page.locator("#waitlist-join"))
    assert "Du er skrevet på ventelisten" in page.locator(".alert-success, [role=status]").first.inner_text()
    assert page.get_by_test_id("waitlist-status").is_visible()
    assert WaitlistEntry.objects.get(person=cast.member).status == WaitlistEntry.Status.WAITING

    # The chair cancels: the place is held for the member, who is told by e-mail and on the dashboard.
    mail.outbox.clear()
    services.visit_cancel(visit=taken, actor=cast.chair)
    assert any(m.to == [cast.member.email] and "holdt til dig" in m.subject for m in mail.outbox)
    page.visit("/")
    offer = page.get_by_test_id("dashboard-waitlist")
    assert cast.workplace.name in offer.inner_text()
    link = offer.get_by_test_id("waitlist-offer-link")
    link.focus()
    enter_to_next_page(page)
    assert _fits_the_width(page)

    page.locator("#id_purpose").fill("Jeg vil gerne høre om sprogarbejdet.")
    _submit_by_keyboard(page, page.locator("#book-submit"))
    assert page.get_by_test_id("visit-status").get_attribute("data-status") == "requested"
    assert WaitlistEntry.objects.get(person=cast.member).status == WaitlistEntry.Status.BOOKED
    slot.refresh_from_db()
    assert slot.booked_count == 1 and slot.held_for is None

    # Her waiting lists are empty again.
    page.visit("/besoeg/venteliste/")
    assert "Du står ikke på nogen venteliste" in page.locator("main").inner_text()


def test_the_secretariat_reads_the_waiting_lists_in_the_admin(browser_page, cast):
    slot = factories.VisitSlotFactory(workplace=cast.workplace, capacity=1, offer__created_by=cast.leader)
    taken = services.visit_book(slot=slot, booker=cast.chair, purpose="Se sprogarbejdet")
    held = services.waitlist_join(workplace=cast.workplace, person=cast.member)
    services.waitlist_join(workplace=cast.workplace, person=cast.vice_chair)
    services.visit_cancel(visit=taken, actor=cast.chair)
    page = browser_page
    set_zoom(page, 125)
    page.login(cast.administrator)

    # The list (axe-checked) shows both places in line; the status filter is reached and used by keyboard.
    page.visit("/admin/meetings/waitlistentry/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2
    assert "Tid holdt" in rows.filter(has_text=cast.member.full_name).inner_text()
    page.locator("#changelist-filter").get_by_role("link", name="Tid holdt").focus()
    enter_to_next_page(page)
    assert page.locator("#result_list tbody tr").count() == 1

    # An entry reads as a page with nothing to save or delete.
    page.visit(f"/admin/meetings/waitlistentry/{held.pk}/change/")
    assert cast.workplace.name in page.locator("main, #content").first.inner_text()
    assert page.locator("input[type=submit][name=_save], a.deletelink").count() == 0


def test_a_time_on_a_holiday_is_not_offered_and_an_old_link_to_it_is_refused(browser_page, cast):
    today = timezone.localdate()
    closed = sorted(day for year in (today.year, today.year + 1) for day in closed_days_of_year(year))
    holiday = next(d for d in closed if d >= today + dt.timedelta(days=7) and d.weekday() < 5)
    start = timezone.make_aware(dt.datetime.combine(holiday, dt.time(10)))
    on_holiday = factories.VisitSlotFactory(workplace=cast.workplace, starts_at=start, offer__created_by=cast.leader)
    page = browser_page
    set_zoom(page, 125)
    page.login(cast.member)

    # The workplace's times (from the holiday on) do not offer it.
    page.visit(f"/arbejdspladser/{cast.workplace.slug}/besoeg/?fra={holiday.isoformat()}")
    assert page.locator(f'[data-slot="{on_holiday.pk}"]').count() == 0
    assert _fits_the_width(page)

    # An old link to it: the booking is refused with the reason, and what was typed stays.
    page.visit(f"/besoeg/tid/{on_holiday.pk}/book/")
    page.locator("#id_purpose").fill("Jeg vil gerne se køkkenet.")
    _submit_by_keyboard(page, page.locator("#book-submit"))
    error = page.locator(".alert-danger, .alert-block, [role=alert]").first.inner_text()
    assert "Arbejdspladsen har lukket den dag" in error
    assert page.locator("#id_purpose").input_value() == "Jeg vil gerne se køkkenet."
    assert not Visit.objects.exists()
