"""allauth's e-mails (password reset, the answer to a reset for an unknown address, e-mail confirmation) go through
the portal's outbox like every other mail, in the portal's words and with the municipality's name.

The account adapter's ``send_mail`` (meetings/adapters.py) calls :func:`account_mail_enqueue` instead of sending
from the web process. The queued row holds only ids and the address, never a link with a token: the handler makes
a fresh link when it sends (as the invitations do), so no secret is kept in the outbox table. The mail goes out in
the recipient's language (core/mail.py)."""

from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from core.mail import send_templated_mail
from core.outbox import outbox_enqueue

from .models import User
from .services import invitation_url

HANDLER = "meetings.account_mail.account_mail_send"

# allauth's template prefix -> the portal's kind of account mail (templates/account/email/portal_<kind>_*).
KINDS = {
    "account/email/password_reset_key": "password_reset",
    "account/email/unknown_account": "unknown_account",
    "account/email/email_confirmation": "email_confirmation",
    "account/email/email_confirmation_signup": "email_confirmation",
}


def account_mail_enqueue(*, template_prefix: str, email: str, context: dict) -> bool:
    """Queue allauth's mail ``template_prefix`` to ``email``. False for a mail the portal does not carry (the
    adapter then lets allauth send it)."""
    kind = KINDS.get(template_prefix)
    if kind is None:
        return False
    user = context.get("user")
    kwargs = {"kind": kind, "email": email}
    if user is not None and getattr(user, "pk", None):
        kwargs["user_id"] = user.pk
    with transaction.atomic():
        outbox_enqueue(HANDLER, **kwargs)
    return True


def account_mail_send(*, kind: str, email: str, user_id: int | None = None) -> bool:
    """The outbox's handler: render and send one account mail. False when there is nothing (left) to send."""
    context = {
        "email": email,
        "secretariat_email": settings.PORTAL_SECRETARIAT_EMAIL,
        "login_url": f"{settings.PORTAL_BASE_URL}{reverse('account_login')}",
    }
    if kind == "password_reset":
        person = User.objects.filter(pk=user_id, is_active=True).first()
        if person is None:
            return False
        context |= {
            "person": person,
            "reset_url": invitation_url(person),
            "timeout_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
    elif kind == "email_confirmation":
        address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
        if address is None:
            return False
        key = EmailConfirmationHMAC(address).key
        context |= {
            "person": address.user,
            "confirm_url": f"{settings.PORTAL_BASE_URL}{reverse('account_confirm_email', args=[key])}",
        }
    elif kind != "unknown_account":
        raise ValueError(f"Unknown account mail {kind!r}")
    send_templated_mail(f"account/email/portal_{kind}", to=[email], context=context)
    return True
