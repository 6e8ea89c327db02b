"""Every change to a story: one service per step, on a locked row, with an event row, an audit entry and the
notices (``meetings/notices.py``, channel "stories") sent by each person's choice after commit."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_record
from core.validators import cpr_like
from meetings.models import CommitteeMembership, Story, StoryEvent, User, WorkplaceRole
from meetings.notices import notice_send

from . import permissions as can
from .errors import StoryError
from .photos import photo_clean

CHANNEL = "stories"


def _refuse_cpr(*texts: str) -> None:
    if any(cpr_like(text) for text in texts):
        raise StoryError(
            _(
                "The story contains something that looks like a CPR number. Personal data has no place in a "
                "story: remove the number and tell the story without it."
            )
        )


def _locked(story: Story) -> Story:
    return Story.objects.select_for_update().select_related("workplace").get(pk=story.pk)


def _workplace_people(workplace_id: int, role: str) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            workplace_roles__in=WorkplaceRole.objects.current().filter(workplace_id=workplace_id, role=role),
        )
        .distinct()
        .order_by("pk")
    )


def _politicians(workplace) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__in=CommitteeMembership.objects.current().filter(
                committee__in=workplace.committees.filter(is_active=True)
            ),
        )
        .distinct()
        .order_by("pk")
    )


def _tell(people, story: Story, title, *, skip=()) -> None:
    skipped = {getattr(p, "pk", p) for p in skip}
    for person in people:
        if person.pk in skipped:
            continue
        notice_send(
            person=person,
            channel=CHANNEL,
            title=title,
            text=story.text[:300],
            url=story.get_absolute_url(),
        )


def _tell_shared(story: Story, actor) -> None:
    _tell(
        _politicians(story.workplace),
        story,
        format_lazy(
            gettext_lazy("{workplace} shared a story: {title}"), workplace=story.workplace.name, title=story.title
        ),
        skip=[actor],
    )


def story_create(
    *,
    workplace,
    author,
    kind: str,
    title: str,
    text: str,
    photo=None,
    photo_alt: str = "",
    photo_consent: bool = False,
) -> Story:
    """A story written by the workplace's leader (shared with the committee at once) or trio member (waits for the
    leader). A photo needs a text alternative and the tick that the people in it agreed; it is made safe
    (``photos.photo_clean``) before anything is saved, so a refused photo leaves nothing behind."""
    if not can.can_write(author, workplace):
        raise StoryError(_("Only the workplace's leader and trio write its stories."))
    if kind not in Story.Kind.values:
        raise StoryError(_("Choose whether it is a good story or a challenge."))
    if not title.strip() or not text.strip():
        raise StoryError(_("Write a title and the story."))
    _refuse_cpr(title, text, photo_alt)
    cleaned = None
    if photo is not None:
        if not photo_alt.strip():
            raise StoryError(_("Describe the photo in a few words for those who cannot see it."), field="photo_alt")
        if not photo_consent:
            raise StoryError(
                _("Tick that the people in the photo agreed to it being shown, or leave the photo out."),
                field="photo_consent",
            )
        cleaned = photo_clean(photo)
    leader = WorkplaceRole.Role.LEADER in author.roles.workplace_roles.get(workplace.pk, set())
    now = timezone.now()
    with transaction.atomic():
        story = Story(
            workplace=workplace,
            author=author,
            kind=kind,
            title=title.strip(),
            text=text.strip(),
            photo_alt=photo_alt.strip() if cleaned else "",
            photo_consent=bool(cleaned),
            status=Story.Status.SHARED if leader else Story.Status.AWAITING,
            shared_at=now if leader else None,
            created_at=now,
        )
        if cleaned is not None:
            story.photo.save(cleaned.name, cleaned, save=False)
        story.save()
        StoryEvent.objects.create(story=story, kind=StoryEvent.Kind.WRITTEN, actor=author, at=now)
        if leader:
            StoryEvent.objects.create(story=story, kind=StoryEvent.Kind.SHARED, actor=author, at=now)
        audit_record(
            actor=author,
            action="story.shared" if leader else "story.written",
            obj=story,
            data={"workplace": workplace.name, "kind": kind},
        )
        if leader:
            _tell_shared(story, author)
        else:
            _tell(
                _workplace_people(workplace.pk, WorkplaceRole.Role.LEADER),
                story,
                format_lazy(gettext_lazy("A story waits for you to share it: {title}"), title=story.title),
            )
    return story


def story_share(*, story: Story, actor) -> Story:
    """The leader shares a trio member's story with the committee."""
    with transaction.atomic():
        story = _locked(story)
        if story.status != Story.Status.AWAITING:
            raise StoryError(_("The story is not waiting to be shared."))
        if not can.is_leader(actor, story):
            raise StoryError(_("Only the workplace's leader shares its stories with the committee."))
        story.status = Story.Status.SHARED
        story.shared_at = timezone.now()
        story.save(update_fields=["status", "shared_at"])
        StoryEvent.objects.create(story=story, kind=StoryEvent.Kind.SHARED, actor=actor, at=story.shared_at)
        audit_record(actor=actor, action="story.shared", obj=story, data={"workplace": story.workplace.name})
        _tell_shared(story, actor)
        if story.author_id != actor.pk:
            _tell(
                [story.author],
                story,
                format_lazy(gettext_lazy("Your story is shared with the committee: {title}"), title=story.title),
            )
    return story


def story_public_set(*, story: Story, actor, public: bool) -> Story:
    """The leader shows a shared story on the portal's public pages (and in the committee's public feed), or takes
    it off them."""
    with transaction.atomic():
        story = _locked(story)
        if story.status != Story.Status.SHARED:
            raise StoryError(_("Only a story shared with the committee can be shown on the public pages."))
        if not can.is_leader(actor, story):
            raise StoryError(_("Only the workplace's leader decides whether a story is public."))
        if story.is_public == public:
            return story
        story.is_public = public
        story.save(update_fields=["is_public"])
        kind = StoryEvent.Kind.MADE_PUBLIC if public else StoryEvent.Kind.MADE_PRIVATE
        StoryEvent.objects.create(story=story, kind=kind, actor=actor)
        action = "story.made_public" if public else "story.made_private"
        audit_record(actor=actor, action=action, obj=story, data={"workplace": story.workplace.name})
    return story


def story_hide(*, story: Story, actor, reason: str) -> Story:
    """The secretariat hides a story, from the committee and the public pages; the author sees the reason."""
    reason = (reason or "").strip()
    with transaction.atomic():
        story = _locked(story)
        if not can.is_administrator(actor):
            raise StoryError(_("Only the secretariat hides a story."))
        if story.status == Story.Status.HIDDEN:
            raise StoryError(_("The story is already hidden."))
        if not reason:
            raise StoryError(_("Write why the story is hidden, so the author knows."))
        _refuse_cpr(reason)
        story.status = Story.Status.HIDDEN
        story.is_public = False
        story.hidden_reason = reason
        story.save(update_fields=["status", "is_public", "hidden_reason"])
        StoryEvent.objects.create(story=story, kind=StoryEvent.Kind.HIDDEN, actor=actor, note=reason)
        audit_record(actor=actor, action="story.hidden", obj=story, data={"workplace": story.workplace.name})
        _tell(
            [story.author],
            story,
            format_lazy(gettext_lazy("The secretariat hid your story: {title}"), title=story.title),
        )
    return story
