"""The secretariat's visit list filters by workplace and politician with search-as-you-type fields: by keyboard
(combobox: type, arrow down, Enter), with the mouse, and without JavaScript (type a name, the server resolves it or
lists what matched). Every page passes axe and the Content Security Policy (the script is a static file)."""

import pytest
from playwright.sync_api import expect

from meetings.models import Visit
from tests import factories

from .conftest import page_without_javascript

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _visit(workplace, person, days_ahead):
    slot = factories.VisitSlotFactory(
        workplace=workplace, starts_at=factories.next_weekday_at(9, days_ahead=days_ahead)
    )
    visit = Visit.objects.create(
        slot=slot,
        workplace=workplace,
        booked_by=person,
        purpose="Se huset.",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
    )
    visit.participants.create(person=person)
    return visit


@pytest.fixture
def visits(cast):
    third = factories.WorkplaceFactory(slug="maelkeboetten", name="Børnehuset Mælkebøtten", committees=[cast.committee])
    _visit(cast.workplace, cast.member, 10)
    _visit(cast.other_workplace, cast.other_member, 11)
    _visit(third, cast.chair, 12)
    return third


def _rows(page):
    return page.locator("tbody tr")


def test_choose_a_workplace_and_a_politician_by_keyboard(browser_page, cast, visits):
    page = browser_page
    page.login(cast.administrator)
    page.visit("/sekretariat/besoeg/")
    expect(_rows(page)).to_have_count(3)
    field = page.locator("#f-workplace")
    expect(field).to_have_attribute("role", "combobox")
    expect(field).to_have_attribute("aria-expanded", "false")

    field.focus()
    page.keyboard.type("børnehus")
    listbox = page.locator("#f-workplace-listbox")
    expect(listbox.get_by_role("option")).to_have_count(2)
    expect(field).to_have_attribute("aria-expanded", "true")
    page.check()  # the open list box passes axe too
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(field).to_have_attribute("aria-activedescendant", "f-workplace-listbox-1")
    expect(listbox.get_by_role("option", name="Børnehuset Solsikken")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")  # chooses; does not submit
    expect(field).to_have_value("Børnehuset Solsikken")
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(page.locator("input[name='arbejdsplads']")).to_have_value(cast.workplace.slug)

    page.locator("#f-workplace").press("Tab")
    page.keyboard.type("Test mem")
    person = page.locator("#f-person-listbox").get_by_role("option")
    expect(person).to_have_count(1)
    page.keyboard.press("Escape")
    expect(page.locator("#f-person")).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("ArrowDown")  # opens it again
    expect(person).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("input[name='person']")).to_have_value(str(cast.member.pk))
    page.keyboard.press("Enter")  # the list is closed: Enter submits the filter
    page.wait_for_url("**/sekretariat/besoeg/?*")
    page.check()
    expect(_rows(page)).to_have_count(1)
    expect(_rows(page).first).to_contain_text("Børnehuset Solsikken")
    expect(page.locator("#f-workplace")).to_have_value("Børnehuset Solsikken")  # the chosen names are kept
    expect(page.locator("#f-person")).to_have_value("Test member")


def test_click_a_name_and_a_name_typed_past_the_list_is_resolved_by_the_server(browser_page, cast, visits):
    page = browser_page
    page.login(cast.administrator)
    page.visit("/sekretariat/besoeg/")
    page.locator("#f-workplace").fill("Egebo")
    page.locator("#f-workplace-listbox").get_by_role("option", name="Plejecenter Egebo").click()
    expect(page.locator("input[name='arbejdsplads']")).to_have_value("egebo")
    # Typing again clears the chosen value, so what is typed decides.
    page.locator("#f-workplace").fill("Børnehuset")
    expect(page.locator("input[name='arbejdsplads']")).to_have_value("")
    page.locator("#f-workplace").press("Escape")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/sekretariat/besoeg/?*")
    page.check()
    error = page.locator("#f-workplace-error")
    expect(error).to_contain_text("Flere passer med »Børnehuset«")
    error.get_by_role("link", name="Børnehuset Mælkebøtten").click()
    page.check()
    expect(_rows(page)).to_have_count(1)
    expect(_rows(page).first).to_contain_text("Børnehuset Mælkebøtten")


def test_without_javascript_a_typed_name_filters_the_list(chromium, live_server, cast, visits):
    with page_without_javascript(chromium, live_server, cast.administrator) as page:
        page.goto(live_server.url + "/sekretariat/besoeg/")
        field = page.locator("#f-workplace")
        expect(field).not_to_have_attribute("role", "combobox")  # a plain text field
        field.fill("egebo")
        page.get_by_role("button", name="Filtrer").click()
        expect(_rows(page)).to_have_count(1)
        expect(_rows(page).first).to_contain_text("Plejecenter Egebo")
        expect(page.locator("#f-workplace")).to_have_value("Plejecenter Egebo")
        page.locator("#f-workplace").fill("Findes ikke")
        page.get_by_role("button", name="Filtrer").click()
        expect(page.locator("#f-workplace-error")).to_contain_text("Intet passer med »Findes ikke«")
        expect(page.locator("#f-workplace")).to_have_value("Findes ikke")
