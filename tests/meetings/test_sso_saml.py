"""Single sign-on through SAML (AD FS, KOMBIT's Context Handler): the portal's AuthnRequest, a Response from the test
identity provider (tests/saml_idp.py) posted to allauth's assertion consumer service, and what the portal believes."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from meetings.models import User
from tests import saml_idp
from tests.oidc_provider import configure_portal

pytestmark = pytest.mark.django_db

SAML_ID = "testidp"
SAML_NAME = "Kommunens AD FS"
PORTAL_HOST = "dialog.dalby.example"


@pytest.fixture(scope="module")
def idp_keys() -> saml_idp.KeyPair:
    return saml_idp.KeyPair.make()


@pytest.fixture
def saml_portal(settings, idp_keys, client):
    # The Host header every browser sends (python3-saml builds the portal's addresses from it, and refuses
    # single-label names such as Django's "testserver").
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, PORTAL_HOST]
    client.defaults["HTTP_HOST"] = PORTAL_HOST
    configure_portal(
        settings,
        oidc=[],
        saml=[
            {
                "id": SAML_ID,
                "name": SAML_NAME,
                "entity_id": saml_idp.ENTITY_ID,
                "sso_url": saml_idp.SSO_URL,
                "x509cert": idp_keys.cert_body,
                "verified_email_domains": ["dalby.example"],
            }
        ],
    )
    return idp_keys


def start_login(client) -> saml_idp.AuthnRequest:
    response = client.post(reverse("saml_login", kwargs={"organization_slug": SAML_ID}))
    assert response.status_code == 302, response.content[:500]
    return saml_idp.read_authn_request(response["Location"])


def post_to_acs(client, xml: bytes, relay_state: str = ""):
    """The browser posts the identity provider's answer to the portal, which finishes the login on its own page."""
    response = client.post(
        reverse("saml_acs", kwargs={"organization_slug": SAML_ID}),
        {"SAMLResponse": saml_idp.encode(xml), "RelayState": relay_state},
    )
    assert response.status_code == 302
    return client.get(response["Location"])


def logged_in_as(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_login_page_shows_the_saml_provider_by_name(client, saml_portal):
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("saml_login", kwargs={"organization_slug": SAML_ID}) in page
    assert SAML_NAME in page


def test_the_portals_request_names_its_assertion_consumer_service(client, saml_portal):
    request = start_login(client)
    assert request.acs_url == f"http://{PORTAL_HOST}" + reverse("saml_acs", kwargs={"organization_slug": SAML_ID})
    assert request.request_id


def test_a_signed_assertion_logs_in_the_existing_person(client, cast, saml_portal):
    request = start_login(client)
    xml = saml_idp.build_response(request, subject="oid-chair", email=cast.chair.email, keys=saml_portal)
    response = post_to_acs(client, xml, request.relay_state)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_as(client) == cast.chair
    assert SocialAccount.objects.get(provider=SAML_ID).uid == "oid-chair"


def test_later_saml_logins_match_by_subject_not_by_email(client, cast, saml_portal):
    request = start_login(client)
    post_to_acs(client, saml_idp.build_response(request, subject="oid-chair", email=cast.chair.email, keys=saml_portal))
    client.logout()
    request = start_login(client)
    xml = saml_idp.build_response(request, subject="oid-chair", email=cast.member.email, keys=saml_portal)
    post_to_acs(client, xml)
    assert logged_in_as(client) == cast.chair


def test_an_unsigned_assertion_is_refused(client, cast, saml_portal):
    request = start_login(client)
    xml = saml_idp.build_response(request, subject="oid-chair", email=cast.chair.email, keys=None)
    response = post_to_acs(client, xml)
    assert logged_in_as(client) is None
    assert 'data-testid="sso-error"' in response.content.decode()
    assert not SocialAccount.objects.exists()


def test_an_assertion_changed_after_signing_is_refused(client, cast, saml_portal):
    request = start_login(client)
    xml = saml_idp.build_response(request, subject="oid-member", email=cast.member.email, keys=saml_portal)
    response = post_to_acs(client, saml_idp.tamper(xml, cast.member.email, cast.administrator.email))
    assert logged_in_as(client) is None
    assert 'data-testid="sso-error"' in response.content.decode()


def test_an_assertion_signed_with_another_key_is_refused(client, cast, saml_portal):
    request = start_login(client)
    xml = saml_idp.build_response(request, subject="oid-chair", email=cast.chair.email, keys=saml_idp.KeyPair.make())
    post_to_acs(client, xml)
    assert logged_in_as(client) is None


def test_an_assertion_for_another_service_is_refused(client, cast, saml_portal):
    request = start_login(client)
    xml = saml_idp.build_response(
        request, subject="oid-chair", email=cast.chair.email, keys=saml_portal, audience="https://other.example/sp"
    )
    post_to_acs(client, xml)
    assert logged_in_as(client) is None


def test_an_unsolicited_assertion_is_refused(client, cast, saml_portal):
    acs = f"http://{PORTAL_HOST}" + reverse("saml_acs", kwargs={"organization_slug": SAML_ID})
    sp_entity = f"http://{PORTAL_HOST}" + reverse("saml_metadata", kwargs={"organization_slug": SAML_ID})
    xml = saml_idp.build_response(
        None, subject="oid-chair", email=cast.chair.email, keys=saml_portal, acs_url=acs, audience=sp_entity
    )
    post_to_acs(client, xml)
    assert logged_in_as(client) is None


def test_an_unknown_person_is_refused_by_saml_too(client, cast, saml_portal):
    request = start_login(client)
    xml = saml_idp.build_response(request, subject="oid-x", email="ukendt@dalby.example", keys=saml_portal)
    response = post_to_acs(client, xml)
    assert response.status_code == 403
    assert 'data-reason="unknown"' in response.content.decode()
    assert logged_in_as(client) is None


def test_the_portal_publishes_its_service_provider_metadata(client, saml_portal):
    response = client.get(reverse("saml_metadata", kwargs={"organization_slug": SAML_ID}))
    assert response.status_code == 200
    assert b"AssertionConsumerService" in response.content
    assert reverse("saml_acs", kwargs={"organization_slug": SAML_ID}).encode() in response.content
