"""The secretariat finds the notices the portal gave up on and sends one again, by keyboard, at 125 % zoom."""

import pytest
from django.core import mail
from django.utils import timezone

from core.models import OutboxMessage
from tests.browser.conftest import enter_to_next_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_sees_a_given_up_notice_on_the_dashboard_and_sends_it_again(browser_page, cast):
    message = OutboxMessage.objects.create(
        handler="meetings.services.invitation_mail_send",
        kwargs={"user_id": cast.leader.pk},
        attempts=8,
        last_error="ValueError: Header values can't contain newlines",
        dead_at=timezone.now(),
    )
    # 125 % zoom: a 1280 px wide window shows the page as if it were 1024 px wide.
    browser_page.set_viewport_size({"width": 1024, "height": 720})
    browser_page.login(cast.administrator)

    notice = browser_page.get_by_test_id("dashboard-undelivered")
    assert "1 besked kunne ikke sendes" in notice.inner_text()
    notice.get_by_role("link", name="Se beskederne").click()
    browser_page.check()
    row = browser_page.get_by_test_id("outbox-dead-row")
    assert "Invitation til portalen" in row.inner_text() and cast.leader.full_name in row.inner_text()
    # Nothing of the page's own content runs off the side (the wide table scrolls inside its own region).
    # (The administrator's menu bar is wider than 1024 px on every page: left for the navigation's owner.)
    assert browser_page.evaluate(
        "[...document.querySelectorAll('main *')].every(e => e.closest('.table-responsive') "
        "|| e.getBoundingClientRect().right <= window.innerWidth + 1)"
    )

    button = row.get_by_role("button", name="Send igen")
    button.focus()
    enter_to_next_page(browser_page)
    assert "Beskeden sendes igen" in browser_page.locator(".alert-success, [role=status]").first.inner_text()
    assert browser_page.get_by_test_id("outbox-dead-empty").is_visible()
    message.refresh_from_db()
    assert message.delivered_at is not None
    assert [m.to for m in mail.outbox] == [[cast.leader.email]]
