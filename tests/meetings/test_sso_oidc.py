"""Single sign-on through OpenID Connect, end to end against a real OpenID provider (tests/oidc_provider).

The portal (Django's test client) talks to the provider over HTTP for discovery, the token, its keys and user info;
the test plays the person's browser at the provider (its login form) with ``requests``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.urls import reverse

from core.models import AuditEntry
from meetings.models import User
from tests import factories
from tests.oidc_provider import (
    IDP_PASSWORD,
    PROVIDER_ID,
    PROVIDER_NAME,
    log_in_through_provider,
    logged_in_as,
    sign_in_at_provider,
    start_login,
)

pytestmark = pytest.mark.django_db


def test_login_page_shows_a_button_for_each_provider_by_name(client, oidc_portal):
    response = client.get(reverse("account_login"))
    page = response.content.decode()
    assert f"Log ind med {PROVIDER_NAME}" in page
    assert reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID}) in page


def test_login_page_without_providers_shows_only_the_password_form(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "kommunens login" not in page
    assert 'name="password"' in page


def test_existing_person_is_linked_by_the_verified_email_on_the_first_login(
    client, cast, oidc_portal, django_capture_on_commit_callbacks
):
    oidc_portal.set_account("anne", password=IDP_PASSWORD, email=cast.chair.email.upper(), name="Anne Chair")
    with django_capture_on_commit_callbacks(execute=True):
        response = log_in_through_provider(client, "anne")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_as(client) == cast.chair
    link = SocialAccount.objects.get(provider=PROVIDER_ID)
    assert (link.user, link.uid) == (cast.chair, "anne")
    assert AuditEntry.objects.filter(action="account.sso_linked", object_id=str(cast.chair.pk)).exists()
    assert [message.to for message in mail.outbox] == [[cast.chair.email]]
    assert PROVIDER_NAME in mail.outbox[0].subject


def test_the_login_returns_to_the_page_the_person_came_from(client, cast, oidc_portal):
    oidc_portal.set_account("anne", password=IDP_PASSWORD, email=cast.chair.email)
    target = reverse("meetings:calendar-detail")
    response = log_in_through_provider(client, "anne", next_url=target)
    assert response["Location"] == target


def test_later_logins_match_by_subject_when_the_email_changes_at_the_provider(client, cast, oidc_portal):
    oidc_portal.set_account("anne", password=IDP_PASSWORD, email=cast.chair.email)
    log_in_through_provider(client, "anne")
    client.logout()
    # At the provider, Anne's address becomes another portal person's: she must still be herself, never the other.
    oidc_portal.set_account("anne", password=IDP_PASSWORD, email=cast.member.email)
    response = log_in_through_provider(client, "anne")
    assert response.status_code == 302
    assert logged_in_as(client) == cast.chair
    assert SocialAccount.objects.get(provider=PROVIDER_ID, uid="anne").user == cast.chair
    assert not SocialAccount.objects.filter(user=cast.member).exists()
    cast.chair.refresh_from_db()
    assert cast.chair.email == "chair@dalby.example"  # the portal's login address is the secretariat's to change


def test_unknown_person_is_refused_in_danish_and_nobody_is_created(client, cast, oidc_portal):
    oidc_portal.set_account("ukendt", password=IDP_PASSWORD, email="ukendt@dalby.example")
    people = User.objects.count()
    response = log_in_through_provider(client, "ukendt")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Vi kan ikke finde dig i Dialogportalen" in page
    assert logged_in_as(client) is None
    assert User.objects.count() == people
    assert not SocialAccount.objects.exists()


def test_an_address_the_provider_has_not_verified_links_nobody(client, cast, oidc_portal):
    oidc_portal.set_account("anne", password=IDP_PASSWORD, email=cast.chair.email, email_verified=False)
    response = log_in_through_provider(client, "anne")
    assert response.status_code == 403
    assert 'data-reason="no_verified_email"' in response.content.decode()
    assert logged_in_as(client) is None
    assert not SocialAccount.objects.exists()


def test_addresses_in_the_providers_verified_domains_count_as_verified(client, cast, oidc_portal, settings):
    from tests.oidc_provider import configure_portal

    configure_portal(settings, oidc_portal.portal_config(verified_email_domains=["dalby.example"]))
    oidc_portal.set_account("anne", password=IDP_PASSWORD, email=cast.chair.email, email_verified=False)
    log_in_through_provider(client, "anne")
    assert logged_in_as(client) == cast.chair


def test_a_second_subject_with_a_linked_persons_address_is_refused(client, cast, oidc_portal):
    oidc_portal.set_account("anne", password=IDP_PASSWORD, email=cast.chair.email)
    log_in_through_provider(client, "anne")
    client.logout()
    oidc_portal.set_account("anne2", password=IDP_PASSWORD, email=cast.chair.email)
    response = log_in_through_provider(client, "anne2")
    assert response.status_code == 403
    assert 'data-reason="already_linked"' in response.content.decode()
    assert logged_in_as(client) is None
    assert list(SocialAccount.objects.values_list("uid", flat=True)) == ["anne"]


def test_a_subject_the_secretariat_registered_logs_in_without_any_email(client, cast, oidc_portal):
    from meetings.sso import sso_link_register

    sso_link_register(person=cast.leader, provider_id=PROVIDER_ID, subject="lene", actor=cast.administrator)
    oidc_portal.set_account("lene", password=IDP_PASSWORD, email="privat@andet.example", email_verified=False)
    log_in_through_provider(client, "lene")
    assert logged_in_as(client) == cast.leader


def test_an_inactive_person_is_refused_even_when_linked(client, cast, oidc_portal):
    oidc_portal.set_account("anne", password=IDP_PASSWORD, email=cast.chair.email)
    log_in_through_provider(client, "anne")
    client.logout()
    User.objects.filter(pk=cast.chair.pk).update(is_active=False)
    response = log_in_through_provider(client, "anne")
    assert response.status_code == 403
    assert 'data-reason="inactive"' in response.content.decode()
    assert logged_in_as(client) is None


def test_a_login_never_gives_rights(client, oidc_portal):
    person = factories.UserFactory(email="ny@dalby.example")
    oidc_portal.set_account("ny", password=IDP_PASSWORD, email=person.email)
    log_in_through_provider(client, "ny")
    person.refresh_from_db()
    assert logged_in_as(client) == person
    assert (person.is_staff, person.is_superuser) == (False, False)
    assert person.roles.labels() == []


def test_a_logged_in_person_cannot_connect_another_login_to_their_account(client_for, cast, oidc_portal):
    client = client_for(cast.leader)
    oidc_portal.set_account("anne", password=IDP_PASSWORD, email=cast.chair.email)
    path = reverse("openid_connect_login", kwargs={"provider_id": PROVIDER_ID})
    callback = sign_in_at_provider(client.post(path, {"process": "connect"})["Location"], "anne")
    parts = urlsplit(callback)
    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 403
    assert 'data-reason="connect"' in response.content.decode()
    assert not SocialAccount.objects.exists()


def test_several_providers_each_get_their_own_button_in_the_order_of_their_names(client, oidc_portal, settings):
    from tests.oidc_provider import configure_portal

    second = {**oidc_portal.portal_config()[0], "id": "skoler", "name": "Skolernes login"}
    configure_portal(settings, [*oidc_portal.portal_config(), second])
    page = client.get(reverse("account_login")).content.decode()
    assert page.index("Log ind med Skolernes login") < page.index(f"Log ind med {PROVIDER_NAME}")
    assert reverse("openid_connect_login", kwargs={"provider_id": "skoler"}) in page
    assert start_login(client).startswith(oidc_portal.issuer)


def test_the_id_tokens_claims_serve_when_the_user_info_endpoint_is_not_asked(client, cast, oidc_portal, settings):
    from tests.oidc_provider import configure_portal

    configure_portal(settings, oidc_portal.portal_config(userinfo=False))
    oidc_portal.set_account("anne", password=IDP_PASSWORD, email=cast.chair.email)
    log_in_through_provider(client, "anne")
    assert logged_in_as(client) == cast.chair
    assert SocialAccount.objects.get().extra_data == {"email": cast.chair.email}
