"""The codex pages for a screen reader: Danish words marked Danish, and a failed form that says where and what."""

import re

import pytest
from django.conf import settings

from codex.models import MirrorQuestion

from .conftest import held_meeting

pytestmark = pytest.mark.django_db


def test_the_codex_text_is_marked_danish_in_the_english_interface(client, cast, version):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/kodeks/").content.decode()
    assert '<html lang="en">' in html
    assert re.search(r'<h2 id="codex-title-\d+" lang="da">Kodeks for tillid</h2>', html)
    assert '<h4 class="h6 mt-3" lang="da">' in html


def test_a_failed_signature_says_error_in_the_title_and_links_each_error_to_its_field(client, cast, version):
    client.force_login(cast.member)
    html = client.post("/kodeks/underskriv/", {"typed_name": ""}).content.decode()
    assert "<title>Fejl: " in html
    summary = html[html.index('id="error-summary"') :]
    assert 'href="#id_has_read"' in summary and 'href="#id_typed_name"' in summary
    assert re.search(r'id="id_typed_name"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="id_typed_name"', html)


def test_a_signature_page_without_errors_has_no_error_summary(client, cast, version):
    client.force_login(cast.member)
    html = client.get("/kodeks/underskriv/").content.decode()
    assert 'id="error-summary"' not in html and "<title>Fejl:" not in html
    assert "* = skal udfyldes" in html


def test_an_empty_mirror_answer_marks_every_statement_invalid_and_described_by_the_error(client, cast, version):
    meeting = held_meeting(cast)
    first = MirrorQuestion.objects.create(version=version, text="Vi lyttede til hinanden.", order=1)
    MirrorQuestion.objects.create(version=version, text="Vi talte om det, der betyder noget.", order=2)
    client.force_login(cast.chair)
    response = client.post(f"/moeder/{meeting.pk}/spejl/", {})
    html = response.content.decode()
    assert response.status_code == 200
    radios = re.findall(r"<input[^>]*type=\"radio\"[^>]*>", html)
    assert radios and all('aria-invalid="true"' in radio for radio in radios)
    assert all('aria-describedby="non-field-errors"' in radio for radio in radios)
    assert 'id="non-field-errors"' in html
    assert f'href="#id_q{first.pk}_0"' in html
