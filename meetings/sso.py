"""Single sign-on: who a login from the municipality's identity provider is, and who must use one.

The rules (docs/sso.md), kept here so the login flow, the admin and the shell meet the same refusals:

- **Nobody is created by a login.** The secretariat's import or invitation creates people. A login that matches
  nobody is refused with a page that says what to do.
- **The first login links.** A provider's subject (``sub`` or the configured claim; a SAML subject) that the portal
  has not seen is linked to the active person whose login address is the e-mail address the provider *verified*
  (its ``email_verified`` claim, or an address in the provider's ``verified_email_domains``). The secretariat can
  also register a subject for a person beforehand in the administration; then the first login finds it directly.
- **Later logins match by subject only.** A changed e-mail address at the provider changes nothing: the subject
  stays linked to its person, and the new address never links another person.
- **One subject per person and provider.** A second subject at the same provider with a linked person's address is
  refused (the secretariat removes the old link if it is truly the same person).
- **Nothing about rights comes from the provider.** Roles come from the portal's memberships only.

``DIALOG_SSO_ONLY`` names roles whose members must log in through single sign-on: their password logins are
refused, and the portal's own two-factor is not asked of a single sign-on login (the provider's counts).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.mail import send_templated_mail
from core.outbox import outbox_enqueue

from .errors import MeetingsError
from .models import User

log = logging.getLogger(__name__)

# The session record allauth keeps of how a person logged in (allauth.account.internal.flows.login).
SOCIAL_METHOD = "socialaccount"


class SSORefused(MeetingsError):
    """A login from an identity provider that the portal refuses; ``reason`` picks the page's explanation."""

    def __init__(self, reason: str, message):
        super().__init__(message)
        self.reason = reason


REFUSALS = {
    "unknown": _(
        "We cannot find you in Dialogportalen. Nobody in the portal has the e-mail address your login gave us. "
        "The secretariat adds people and sends them an invitation."
    ),
    "no_verified_email": _(
        "Your login did not give us an e-mail address it has checked, so we cannot tell who you are in the portal. "
        "The secretariat can link your login to your account."
    ),
    "already_linked": _(
        "Your account in the portal is already linked to another login at this provider. The secretariat can "
        "remove the old link if it is no longer yours."
    ),
    "inactive": _("Your access to Dialogportalen has been closed. Ask the secretariat if that is a mistake."),
    "connect": _("Only the secretariat links logins to accounts. Log out, and log in with the provider's button."),
}


def _refuse(reason: str):
    raise SSORefused(reason, REFUSALS[reason])


def sso_provider_name(provider_id: str) -> str:
    """The name the login page shows for a provider id (the id itself for one no longer configured)."""
    for provider in (*settings.DIALOG_OIDC_PROVIDERS, *settings.DIALOG_SAML_PROVIDERS):
        if provider["id"] == provider_id:
            return provider["name"]
    return provider_id


def sso_provider_names() -> list[str]:
    """The names of the configured providers, as their login buttons show them."""
    return [p["name"] for p in (*settings.DIALOG_OIDC_PROVIDERS, *settings.DIALOG_SAML_PROVIDERS)]


def verified_emails(sociallogin) -> list[str]:
    """The addresses the provider vouches for (allauth marks ``verified_email_domains`` addresses verified)."""
    return [address.email.strip().lower() for address in sociallogin.email_addresses if address.verified]


