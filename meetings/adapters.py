from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from . import mfa_crypto


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: the secretariat creates or imports people and invites them."""

    def is_open_for_signup(self, request):
        return False


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted with DIALOG_MFA_KEY (meetings/mfa_crypto.py)."""

    def encrypt(self, text: str) -> str:
        return mfa_crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_crypto.decrypt(encrypted_text)
