"""Two account fixes on existing data.

1. Encrypt the second-factor secrets stored before the portal's MFA adapter encrypted them (TOTP secrets,
   recovery-code seeds and any codes allauth migrated from older versions), with DIALOG_MFA_KEY; reversing
   decrypts them again.
2. Login addresses are the secretariat's (people no longer manage them): the address row that matches a person's
   login address counts as checked, and other address rows – added on the old e-mail page – are removed, so they
   no longer log in or match anyone. Not reversed (those rows were never meant to exist).
"""

from django.db import migrations
from django.db.models.functions import Lower


def _convert(apps, change):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]).iterator():
        data = dict(authenticator.data)
        for name in ("secret", "seed"):
            if isinstance(data.get(name), str):
                data[name] = change(data[name])
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [change(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt_secrets(apps, schema_editor):
    from meetings import mfa_crypto

    _convert(apps, lambda value: value if mfa_crypto.is_encrypted(value) else mfa_crypto.encrypt(value))


def decrypt_secrets(apps, schema_editor):
    from meetings import mfa_crypto

    _convert(apps, lambda value: mfa_crypto.decrypt(value) if mfa_crypto.is_encrypted(value) else value)


def tidy_login_addresses(apps, schema_editor):
    EmailAddress = apps.get_model("account", "EmailAddress")
    rows = EmailAddress.objects.annotate(address=Lower("email"))
    rows.exclude(address=Lower("user__email")).delete()
    EmailAddress.objects.update(primary=True, verified=True)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0008_outbox_dead_letters"),
        ("mfa", "0003_authenticator_type_uniq"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(encrypt_secrets, decrypt_secrets),
        migrations.RunPython(tidy_login_addresses, migrations.RunPython.noop),
    ]
