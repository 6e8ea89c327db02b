"""The secretariat's week with the rotation (issue 21): a planning run followed in a live region (no reload), a
withdrawn host found from the dashboard and re-planned after seeing who is next in line, and every published meeting
reached from the year's plan, the committee page and the workplace page. Every page passes axe; the re-plan is done
by keyboard."""

import pytest
from playwright.sync_api import expect

from meetings.models import CancellationRequest, Meeting, PlanningRun
from meetings.rotation import services
from tests.browser.conftest import enter_to_next_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(cast, rotation):
    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    return plan


def test_the_planning_page_follows_the_run_in_a_live_region_and_moves_on(browser_page, cast, rotation):
    run = PlanningRun.objects.create(committee=cast.committee, year=rotation.year, requested_by=cast.administrator)
    page = browser_page.login(cast.administrator)
    page.visit(f"/sekretariat/rotation/koersel/{run.pk}/")
    status = page.get_by_test_id("run-status")
    assert status.get_attribute("aria-live") == "polite"
    assert page.get_by_test_id("run-refresh").is_visible()  # the Update link, the fallback without JavaScript
    first_url = page.url

    PlanningRun.objects.filter(pk=run.pk).update(status="running", percent=45, step="Værterne vælges")
    expect(status).to_contain_text("Værterne vælges", timeout=10_000)
    expect(page.locator("#run-bar")).to_have_js_property("value", 45)
    assert page.url == first_url  # updated in place: the page did not reload
    page.check()

    PlanningRun.objects.filter(pk=run.pk).update(status="done", percent=100)
    page.wait_for_url(f"**/sekretariat/rotation/{cast.committee.slug}/{rotation.year}/")
    page.check()


def test_a_failed_run_says_why_and_stays(browser_page, cast, rotation):
    run = PlanningRun.objects.create(committee=cast.committee, year=rotation.year, requested_by=cast.administrator)
    page = browser_page.login(cast.administrator)
    page.visit(f"/sekretariat/rotation/koersel/{run.pk}/")
    PlanningRun.objects.filter(pk=run.pk).update(status="failed", error="Ingen datoer i året.")
    expect(page.get_by_test_id("run-status")).to_contain_text("Ingen datoer", timeout=10_000)
    expect(page.locator("#run-back")).to_be_focused()
    page.check()


def test_a_withdrawn_host_is_found_from_the_dashboard_and_replanned_by_keyboard(browser_page, cast, published):
    meeting = Meeting.objects.filter(host=cast.workplace).order_by("starts_at").first()
    services.meeting_cancellation_request(meeting=meeting, actor=cast.leader, reason="Vandskade i salen")
    next_host = services.meeting_replan_proposal(meeting=meeting).new_host

    page = browser_page.login(cast.administrator)
    page.get_by_test_id("dashboard-rotation").click()
    page.check()
    withdrawal = page.get_by_test_id(f"withdrawal-{meeting.pk}")
    assert withdrawal.is_visible() and "Vandskade i salen" in withdrawal.inner_text()
    withdrawal.get_by_role("link", name="Find en ny vært").click()
    page.check()

    # Before anything changes: the request, the next in line and who is told.
    assert "Vandskade i salen" in page.get_by_test_id("replan-request").inner_text()
    assert next_host.name in page.get_by_test_id("replan-next").inner_text()
    assert Meeting.objects.get(pk=meeting.pk).host == cast.workplace

    page.locator("#id_note").focus()
    page.keyboard.type("Husk, at parkeringen er bag hallen.")
    page.keyboard.press("Tab")
    expect(page.locator("#replan-submit")).to_be_focused()
    enter_to_next_page(page)
    assert next_host.name in page.locator("h1 + p").inner_text()
    assert Meeting.objects.get(pk=meeting.pk).host == next_host
    assert CancellationRequest.objects.get(meeting=meeting).status == "replanned"


def test_a_published_meeting_is_reached_from_the_plan_the_committee_and_the_workplace(
    browser_page, cast, published, rotation
):
    meeting = Meeting.objects.filter(host=cast.workplace).order_by("starts_at").first()
    page = browser_page.login(cast.administrator)
    page.visit(f"/sekretariat/rotation/{cast.committee.slug}/{rotation.year}/")
    assert page.get_by_test_id("meetings-table").locator("tbody tr").count() == 12
    page.get_by_test_id(f"meeting-link-{meeting.pk}").click()
    page.check()
    assert page.url.endswith(f"/moeder/{meeting.pk}/")

    page.visit(cast.committee.get_absolute_url())
    page.get_by_test_id(f"panel-meeting-{meeting.pk}").get_by_role("link").click()
    page.check()
    assert page.url.endswith(f"/moeder/{meeting.pk}/")

    page.page.context.clear_cookies()
    page.login(cast.leader)
    page.visit(cast.workplace.get_absolute_url())
    link = page.get_by_test_id(f"panel-meeting-{meeting.pk}").get_by_role("link")
    link.focus()
    enter_to_next_page(page)
    assert page.url.endswith(f"/moeder/{meeting.pk}/")
