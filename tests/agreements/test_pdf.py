"""An agreement as a PDF file (issue 21): the print view's document, for exactly those who may open the print view."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from agreements import services
from agreements.models import Status
from agreements.pdf import ascii_slug

from .conftest import make_agreement
from .test_frozen_text import NEW_TEXT, OLD_TEXT, _adopting, _reword_in_catalogue, _shared

pytestmark = pytest.mark.django_db

# A submitted agreement: the workplace and its committee read it, nobody else is told it exists.
MAY_READ = ["administrator", "leader", "trio", "chair", "vice_chair", "member"]
REFUSED = ["other_member", "other_leader", "outsider"]


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    """The words of a text, whatever line breaks the PDF put between them."""
    return " ".join(text.split())


@pytest.mark.parametrize("role", MAY_READ)
def test_everyone_who_may_open_the_print_view_can_download_the_pdf(client_for, cast, role):
    agreement = make_agreement(cast, Status.SUBMITTED)
    client = client_for(getattr(cast, role))

    assert client.get(reverse("agreements:agreement-print", args=[agreement.pk])).status_code == 200
    response = client.get(reverse("agreements:agreement-pdf", args=[agreement.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("role", REFUSED)
def test_those_who_may_not_open_the_print_view_are_not_told_the_pdf_exists(client_for, cast, role):
    agreement = make_agreement(cast, Status.SUBMITTED)
    client = client_for(getattr(cast, role))

    assert client.get(reverse("agreements:agreement-print", args=[agreement.pk])).status_code == 404
    response = client.get(reverse("agreements:agreement-pdf", args=[agreement.pk]))

    assert response.status_code == 404
    assert response["Content-Type"] != "application/pdf"


def test_an_anonymous_visitor_is_sent_to_log_in(client, cast):
    agreement = make_agreement(cast, Status.ACTIVE)

    response = client.get(reverse("agreements:agreement-pdf", args=[agreement.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_other_workplaces_leader_cannot_download_a_draft(client_for, cast):
    agreement = make_agreement(cast, Status.DRAFT)

    assert (
        client_for(cast.other_leader).get(reverse("agreements:agreement-pdf", args=[agreement.pk])).status_code == 404
    )
    assert client_for(cast.leader).get(reverse("agreements:agreement-pdf", args=[agreement.pk])).status_code == 200


def test_the_pdf_is_an_attachment_named_after_the_workplace_and_period_and_never_cached(client_for, cast):
    agreement = make_agreement(cast, Status.ACTIVE)

    response = client_for(cast.leader).get(reverse("agreements:agreement-pdf", args=[agreement.pk]))

    year = agreement.period_start.year
    assert (
        response["Content-Disposition"] == f'attachment; filename="udviklingsaftale-boernehuset-solsikken-{year}.pdf"'
    )
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_a_file_name_is_ascii_whatever_the_workplace_and_period_are_called():
    assert ascii_slug("Søhøj Ældrecenter & Café") == "soehoej-aeldrecenter-cafe"
    assert ascii_slug("01.08.2026–31.07.2027") == "01-08-2026-31-07-2027"
    assert ascii_slug("»«") == "aftale"


def test_the_pdf_carries_the_agreements_own_header_text_and_signatures_in_danish_letters(client_for, cast):
    agreement = make_agreement(cast, Status.ACTIVE)
    version = agreement.versions.order_by("-number").first()
    signatures = list(agreement.signatures.all())
    assert signatures

    text = _flat(_pdf_text(client_for(cast.chair).get(reverse("agreements:agreement-pdf", args=[agreement.pk]))))

    assert settings.PORTAL_MUNICIPALITY_NAME.upper() in text.upper()
    assert "Udviklingsaftale" in text
    assert "mellem Børne- og Ungeudvalget og Børnehuset Solsikken" in text
    assert f"Periode: 1. januar {agreement.period_start.year}–31. december {agreement.period_start.year}" in text
    assert f"Status: {agreement.get_status_display()}" in text
    assert f"version {version.number}" in text
    assert "Vi giver børn en tryg hverdag med leg og læring." in text
    assert "Underskrifter" in text
    for signature in signatures:
        assert signature.typed_name in text
    assert version.fingerprint in text.replace(" ", "")


def test_the_pdf_embeds_its_font_so_danish_letters_and_dashes_are_drawn(client_for, cast):
    agreement = make_agreement(cast, Status.ACTIVE)

    response = client_for(cast.leader).get(reverse("agreements:agreement-pdf", args=[agreement.pk]))

    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(io.BytesIO(response.content)).pages
        for font in page["/Resources"]["/Font"].values()
        if "/FontFile2" in font.get_object().get("/FontDescriptor", {}) or "Vera" in str(font["/BaseFont"])
    }
    assert any("Vera" in name for name in fonts), fonts


def test_the_pdf_keeps_the_words_that_were_signed_after_the_catalogue_is_reworded(client_for, cast):
    shared = _shared(cast)
    agreement = _adopting(cast, shared, Status.ACTIVE)

    _reword_in_catalogue(client_for, cast, shared)
    text = _flat(_pdf_text(client_for(cast.leader).get(reverse("agreements:agreement-pdf", args=[agreement.pk]))))

    assert OLD_TEXT in text
    assert NEW_TEXT not in text


def test_markup_in_an_agreements_text_is_printed_as_text_and_fetches_nothing(client_for, cast):
    agreement = make_agreement(cast, Status.DRAFT)
    hostile = '<img src="/etc/passwd"> <pdf:nextpage/> <a href="http://169.254.169.254/">Tom & Jerry\'s</a>'
    services.agreement_update(
        agreement=agreement, actor=cast.leader, core_task=hostile, support="Ingen.", follow_up_plan="Ved dialogmødet."
    )

    response = client_for(cast.leader).get(reverse("agreements:agreement-pdf", args=[agreement.pk]))

    assert response.status_code == 200
    text = _flat(_pdf_text(response))
    assert _flat(hostile) in text
    assert b"/Subtype /Image" not in response.content
