"""Permission changes go to the audit log wherever they happen: the admin, the import, the shell.

Roles are granted by committee memberships and workplace roles, and administrators are staff users; any save or
delete of those is recorded. The acting person comes from the request (set by ``AuditActorMiddleware``); from
the command line or a task it is empty. Bulk writes send no signals: the organisation import records itself.
"""

from __future__ import annotations

from contextvars import ContextVar

from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from allauth.mfa.models import Authenticator
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from core.audit import audit_record

from .feeds import feeds_version_bump
from .login_protection import failed_logins_clear
from .models import (
    CommitteeMembership,
    Meeting,
    MeetingInvitation,
    User,
    Visit,
    Workplace,
    WorkplaceRole,
    ledger_version_bump,
    person_version_bump,
    roles_version_bump,
)

current_actor: ContextVar[int | None] = ContextVar("current_actor", default=None)

_ROLE_FIELDS = ("role", "start_date", "end_date")
_USER_FLAGS = ("is_staff", "is_superuser", "is_active")


def _role_data(instance) -> dict:
    target = instance.committee_id if isinstance(instance, CommitteeMembership) else instance.workplace_id
    return {
        "person": instance.user_id,
        "where": target,
        "role": instance.role,
        "start": instance.start_date.isoformat() if instance.start_date else None,
        "end": instance.end_date.isoformat() if instance.end_date else None,
    }


@receiver(post_save, sender=CommitteeMembership)
@receiver(post_save, sender=WorkplaceRole)
def role_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    roles_version_bump(instance.user_id)  # the person's cached roles (UserRoles.for_user), whatever changed
    if raw or (update_fields is not None and not set(update_fields) & set(_ROLE_FIELDS)):
        return
    action = "created" if created else "changed"
    audit_record(
        actor=current_actor.get(),
        action=f"permission.{sender._meta.model_name}_{action}",
        obj=instance,
        data=_role_data(instance),
    )


@receiver(post_delete, sender=CommitteeMembership)
@receiver(post_delete, sender=WorkplaceRole)
def role_deleted(sender, instance, **kwargs):
    roles_version_bump(instance.user_id)
    audit_record(
        actor=current_actor.get(),
        action=f"permission.{sender._meta.model_name}_deleted",
        object_type=sender._meta.label_lower,
        object_id=instance.pk,
        data=_role_data(instance),
    )


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def person_changed(sender, instance, **kwargs):
    """The person's cached row (``person_cached``: a new password, deactivation, erasure) is out of date; the next
    request reads it again."""
    person_version_bump(instance.pk)


@receiver(post_save, sender=Authenticator)
@receiver(post_delete, sender=Authenticator)
def second_factor_changed(sender, instance, **kwargs):
    """Whether the person has TOTP (``totp_enabled_cached``, asked by the two-factor gate) is out of date."""
    person_version_bump(instance.user_id)


@receiver(pre_save, sender=User)
def user_flags_changing(sender, instance, raw=False, update_fields=None, **kwargs):
    """Remember the administrator flags, the login address and the name as stored, so post_save can tell what
    changed."""
    touches_flags = update_fields is None or set(update_fields) & {*_USER_FLAGS, "email", "full_name"}
    if raw or instance._state.adding or instance.pk is None or not touches_flags:
        instance._stored_flags = None
        return
    instance._stored_flags = User.objects.filter(pk=instance.pk).values(*_USER_FLAGS, "email", "full_name").first()


@receiver(post_save, sender=User)
def user_flags_changed(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    now = {flag: getattr(instance, flag) for flag in _USER_FLAGS}
    stored = getattr(instance, "_stored_flags", None)
    if stored is not None:
        stored = dict(stored)
        if stored.pop("email").lower() != instance.email.lower():
            _login_address_changed(instance)
        if stored.pop("full_name") != instance.full_name:
            feeds_version_bump(everyone=True)  # the name shows in the calendar feeds of everyone on their visits
    if created:
        if instance.is_staff or instance.is_superuser:
            audit_record(actor=current_actor.get(), action="permission.administrator_created", obj=instance, data=now)
        return
    if stored is not None and stored != now:
        audit_record(
            actor=current_actor.get(),
            action="permission.flags_changed",
            obj=instance,
            data={"from": stored, "to": now},
        )


def _login_address_changed(user) -> None:
    """The secretariat gave a person another login address (people cannot change their own). allauth's address
    rows follow, so the old address no longer logs in or matches anyone; the change is audited (ids only)."""

    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(primary=True, verified=True)
    audit_record(actor=current_actor.get(), action="account.email_changed", obj=user)


@receiver(password_reset)
def failed_logins_cleared_on_password_reset(sender, request, user, **kwargs):

    failed_logins_clear(request=request, user=user)


@receiver(post_save, sender=Workplace)
@receiver(post_save, sender=Meeting)
@receiver(post_save, sender=MeetingInvitation)
@receiver(post_save, sender=Visit)
@receiver(post_delete, sender=Workplace)
@receiver(post_delete, sender=Meeting)
@receiver(post_delete, sender=MeetingInvitation)
@receiver(post_delete, sender=Visit)
@receiver(m2m_changed, sender=Workplace.committees.through)
def ledger_rows_changed(sender, **kwargs):
    """The equal-access ledger counts these rows: its cached counts are out of date (bulk writes bump through the
    models' QuerySets)."""
    ledger_version_bump()
