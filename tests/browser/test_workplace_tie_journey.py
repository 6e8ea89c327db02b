"""A politician declares a tie to a workplace by searching its name (issue 19: no select of every workplace): by
keyboard in the combobox at 125 % zoom, and without JavaScript, where a name that fits several lists them as choices.
Every page passes axe."""

import pytest
from playwright.sync_api import expect

from meetings.models import WorkplaceTie
from tests import factories

from .conftest import enter_to_next_page, page_without_javascript, pick_by_keyboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_politician_declares_a_tie_by_keyboard(browser_page, cast):
    page = browser_page
    page.page.set_viewport_size({"width": 1024, "height": 768})  # 1280 px at 125 % zoom
    page.login(cast.member)
    page.visit("/besoeg/baand/")
    pick_by_keyboard(
        page,
        "id_workplace_navn",
        "egeb",
        chosen="Plejecenter Egebo",
        hidden_name="workplace",
        hidden_value=cast.other_workplace.pk,
    )
    page.locator("#id_kind").select_option(WorkplaceTie.Kind.BOARD)
    page.locator("#id_note").fill("Formand")
    enter_to_next_page(page, "#id_note")  # Enter in the last field sends the form
    assert WorkplaceTie.objects.get(person=cast.member).workplace == cast.other_workplace
    expect(page.locator("main")).to_contain_text("Plejecenter Egebo")


def test_without_javascript_a_name_that_fits_several_is_chosen_from_a_list(chromium, live_server, cast):
    factories.WorkplaceFactory(slug="maelkeboetten", name="Børnehuset Mælkebøtten")
    with page_without_javascript(chromium, live_server, cast.member) as page:
        page.goto(live_server.url + "/besoeg/baand/")
        field = page.locator("#id_workplace_navn")
        expect(field).not_to_have_attribute("role", "combobox")  # a plain text field
        field.fill("Børnehuset")
        page.locator("#id_kind").select_option(WorkplaceTie.Kind.RELATIVE)
        page.get_by_role("button", name="Oplys").click()
        expect(page.locator("#id_workplace_navn-error")).to_contain_text("Flere arbejdspladser passer med »Børnehuset«")
        page.get_by_label("Børnehuset Mælkebøtten").check()
        page.get_by_role("button", name="Oplys").click()
        expect(page.locator("main")).to_contain_text("Børnehuset Mælkebøtten")
        assert WorkplaceTie.objects.get(person=cast.member).workplace.slug == "maelkeboetten"
