"""»Hent som PDF« (issue 21): from the agreement page by mouse, and from the print view by keyboard at 125 % zoom,
the browser receives the agreement as a PDF file with its Danish text; both pages pass axe."""

import io
import re

import pytest
from pypdf import PdfReader

from agreements.models import Status
from tests.agreements.conftest import make_agreement

from .conftest import assert_focus_visible, set_zoom, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text(download) -> str:
    with open(download.path(), "rb") as file:
        return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(file.read())).pages).split())


def test_the_leader_downloads_the_agreement_as_a_pdf_from_its_page_and_by_keyboard_from_the_print_view(
    browser_page, cast
):
    page = browser_page
    agreement = make_agreement(cast, Status.ACTIVE)
    year = agreement.period_start.year
    name = f"udviklingsaftale-boernehuset-solsikken-{year}.pdf"

    page.login(cast.leader)
    page.visit(agreement.get_absolute_url())
    with page.expect_download() as info:
        page.get_by_role("link", name="Hent som PDF").click()
    download = info.value
    assert download.suggested_filename == name
    text = _text(download)
    assert "Udviklingsaftale" in text
    assert "mellem Børne- og Ungeudvalget og Børnehuset Solsikken" in text
    assert "Vi giver børn en tryg hverdag med leg og læring." in text

    set_zoom(page.page, 125)
    page.visit(f"/udviklingsaftaler/{agreement.pk}/udskriv/")
    tab_to(page.page, re.compile("^Hent som PDF$"))
    assert_focus_visible(page.page)
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename == name
    assert "Underskrifter" in _text(info.value)


def test_someone_who_may_not_open_the_print_view_gets_no_pdf(browser_page, cast):
    page = browser_page
    agreement = make_agreement(cast, Status.SUBMITTED)

    page.login(cast.other_leader)
    response = page.page.request.get(f"{page.base_url}/udviklingsaftaler/{agreement.pk}/pdf/")

    assert response.status == 404
    assert response.headers["content-type"] != "application/pdf"
