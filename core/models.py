"""Two tables every feature writes through: the notice outbox and the hash-chained audit log.

They were born in ``meetings`` and moved here without touching the database: the tables keep their names
(``meetings_outboxmessage`` …), see ``core/migrations/0001_initial.py``.

- :class:`OutboxMessage`: a notice (e-mail, reminder, …) is saved in the same transaction as the change that
  causes it and handed to Celery after commit. If the broker is down, the row waits and a beat job (or
  ``outbox_flush``) hands it over later; the delivering task locks the row and marks it done, so a second delivery
  of the same message does nothing. A message that keeps failing is set aside (``dead_at``) after
  ``DIALOG_OUTBOX_MAX_ATTEMPTS`` attempts and shown to the administrators, who can try it again.
- :class:`AuditEntry`: an append-only log of the state changes that matter. Each entry's hash is keyed with a
  secret from the environment and covers the previous entry's hash, so editing, deleting or reordering a row
  behind the portal's back breaks the chain, and each new head is anchored in a file outside the database
  (``core/chains.py``, ``verify_audit``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .versioned_cache import VersionBumpingQuerySet


class OutboxQuerySet(VersionBumpingQuerySet):
    def pending(self):
        """Waiting to be delivered: neither delivered nor set aside as undeliverable."""
        return self.filter(delivered_at__isnull=True, dead_at__isnull=True)

    def dead(self):
        """Set aside after failing too often; administrators see them and may try again."""
        return self.filter(delivered_at__isnull=True, dead_at__isnull=False)


class OutboxMessage(models.Model):
    """Work to do after a change commits: call ``handler`` (a dotted path to a plain function) with ``kwargs``."""

    handler = models.CharField(_("handler"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    dispatched_at = models.DateTimeField(_("handed to the worker at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # Set when the message has failed DIALOG_OUTBOX_MAX_ATTEMPTS times: it is no longer handed over by itself.
    dead_at = models.DateTimeField(_("given up at"), null=True, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        db_table = "meetings_outboxmessage"
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=models.Q(delivered_at__isnull=True), name="outbox_pending_idx"
            ),
            models.Index(
                fields=["dead_at"],
                condition=models.Q(delivered_at__isnull=True, dead_at__isnull=False),
                name="outbox_dead_idx",
            ),
        ]

    def __str__(self):
        return f"{self.handler} #{self.pk}"


class AuditChainHead(models.Model):
    """One row: the newest entry's sequence number and hash. Appends lock it, so the chain has no forks."""

    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        db_table = "meetings_auditchainhead"
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"#{self.seq} {self.last_hash[:12]}"


class AuditEntry(models.Model):
    """Who did what to which object, when (UTC). Never updated or deleted by the portal.

    ``actor_id`` is a plain number, not a foreign key: when a person's data is erased, the log keeps the number as
    a pseudonym and the chain still holds.
    """

    seq = models.PositiveBigIntegerField(_("sequence number"), unique=True)
    at = models.DateTimeField(_("at"))
    actor_id = models.BigIntegerField(_("actor"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    data = models.JSONField(_("details"), default=dict, blank=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64)
    # Which key the hash was made with (core.chain.key_id): old entries keep verifying after the key is rotated.
    key_id = models.CharField(_("key id"), max_length=16)

    class Meta:
        db_table = "meetings_auditentry"
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            # The secretariat's audit log page filters by person, action or period, newest first.
            models.Index(fields=["actor_id", "seq"], name="audit_actor_idx"),
            models.Index(fields=["action", "seq"], name="audit_action_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def chain_fields(self) -> dict:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "action": self.action,
            "object": f"{self.object_type}:{self.object_id}",
            "data": self.data,
        }
