"""An administrator plans a committee's year, swaps a host, publishes, and a politician sees the meetings in their
calendar; the public plan shows them too. Every page passes axe."""

import pytest

from meetings.models import Meeting, RotationPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_swap_publish_and_see_it_in_the_calendar(browser_page, cast, rotation):
    page = browser_page
    page.login(cast.administrator)
    page.locator('[data-testid="nav-rotation"]').click()
    page.check()
    page.locator(f'[data-testid="rotation-{cast.committee.slug}-{rotation.year}"]').click()
    page.check()

    # Plan the year: the dates come from the committee's pattern, the worker plans, the page shows the run.
    page.locator("#plan-start").click()
    page.check()
    assert page.locator('[data-testid="run-status"]').get_attribute("data-status") == "done"
    page.locator('[data-testid="run-back"]').click()
    page.check()
    plan = RotationPlan.objects.drafts().get(committee=cast.committee, year=rotation.year)
    first, second = plan.meetings.order_by("date")[:2]
    assert page.locator('[data-testid="plan-table"] tbody tr').count() == 12

    # Swap the first date's host for the second's: it breaks equal access, so a reason is asked for.
    page.locator(f'[data-testid="swap-{first.date:%Y-%m-%d}"]').click()
    page.check()
    page.locator("#id_host").select_option(str(second.host_id))
    page.locator("#swap-submit").click()
    page.check()
    assert page.locator(".alert-danger, .invalid-feedback, .alert").first.is_visible()
    page.locator("#id_reason").fill("Værten har nyt køkken, som udvalget gerne vil se.")
    page.locator("#swap-submit").click()
    page.check()
    assert "ændret manuelt" in page.locator('[data-testid="plan-table"]').inner_text()
    assert page.locator('[data-testid="broken-rules"]').is_visible()

    # Publish: a confirmation first, then the meetings exist.
    page.locator("#plan-publish").click()
    page.check()
    page.locator("#confirm-submit").click()
    page.check()
    assert page.locator('[data-testid="plan-status"]').inner_text().strip() == "Offentliggjort"
    assert Meeting.objects.filter(committee=cast.committee).count() == 12

    # A member of the committee sees the meetings in their calendar.
    page.page.context.clear_cookies()
    page.login(cast.member)
    page.locator('[data-testid="nav-calendar"]').click()
    page.check()
    first_meeting = Meeting.objects.filter(committee=cast.committee).order_by("starts_at").first()
    assert page.locator(f'[data-testid="meeting-{first_meeting.pk}"]').is_visible()
    page.locator(f'[data-testid="meeting-{first_meeting.pk}"] a').click()
    page.check()
    assert second.host.name in page.locator("h1 + p").inner_text()

    # The public plan, signed out, on a phone.
    page.page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    page.visit(f"/plan/{cast.committee.slug}/{rotation.year}/")
    assert page.locator('[data-testid="public-plan"] tbody tr').count() == 12


def test_the_ledger_and_a_hosts_meeting_page_pass_axe(browser_page, cast, rotation):
    from meetings.rotation import services

    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    services.rotation_plan_publish(plan=plan, actor=cast.administrator)
    meeting = Meeting.objects.filter(host=cast.workplace).first()
    page = browser_page
    page.login(cast.leader)
    page.visit(f"/moeder/{meeting.pk}/")
    page.locator("#presentation-edit").click()
    page.check()
    page.locator("#id_presentation").fill("Vi viser vores nye læringsmiljø.")
    page.locator("#text-form-submit").click()
    page.check()
    assert "læringsmiljø" in page.locator('[data-testid="presentation"]').inner_text()
    page.page.context.clear_cookies()
    page.login(cast.chair)
    page.locator('[data-testid="nav-ledger"]').click()
    page.check()
    assert page.locator('[data-testid="ledger-table"]').is_visible()
