"""The catalogue speaks DANISH.md's words (section 3, "Corrections the catalogue needs today"): one word per concept,
"kommentering" for an agreement's comment round (with "høring" kept for hearings), plurals through ngettext, a
context where one English word has two meanings, »…« quotes, and e-mails signed off by the secretariat."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from core.mail import send_templated_mail

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/da/LC_MESSAGES/django.po"


@pytest.fixture
def danish():
    with translation.override("da"):
        yield


def test_the_agreement_s_comment_round_is_kommentering_and_hearings_keep_hoering(danish):
    assert translation.gettext("In consultation") == "Til kommentering"
    assert translation.gettext("Send to consultation") == "Send til kommentering"
    assert translation.gettext("In hearing") == "I høring"


def test_the_agreement_s_statuses_read_as_the_house_style_asks(danish):
    assert translation.gettext("Submitted to the committee") == "Hos udvalget"
    assert translation.gettext("Resubmitted") == "Sendt igen"
    assert translation.gettext("Changes requested") == "Udvalget ønsker ændringer"
    assert translation.gettext("Active") == "Gældende"
    assert translation.gettext("Start an amendment") == "Start en revision"


def test_the_leader_is_a_leader_and_the_codex_is_published_not_released(danish):
    assert translation.gettext("Workplace leader") == "Leder"
    assert translation.gettext("Published") == "Offentliggjort"
    assert translation.gettext("Publish") == "Offentliggør"
    assert translation.gettext("Mirror questions") == "Spørgsmål om tillid"
    assert translation.gettext("Withdraw your signature") == "Træk din underskrift tilbage"


def test_a_word_with_two_meanings_is_translated_by_its_context(danish):
    assert translation.gettext("Change") == "Skift"
    assert translation.pgettext("edit", "Change") == "Ret"
    assert translation.gettext("Reason") == "Begrundelse"
    assert translation.pgettext("import column", "Reason") == "Problem"


def test_broken_rules_are_counted_with_the_right_plural(danish):
    one = translation.ngettext("%(counter)s broken rule", "%(counter)s broken rules", 1) % {"counter": 1}
    assert one == "1 regelbrud"
    subject_line = translation.ngettext(
        "%(committee)s %(year)s: %(broken)s broken rule", "%(committee)s %(year)s: %(broken)s broken rules", 1
    ) % {"committee": "Kulturudvalget", "year": 2027, "broken": 1}
    assert subject_line == "Kulturudvalget 2027: 1 regelbrud"


def test_the_old_words_are_gone_from_the_catalogue():
    translations = "\n".join(
        line for line in CATALOGUE.read_text(encoding="utf-8").splitlines() if line.startswith(("msgstr", '"'))
    )
    for old in ("Kladde", "Virksomhedsleder", "Spejlspørgsmål", "Udgivet", "Indsendt", "Genindsendt", "tillæg", "„"):
        assert old not in translations, old
    assert not re.search(r"\bSend i høring\b|\bbrudte regler\b|\bretfærdighedstal", translations)


@pytest.mark.django_db
def test_the_committee_page_says_when_it_usually_meets_in_danish(client, cast):
    cast.committee.meeting_weekday = 2
    cast.committee.meeting_start = "16:00"
    cast.committee.meeting_minutes = 180
    cast.committee.save()
    client.force_login(cast.member)
    page = client.get(reverse("meetings:committee-detail", args=[cast.committee.slug]), HTTP_ACCEPT_LANGUAGE="da")
    assert "Holder normalt møde om tirsdagen kl. 16.00–19.00." in page.content.decode()


@pytest.mark.django_db
def test_an_agreement_notice_is_signed_by_the_secretariat_and_the_municipality(cast, settings):
    settings.PORTAL_MUNICIPALITY_NAME = "Dalby Kommune"
    send_templated_mail(
        "meetings/email/visit_cancelled",
        to=[cast.chair.email],
        language="da",
        context={"person": cast.chair, "visit": None},
    )
    body = mail.outbox[-1].body
    assert "Venlig hilsen\nSekretariatet for Dialogportalen\nDalby Kommune" in body
    assert "Venlig hilsen Dialogportalen" not in body
