"""Two-factor secrets are kept encrypted with DIALOG_MFA_KEY and never shown in the admin; logging in with the
authenticator app and with a recovery code still works."""

import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, hotp_value
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from core.models import AuditEntry
from meetings import mfa_crypto
from tests import factories

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
KEY = "dGVzdHMtb25seS1tZmEta2V5LTAxMjM0NTY3ODlhYmM="
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _mfa_key(settings):
    settings.DIALOG_MFA_KEYS = [KEY]


def current_code(secret: str = SECRET) -> str:
    return f"{hotp_value(secret, int(time.time()) // 30):06d}"


def test_an_activated_authenticator_app_is_stored_encrypted(cast):
    TOTP.activate(cast.chair, SECRET)

    stored = Authenticator.objects.get(user=cast.chair, type="totp").data["secret"]

    assert SECRET not in stored
    assert mfa_crypto.is_encrypted(stored)
    assert mfa_crypto.decrypt(stored) == SECRET


def test_recovery_codes_are_kept_as_an_encrypted_seed_and_still_work(cast):
    codes = RecoveryCodes.activate(cast.chair)
    stored = Authenticator.objects.get(user=cast.chair, type="recovery_codes").data

    assert mfa_crypto.is_encrypted(stored["seed"])
    first = codes.get_unused_codes()[0]
    assert first not in str(stored)
    assert RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk)).validate_code(first)


def test_login_with_the_authenticator_app_still_works(client, cast):
    TOTP.activate(cast.chair, SECRET)

    first = client.post(reverse("account_login"), {"login": cast.chair.email, "password": factories.TEST_PASSWORD})
    assert first.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    second = client.post(reverse("mfa_authenticate"), {"code": current_code()})

    assert second.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.chair.pk)


def test_a_wrong_code_is_refused(client, cast):
    TOTP.activate(cast.chair, SECRET)
    client.post(reverse("account_login"), {"login": cast.chair.email, "password": factories.TEST_PASSWORD})

    response = client.post(reverse("mfa_authenticate"), {"code": "000000" if current_code() != "000000" else "111111"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_setting_up_the_app_through_the_pages_stores_no_plain_secret(client_for, cast):
    client = client_for(cast.trio)
    client.get(reverse("mfa_activate_totp"))
    client.post(reverse("account_reauthenticate"), {"password": factories.TEST_PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret

    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    stored = Authenticator.objects.get(user=cast.trio, type="totp").data
    assert secret not in str(stored)
    assert mfa_crypto.decrypt(stored["secret"]) == secret


def test_the_admin_lists_second_factors_without_their_secrets(client_for, cast):
    TOTP.activate(cast.chair, SECRET)
    authenticator = Authenticator.objects.get(user=cast.chair, type="totp")
    client = client_for(cast.administrator)

    listing = client.get(reverse("admin:mfa_authenticator_changelist"))
    page = client.get(reverse("admin:mfa_authenticator_change", args=[authenticator.pk]))
    edit = client.post(reverse("admin:mfa_authenticator_change", args=[authenticator.pk]), {"data": "{}"})

    assert listing.status_code == page.status_code == 200
    for html in (listing.content.decode(), page.content.decode()):
        assert SECRET not in html
        assert authenticator.data["secret"] not in html
        assert 'name="data"' not in html
    assert edit.status_code == 403
    assert Authenticator.objects.get(pk=authenticator.pk).data == authenticator.data
    assert client.get(reverse("admin:mfa_authenticator_add")).status_code == 403


def test_resetting_someones_second_factor_in_the_admin_is_audited(client_for, cast):
    TOTP.activate(cast.chair, SECRET)
    authenticator = Authenticator.objects.get(user=cast.chair, type="totp")

    response = client_for(cast.administrator).post(
        reverse("admin:mfa_authenticator_delete", args=[authenticator.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=authenticator.pk).exists()
    entry = AuditEntry.objects.get(action="account.second_factor_reset")
    assert (entry.actor_id, entry.object_id) == (cast.administrator.pk, str(cast.chair.pk))
    assert entry.data == {"type": "totp"}


def test_the_migration_encrypts_secrets_stored_in_the_clear_and_reversing_decrypts_them(cast):
    migration = importlib.import_module("meetings.migrations.0009_encrypt_mfa_secrets_tidy_login_addresses")
    totp = Authenticator.objects.create(user=cast.chair, type="totp", data={"secret": SECRET})
    codes = Authenticator.objects.create(
        user=cast.chair, type="recovery_codes", data={"seed": "ab12" * 20, "used_mask": 0, "migrated_codes": ["1234"]}
    )

    migration.encrypt_secrets(apps, None)
    migration.encrypt_secrets(apps, None)  # a second run leaves encrypted values alone

    totp.refresh_from_db()
    codes.refresh_from_db()
    assert mfa_crypto.decrypt(totp.data["secret"]) == SECRET
    assert mfa_crypto.decrypt(codes.data["seed"]) == "ab12" * 20
    assert [mfa_crypto.decrypt(c) for c in codes.data["migrated_codes"]] == ["1234"]
    assert codes.data["used_mask"] == 0
    assert TOTP(totp).validate_code(current_code())

    migration.decrypt_secrets(apps, None)

    totp.refresh_from_db()
    assert totp.data == {"secret": SECRET}


def test_a_secret_encrypted_with_another_key_is_refused_with_a_clear_error(cast, settings):
    token = mfa_crypto.encrypt(SECRET)
    settings.DIALOG_MFA_KEYS = ["b3RoZXIta2V5LW5vdC10aGUtb25lLXVzZWQtYmVmb3I="]

    with pytest.raises(ImproperlyConfigured, match="DIALOG_MFA_KEY"):
        mfa_crypto.decrypt(token)


def test_a_new_key_first_still_reads_secrets_encrypted_with_the_old_one(settings):
    token = mfa_crypto.encrypt(SECRET)
    new = "bmV3LWtleS1wdXQtZmlyc3QtZm9yLXJvdGF0aW9uLTA="
    settings.DIALOG_MFA_KEYS = [new, KEY]

    assert mfa_crypto.decrypt(token) == SECRET
    settings.DIALOG_MFA_KEYS = [new]
    assert mfa_crypto.decrypt(mfa_crypto.encrypt(SECRET)) == SECRET


def _check_in_production(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DIALOG_", "DATABASE_URL"))}
    production = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "s" * 60, "DJANGO_ALLOWED_HOSTS": "dialog.example"}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **production, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_key_or_with_a_bad_one():
    missing = _check_in_production()
    bad = _check_in_production(DIALOG_MFA_KEY="not-a-key")

    assert missing.returncode != 0 and "DIALOG_MFA_KEY must be set" in missing.stderr
    assert bad.returncode != 0 and "not a Fernet key" in bad.stderr
