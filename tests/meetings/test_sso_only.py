"""DIALOG_SSO_ONLY: the roles it names must log in through the municipality's identity provider, on every way in;
and a single sign-on login is not asked for the portal's own two-factor (the provider's counts)."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.urls import reverse

from meetings import services
from tests import factories
from tests.oidc_provider import IDP_PASSWORD, log_in_through_provider, logged_in_as

pytestmark = pytest.mark.django_db

POLITICIANS_AND_ADMINISTRATORS = frozenset({"politicians", "administrators"})


def password_login(client, person, password=factories.TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": person.email, "password": password})


@pytest.mark.parametrize("role", ["chair", "member", "administrator"])
def test_politicians_and_administrators_are_pointed_to_the_municipalitys_login(
    client, cast, oidc_portal, settings, role
):
    settings.DIALOG_SSO_ONLY = POLITICIANS_AND_ADMINISTRATORS
    response = password_login(client, getattr(cast, role))
    assert response.status_code == 200
    assert "Du logger ind med kommunens login" in response.content.decode()
    assert logged_in_as(client) is None


@pytest.mark.parametrize("role", ["leader", "trio"])
def test_leaders_and_the_trio_keep_their_passwords_unless_named(client, cast, oidc_portal, settings, role):
    settings.DIALOG_SSO_ONLY = POLITICIANS_AND_ADMINISTRATORS
    response = password_login(client, getattr(cast, role))
    assert response.status_code == 302
    assert logged_in_as(client) == getattr(cast, role)


def test_leaders_must_use_the_municipalitys_login_when_named(client, cast, oidc_portal, settings):
    settings.DIALOG_SSO_ONLY = frozenset({"leaders"})
    password_login(client, cast.leader)
    assert logged_in_as(client) is None
    password_login(client, cast.chair)
    assert logged_in_as(client) == cast.chair


def test_a_wrong_password_gets_the_usual_answer_and_tells_nothing_of_roles(client, cast, oidc_portal, settings):
    settings.DIALOG_SSO_ONLY = POLITICIANS_AND_ADMINISTRATORS
    page = password_login(client, cast.chair, password="forkert").content.decode()
    assert "kommunens login og ikke" not in page
    assert "E-mailadressen eller adgangskoden er forkert." in page


def test_the_politician_gets_in_through_the_provider(client, cast, oidc_portal, settings):
    settings.DIALOG_SSO_ONLY = POLITICIANS_AND_ADMINISTRATORS
    oidc_portal.set_account("anne", password=IDP_PASSWORD, email=cast.chair.email)
    response = log_in_through_provider(client, "anne")
    assert response["Location"] == reverse("home")
    assert logged_in_as(client) == cast.chair


def test_a_set_password_link_does_not_log_in_someone_who_must_use_the_provider(client, cast, oidc_portal, settings):
    settings.DIALOG_SSO_ONLY = POLITICIANS_AND_ADMINISTRATORS
    path = services.invitation_url(cast.chair).split("localhost:8000", 1)[1]
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"password1": "Solsikke-Udsigt-77", "password2": "Solsikke-Udsigt-77"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert logged_in_as(client) is None
    page = client.get(reverse("account_login")).content.decode()
    assert "Du logger ind med kommunens login" in page


def test_the_invitation_points_someone_who_must_use_the_provider_to_the_login_page(cast, oidc_portal, settings):
    settings.DIALOG_SSO_ONLY = POLITICIANS_AND_ADMINISTRATORS
    services.invitation_send(user=cast.member)
    services.invitation_send(user=cast.leader)
    to_member, to_leader = mail.outbox
    assert "/konto/login/" in to_member.body
    assert "/konto/password/reset/key/" not in to_member.body
    assert "Testkommunens login" in to_member.body
    assert re.search(r"/konto/password/reset/key/\S+/", to_leader.body)


def test_a_politician_logged_in_through_the_provider_is_not_sent_to_set_up_two_factor(
    client, cast, oidc_portal, settings
):
    settings.DIALOG_REQUIRE_MFA = True
    oidc_portal.set_account("anne", password=IDP_PASSWORD, email=cast.chair.email)
    log_in_through_provider(client, "anne")
    assert client.get(reverse("meetings:committee-list")).status_code == 200


def test_a_politician_logged_in_with_a_password_must_still_set_up_two_factor(client, cast, oidc_portal, settings):
    settings.DIALOG_REQUIRE_MFA = True
    password_login(client, cast.chair)
    response = client.get(reverse("meetings:committee-list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_portals_two_factor_code_is_not_asked_after_the_providers_login(client, cast, oidc_portal):
    TOTP.activate(cast.chair, "JBSWY3DPEHPK3PXP")
    oidc_portal.set_account("anne", password=IDP_PASSWORD, email=cast.chair.email)
    response = log_in_through_provider(client, "anne")
    assert response["Location"] == reverse("home")
    assert logged_in_as(client) == cast.chair


def test_the_portals_two_factor_code_is_still_asked_after_a_password(client, cast, oidc_portal):
    TOTP.activate(cast.chair, "JBSWY3DPEHPK3PXP")
    response = password_login(client, cast.chair)
    assert response["Location"] == reverse("mfa_authenticate")
    assert logged_in_as(client) is None
