"""The secretariat registers a matter for two workplaces; one leader drafts, the trio comments, the leader sends the
response by keyboard and asks to present; the other leader answers »Ingen bemærkninger«; the chair accepts the
presentation; the committee sees the matter ready on its meeting's page with who presents what; the secretariat
records the decision and both leaders are told. Every page passes axe; the pages are used at 125 % zoom (a 1024 px
wide window)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Matter, Meeting, MeetingDate, RotationPlan
from meetings.workdays import add_working_days
from tests import factories
from tests.browser.conftest import enter_to_next_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _switch_to(page, person):
    page.page.context.clear_cookies()
    page.login(person)


def test_register_a_matter_answer_it_and_the_committee_sees_it_ready(browser_page, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    meeting_date = MeetingDate.objects.create(
        committee=cast.committee, date=today + dt.timedelta(days=60), start=dt.time(16, 0)
    )
    second = factories.WorkplaceFactory(slug="skovbrynet", name="Skovbrynets Skole", committees=[cast.committee])
    second_leader = factories.UserFactory(email="leder2@dalby.example", full_name="Test leder to")
    factories.WorkplaceRoleFactory(user=second_leader, workplace=second)
    upload = tmp_path / "sagsfremstilling.pdf"
    upload.write_bytes(b"%PDF-1.4\n% en lille testfil\n")

    page = browser_page
    page.page.set_viewport_size({"width": 1024, "height": 768})  # 1280 px at 125 % zoom

    # The secretariat registers the matter.
    page.login(cast.administrator)
    page.get_by_test_id("nav-hearings").click()
    page.check()
    page.locator("#matter-create-link").click()
    page.check()
    page.locator("#id_committee").select_option(str(cast.committee.pk))
    page.locator("#id_meeting_date").select_option(str(meeting_date.pk))
    page.locator("#id_title").fill("Fælles ledelse af dagtilbud")
    page.locator("#id_case_number").fill("28.00.00-A00-1-26")
    page.locator("#id_summary").fill("Forvaltningen foreslår **fælles ledelse** af to dagtilbud.")
    page.get_by_label(cast.workplace.name).check()
    page.get_by_label(second.name).check()
    page.locator("#id_deadline").fill(add_working_days(today, 10).isoformat())
    page.locator("#id_files").set_input_files(str(upload))
    page.locator("#matter-submit").click()
    page.check()
    matter = Matter.objects.get(title="Fælles ledelse af dagtilbud")
    assert page.url.endswith(matter.get_absolute_url())
    expect(page.get_by_test_id("matter-status")).to_have_attribute("data-status", "hearing")

    # The leader finds the hearing on the dashboard and drafts the response.
    _switch_to(page, cast.leader)
    page.get_by_test_id("dashboard-hearings").get_by_role("link", name=matter.title).click()
    page.check()
    page.locator("#id_text").fill("Vi bakker op, men beder om en overgangsperiode.")
    page.locator("#draft-save").click()
    page.check()

    # The trio reads the draft and comments.
    _switch_to(page, cast.trio)
    hearing = matter.hearings.get(workplace=cast.workplace)
    page.visit(hearing.get_absolute_url())
    assert "overgangsperiode" in page.get_by_test_id("draft-text").inner_text()
    page.locator("#id_body").fill("Husk at nævne arbejdsmiljøet.")
    page.locator("#comment-submit").click()
    page.check()

    # The leader sees the comment and sends the response by keyboard.
    _switch_to(page, cast.leader)
    page.visit(hearing.get_absolute_url())
    assert "arbejdsmiljøet" in page.get_by_test_id("comment").inner_text()
    enter_to_next_page(page, "#hearing-submit-link")
    expect(page.locator("#transition-submit")).to_be_visible()
    enter_to_next_page(page, "#transition-submit")
    assert "overgangsperiode" in page.get_by_test_id("response").inner_text()

    # ... and asks to present the matter at the meeting.
    page.locator("#hearing-present-link").click()
    page.check()
    page.locator("#id_note").fill("Hvordan overgangen bliver for børnene.")
    page.locator("#transition-submit").click()
    page.check()
    expect(page.get_by_test_id("presentation-status")).to_have_attribute("data-status", "requested")

    # The other leader answers »Ingen bemærkninger«.
    _switch_to(page, second_leader)
    page.visit(matter.hearings.get(workplace=second).get_absolute_url())
    page.locator("#hearing-no-comments-link").click()
    page.check()
    page.locator("#transition-submit").click()
    page.check()

    # The chair accepts the presentation with a time on the programme.
    _switch_to(page, cast.chair)
    page.visit(hearing.get_absolute_url())
    page.locator("#presentation-accept-link").click()
    page.check()
    page.locator("#id_at").fill("16:30")
    page.locator("#transition-submit").click()
    page.check()
    expect(page.get_by_test_id("presentation-status")).to_have_attribute("data-status", "accepted")

    # The committee sees the matter ready, with both answers.
    _switch_to(page, cast.member)
    page.get_by_test_id("dashboard-matters").get_by_role("link", name=matter.title).click()
    page.check()
    expect(page.get_by_test_id("matter-status")).to_have_attribute("data-status", "ready")
    assert "overgangsperiode" in page.get_by_test_id("response-text").inner_text()
    statuses = page.get_by_test_id("hearing-status")
    assert sorted(statuses.nth(i).get_attribute("data-status") for i in range(statuses.count())) == [
        "answered",
        "no_comments",
    ]

    # The meeting page shows the matter and who presents what.
    plan = RotationPlan.objects.create(
        committee=cast.committee, year=meeting_date.date.year, status=RotationPlan.Status.PUBLISHED
    )
    starts = dt.datetime.combine(meeting_date.date, dt.time(16), tzinfo=ZoneInfo("Europe/Copenhagen"))
    meeting = Meeting.objects.create(
        committee=cast.committee, plan=plan, host=second, starts_at=starts, ends_at=starts + dt.timedelta(hours=3)
    )
    page.visit(meeting.get_absolute_url())
    assert matter.title in page.get_by_test_id("meeting-matters").inner_text()
    assert "børnene" in page.get_by_test_id("meeting-presenter").inner_text()

    # No sideways scrolling at 125 % zoom for the politician (the administrator's menu bar is wider than 1024 px on
    # every page: left for the navigation's owner).
    wide = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth, "
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
        "document.documentElement.clientWidth).map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)]"
    )
    assert wide[0] <= wide[1], wide

    # The meeting day has come: the secretariat records the decision and both leaders are told.
    MeetingDate.objects.filter(pk=meeting_date.pk).update(date=today)
    mail.outbox.clear()
    _switch_to(page, cast.administrator)
    page.visit(matter.get_absolute_url())
    page.locator("#matter-decide-link").click()
    page.check()
    page.locator("#id_decision").fill("Udvalget vedtog forslaget med en overgangsperiode.")
    page.locator("#transition-submit").click()
    page.check()
    assert "overgangsperiode" in page.get_by_test_id("matter-decision").inner_text()
    told = {m.to[0] for m in mail.outbox}
    assert {cast.leader.email, second_leader.email} <= told
