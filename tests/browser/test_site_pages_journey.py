"""The footer's links to the accessibility statement and the privacy notice, by keyboard, at 125 % zoom, in the
municipality's own colour and logo. Every page passes axe (WCAG 2.1 AA), the header's contrast included, and the
Content Security Policy blocks nothing (the colour comes as a stylesheet, never inline)."""

import datetime as dt
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZOOM_125 = {"width": 1024, "height": 768}  # a 1280 px wide window at 125 % zoom


def tab_to(page, name: str, *, presses: int = 60) -> None:
    """Press Tab until the link or button named ``name`` has the focus, as a keyboard user would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement && document.activeElement.textContent.trim()")
        if focused == name:
            return
    raise AssertionError(f"{name!r} cannot be reached with Tab")


@pytest.fixture
def municipality(settings):
    settings.PORTAL_MUNICIPALITY_NAME = "Dalby Kommune"
    settings.PORTAL_BRAND_COLOUR = "#7a1f3d"
    settings.PORTAL_LOGO = "branding/dalby-kommune.svg"
    settings.DIALOG_ACCESSIBILITY_EMAIL = "webtilgaengelighed@dalby.example"
    settings.DIALOG_ACCESSIBILITY_PHONE = "12345678"
    settings.DIALOG_ACCESSIBILITY_REVIEWED = dt.date(2026, 5, 1)
    settings.DIALOG_DPO_EMAIL = "dpo@dalby.example"
    return settings


def test_a_visitor_reaches_the_statement_and_the_privacy_notice_from_the_footer_by_keyboard(browser_page, municipality):
    browser_page.page.set_viewport_size(ZOOM_125)
    browser_page.visit("/")
    navbar = browser_page.locator(".portal-navbar")
    assert navbar.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(122, 31, 61)"  # #7a1f3d
    logo = browser_page.locator(".navbar-brand img")
    assert logo.get_attribute("alt") == "Dalby Kommune"
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0")  # loaded, the policy let it through

    tab_to(browser_page, "Tilgængelighedserklæring")
    browser_page.keyboard.press("Enter")
    browser_page.wait_for_url(re.compile(r"/tilgaengelighed/$"))
    browser_page.check()
    assert browser_page.get_by_role("heading", level=1).inner_text() == "Tilgængelighedserklæring"
    assert browser_page.get_by_role("link", name="12 34 56 78").get_attribute("href") == "tel:+4512345678"
    assert "1. maj 2026" in browser_page.get_by_test_id("reviewed").inner_text()

    tab_to(browser_page, "Privatliv")
    browser_page.keyboard.press("Enter")
    browser_page.wait_for_url(re.compile(r"/privatliv/$"))
    browser_page.check()
    assert browser_page.get_by_role("heading", level=1).inner_text() == "Sådan behandler vi dine personoplysninger"
    assert browser_page.get_by_role("link", name="dpo@dalby.example").is_visible()
    # The footer's links sit in their own named landmark, beside the language switcher.
    footer_nav = browser_page.get_by_role("navigation", name="Om portalen")
    assert footer_nav.get_by_role("link").count() == 2
    assert browser_page.get_by_label("Sprog").is_visible()


def test_a_signed_in_politician_finds_both_links_on_every_page_and_the_was_statement_when_published(
    browser_page, cast, municipality
):
    municipality.DIALOG_WAS_URL = "https://www.was.digst.dk/dialog-dalby-dk"
    browser_page.login(cast.member)
    footer = browser_page.locator("footer")
    assert footer.get_by_role("link", name="Tilgængelighedserklæring").get_attribute("href") == (
        "https://www.was.digst.dk/dialog-dalby-dk"
    )
    browser_page.visit("/udvalg/")
    footer.get_by_role("link", name="Privatliv").click()
    browser_page.wait_for_url(re.compile(r"/privatliv/$"))
    browser_page.check()
    assert browser_page.get_by_role("heading", name="Databeskyttelsesrådgiver").is_visible()
