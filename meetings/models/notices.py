"""Notices and the weekly digest (issue 17): how each person wants to hear from each channel.

- ``NoticePreference``: one person's choice for one channel (an e-mail at once, the weekly digest or nothing). No
  row means the default, the weekly digest, so new channels do not become noise.
- ``NoticeItem``: a notice waiting for the person's next digest.
- ``NoticeDigest``: a digest sent to one person, with the items it held (a record, never edited).

The channels are registered by the features in ``core.registry.notice_channels``; ``meetings/notices.py`` is the API.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoticeChoice(models.TextChoices):
    NOW = "now", _("An e-mail at once")
    DIGEST = "digest", _("The weekly digest")
    NONE = "none", _("Nothing")


class NoticePreference(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_preferences",
        verbose_name=_("person"),
    )
    channel = models.CharField(_("channel"), max_length=50)
    choice = models.CharField(_("choice"), max_length=10, choices=NoticeChoice.choices, default=NoticeChoice.DIGEST)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [models.UniqueConstraint(fields=["person", "channel"], name="notice_preference_once")]

    def __str__(self):
        return f"{self.person} · {self.channel}: {self.get_choice_display()}"


class NoticeDigest(models.Model):
    """One weekly digest to one person: the period it covers and the items it held (as sent)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_digests", verbose_name=_("person")
    )
    since = models.DateTimeField(_("since"))
    until = models.DateTimeField(_("until"))
    # [{"channel", "title", "text", "url", "when"}], rendered in the person's language when the digest was made.
    items = models.JSONField(_("items"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("notice digest")
        verbose_name_plural = _("notice digests")
        ordering = ["-until"]
        indexes = [models.Index(fields=["person", "-until"], name="notice_digest_person_until")]

    def __str__(self):
        return f"{self.person} · {self.until:%Y-%m-%d}"


class NoticeItem(models.Model):
    """A notice for one person's next weekly digest (``notice_send`` for a person who chose the digest)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_items", verbose_name=_("person")
    )
    channel = models.CharField(_("channel"), max_length=50)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    url = models.CharField(_("address"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    digest = models.ForeignKey(
        NoticeDigest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notice_items",
        verbose_name=_("sent in the digest"),
    )

    class Meta:
        verbose_name = _("notice for the digest")
        verbose_name_plural = _("notices for the digest")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["person", "digest"], name="notice_item_waiting")]

    def __str__(self):
        return self.title
