"""Account pages from allauth, in the portal's layout: reset a forgotten password, change it, 2FA."""

import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_forgotten_password_is_reset_through_the_emailed_link(browser_page, cast, live_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    browser_page.visit("/konto/login/")
    browser_page.get_by_role("link", name=re.compile("glemt", re.I)).click()
    browser_page.check()
    browser_page.get_by_label(re.compile("e-mail", re.I)).fill(cast.leader.email)
    browser_page.get_by_role("button", name=re.compile("nulstil", re.I)).click()
    browser_page.check()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/konto/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    browser_page.page.goto(link)
    browser_page.check()
    browser_page.get_by_label(re.compile(r"^\s*ny adgangskode(?!\s*\()", re.I)).fill("Mælkebøtte-Bakke-42")
    browser_page.get_by_label(re.compile(r"^\s*ny adgangskode \(igen\)", re.I)).fill("Mælkebøtte-Bakke-42")
    browser_page.get_by_role("button", name=re.compile("(skift|ændr) (adgangskode|password)", re.I)).click()
    browser_page.check()
    cast.leader.refresh_from_db()
    assert cast.leader.check_password("Mælkebøtte-Bakke-42")


def test_two_factor_page_explains_setup_in_danish(browser_page, cast):
    browser_page.login(cast.trio)
    browser_page.get_by_role("button", name=cast.trio.full_name).click()
    browser_page.get_by_role("link", name="Totrinsgodkendelse").click()
    browser_page.check()
    assert browser_page.get_by_role("heading", level=1).count() == 1
    assert "Godkendelsesapp" in browser_page.content() or "godkendelse" in browser_page.content().lower()


def test_change_password_page_is_accessible(browser_page, cast):
    browser_page.login(cast.member)
    browser_page.visit("/konto/password/change/")
    assert browser_page.get_by_label(re.compile(r"^\s*nuværende adgangskode", re.I)).count() == 1
