"""Logging in with the municipality's login: the portal's button, the test OpenID provider's own login form, and
back to the portal, in Chromium. Every page on the way passes the accessibility check, the provider's too."""

import re

import pytest
from allauth.socialaccount.models import SocialAccount

from tests.oidc_provider import IDP_PASSWORD, PROVIDER_NAME, callback_path, configure_portal, running_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(live_server, settings):
    with running_provider([f"{live_server.url}{callback_path()}"]) as running:
        configure_portal(settings, running.portal_config())
        yield running


def press_the_municipalitys_login(browser_page):
    browser_page.visit("/konto/login/")
    button = browser_page.get_by_role("button", name=f"Log ind med {PROVIDER_NAME}")
    button.focus()  # by keyboard: the button is a real, focusable button
    browser_page.keyboard.press("Enter")
    browser_page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/interaction/"))
    assert browser_page.get_by_role("heading", name="Test identity provider").is_visible()
    browser_page.check()


def sign_in_at_the_provider(browser_page, username):
    browser_page.get_by_label("Username").fill(username)
    browser_page.get_by_label("Password").fill(IDP_PASSWORD)
    browser_page.get_by_role("button", name="Sign in").click()
    browser_page.wait_for_url(re.compile(r"^http://localhost:\d+/"))
    browser_page.check()


def test_a_politician_logs_in_through_the_municipalitys_login_and_lands_on_the_overview(
    browser_page, cast, provider, live_server
):
    provider.set_account("anne", password=IDP_PASSWORD, email=cast.chair.email, name="Anne")
    press_the_municipalitys_login(browser_page)
    sign_in_at_the_provider(browser_page, "anne")
    assert browser_page.url == f"{live_server.url}/"
    assert browser_page.get_by_role("button", name=cast.chair.full_name).is_visible()
    assert SocialAccount.objects.get(provider="testkommune").user == cast.chair
    # The person's own page shows the link, and only shows it.
    browser_page.visit("/konto/3rdparty/")
    assert browser_page.get_by_role("cell", name=PROVIDER_NAME).is_visible()


def test_an_unknown_person_is_refused_with_a_danish_explanation(browser_page, cast, provider):
    provider.set_account("ukendt", password=IDP_PASSWORD, email="ukendt@dalby.example")
    press_the_municipalitys_login(browser_page)
    sign_in_at_the_provider(browser_page, "ukendt")
    assert browser_page.get_by_role("heading", level=1).inner_text() == "Du blev ikke logget ind"
    assert "Vi kan ikke finde dig i Dialogportalen" in browser_page.get_by_test_id("sso-refusal").inner_text()
    browser_page.get_by_role("link", name=re.compile("tilbage til login-siden", re.I)).click()
    browser_page.check()
    assert browser_page.get_by_role("button", name=f"Log ind med {PROVIDER_NAME}").is_visible()
