"""Failed-login limits behind a load balancer: one client's failures never lock out another, a forged
X-Forwarded-For does not dodge the limit, and the owner gets in (by an e-mailed link) after an attacker has used up
the account's limit, while wrong passwords stay refused."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, hotp_value
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
PROXY = "10.0.0.1"  # the load balancer, as the portal sees every connection
ROOT = Path(__file__).resolve().parents[2]
NEW_PASSWORD = "Ny-Sikker-Kode-2026"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "10/m/ip,5/5m/key"}


def post_login(email: str, password: str, *, client: Client | None = None, forwarded_for: str | None = None):
    client = client or Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the texts below are asserted in English
    headers = {"REMOTE_ADDR": PROXY}
    if forwarded_for:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    response = client.post(LOGIN, {"login": email, "password": password}, **headers)
    return client, response


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_proxy_count_and_header_come_from_the_environment():
    code = "import django;django.setup();from allauth import app_settings as a;print(a.TRUSTED_PROXY_COUNT)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dialog_portal.settings"}
    default = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    behind_one = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DIALOG_TRUSTED_PROXY_COUNT": "1"},
        capture_output=True,
        text=True,
    )

    assert default.stdout.split() == ["0"]
    assert behind_one.stdout.split() == ["1"]


def test_behind_one_proxy_an_attackers_failures_do_not_lock_out_another_client(settings, cast):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for n in range(10):  # ten accounts, so only the address's limit fills up
        post_login(f"guess{n}@dalby.example", "forkert", client=attacker, forwarded_for="203.0.113.9")

    _, refused = post_login("guess@dalby.example", "forkert", client=attacker, forwarded_for="203.0.113.9")
    colleague, response = post_login(cast.chair.email, factories.TEST_PASSWORD, forwarded_for="198.51.100.7")

    assert "You have tried too many times" in refused.content.decode()
    assert response.status_code == 302
    assert logged_in(colleague)


def test_a_forged_forwarded_for_header_does_not_dodge_the_address_limit_without_a_trusted_proxy(settings, cast):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for n in range(10):
        post_login(f"guess{n}@dalby.example", "forkert", forwarded_for=f"192.0.2.{n}")

    _, response = post_login("guess@dalby.example", "forkert", forwarded_for="192.0.2.200")
    owner, _ = post_login(cast.chair.email, factories.TEST_PASSWORD, forwarded_for="192.0.2.201")

    assert "You have tried too many times" in response.content.decode()
    assert not logged_in(owner)  # the same connection: the header counts for nothing


def test_a_request_that_skipped_a_trusted_proxy_is_counted_by_its_connection_not_answered_with_an_error(settings, cast):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2

    client, response = post_login(cast.chair.email, factories.TEST_PASSWORD, forwarded_for="198.51.100.7")

    assert response.status_code == 302
    assert logged_in(client)


def test_the_owner_gets_in_by_the_emailed_link_after_an_attacker_used_up_the_accounts_limit(
    settings, cast, django_capture_on_commit_callbacks
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(5):  # five addresses of a botnet, one account
        post_login(cast.leader.email, f"gæt-{n}", forwarded_for=f"203.0.113.{n}")
    _, wrong = post_login(cast.leader.email, "gæt-6", forwarded_for="203.0.113.6")

    with django_capture_on_commit_callbacks(execute=True):
        owner, right = post_login(cast.leader.email, factories.TEST_PASSWORD, forwarded_for="198.51.100.7")

    # Wrong and right passwords get the same answer: a guesser learns nothing.
    protected = "so it is protected for a while"
    assert protected in wrong.content.decode() and protected in right.content.decode()
    assert not logged_in(owner)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [cast.leader.email]
    link = re.search(r"https?://\S+(/konto/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    assert AuditEntry.objects.filter(action="account.protected_login_link_sent", object_id=str(cast.leader.pk)).exists()

    form = owner.get(link, follow=True)
    done = owner.post(form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.status_code == 302
    assert logged_in(owner)
    again, response = post_login(cast.leader.email, NEW_PASSWORD, forwarded_for="198.51.100.7")
    assert response.status_code == 302 and logged_in(again)  # the account's count is cleared


def test_past_the_accounts_limit_a_wrong_password_sends_nothing_and_the_link_is_sent_once(
    settings, cast, django_capture_on_commit_callbacks
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        post_login(cast.trio.email, "forkert", forwarded_for=f"203.0.113.{n}")

    with django_capture_on_commit_callbacks(execute=True):
        post_login(cast.trio.email, "stadig-forkert", forwarded_for="203.0.113.50")
        assert mail.outbox == []
        post_login(cast.trio.email, factories.TEST_PASSWORD, forwarded_for="198.51.100.7")
        post_login(cast.trio.email, factories.TEST_PASSWORD, forwarded_for="198.51.100.7")

    assert len(mail.outbox) == 1


def test_an_owner_with_two_factor_still_gives_the_code_after_the_emailed_link(
    settings, cast, django_capture_on_commit_callbacks
):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(cast.chair, secret)
    for n in range(5):
        post_login(cast.chair.email, "forkert", forwarded_for=f"203.0.113.{n}")
    with django_capture_on_commit_callbacks(execute=True):
        owner, _ = post_login(cast.chair.email, factories.TEST_PASSWORD)
    link = re.search(r"https?://\S+(/konto/password/reset/key/\S+/)", mail.outbox[0].body).group(1)

    form = owner.get(link, follow=True)
    done = owner.post(form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert done.url == reverse("mfa_authenticate")
    assert not logged_in(owner)
    owner.post(reverse("mfa_authenticate"), {"code": f"{hotp_value(secret, int(time.time()) // 30):06d}"})
    assert logged_in(owner)


def test_the_limit_message_is_danish(settings, cast):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "1/m/ip"}
    client = Client()
    client.post(LOGIN, {"login": cast.chair.email, "password": "forkert"}, HTTP_ACCEPT_LANGUAGE="da")

    response = client.post(LOGIN, {"login": cast.chair.email, "password": "forkert"}, HTTP_ACCEPT_LANGUAGE="da")

    assert "Du har prøvet for mange gange. Vent lidt, og prøv igen." in response.content.decode()
