"""Single sign-on around the login itself: the secretariat's links in the administration, the person's own page,
personal data, and the providers' settings checked at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from core.models import AuditEntry
from dialog_portal.privacy import person_erase, person_export
from meetings import sso_config
from tests.oidc_provider import PROVIDER_ID, PROVIDER_NAME

ROOT = Path(__file__).resolve().parents[2]

OIDC = {
    "id": "entra",
    "name": "Dalby Kommunes login",
    "server_url": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
    "client_id": "11111111-1111-1111-1111-111111111111",
    "secret": "hemmelig",
}
SAML = {
    "id": "adfs",
    "name": "Kommunens AD FS",
    "entity_id": "http://adfs.dalby.example/adfs/services/trust",
    "sso_url": "https://adfs.dalby.example/adfs/ls/",
    "x509cert": "MIIC",
}


# --- The secretariat's links ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_secretariat_registers_a_subject_for_a_person_in_the_admin(client_for, cast, oidc_portal):
    client = client_for(cast.administrator)
    response = client.post(
        reverse("admin:socialaccount_socialaccount_add"),
        {"user": cast.member.pk, "provider": PROVIDER_ID, "uid": "  oid-member "},
    )
    assert response.status_code == 302
    link = SocialAccount.objects.get()
    assert (link.user, link.provider, link.uid) == (cast.member, PROVIDER_ID, "oid-member")
    entry = AuditEntry.objects.get(action="account.sso_linked")
    assert (entry.actor_id, entry.object_id, entry.data["by"]) == (cast.administrator.pk, str(cast.member.pk), "admin")


@pytest.mark.django_db
def test_a_subject_already_linked_is_refused_in_the_admin_with_a_reason(client_for, cast, oidc_portal):
    SocialAccount.objects.create(user=cast.chair, provider=PROVIDER_ID, uid="oid-1")
    response = client_for(cast.administrator).post(
        reverse("admin:socialaccount_socialaccount_add"),
        {"user": cast.member.pk, "provider": PROVIDER_ID, "uid": "oid-1"},
    )
    assert response.status_code == 200
    assert "Det id er allerede forbundet med en person." in response.content.decode()
    assert SocialAccount.objects.get().user == cast.chair


@pytest.mark.django_db
def test_the_admin_lists_links_by_provider_name_and_never_edits_one(client_for, cast, oidc_portal):
    link = SocialAccount.objects.create(user=cast.chair, provider=PROVIDER_ID, uid="oid-1", extra_data={"email": "a@b"})
    client = client_for(cast.administrator)
    page = client.get(reverse("admin:socialaccount_socialaccount_changelist")).content.decode()
    assert PROVIDER_NAME in page
    client.post(
        reverse("admin:socialaccount_socialaccount_change", args=[link.pk]),
        {"user": cast.member.pk, "provider": PROVIDER_ID, "uid": "oid-2"},
    )
    link.refresh_from_db()
    assert (link.user, link.uid) == (cast.chair, "oid-1")


@pytest.mark.django_db
def test_removing_a_link_is_audited_and_the_next_login_links_anew(client_for, cast, oidc_portal):
    link = SocialAccount.objects.create(user=cast.chair, provider=PROVIDER_ID, uid="oid-1")
    response = client_for(cast.administrator).post(
        reverse("admin:socialaccount_socialaccount_delete", args=[link.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not SocialAccount.objects.exists()
    assert AuditEntry.objects.filter(action="account.sso_unlinked", object_id=str(cast.chair.pk)).exists()


@pytest.mark.django_db
def test_only_administrators_reach_the_links_in_the_admin(client_for, cast, oidc_portal):
    response = client_for(cast.chair).get(reverse("admin:socialaccount_socialaccount_changelist"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_providers_are_configured_in_the_environment_not_in_the_admin():
    from allauth.socialaccount.models import SocialApp, SocialToken
    from django.contrib import admin

    assert SocialApp not in admin.site._registry
    assert SocialToken not in admin.site._registry


# --- The person's own page and data ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_sees_their_linked_logins_but_cannot_change_them(client_for, cast, oidc_portal):
    SocialAccount.objects.create(user=cast.chair, provider=PROVIDER_ID, uid="oid-1")
    client = client_for(cast.chair)
    page = client.get(reverse("socialaccount_connections")).content.decode()
    assert PROVIDER_NAME in page
    assert "<form" not in page.split('id="main"', 1)[1].split("</main>", 1)[0]
    assert client.post(reverse("socialaccount_connections"), {"account": 1}).status_code == 405
    assert SocialAccount.objects.filter(user=cast.chair).exists()


@pytest.mark.django_db
def test_a_person_without_links_is_told_how_they_come(client_for, cast, oidc_portal):
    page = client_for(cast.leader).get(reverse("socialaccount_connections")).content.decode()
    assert "Den bliver forbundet, første gang du logger ind med kommunens login." in page


@pytest.mark.django_db
def test_a_persons_links_are_in_their_export_and_go_with_erasure(cast, oidc_portal):
    SocialAccount.objects.create(user=cast.leader, provider=PROVIDER_ID, uid="oid-leader", extra_data={"email": "x"})
    exported = person_export(person=cast.leader)
    assert exported["sso_logins"][0]["subject"] == "oid-leader"
    removed = person_erase(person=cast.leader, actor=cast.administrator)
    assert removed["sso_logins"] == 1
    assert not SocialAccount.objects.filter(user=cast.leader).exists()


# --- Settings ----------------------------------------------------------------------------------------------------


def test_an_entra_id_provider_becomes_an_openid_connect_app_with_pkce():
    providers = sso_config.socialaccount_providers(oidc=sso_config.oidc_providers([OIDC]), saml=[])
    app = providers["openid_connect"]["APPS"][0]
    assert (app["provider_id"], app["name"], app["client_id"]) == ("entra", OIDC["name"], OIDC["client_id"])
    assert app["settings"]["server_url"] == OIDC["server_url"]
    assert app["settings"]["oauth_pkce_enabled"] is True
    assert app["settings"]["uid_field"] == "sub"


def test_a_saml_provider_insists_on_signed_assertions_and_refuses_unsolicited_ones():
    providers = sso_config.socialaccount_providers(oidc=[], saml=sso_config.saml_providers([SAML]))
    app = providers["saml"]["APPS"][0]
    assert app["client_id"] == "adfs"
    assert app["settings"]["advanced"]["want_assertion_signed"] is True
    assert app["settings"]["advanced"]["reject_idp_initiated_sso"] is True
    assert app["settings"]["advanced"]["strict"] is True


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"server_url": "http://login.example/v2.0"}, "must be an https:// address"),
        ({"server_url": "http://127.0.0.1:9000"}, "must be an https:// address"),
        ({"client_id": ""}, "'client_id' is missing"),
        ({"secret": ""}, "'secret' is missing"),
        ({"name": ""}, "'name'"),
        ({"id": "Entra ID"}, "'id' must be"),
        ({"verified_email_domains": "dalby.dk"}, "must be a list"),
    ],
)
def test_a_mistake_in_an_openid_provider_stops_the_start_with_what_is_wrong(change, problem):
    with pytest.raises(ImproperlyConfigured, match=problem):
        sso_config.oidc_providers([{**OIDC, **change}])


def test_plain_http_is_allowed_only_to_this_machine_and_only_when_the_tests_ask():
    local = {**OIDC, "server_url": "http://127.0.0.1:9000"}
    assert sso_config.oidc_providers([local], allow_http=True)[0]["server_url"] == "http://127.0.0.1:9000"
    with pytest.raises(ImproperlyConfigured):
        sso_config.oidc_providers([{**OIDC, "server_url": "http://login.example"}], allow_http=True)


def test_two_providers_may_not_share_an_id():
    seen: set[str] = set()
    sso_config.oidc_providers([OIDC], seen=seen)
    with pytest.raises(ImproperlyConfigured, match="used twice"):
        sso_config.saml_providers([{**SAML, "id": "entra"}], seen=seen)


def test_a_saml_provider_needs_a_certificate_or_metadata():
    with pytest.raises(ImproperlyConfigured, match="x509cert"):
        sso_config.saml_providers([{**SAML, "x509cert": ""}])
    assert sso_config.saml_providers([{**SAML, "x509cert": "", "metadata_url": "https://adfs.example/md.xml"}])


def test_encrypted_assertions_need_the_portals_own_key_pair():
    with pytest.raises(ImproperlyConfigured, match="DIALOG_SAML_SP_CERT_FILE"):
        sso_config.saml_providers([{**SAML, "encrypted_assertions": True}])
    done = sso_config.saml_providers([{**SAML, "encrypted_assertions": True}], sp_cert="CERT", sp_key="KEY")
    app = sso_config.socialaccount_providers(oidc=[], saml=done)["saml"]["APPS"][0]
    assert app["settings"]["advanced"]["private_key"] == "KEY"


def test_the_login_forms_may_lead_to_the_providers_only():
    oidc = sso_config.oidc_providers([OIDC])
    saml = sso_config.saml_providers([SAML])
    assert sso_config.login_origins(oidc, saml) == ["https://adfs.dalby.example", "https://login.microsoftonline.com"]


def test_sso_only_names_known_roles():
    assert sso_config.sso_only_roles(["politicians", " Administrators "]) == {"politicians", "administrators"}
    with pytest.raises(ImproperlyConfigured, match="unknown roles"):
        sso_config.sso_only_roles(["politicans"])


def _start(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DIALOG_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_portal_refuses_to_start_sso_only_without_a_provider():
    result = _start(DIALOG_SSO_ONLY="politicians,administrators")
    assert result.returncode != 0
    assert "no provider is configured" in result.stderr


def test_the_portal_starts_with_providers_from_the_environment():
    import json

    result = _start(
        DIALOG_OIDC_PROVIDERS=json.dumps([OIDC]),
        DIALOG_SAML_PROVIDERS=json.dumps([SAML]),
        DIALOG_SSO_ONLY="politicians",
    )
    assert result.returncode == 0, result.stderr
