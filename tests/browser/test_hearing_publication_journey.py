"""The leader of a workplace heard agrees, by keyboard at 125 % zoom, that the response is shown publicly; once the
secretariat has made the matter public, anyone reads the response on the committee's public plan (never the
files). The leader withdraws the consent and the response is gone again. Every page passes axe."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from meetings.hearings import services
from meetings.models import Meeting, MeetingDate, RotationPlan
from meetings.workdays import add_working_days
from tests.browser.conftest import assert_no_sideways_scroll, enter_to_next_page, set_zoom

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESPONSE = "Vi bakker op, men beder om en overgangsperiode."


def _press(page, selector):
    enter_to_next_page(page, selector)


def test_the_leader_agrees_and_the_public_plan_shows_the_response(browser_page, cast):
    today = timezone.localdate()
    meeting_date = MeetingDate.objects.create(
        committee=cast.committee, date=today + dt.timedelta(days=60), start=dt.time(16, 0)
    )
    matter = services.matter_register(
        actor=cast.administrator,
        committee=cast.committee,
        meeting_date=meeting_date,
        title="Fælles ledelse af dagtilbud",
        summary="Forvaltningen foreslår fælles ledelse.",
        case_number="28.00.00-A00-1-26",
        workplaces=[cast.workplace],
        deadline=add_working_days(today, 10),
    )
    hearing = matter.hearings.get()
    services.hearing_draft_save(hearing=hearing, actor=cast.leader, text=RESPONSE)
    services.hearing_respond(hearing=hearing, actor=cast.leader)

    page = browser_page
    set_zoom(page.page, 125)

    # The leader agrees on the hearing's page, by keyboard, after a confirmation page.
    page.login(cast.leader)
    page.visit(hearing.get_absolute_url())
    page.check()
    expect(page.get_by_test_id("response-publication")).to_have_attribute("data-status", "private")
    _press(page, "#publication-agree-link")
    assert_no_sideways_scroll(page.page)
    _press(page, "#transition-submit")
    expect(page.get_by_test_id("response-publication")).to_have_attribute("data-status", "agreed")

    # The meeting is held; the secretariat records the decision and makes the matter public.
    MeetingDate.objects.filter(pk=meeting_date.pk).update(date=today)
    plan = RotationPlan.objects.create(committee=cast.committee, year=today.year, status=RotationPlan.Status.PUBLISHED)
    starts = dt.datetime.combine(today, dt.time(16), tzinfo=ZoneInfo("Europe/Copenhagen"))
    Meeting.objects.create(
        committee=cast.committee,
        plan=plan,
        host=cast.workplace,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
    )
    matter.refresh_from_db()
    services.matter_decide(matter=matter, actor=cast.administrator, decision="Vedtaget.", is_public=True)

    # Anyone reads the response on the public plan.
    page.page.context.clear_cookies()
    public_url = reverse("meetings:public-plan", args=[cast.committee.slug, today.year])
    page.visit(public_url)
    page.check()
    expect(page.get_by_test_id("public-response")).to_contain_text(RESPONSE)
    assert_no_sideways_scroll(page.page)

    # The leader withdraws the consent; the public plan shows only that the workplace answered.
    page.login(cast.leader)
    page.visit(hearing.get_absolute_url())
    page.check()
    _press(page, "#publication-withdraw-link")
    _press(page, "#transition-submit")
    expect(page.get_by_test_id("response-publication")).to_have_attribute("data-status", "private")
    page.page.context.clear_cookies()
    page.visit(public_url)
    page.check()
    expect(page.get_by_test_id("public-matter")).to_be_visible()
    expect(page.get_by_test_id("public-response")).to_have_count(0)
