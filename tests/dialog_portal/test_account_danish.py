"""allauth in the portal's Danish: its messages and pages in DANISH.md's words, and its e-mails sent through the
outbox, branded with the municipality's name (meetings/account_mail.py, dialog_portal/third_party_texts.py)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from core.models import OutboxMessage
from meetings.services import invitation_url
from tests import factories

pytestmark = pytest.mark.django_db

STIFF = re.compile(r"[Pp]assword|succesfuldt|med success|[Ee]mail\b|Emailadresse|autentific|venligst|Ugyldigt token")


def _visible(response) -> str:
    html = response.content.decode()
    return re.sub(r"<[^>]+>", " ", html[html.index("<body") :])


def test_logging_in_and_out_is_said_plainly(client, cast):
    response = client.post(
        reverse("account_login"), {"login": cast.chair.email, "password": factories.TEST_PASSWORD}, follow=True
    )
    assert "Du er logget ind som" in _visible(response) and "Loggede" not in _visible(response)
    asked = client.get(reverse("account_logout"))
    assert "Vil du logge ud?" in _visible(asked)
    done = client.post(reverse("account_logout"), follow=True)
    assert "Du er logget ud." in _visible(done)


def test_the_password_reset_pages_speak_of_adgangskode(client, cast, django_capture_on_commit_callbacks):
    page = client.get(reverse("account_reset_password"))
    assert "Nulstil adgangskode" in _visible(page) and not STIFF.search(_visible(page))
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("account_reset_password"), {"email": cast.leader.email}, follow=True)
    assert not STIFF.search(_visible(done))


def test_the_invitation_page_asks_to_choose_a_password_in_danish(client, cast):
    page = client.get(invitation_url(cast.leader).removeprefix("http://testserver"), follow=True)
    text = _visible(page)
    assert "Skift adgangskode" in text or "Vælg adgangskode" in text
    assert "Ændr password" not in text and not STIFF.search(text)


def test_a_password_reset_mail_goes_through_the_outbox_in_the_portal_s_words(
    client, cast, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_MUNICIPALITY_NAME = "Dalby Kommune"
    settings.PORTAL_SECRETARIAT_EMAIL = "sekretariat@dalby.example"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("account_reset_password"), {"email": cast.leader.email})
    queued = OutboxMessage.objects.get(handler="meetings.account_mail.account_mail_send")
    assert queued.kwargs == {"kind": "password_reset", "email": cast.leader.email, "user_id": cast.leader.pk}
    assert mail.outbox == []  # nothing is sent from the web process
    for callback in callbacks:
        callback()
    queued.refresh_from_db()
    assert queued.delivered_at is not None
    (message,) = mail.outbox
    assert message.to == [cast.leader.email]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.subject == "Vælg en ny adgangskode til Dialogportalen – Dalby Kommune"
    assert message.body.startswith(f"Kære {cast.leader.full_name}\n")
    assert "Venlig hilsen\nSekretariatet for Dialogportalen\nDalby Kommune" in message.body
    assert "sekretariat@dalby.example" in message.body
    assert not STIFF.search(re.sub(r"http\S+", "", message.subject + message.body))
    link = re.search(r"http://\S+/konto/password/reset/key/\S+/", message.body).group(0)
    assert client.get(link.removeprefix(settings.PORTAL_BASE_URL), follow=True).status_code == 200
    html = message.alternatives[0][0]
    assert "Dalby Kommune" in html and 'lang="da"' in html


def test_a_reset_for_an_unknown_address_says_so_and_offers_no_sign_up(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "ukendt@dalby.example"})
    (message,) = mail.outbox
    assert message.to == ["ukendt@dalby.example"]
    assert message.subject.startswith("Ingen konto i Dialogportalen har denne e-mailadresse")
    assert "/konto/signup/" not in message.body and "Du kan ikke selv oprette en konto" in message.body


def test_the_reset_mail_follows_the_person_s_language(client, cast, django_capture_on_commit_callbacks):
    cast.trio.language = "en"
    cast.trio.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": cast.trio.email})
    (message,) = mail.outbox
    assert message.subject.startswith("Choose a new password for Dialogportalen")


def test_a_person_who_left_gets_no_reset_mail_from_a_queued_message(cast):
    from meetings.account_mail import account_mail_send

    cast.outsider.is_active = False
    cast.outsider.save()
    assert account_mail_send(kind="password_reset", email=cast.outsider.email, user_id=cast.outsider.pk) is False
    assert mail.outbox == []


def test_a_wrong_password_and_a_missing_field_are_said_in_danish_words(client, cast):
    wrong = client.post(reverse("account_login"), {"login": cast.chair.email, "password": "forkert"})
    assert "E-mailadressen eller adgangskoden er forkert." in _visible(wrong)
    empty = client.post(reverse("account_login"), {"login": cast.chair.email, "password": ""})
    assert "Udfyld feltet." in _visible(empty)
    assert empty.context["form"]["login"].value() == cast.chair.email


def test_an_e_mail_confirmation_is_queued_and_carries_a_fresh_working_link(
    client, rf, cast, settings, django_capture_on_commit_callbacks
):
    from allauth.account.adapter import get_adapter
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    address = EmailAddress.objects.create(user=cast.member, email=cast.member.email, primary=True, verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        get_adapter().send_confirmation_mail(rf.get("/"), EmailConfirmationHMAC(address), signup=False)
    queued = OutboxMessage.objects.get(handler="meetings.account_mail.account_mail_send")
    assert queued.kwargs == {"kind": "email_confirmation", "email": cast.member.email, "user_id": cast.member.pk}
    (message,) = mail.outbox
    assert message.subject.startswith("Bekræft din e-mailadresse til Dialogportalen")
    link = re.search(r"http://\S+/konto/confirm-email/\S+/", message.body).group(0)
    assert client.get(link.removeprefix(settings.PORTAL_BASE_URL)).status_code == 200
