"""The secretariat cancels a visit from the admin: it picks the visit, gives a reason on a confirmation page, and the
visit is cancelled through the service. The admin's visit pages the secretariat uses pass axe."""

import pytest

from meetings.models import Visit, VisitSlot
from meetings.visits import services
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_cancels_a_visit_with_a_reason_from_the_admin(browser_page, cast):
    slot = factories.VisitSlotFactory(workplace=cast.workplace, offer__created_by=cast.leader)
    visit = services.visit_book(slot=slot, booker=cast.member, purpose="Vi vil se legepladsen.")

    page = browser_page.login(cast.administrator)
    page.visit("/admin/meetings/visit/")
    page.locator(f'input[name="_selected_action"][value="{visit.pk}"]').check()
    page.locator('select[name="action"]').select_option("cancel_visits")
    page.locator('button[name="index"], input[name="index"]').first.click()
    page.check()
    assert page.get_by_test_id("cancel-visits").is_visible()

    # Without a reason nothing happens, and the page says what to do.
    page.get_by_role("button", name="Aflys besøget").click()
    page.check()
    assert page.get_by_text("Skriv en begrundelse").first.is_visible()
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.REQUESTED

    page.locator("#id_reason").fill("Arbejdspladsen har vandskade.")
    page.get_by_role("button", name="Aflys besøget").click()
    page.check()
    assert page.get_by_text("1 besøg er aflyst").is_visible()
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.CANCELLED
    assert VisitSlot.objects.get(pk=slot.pk).booked_count == 0
