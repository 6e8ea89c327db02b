"""No one climbs roles, in a real browser: the secretariat checks and confirms the raises an import would make (by
keyboard), and a politician who has not set up two-factor yet reads their login address and is told who changes it.
"""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE_HEADER = "email,full_name,role,committee,committee_role,workplace"


def test_the_secretariat_checks_and_confirms_the_raises_of_an_import(browser_page, cast, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text(
        f"{PEOPLE_HEADER}\n"
        f"{cast.leader.email},{cast.leader.full_name},administrator,,,\n"
        f"ny.leder@dalby.example,Ny Leder,leader,,,{cast.other_workplace.slug}\n"
    )
    browser_page.login(cast.administrator)
    browser_page.visit("/sekretariat/import/")

    browser_page.locator("#id_people").set_input_files(str(people))
    browser_page.locator("form[enctype] button[type=submit]").click()
    browser_page.check()

    assert browser_page.get_by_role("heading", name="Kontroller udvidelserne af rettigheder").count() == 1
    rows = browser_page.locator("table tbody tr")
    assert rows.count() == 1
    assert cast.leader.email in rows.first.inner_text()
    assert "administrator" in rows.first.inner_text()
    cast.leader.refresh_from_db()
    assert not cast.leader.is_staff

    checkbox = browser_page.get_by_label(re.compile("Jeg har kontrolleret hver udvidelse"))
    checkbox.focus()
    browser_page.keyboard.press("Space")
    assert checkbox.is_checked()
    browser_page.get_by_role("button", name="Importer og giv disse rettigheder").click()
    browser_page.check()

    assert browser_page.locator(".alert-success").count() == 1
    cast.leader.refresh_from_db()
    assert cast.leader.is_staff


def test_a_politician_without_two_factor_reads_their_login_address(browser_page, cast, settings):
    settings.DIALOG_REQUIRE_MFA = True
    browser_page.login(cast.chair)  # lands on the two-factor setup the portal insists on

    browser_page.visit("/konto/email/")

    assert browser_page.get_by_role("heading", level=1, name="E-mailadresse").count() == 1
    assert cast.chair.email in browser_page.content()
    assert "Kun sekretariatet kan ændre den" in browser_page.content()
    assert browser_page.locator("input[name=email]").count() == 0
    browser_page.get_by_role("link", name="Totrinsgodkendelse").last.click()
    browser_page.check()
    assert "/konto/" in browser_page.url


def test_the_owner_gets_in_by_the_emailed_link_after_too_many_wrong_passwords(
    browser_page, cast, settings, live_server
):
    from django.core import mail

    settings.PORTAL_BASE_URL = live_server.url
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "20/m/ip,2/5m/key"}
    for guess in ("forkert-1", "forkert-2"):
        browser_page.login(cast.leader, password=guess)

    browser_page.login_by_form(cast.leader)  # the right password, refused: the form shows why

    assert "så den er beskyttet et stykke tid" in browser_page.content()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/konto/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    browser_page.page.goto(link)
    browser_page.check()
    browser_page.get_by_label(re.compile(r"^\s*ny adgangskode(?!\s*\()", re.I)).fill("Mælkebøtte-Bakke-42")
    browser_page.get_by_label(re.compile(r"^\s*ny adgangskode \(igen\)", re.I)).fill("Mælkebøtte-Bakke-42")
    browser_page.get_by_role("button", name=re.compile("(skift|ændr) (adgangskode|password)", re.I)).click()
    browser_page.check()

    assert browser_page.get_by_role("button", name=cast.leader.full_name).count() == 1  # signed in
