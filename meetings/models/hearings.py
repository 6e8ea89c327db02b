"""Hearings (issue #16): a matter a committee will treat that concerns workplaces, and each workplace's response.

- ``Matter``: registered by the secretariat or the committee's chair, treated at one of the committee's meeting
  dates, with a hearing deadline; its files are ``MatterFile`` rows in Django's storage.
- ``Hearing``: one workplace heard on one matter. The leader writes the draft here; the trio and the employees
  named for it read the draft and comment (``HearingComment``).
- ``HearingResponse``: a submitted response (or an explicit "no comments"). Append-only and fingerprinted: a
  later correction is a new version, the old one kept.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.versioned_cache import VersionBumpingQuerySet

from ..errors import MeetingsError
from .organisation import Committee, Workplace
from .rotation import MeetingDate


class MatterQuerySet(VersionBumpingQuerySet):
    def visible_to(self, user):
        """Administrators see every matter; a committee's members see their committee's; a workplace's people see
        the matters their workplace is heard on. Others see none."""
        if not user.is_authenticated:
            return self.none()
        roles = user.roles
        if roles.is_administrator:
            return self
        return self.filter(
            Q(committee_id__in=roles.committee_ids) | Q(hearings__workplace_id__in=list(roles.workplace_roles))
        ).distinct()

    def open(self):
        return self.filter(decided_at__isnull=True)


class Matter(models.Model):
    """A matter the committee will treat at a meeting, on which the workplaces it concerns are heard first."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="matters", verbose_name=_("committee")
    )
    meeting_date = models.ForeignKey(
        MeetingDate, on_delete=models.PROTECT, related_name="matters", verbose_name=_("treated at the meeting")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), help_text=_("Markdown: paragraphs, lists, *emphasis* and links."))
    case_number = models.CharField(
        _("case number"), max_length=60, help_text=_("The matter's number in the municipality's case system.")
    )
    workplaces = models.ManyToManyField(
        Workplace, through="Hearing", related_name="matters", verbose_name=_("workplaces concerned")
    )
    deadline = models.DateField(_("hearing deadline"))
    urgency_reason = models.TextField(
        _("reason for the short hearing period"),
        blank=True,
        help_text=_("Needed when the hearing period is shorter than the rule."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    # Set by the daily jobs, so that each notice goes out once.
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    deadline_noticed_at = models.DateTimeField(_("secretariat told at the deadline"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decision recorded"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.TextField(_("the committee's decision"), blank=True)
    decision_url = models.URLField(_("link to the published minutes"), blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("After the meeting: the summary, who was heard and the decision are shown on the public plan."),
    )

    objects = MatterQuerySet.as_manager()

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="matter_has_title"),
        ]

    def __str__(self):
        return f"{self.case_number}: {self.title}" if self.case_number else self.title

    def get_absolute_url(self):
        return reverse("meetings:matter-detail", args=[self.pk])

    @property
    def deadline_passed(self) -> bool:
        return timezone.localdate() > self.deadline


def _matter_file_path(instance, filename: str) -> str:
    return f"hearings/{instance.matter_id}/{filename}"


class MatterFile(models.Model):
    """A document attached to a matter (PDF or an office document), kept in Django's storage."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="files", verbose_name=_("matter"))
    file = models.FileField(_("file"), upload_to=_matter_file_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("file of a matter")
        verbose_name_plural = _("files of matters")
        ordering = ["matter", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetings:matter-file", args=[self.pk])


class Hearing(models.Model):
    """One workplace heard on one matter: the leader's draft, who may comment on it, and its responses."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="hearings", verbose_name=_("matter"))
    workplace = models.ForeignKey(
        Workplace, on_delete=models.PROTECT, related_name="hearings", verbose_name=_("workplace")
    )
    draft = models.TextField(_("draft response"), blank=True)
    draft_updated_at = models.DateTimeField(_("draft saved"), null=True, blank=True)
    commenters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="hearings_commenting",
        verbose_name=_("other employees who may comment"),
        help_text=_("The trio always may."),
    )
    # The leader's agreement that the response (this version, the latest when agreed) is shown on the public plan
    # once the matter is public. Kept here, not on the frozen response; a newer version needs a new agreement.
    response_public_version = models.PositiveSmallIntegerField(
        _("response version agreed to be public"), null=True, blank=True
    )
    response_public_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreed by"),
    )
    response_public_at = models.DateTimeField(_("agreed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["matter", "workplace__name"]
        constraints = [models.UniqueConstraint(fields=["matter", "workplace"], name="hearing_once_per_workplace")]

    def __str__(self):
        return f"{self.matter} – {self.workplace}"

    def get_absolute_url(self):
        return reverse("meetings:hearing-detail", args=[self.pk])


class Presentation(models.Model):
    """The leader asks to present the matter at the meeting (foretræde); the chair accepts with a time on the
    meeting's programme or declines with a reason."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Asked for")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    hearing = models.OneToOneField(
        Hearing, on_delete=models.CASCADE, related_name="presentation", verbose_name=_("hearing")
    )
    note = models.TextField(_("what you want to say"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    at = models.TimeField(_("time on the programme"), null=True, blank=True)
    reason = models.TextField(_("reason for declining"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("presentation at the meeting")
        verbose_name_plural = _("presentations at meetings")
        constraints = [
            models.CheckConstraint(condition=~Q(status="accepted") | Q(at__isnull=False), name="presentation_has_time"),
            models.CheckConstraint(condition=~Q(status="declined") | ~Q(reason=""), name="presentation_decline_reason"),
        ]

    def __str__(self):
        return f"{self.hearing} ({self.get_status_display()})"


class HearingComment(models.Model):
    """A comment on the leader's draft by the trio or a named employee (or the leader). Never changed."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="comments", verbose_name=_("hearing"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("comment on a draft response")
        verbose_name_plural = _("comments on draft responses")
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="hearing_comment_has_body")]

    def __str__(self):
        return f"{self.hearing}: {self.author}"


class FrozenError(MeetingsError):
    """Raised when anything tries to change or delete a submitted response."""


class HearingResponseQuerySet(VersionBumpingQuerySet):
    def update(self, **kwargs):
        raise FrozenError(_("A submitted hearing response is kept as it was submitted."))

    def delete(self):
        raise FrozenError(_("A submitted hearing response is kept as it was submitted."))


class HearingResponse(models.Model):
    """A submitted response (version ``number``) or an explicit "no comments". Written once, never changed: a
    correction is a new version. ``fingerprint`` is the SHA-256 of the canonical text, kept to verify it later."""

    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, related_name="responses", verbose_name=_("hearing"))
    number = models.PositiveSmallIntegerField(_("version"))
    no_comments = models.BooleanField(_("no comments"), default=False)
    text = models.TextField(_("response"), blank=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    late = models.BooleanField(_("after the deadline"), default=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    objects = HearingResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("hearing response")
        verbose_name_plural = _("hearing responses")
        ordering = ["hearing", "number"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "number"], name="hearing_response_version_once"),
            models.CheckConstraint(condition=Q(no_comments=True) | ~Q(text=""), name="hearing_response_has_text"),
        ]

    def __str__(self):
        return f"{self.hearing} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise FrozenError(_("A submitted hearing response is kept as it was submitted."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenError(_("A submitted hearing response is kept as it was submitted."))
