"""Second-factor secrets at rest: TOTP secrets and recovery-code seeds are stored encrypted (Fernet: AES-128-CBC
with an HMAC-SHA256 tag, from the well-kept ``cryptography`` package), never in the clear.

The keys come from ``DIALOG_MFA_KEY`` (settings ``DIALOG_MFA_KEYS``): one or more Fernet keys separated by commas.
The first encrypts; every one decrypts, so a key is replaced by putting the new one first, re-encrypting
(``encrypt`` again after ``decrypt``) and later dropping the old one. Without a key – only allowed while
debugging – a key is derived from ``SECRET_KEY`` so that development just works.

Used by allauth's MFA adapter (``meetings.adapters.MFAAdapter``) and the migration that encrypted the secrets that
were stored before.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Every Fernet token starts with the version byte 0x80, which base64 spells "gA". A TOTP secret is base32 (A–Z, 2–7)
# and a recovery seed is hex, so neither can be mistaken for a token.
FERNET_PREFIX = "gA"


def is_encrypted(value: str) -> bool:
    return isinstance(value, str) and value.startswith(FERNET_PREFIX)


@cache
def _cipher(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        derived = base64.urlsafe_b64encode(hashlib.sha256(f"mfa:{secret_key}".encode()).digest())
        return MultiFernet([Fernet(derived)])
    try:
        return MultiFernet([Fernet(key.strip().encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "DIALOG_MFA_KEY must hold Fernet keys (32 url-safe base64-encoded bytes each, separated by commas). "
            "Make one with: python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        ) from exc


def cipher() -> MultiFernet:
    return _cipher(tuple(settings.DIALOG_MFA_KEYS), settings.SECRET_KEY)


def encrypt(text: str) -> str:
    return cipher().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A two-factor secret cannot be decrypted: DIALOG_MFA_KEY is not the key it was encrypted with "
            "(keep old keys after the new one until every secret is re-encrypted)."
        ) from exc
