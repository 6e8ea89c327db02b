"""The agreement editor in the first week of real use: typed text is never lost (leaving a field or the page
saves at once), goals move up and down by keyboard with the focus kept on the moved goal, the editor does not
scroll sideways on a phone, the print view keeps the agreement's own header and footer, what the committee asked
to change is on top, and the start form refuses a year that is taken. Every page passes axe."""

import time

import pytest
from django.utils import timezone

from agreements.models import Agreement, Status
from tests.agreements.conftest import make_agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZOOM_125 = {"width": 1024, "height": 768}  # a 1280 px wide window at 125 % zoom
PHONE = {"width": 390, "height": 844}


def _editor_url(agreement):
    return f"/udviklingsaftaler/{agreement.pk}/rediger/"


def _saved(agreement, field, text, *, seconds=10.0):
    """Wait for the save the page sent as it was left (it may still be on its way when the next page loads)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if getattr(Agreement.objects.get(pk=agreement.pk), field) == text:
            return True
        time.sleep(0.1)
    return False


def test_text_typed_and_left_at_once_is_saved_whether_leaving_the_field_or_the_page(browser_page, cast):
    page = browser_page
    agreement = make_agreement(cast)
    page.login(cast.leader)

    # Type and leave the field at once with Tab, then reload: well within the two seconds of the autosave.
    page.visit(_editor_url(agreement))
    page.locator("#id_core_task").fill("Vi giver alle børn en tryg og lærerig hverdag.")
    page.keyboard.press("Tab")
    page.reload()
    page.check()
    assert _saved(agreement, "core_task", "Vi giver alle børn en tryg og lærerig hverdag.")
    page.reload()
    page.check()
    assert page.locator("#id_core_task").input_value() == "Vi giver alle børn en tryg og lærerig hverdag."

    # Type and leave the page at once (still in the field): the page saves as it goes.
    page.locator("#id_support").fill("Hjælp fra PPR hver anden uge.")
    page.visit(agreement.get_absolute_url())
    assert _saved(agreement, "support", "Hjælp fra PPR hver anden uge.")
    page.visit(_editor_url(agreement))
    assert page.locator("#id_support").input_value() == "Hjælp fra PPR hver anden uge."


def test_the_save_button_still_saves(browser_page, cast):
    page = browser_page
    agreement = make_agreement(cast)
    page.login(cast.leader)
    page.visit(_editor_url(agreement))
    page.locator("#id_follow_up_plan").fill("Vi mødes til dialogmødet.")
    page.locator("#agreement-save").click()
    page.check()
    assert page.page.url.endswith(agreement.get_absolute_url())
    assert Agreement.objects.get(pk=agreement.pk).follow_up_plan == "Vi mødes til dialogmødet."


def test_a_goal_moved_by_keyboard_keeps_the_focus_at_125_percent_zoom(browser_page, cast):
    page = browser_page
    agreement = make_agreement(cast, goals=3)
    first, second, third = agreement.ordered_goals()
    page.page.set_viewport_size(ZOOM_125)
    page.login(cast.leader)
    page.visit(_editor_url(agreement))

    page.locator(f'#goal-row-{first.pk} [data-testid="goal-down"]').focus()
    _press_enter_and_wait(page)
    assert [g.pk for g in agreement.ordered_goals()] == [second.pk, first.pk, third.pk]
    focused = page.evaluate("[document.activeElement.closest('li')?.id, document.activeElement.dataset.testid]")
    assert focused == [f"goal-row-{first.pk}", "goal-down"]
    assert page.locator(f"#goal-row-{first.pk}").is_visible()

    # Once more down is the bottom: the focus moves to the goal's own Up button, and Enter moves it back up.
    _press_enter_and_wait(page)
    focused = page.evaluate("[document.activeElement.closest('li')?.id, document.activeElement.dataset.testid]")
    assert focused == [f"goal-row-{first.pk}", "goal-up"]
    _press_enter_and_wait(page)
    assert [g.pk for g in agreement.ordered_goals()] == [second.pk, first.pk, third.pk]


def _press_enter_and_wait(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    # The focused button fades into its focus colours (Bootstrap's .15 s transition): check the settled page.
    page.wait_for_timeout(400)
    page.check()


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_editor_does_not_scroll_sideways_on_a_phone(browser_page, cast):
    page = browser_page
    agreement = make_agreement(cast, goals=3)
    agreement.goals.filter(pk=agreement.ordered_goals()[0].pk).update(
        title="Flere børn oplever at høre til i fællesskabet hver eneste dag i institutionen"
    )
    page.page.set_viewport_size(PHONE)
    page.login(cast.leader)
    page.visit(_editor_url(agreement))
    assert _no_sideways_scroll(page)
    empty = make_agreement(cast, goals=0, year=timezone.localdate().year + 1)
    page.visit(_editor_url(empty))
    assert page.locator('[data-testid="goal-list-empty"]').is_visible()
    assert _no_sideways_scroll(page)


def test_the_printed_agreement_keeps_its_own_header_and_footer_but_not_the_sites(browser_page, cast):
    page = browser_page
    agreement = make_agreement(cast, Status.ACTIVE)
    page.login(cast.leader)
    page.page.emulate_media(media="print")
    page.visit(f"/udviklingsaftaler/{agreement.pk}/udskriv/")
    assert page.locator(".print-header").is_visible()
    assert page.locator(".print-header h1").inner_text() == "Udviklingsaftale"
    assert page.locator('[data-testid="print-document"] > footer').is_visible()
    assert page.locator("body > header").is_hidden()
    assert page.locator("body > footer").is_hidden()


def test_the_leader_sees_what_should_change_on_top_and_the_start_form_refuses_a_taken_year(browser_page, cast):
    page = browser_page
    agreement = make_agreement(cast, Status.CHANGES_REQUESTED)
    page.login(cast.leader)
    page.visit(agreement.get_absolute_url())
    box = page.locator('[data-testid="changes-requested"]')
    assert "Gør mål 1 skarpere." in box.inner_text()
    document_top = page.locator(".agreement-document").bounding_box()["y"]
    assert box.bounding_box()["y"] < document_top

    page.visit(f"/udviklingsaftaler/ny/{cast.workplace.slug}/")
    year = timezone.localdate().year
    assert page.locator("#id_year").input_value() == str(year + 1)  # this year is taken
    page.locator("#id_year").fill(str(year))
    page.locator("#start-submit").click()
    page.check()
    assert "har allerede en udviklingsaftale" in page.locator("#start-form").inner_text()
    assert page.locator("#id_year").input_value() == str(year)
    assert Agreement.objects.count() == 1
