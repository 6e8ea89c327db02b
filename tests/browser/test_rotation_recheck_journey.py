"""A plan anyone can re-check (issue 20): the secretariat changes a host by hand with a reason and sees the change,
its reason and the recomputed panel in names and Danish dates; it publishes; signed out, the public page offers what
the plan was made from with its fingerprint, the download works by keyboard at 125 % zoom, and ``plan_rotation
--verify`` confirms the downloaded file. Every page passes axe."""

import json

import pytest
from django.core.management import call_command

from meetings.models import PublishedInputs, RotationPlan
from meetings.rotation import services
from tests.browser.conftest import assert_focus_visible, assert_no_sideways_scroll, set_zoom, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_publishes_and_anyone_can_download_and_recheck_the_plan(
    browser_page, cast, rotation, tmp_path, capsys
):
    plan = services.rotation_plan_draft(committee=cast.committee, year=rotation.year, actor=cast.administrator)
    first, second = plan.meetings.select_related("host").order_by("date")[:2]
    page = browser_page.login(cast.administrator)
    page.visit(f"/sekretariat/rotation/{cast.committee.slug}/{rotation.year}/")
    page.check()
    assert page.get_by_test_id("no-hand-changes").is_visible()

    page.locator(f'[data-testid="swap-{first.date:%Y-%m-%d}"]').click()
    page.check()
    page.locator("#id_host").select_option(str(second.host_id))
    page.locator("#id_reason").fill("Værten har nyt køkken, som udvalget gerne vil se.")
    page.locator("#swap-submit").click()
    page.check()
    changes = page.get_by_test_id("hand-changes").inner_text()
    assert "Værten har nyt køkken" in changes
    assert first.host.name in changes and second.host.name in changes and "jan." in changes
    panel = page.get_by_test_id("broken-rules").inner_text()
    assert second.host.slug not in panel and f"{rotation.year}-" not in panel

    page.locator("#plan-publish").click()
    page.check()
    page.locator("#confirm-submit").click()
    page.check()
    record = PublishedInputs.objects.get(plan__committee=cast.committee, plan__year=rotation.year)
    assert record.plan.status == RotationPlan.Status.PUBLISHED

    # Signed out, at 125 % zoom: the fingerprint is shown and the file is downloaded by keyboard.
    page.page.context.clear_cookies()
    set_zoom(page, 125)
    page.visit(f"/plan/{cast.committee.slug}/{rotation.year}/")
    page.check()
    assert page.get_by_test_id("plan-inputs-fingerprint").inner_text().strip() == record.fingerprint
    assert_no_sideways_scroll(page)
    tab_to(page, "Hent grundlaget for planen")
    assert_focus_visible(page)
    with page.expect_download() as downloading:
        page.keyboard.press("Enter")
    path = tmp_path / downloading.value.suggested_filename
    downloading.value.save_as(path)
    assert path.name.endswith("-grundlag.json")
    assert json.loads(path.read_text(encoding="utf-8"))["fingerprint"] == record.fingerprint

    call_command("plan_rotation", "--verify", str(path))
    out = capsys.readouterr().out
    assert "Same plan" in out and "Værten har nyt køkken" in out
