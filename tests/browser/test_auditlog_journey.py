"""The secretariat reads the audit log: opens it from the overview, filters by an action and a period (by keyboard),
sees who did it by name, follows the object's link and the object's "history" link back, and exports the view to
CSV. Every page passes axe; the page is also checked at 125 % zoom (a 1024 px wide window)."""

import datetime as dt

import pytest
from django.utils import timezone

from agreements.models import Status
from tests.agreements.conftest import make_agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_filters_the_log_follows_links_and_exports(browser_page, cast, tmp_path):
    page = browser_page
    agreement = make_agreement(cast, Status.SUBMITTED)
    today = timezone.localdate()

    page.page.set_viewport_size({"width": 1024, "height": 768})  # 1280 px at 125 % zoom
    page.login(cast.administrator)
    page.locator('[data-testid="dashboard-auditlog"]').click()
    page.check()
    assert page.locator('[data-testid="auditlog-row"]').count() >= 4

    # Filter by keyboard: choose the action, type the period, press Enter.
    page.locator("#id_action").focus()
    page.locator("#id_action").select_option("agreement.submitted")
    page.locator("#id_fra").fill((today - dt.timedelta(days=1)).isoformat())
    page.locator("#id_til").fill(today.isoformat())
    with page.page.expect_navigation():
        page.keyboard.press("Enter")
    page.check()
    rows = page.locator('[data-testid="auditlog-row"]')
    assert rows.count() == 1
    assert "Test leader" in rows.first.inner_text()
    assert "Aftale sendt til udvalget" in rows.first.inner_text()

    # The object's link, by keyboard, to the agreement; its history link back to the log.
    link = rows.first.locator('[data-testid="auditlog-object-link"]')
    link.focus()
    with page.page.expect_navigation():
        page.keyboard.press("Enter")
    page.check()
    assert page.page.url.endswith(agreement.get_absolute_url())
    page.locator('[data-testid="auditlog-history-link"]').click()
    page.check()
    assert page.locator('[data-testid="auditlog-object"]').is_visible()
    assert page.locator('[data-testid="auditlog-row"]').count() >= 3

    # The export is the view as a file for Danish Excel.
    with page.page.expect_download() as download:
        page.locator("#auditlog-export").click()
    path = tmp_path / "log.csv"
    download.value.save_as(path)
    body = path.read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Nr.;Tidspunkt;Person")
    assert "Test leader" in text and "agreement.submitted" in text

    # A mistake in the filters is explained, and nothing typed is lost.
    page.visit(f"/sekretariat/revisionslog/?fra={today.isoformat()}&til={(today - dt.timedelta(days=3)).isoformat()}")
    assert page.locator('[data-testid="auditlog-errors"]').is_visible()
    assert page.locator("#id_fra").input_value() == today.isoformat()
