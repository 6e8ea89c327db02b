"""A browser set to English still meets Danish: the public plan with Danish dates, times and weeks; the visitor
switches to English and back by keyboard, logs in, and finds the choice kept; at 125 % zoom (docs/danish.md)."""

import re

import pytest

from meetings.rotation import services
from tests.browser.conftest import CheckedPage, enter_to_next_page
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DANISH_DAY = re.compile(r"(mandag|tirsdag|onsdag|torsdag|fredag) den \d{1,2}\. [a-zæø]+ \d{4}")
ENGLISH_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b")


def _switch_by_keyboard(page, label: str, key: str) -> None:
    page.get_by_label(label).focus()
    page.keyboard.press(key)
    page.keyboard.press("Tab")
    enter_to_next_page(page)


def test_an_english_browser_reads_danish_dates_and_chooses_english_by_keyboard(chromium, live_server, cast, rotation):
    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    # A browser set to English, at 125 % zoom: a 1280 px window shows the page as if it were 1024 px wide.
    context = chromium.new_context(
        locale="en-GB", timezone_id="Europe/Copenhagen", viewport={"width": 1024, "height": 768}
    )
    page = CheckedPage(context.new_page(), live_server.url)
    try:
        page.visit(f"/plan/{cast.committee.slug}/{rotation.year}/")
        assert page.locator("html").get_attribute("lang") == "da"
        table = page.get_by_test_id("public-plan").inner_text()
        assert DANISH_DAY.search(table) and "16.00–19.00" in table
        assert re.search(r"uge \d{1,2}", table) and not ENGLISH_MONTH.search(table) and "16:00" not in table
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        _switch_by_keyboard(page, "Sprog", "ArrowDown")
        assert page.locator("html").get_attribute("lang") == "en"
        assert "week" in page.get_by_test_id("public-plan").inner_text()

        # Logging in on the English login page; the person has chosen nothing yet, so the browser's choice holds.
        page.visit("/konto/login/")
        page.get_by_label(re.compile("e-?mail", re.I)).fill(cast.member.email)
        page.get_by_label(re.compile(r"^\s*password", re.I)).fill(TEST_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in", exact=True).click()
        page.check()
        page.visit("/kalender/")
        assert page.locator("html").get_attribute("lang") == "en"
        _switch_by_keyboard(page, "Language", "ArrowUp")
        assert page.locator("html").get_attribute("lang") == "da"
        coming = page.locator("#calendar-upcoming").inner_text()
        assert re.search(r"Uge \d{1,2} \(", coming) and "kl. 16.00–19.00" in coming
        cast.member.refresh_from_db()
        assert cast.member.language == "da"
        assert not page.unchecked()
    finally:
        context.close()
