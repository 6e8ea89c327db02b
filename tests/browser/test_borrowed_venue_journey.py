"""No workplace left out by its size (issue 20): the secretariat plans a year in which a small workplace hosts in a
borrowed venue, reads why, publishes by keyboard, and the public plan (signed out, at 125 % zoom) names the venue and
its address. Every page passes axe."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting, MeetingDate, Venue
from tests.browser.conftest import assert_no_sideways_scroll, publish_plan_by_keyboard, set_zoom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_year(cast, rotation):
    """The cast's daycare seats 4; the committee (3) and the secretariat (2) need 5. One other workplace, two dates."""
    cast.workplace.seats = 4
    cast.workplace.save()
    for workplace in rotation.workplaces[2:]:
        workplace.is_active = False
        workplace.save()
    for month in (3, 5):
        MeetingDate.objects.create(committee=cast.committee, date=dt.date(rotation.year, month, 10), start=dt.time(16))
    return Venue.objects.create(
        slug="dalby-medborgerhus",
        name="Dalby Medborgerhus",
        address="Torvet 1, 4000 Dalby",
        district=cast.workplace.district,
        seats=40,
        step_free=True,
    )


def test_a_small_workplace_hosts_in_a_borrowed_venue_from_plan_to_public_page(browser_page, cast, rotation, small_year):
    page = browser_page
    page.login(cast.administrator)
    page.visit(f"/sekretariat/rotation/{cast.committee.slug}/{rotation.year}/")
    page.locator("#plan-start").click()
    page.check()
    assert page.get_by_test_id("run-status").get_attribute("data-status") == "done"
    page.get_by_test_id("run-back").click()
    page.check()

    table = page.get_by_test_id("plan-table")
    expect(table.get_by_test_id("borrowed-room")).to_have_text("Børnehuset Solsikken er vært i Dalby Medborgerhus")
    assert "holder mødet i lokalerne hos Dalby Medborgerhus i samme område" in table.inner_text()
    assert "fordi den har 4 pladser, og mødet kræver 5" in table.inner_text()
    assert not page.get_by_test_id("cannot-host").count()

    publish_plan_by_keyboard(page)
    meeting = Meeting.objects.get(host=cast.workplace)
    assert (meeting.venue, meeting.address) == (small_year, "Torvet 1, 4000 Dalby")

    # Signed out, at 125 % zoom: the public plan names the host, the venue and the venue's address.
    page.page.context.clear_cookies()
    set_zoom(page, 125)
    page.visit(f"/plan/{cast.committee.slug}/{rotation.year}/")
    plan = page.get_by_test_id("public-plan")
    expect(plan.get_by_test_id("borrowed-room")).to_have_text("Børnehuset Solsikken er vært i Dalby Medborgerhus")
    assert "Torvet 1, 4000 Dalby" in plan.inner_text()
    assert_no_sideways_scroll(page)


def test_the_leader_states_the_months_that_suit_the_workplace(browser_page, cast):
    page = browser_page
    page.login(cast.leader)
    page.visit(cast.workplace.get_absolute_url())
    page.locator("#wishes-edit").click()
    page.check()
    page.get_by_role("group", name=re.compile("gerne vil være vært")).get_by_label("maj").check()
    page.get_by_role("group", name=re.compile("helst ikke")).get_by_label("juli").check()
    page.locator("#wishes-submit").click()
    page.check()
    expect(page.get_by_test_id("wishes-panel")).to_contain_text("Vil gerne være vært: maj")
    expect(page.get_by_test_id("wishes-panel")).to_contain_text("Vil helst ikke være vært: juli")
