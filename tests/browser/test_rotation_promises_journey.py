"""The rotation keeps its promises, in the browser. A host whose meeting did not take place is first in line again: its
leader says so on the meeting's page by keyboard, and next year's plan, with the review page's reasons, puts it first.
A municipal venue another committee uses that day is not given twice: the plan says whose it is, and publishing a
draft that clashes is refused in words naming the room, the date and the other committee. Every page passes axe; the
review page is read at 125 % zoom."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting, MeetingDate, PlannedMeeting, RotationPlan, Workplace
from tests.meetings.rotation.test_hosting_counts import last_years_hostings
from tests.meetings.rotation.test_rooms_once_a_day import venue

from .conftest import assert_no_sideways_scroll, publish_plan_by_keyboard, set_zoom, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _plan_the_year(page, committee, year):
    page.visit(f"/sekretariat/rotation/{committee.slug}/{year}/")
    page.locator("#plan-start").click()
    page.check()
    assert page.get_by_test_id("run-status").get_attribute("data-status") == "done"
    page.get_by_test_id("run-back").click()
    page.check()


def test_a_meeting_that_did_not_take_place_gives_the_host_its_turn_back(browser_page, cast, rotation, settings):
    settings.DIALOG_CODEX_GATE = False
    meeting = last_years_hostings(cast, rotation)  # it hosted most recently: last in line while it counts

    # The leader says, by keyboard, that the meeting did not take place.
    page = browser_page
    page.login(cast.leader)
    page.visit(f"/moeder/{meeting.pk}/hvad-skete/")
    page.check()
    page.locator("#id_outcome_1").focus()
    page.keyboard.press("Space")
    tab_to(page, re.compile(r"^Gem$"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/moeder/{meeting.pk}/")
    page.check()
    assert Meeting.objects.get(pk=meeting.pk).outcome == Meeting.Outcome.NO_SHOW

    # Next year's plan puts the workplace first, and the review page says why, at 125 % zoom.
    page.context.clear_cookies()
    page.login(cast.administrator)
    set_zoom(page, 125)
    _plan_the_year(page, cast.committee, rotation.year)
    row = page.get_by_test_id("plan-table")
    expect(row).to_contain_text("Børnehuset Solsikken")
    expect(row).to_contain_text("tæller ikke, fordi mødet ikke blev gennemført")
    notes = page.get_by_test_id("hostings-not-counted")
    expect(notes).to_contain_text("Børnehuset Solsikken: Mødet den")
    expect(notes).to_contain_text("så det tæller ikke som værtskab: Arbejdspladsen beholder sin plads i køen.")
    assert_no_sideways_scroll(page)


def test_a_venue_another_committee_uses_that_day_is_not_given_twice(browser_page, cast):
    year = timezone.localdate().year + 1
    day = dt.date(year, 3, 10)
    hall = venue(cast.workplace.district)
    Workplace.objects.filter(pk=cast.workplace.pk).update(seats=2)
    MeetingDate.objects.create(committee=cast.committee, date=day, start=dt.time(16))
    theirs = RotationPlan.objects.create(
        committee=cast.other_committee, year=year, status=RotationPlan.Status.PUBLISHED, created_by=cast.administrator
    )
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    Meeting.objects.create(
        committee=cast.other_committee,
        plan=theirs,
        host=cast.other_workplace,
        venue=hall,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        address=hall.address,
    )

    page = browser_page
    page.login(cast.administrator)
    _plan_the_year(page, cast.committee, year)
    expect(page.get_by_test_id("plan-table")).to_contain_text(
        "fordi andre udvalg bruger Dalby Medborgerhus (Ældreudvalget) den dag"
    )

    # A draft from before the rule, that gives the hall anyway, is refused at publishing, in words.
    PlannedMeeting.objects.filter(plan__committee=cast.committee, plan__status="draft").update(
        host=cast.workplace, venue=hall
    )
    page.visit(f"/sekretariat/rotation/{cast.committee.slug}/{year}/")
    publish_plan_by_keyboard(page)
    expect(page.locator(".alert-danger, [role=alert]").first).to_contain_text(
        re.compile(r"Dalby Medborgerhus bruges allerede af Ældreudvalget den 10\. marts \d{4}\.")
    )
    assert RotationPlan.objects.get(committee=cast.committee, year=year).status == RotationPlan.Status.DRAFT