def sso_login_resolve(*, sociallogin) -> User:
    """The person this login from an identity provider is, linking them on their first login; or ``SSORefused``.

    ``sociallogin`` is allauth's, already looked up by provider and subject (``sociallogin.is_existing`` when this
    subject is linked). On success the link is saved (and audited) and ``sociallogin.user`` is the person."""
    if sociallogin.state.get("process") == "connect":
        _refuse("connect")
    account = sociallogin.account
    provider_email = next(iter(verified_emails(sociallogin)), "")
    if sociallogin.is_existing:
        person = sociallogin.user
        if not person.is_active or person.erased_at is not None:
            _refuse("inactive")
        # What the provider last said, for the secretariat's overview; allauth would keep every claim.
        account.extra_data = {"email": provider_email}
        account.save(update_fields=["extra_data", "last_login"])
        return person
    if not provider_email:
        _refuse("no_verified_email")
    with transaction.atomic():
        person = (
            User.objects.select_for_update()
            .filter(email__iexact=provider_email, is_active=True, erased_at__isnull=True)
            .first()
        )
        if person is None:
            log.info("Single sign-on from %s refused: no active person with the verified address", account.provider)
            _refuse("unknown")
        if person.socialaccount_set.filter(provider=account.provider).exists():
            log.warning(
                "Single sign-on from %s refused: person %s has another subject linked", account.provider, person.pk
            )
            _refuse("already_linked")
        account.user = person
        account.extra_data = {"email": provider_email}
        account.save()
        sociallogin.user = person
        audit_record(
            actor=person, action="account.sso_linked", obj=person, data={"provider": account.provider, "by": "email"}
        )
        outbox_enqueue("meetings.sso.sso_linked_send", user_id=person.pk, provider=account.provider)
    return person


def sso_link_refusal(*, person: User, provider_id: str, subject: str):
    """Why the secretariat cannot link this subject to this person (a translated message), or None."""
    from allauth.socialaccount.models import SocialAccount

    if provider_id not in {p["id"] for p in (*settings.DIALOG_OIDC_PROVIDERS, *settings.DIALOG_SAML_PROVIDERS)}:
        return _("There is no single sign-on provider with that id.")
    if not subject.strip():
        return _("Write the subject id the provider gives the person.")
    if SocialAccount.objects.filter(provider=provider_id, uid=subject.strip()).exists():
        return _("That subject id is already linked to a person.")
    if SocialAccount.objects.filter(user=person, provider=provider_id).exists():
        return _("The person is already linked to a login at this provider. Remove that link first.")
    return None


def sso_link_register(*, person: User, provider_id: str, subject: str, actor: User | None):
    """The secretariat links a provider's subject to a person before their first login (the administration)."""
    from allauth.socialaccount.models import SocialAccount

    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        refusal = sso_link_refusal(person=person, provider_id=provider_id, subject=subject)
        if refusal:
            raise MeetingsError(refusal)
        link = SocialAccount.objects.create(user=person, provider=provider_id, uid=subject.strip(), extra_data={})
        audit_record(
            actor=actor, action="account.sso_linked", obj=person, data={"provider": provider_id, "by": "admin"}
        )
    return link


def sso_link_remove(*, link, actor: User | None) -> None:
    """The secretariat removes a link (a subject that is no longer the person's); the next login links anew."""
    with transaction.atomic():
        audit_record(actor=actor, action="account.sso_unlinked", obj=link.user, data={"provider": link.provider})
        link.delete()


def sso_linked_send(*, user_id: int, provider: str) -> bool:
    """The outbox's handler: tell the person their account was linked, so a link they did not make is noticed."""
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        return False
    send_templated_mail(
        "meetings/email/sso_linked",
        to=[person.email],
        context={
            "person": person,
            "provider_name": sso_provider_name(provider),
            "secretariat_email": settings.PORTAL_SECRETARIAT_EMAIL,
        },
    )
    return True


def sso_required(user) -> bool:
    """Whether DIALOG_SSO_ONLY says this person must log in through single sign-on."""
    roles = settings.DIALOG_SSO_ONLY
    if not roles or not getattr(user, "pk", None):
        return False
    if "administrators" in roles and user.is_staff:
        return True
    person_roles = user.roles
    return (
        ("politicians" in roles and person_roles.is_politician)
        or ("leaders" in roles and person_roles.is_leader)
        or ("trio" in roles and person_roles.is_trio)
    )


def logged_in_by_sso(request, user) -> bool:
    """Whether this session's login was through an identity provider (allauth's record of the session)."""
    from allauth.account.internal.flows.login import get_authentication_records

    return any(record.get("method") == SOCIAL_METHOD for record in get_authentication_records(request, user))
