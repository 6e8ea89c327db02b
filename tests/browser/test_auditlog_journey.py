"""The secretariat reads the audit log: opens it from the overview, filters by an action and a period (by keyboard),
sees who did it by name, follows the object's link and the object's "history" link back, and exports the view to
CSV. Every page passes axe; the page is also checked at 125 % zoom (a 1024 px wide window)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agreements.models import Status
from tests.agreements.conftest import make_agreement

from .conftest import enter_to_next_page, page_without_javascript, pick_by_keyboard

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
    enter_to_next_page(page)
    rows = page.locator('[data-testid="auditlog-row"]')
    assert rows.count() == 1
    assert "Test leader" in rows.first.inner_text()
    assert "Aftale sendt til udvalget" in rows.first.inner_text()

    # The object's link, by keyboard, to the agreement; its history link back to the log.
    link = rows.first.locator('[data-testid="auditlog-object-link"]')
    link.focus()
    enter_to_next_page(page)
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


def test_the_secretariat_picks_a_person_by_keyboard_and_without_javascript(browser_page, chromium, live_server, cast):
    """The person filter searches the people in the log as one types (issue 19): a combobox by keyboard at 125 %
    zoom, and a plain text field the server resolves when JavaScript is off."""
    make_agreement(cast, Status.SUBMITTED)  # entries by the leader
    page = browser_page
    page.page.set_viewport_size({"width": 1024, "height": 768})  # 1280 px at 125 % zoom
    page.login(cast.administrator)
    page.visit("/sekretariat/revisionslog/")
    pick_by_keyboard(
        page, "id_person_navn", "test lea", chosen="Test leader", hidden_name="person", hidden_value=cast.leader.pk
    )
    page.keyboard.press("Enter")  # the list is closed: Enter submits the filter
    page.wait_for_url("**/sekretariat/revisionslog/?*")
    page.check()
    rows = page.locator('[data-testid="auditlog-row"]')
    assert rows.count() >= 1
    for text in rows.all_inner_texts():
        assert "Test leader" in text
    expect(page.locator("#id_person_navn")).to_have_value("Test leader")  # the chosen name is kept

    with page_without_javascript(chromium, live_server, cast.administrator) as plain:
        plain.goto(live_server.url + "/sekretariat/revisionslog/")
        field = plain.locator("#id_person_navn")
        expect(field).not_to_have_attribute("role", "combobox")  # a plain text field
        field.fill("Findes ikke")
        plain.get_by_role("button", name="Vis poster").click()
        expect(plain.locator("#id_person_navn-error")).to_contain_text("Intet passer med »Findes ikke«")
        plain.locator("#id_person_navn").fill("leader")
        plain.get_by_role("button", name="Vis poster").click()
        expect(plain.locator("#id_person_navn")).to_have_value("Test leader")
        expect(plain.locator('[data-testid="auditlog-row"]').first).to_contain_text("Test leader")
