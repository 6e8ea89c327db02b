"""Stories from everyday work (issue 17): a workplace's leader or trio tells its committee what works and what is
hard, in a few lines and perhaps a photo.

- ``Story``: written by a leader (shared with the committee at once) or a trio member (waits for the leader); a good
  story or a challenge; the leader may also show it on the portal's public pages. The secretariat can hide it, with
  a reason the author sees. Its photo is resized and stripped of all metadata before it is stored
  (``meetings/stories/photos.py``) and served only to those who may see the story.
- ``StoryEvent``: one row per step (written, shared, made public or not, hidden), never edited.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.versioned_cache import VersionBumpingQuerySet

from .organisation import Workplace


class StoryQuerySet(VersionBumpingQuerySet):
    def shared(self):
        return self.filter(status=Story.Status.SHARED)

    def public(self):
        return self.shared().filter(is_public=True)

    def visible_to(self, user):
        """The secretariat sees every story; a workplace's leader and trio see all of their workplace's; the
        politicians of a committee see the shared stories of its workplaces. Others see none (signed in)."""
        if not user.is_authenticated:
            return self.none()
        roles = user.roles
        if roles.is_administrator:
            return self
        own = Q(workplace_id__in=list(roles.workplace_roles))
        committees = Q(status=Story.Status.SHARED, workplace__committees__in=list(roles.committee_ids))
        return self.filter(own | committees).distinct()


def _photo_path(instance, filename: str) -> str:
    return f"stories/{instance.workplace_id}/{filename}"


class Story(models.Model):
    class Kind(models.TextChoices):
        GOOD = "good", _("Good story")
        CHALLENGE = "challenge", _("Challenge")

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("Awaiting the leader")
        SHARED = "shared", _("Shared with the committee")
        HIDDEN = "hidden", _("Hidden by the secretariat")

    workplace = models.ForeignKey(
        Workplace, on_delete=models.PROTECT, related_name="stories", verbose_name=_("workplace")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stories", verbose_name=_("author")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GOOD)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"))
    photo = models.FileField(_("photo"), upload_to=_photo_path, max_length=300, blank=True)
    photo_alt = models.CharField(_("text alternative for the photo"), max_length=250, blank=True)
    photo_consent = models.BooleanField(_("the people in the photo agreed"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AWAITING)
    is_public = models.BooleanField(_("shown on the public pages"), default=False)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    shared_at = models.DateTimeField(_("shared with the committee"), null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-shared_at", "-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-shared_at"], name="story_shared")]
        constraints = [
            models.CheckConstraint(
                condition=Q(photo="") | (~Q(photo_alt="") & Q(photo_consent=True)),
                name="story_photo_has_alt_and_consent",
            ),
            models.CheckConstraint(
                condition=Q(is_public=False) | Q(status="shared"), name="story_public_only_when_shared"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("stories:story-detail", args=[self.pk])


class StoryEvent(models.Model):
    """One step of a story: who, from what to what, when, and a note (the reason for hiding it)."""

    class Kind(models.TextChoices):
        WRITTEN = "written", _("Written")
        SHARED = "shared", _("Shared with the committee")
        MADE_PUBLIC = "made_public", _("Shown on the public pages")
        MADE_PRIVATE = "made_private", _("Taken off the public pages")
        HIDDEN = "hidden", _("Hidden by the secretariat")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="events", verbose_name=_("story"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="story_events",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("event of a story")
        verbose_name_plural = _("events of stories")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.story} · {self.get_kind_display()}"
