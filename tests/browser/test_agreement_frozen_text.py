"""A committee member rewords a shared goal that a signed agreement adopted: the catalogue's page warns that the
agreement keeps its words, and the agreement's page and print still show the signed text (issue 14, hole 1)."""

import pytest

from agreements.models import Status
from tests.agreements.test_frozen_text import NEW_TEXT, OLD_TEXT, _adopting, _shared

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rewording_a_shared_goal_warns_and_leaves_the_signed_agreement_as_signed(browser_page, cast):
    page = browser_page
    shared = _shared(cast)
    agreement = _adopting(cast, shared, Status.ACTIVE)

    page.login(cast.chair)
    page.visit(f"/udviklingsaftaler/faelles-maal/{shared.pk}/")
    assert "1 aftale" in page.locator('[data-testid="sharedgoal-frozen-use"]').inner_text()
    page.locator("#id_text").fill(NEW_TEXT)
    page.locator("#sharedgoal-save").click()
    page.check()
    assert "beholder" in page.locator(".alert-success, [role=status]").first.inner_text()

    page.visit(agreement.get_absolute_url())
    text = page.locator(".agreement-document").inner_text()
    assert OLD_TEXT in text and NEW_TEXT not in text
    assert page.locator('[data-testid="catalogue-changed"]').is_visible()
    page.visit(f"/udviklingsaftaler/{agreement.pk}/udskriv/")
    text = page.locator('[data-testid="print-document"]').inner_text()
    assert OLD_TEXT in text and NEW_TEXT not in text
