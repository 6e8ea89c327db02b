"""The agreement's own words are Danish: marked lang="da" in the English interface, where the labels are English."""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_the_agreements_text_is_marked_danish_in_the_english_interface(client, cast, agreement):
    client.force_login(cast.leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(agreement.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html
    assert '<p lang="da">Vi giver børn en tryg hverdag med leg og læring.</p>' in html
    assert re.search(r'1\. <span lang="da">Mål 1</span>', html)
    assert re.search(r'<dt class="col-sm-4">Indicator</dt><dd class="col-sm-8" lang="da">', html)


def test_the_agreement_list_names_each_link_with_its_period(client, cast, agreement):
    client.force_login(cast.leader)
    html = client.get("/udviklingsaftaler/").content.decode()
    assert re.search(r'Børnehuset Solsikken<span class="visually-hidden">, [^<]+</span></a>', html)
    assert 'aria-labelledby="agreements-caption"' in html and 'id="agreements-caption"' in html
