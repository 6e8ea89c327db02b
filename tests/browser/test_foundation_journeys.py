import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", ["administrator", "chair", "leader", "trio"])
def test_each_role_logs_in_and_sees_the_danish_dashboard(browser_page, cast, role):
    person = getattr(cast, role)
    browser_page.login_by_form(person)  # the login page itself, as a person uses it
    heading = browser_page.get_by_role("heading", level=1)
    assert heading.inner_text().startswith("Hej")
    assert browser_page.locator("html").get_attribute("lang") == "da"


def test_politician_sees_own_committee_and_opens_it(browser_page, cast):
    browser_page.login(cast.member)
    browser_page.get_by_role("link", name=cast.committee.name).first.click()
    browser_page.check()
    assert browser_page.get_by_role("heading", level=1).inner_text() == cast.committee.name
    browser_page.get_by_role("link", name=cast.workplace.name).click()
    browser_page.check()
    assert cast.leader.full_name in browser_page.content()


def test_switching_language_to_english_and_back(browser_page, cast):
    browser_page.login(cast.leader)
    browser_page.get_by_label("Sprog").select_option("en")
    browser_page.get_by_role("button", name="Skift").click()
    browser_page.check()
    assert browser_page.locator("html").get_attribute("lang") == "en"
    assert browser_page.get_by_role("heading", level=1).inner_text().startswith("Hello")
    browser_page.get_by_label("Language").select_option("da")
    browser_page.get_by_role("button", name="Change").click()
    browser_page.check()
    assert browser_page.get_by_role("heading", level=1).inner_text().startswith("Hej")


def test_wrong_password_shows_a_danish_error_and_keeps_the_email(browser_page, cast):
    browser_page.visit("/konto/login/")
    browser_page.get_by_label(re.compile("e-mail", re.I)).fill(cast.chair.email)
    browser_page.get_by_label(re.compile(r"^\s*adgangskode", re.I)).fill("forkert-kode")
    browser_page.get_by_role("button", name="Log ind").click()
    browser_page.check()
    assert "ikke korrekt" in browser_page.content() or "forkert" in browser_page.content().lower()
    assert browser_page.get_by_label(re.compile("e-mail", re.I)).input_value() == cast.chair.email


def test_workplace_list_filters_on_a_phone(chromium, live_server, cast):
    context = chromium.new_context(locale="da-DK", viewport={"width": 390, "height": 844}, is_mobile=True)
    from tests.browser.conftest import CheckedPage

    page = CheckedPage(context.new_page(), live_server.url)
    page.login(cast.member)
    page.visit("/arbejdspladser/")
    page.get_by_label("Søg").fill("Solsikken")
    page.get_by_role("button", name="Filtrer").click()
    page.check()
    assert page.get_by_role("link", name=cast.workplace.name).is_visible()
    assert not page.get_by_role("link", name=cast.other_workplace.name).count()
    assert not page.unchecked()
    context.close()
