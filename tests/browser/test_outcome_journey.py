"""Only what happened counts, in the browser: a workplace's leader finds a visit and a committee meeting that are
over on the dashboard's "to confirm" list, confirms both as held, and the equal-access ledger counts them. Every page
passes axe; the confirm page works by keyboard and at 125 % zoom."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from meetings.models import Meeting, MeetingInvitation, RotationPlan, Visit
from meetings.visits import services
from tests import factories

from .conftest import assert_no_sideways_scroll, keyboard_walk, set_zoom, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _over(cast):
    start = factories.on_a_working_day(timezone.now() - dt.timedelta(days=3))
    slot = factories.VisitSlotFactory(
        workplace=cast.workplace, offer__created_by=cast.leader, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    visit = services.visit_book(slot=slot, booker=cast.member, purpose="Sprog", now=start - dt.timedelta(days=14))
    visit = services.visit_confirm(visit=visit, actor=cast.leader, now=start - dt.timedelta(days=2))
    meeting_start = timezone.now() - dt.timedelta(days=5)
    plan = RotationPlan.objects.create(
        committee=cast.committee,
        year=meeting_start.year,
        status=RotationPlan.Status.PUBLISHED,
        created_by=cast.administrator,
    )
    meeting = Meeting.objects.create(
        committee=cast.committee,
        plan=plan,
        host=cast.workplace,
        starts_at=meeting_start,
        ends_at=meeting_start + dt.timedelta(hours=3),
        address=cast.workplace.address,
    )
    guest = factories.WorkplaceFactory(slug="gaesten", name="Børnehuset Gæsten", committees=[cast.committee])
    MeetingInvitation.objects.create(meeting=meeting, workplace=guest)
    return visit, meeting


def test_a_leader_confirms_a_visit_and_a_meeting_held_from_the_dashboard_and_the_ledger_counts_them(
    browser_page, cast, settings
):
    settings.DIALOG_CODEX_GATE = False
    visit, meeting = _over(cast)
    page = browser_page
    page.login(cast.leader)
    page.visit("/")
    page.check()
    to_confirm = page.locator('[data-testid="dashboard-to-confirm"]')
    assert to_confirm.is_visible()

    # The visit, by keyboard at 125 % zoom: the choice, then the button.
    set_zoom(page, 125)
    page.locator(f'[data-testid="to-confirm-visit-{visit.pk}"] a').click()
    page.check()
    assert_no_sideways_scroll(page)
    keyboard_walk(page)
    page.locator("#id_outcome_0").focus()
    page.keyboard.press("Space")
    tab_to(page, re.compile(r"^(Bekræft|Confirm)$"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/besoeg/{visit.pk}/")
    page.check()
    assert page.locator('[data-testid="visit-status"]').get_attribute("data-status") == "held"
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.HELD

    # The meeting: the guest is ticked to begin with and stays so.
    page.visit("/")
    page.locator(f'[data-testid="to-confirm-meeting-{meeting.pk}"] a').click()
    page.check()
    assert page.locator("input[name=attended]").first.is_checked()
    page.locator("label[for='id_outcome_0']").click()
    page.locator("#text-form-submit").click()
    page.wait_for_url(f"**/moeder/{meeting.pk}/")
    page.check()
    assert page.locator('[data-testid="meeting-outcome"]').get_attribute("data-outcome") == "held"
    assert page.locator('[data-testid="dashboard-to-confirm"]').count() == 0

    # Nothing is left to confirm, and the ledger counts both for the host and the guest.
    page.visit("/")
    page.check()
    assert page.locator('[data-testid="dashboard-to-confirm"]').count() == 0
    page.context.clear_cookies()
    page.login(cast.administrator)
    page.visit(f"/ligestilling/?udvalg={cast.committee.slug}")
    page.check()
    row = page.locator('[data-testid="ledger-row"]', has_text=cast.workplace.name)
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == "1" and cells[4] == "1"  # hosted, 12 months; visits received, 12 months
    guest_row = page.locator('[data-testid="ledger-row"]', has_text="Børnehuset Gæsten")
    assert guest_row.locator("td").all_inner_texts()[2] == "1"  # attended, 12 months
    assert "0" in page.locator('[data-testid="ledger-not-counted"]').inner_text()
