"""Writes to the organisation. Each service is one transaction; mail goes out after commit."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.mail import send_templated_mail
from core.outbox import outbox_enqueue

from .models import User


def invitation_url(user: User) -> str:
    """A set-password link; it stops working once the person has chosen a password."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return f"{settings.PORTAL_BASE_URL}{path}"


def people_invite(*, people, actor: User | None = None) -> int:
    """Mark people as invited and queue one invitation e-mail each. Returns how many."""
    invited = 0
    with transaction.atomic():
        for person in people:
            if not person.is_active:
                continue
            person.invited_at = timezone.now()
            person.save(update_fields=["invited_at"])
            outbox_enqueue("meetings.services.invitation_mail_send", user_id=person.pk)
            invited += 1
    return invited


def person_language_set(*, person: User, language: str) -> None:
    """Save the language the person chose (the language switch); pages and e-mails to them follow it."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language {language!r}")
    if person.language != language:
        person.language = language
        person.save(update_fields=["language"])


def invitation_mail_send(*, user_id: int) -> bool:
    """The outbox's handler of invitations: send one to the person, if still active."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    invitation_send(user=user)
    return True


def invitation_send(*, user: User) -> None:
    """Send the invitation e-mail with a fresh set-password link; someone who must log in through single sign-on
    (DIALOG_SSO_ONLY) is pointed to the login page instead, as a password would not let them in."""
    from .sso import sso_provider_names, sso_required

    if sso_required(user):
        send_templated_mail(
            "meetings/email/invitation_sso",
            to=[user.email],
            context={
                "person": user,
                "login_url": f"{settings.PORTAL_BASE_URL}{reverse('account_login')}",
                "provider_names": sso_provider_names(),
            },
        )
        return
    send_templated_mail(
        "meetings/email/invitation",
        to=[user.email],
        context={
            "person": user,
            "set_password_url": invitation_url(user),
            "timeout_days": settings.PASSWORD_RESET_TIMEOUT // 86400,
        },
    )
