"""The import page in a real browser: it passes axe-core (WCAG 2.1 AA) empty, with errors and after success."""

from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_imports_files_on_an_accessible_page(browser_page, cast, tmp_path):
    bad_people = tmp_path / "people.csv"
    bad_people.write_text("email,full_name,role,committee,committee_role,workplace\nx,Ny,borgmester,,,\n")
    browser_page.login(cast.administrator)

    browser_page.visit("/sekretariat/import/")
    assert browser_page.get_by_role("heading", level=1).count() == 1

    browser_page.locator("#id_people").set_input_files(str(bad_people))
    browser_page.locator("form[enctype] button[type=submit]").click()
    browser_page.check()
    assert browser_page.locator("table tbody tr").count() == 2  # the bad e-mail and the unknown role

    for kind in ("committees", "workplaces", "people", "blackouts"):
        browser_page.locator(f"#id_{kind}").set_input_files(str(SAMPLES / f"{kind}.csv"))
    browser_page.locator("form[enctype] button[type=submit]").click()
    browser_page.check()
    assert browser_page.locator(".alert-success").count() == 1
    assert browser_page.locator("table").count() == 0


def test_a_file_saved_by_danish_excel_imports_and_the_page_says_how_it_was_read(browser_page, cast, tmp_path):
    committees = tmp_path / "udvalg.csv"  # "CSV (semikolonsepareret)": Windows-1252, ; and CRLF
    committees.write_bytes(
        "slug;name;area;meeting_weekday;meeting_start;meeting_minutes\r\n"
        "aeldre-og-sundhed;Ældre- og Sundhedsudvalget;Plejecentre; hjemmepleje;3;15:30;150\r\n".encode("cp1252")
    )
    browser_page.login(cast.administrator)
    browser_page.visit("/sekretariat/import/")
    browser_page.locator("#id_committees").set_input_files(str(committees))
    browser_page.locator("form[enctype] button[type=submit]").click()
    browser_page.check()
    # The row has one value too many (the area holds a ; without quotes): refused, and told how the file was read.
    assert (
        "udvalg.csv: Læst som CSV adskilt med semikolon, tegnsæt Windows-1252."
        in browser_page.get_by_test_id("files-read").inner_text()
    )
    committees.write_bytes(
        "slug;name;area;meeting_weekday;meeting_start;meeting_minutes\r\n"
        'aeldre-og-sundhed;Ældre- og Sundhedsudvalget;"Plejecentre; hjemmepleje";3;15:30;150\r\n'.encode("cp1252")
    )
    browser_page.locator("#id_committees").set_input_files(str(committees))
    browser_page.locator("form[enctype] button[type=submit]").click()
    browser_page.check()
    assert browser_page.locator(".alert-success").count() == 1
    assert browser_page.locator(".alert-info").inner_text() == (
        "udvalg.csv: Læst som CSV adskilt med semikolon, tegnsæt Windows-1252."
    )
