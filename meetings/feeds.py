"""The calendar feeds' versions (issue 19): a feed's ETag and its kept body are keyed by versions that every change
to what the feed shows replaces (core/versioned_cache.py), so an unchanged feed is answered without reading its
events: a ``304 Not Modified`` or the kept body after one query (the feed's token).

A person's feed (``dialog_portal/calendar.py``) shows their visits (as participant, and at the workplaces they
lead) and the meetings of their committees, of the workplaces they have a role at (host or guest) and those where
they present a matter. It is valid under these versions:

- everyone's (:data:`FEEDS_VERSION_KEY`): replaced by a change that shows in many feeds (a workplace's, committee's
  or venue's name or address, a person's name, an offer's practical notes) and, with the roles' shared version that
  is part of every feed's versions, by the bulk writes that bump that one (the import, erasure, the demo);
- the person's own and their roles' (which workplaces and committees they belong to): their visits as participant
  (and their fellow participants' visits, whose names the events show) and their presentations (foretræde);
- each of their workplaces': visits at it, meetings it hosts or is invited to;
- each of their committees': its meetings and its plans (the committee's public feed uses it too).

The signals below replace them on every save and delete. ``bulk_create()`` and ``update()`` send none: the QuerySets
of a visit's participants and of a meeting's invitations are ``VersionBumpingQuerySet`` that replace the versions
their rows name (the people, the visit's or the invitation's workplace), so the visit booking and the rotation write
them in bulk without a hand bump; the import, erasure and the demo bump the roles' shared version (see
``meetings/models/organisation.py``), which every feed is keyed by too. Other bulk writes of what a feed shows call
:func:`feeds_version_bump` by hand.

The window of past events moves with the day (:func:`window_start`), so the day is in the ETag as well: an event
that passes out of the window leaves the feed at the first fetch of the next day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from core.versioned_cache import version_bump, versions_read

from .models import (
    FEEDS_VERSION_KEY,
    Committee,
    Matter,
    Meeting,
    MeetingDate,
    MeetingInvitation,
    Presentation,
    RotationPlan,
    Venue,
    Visit,
    VisitOffer,
    VisitParticipant,
    Workplace,
    feeds_version_keys,
    roles_version_keys,
)


def feeds_version_bump(
    *,
    people: Iterable[int | None] = (),
    workplaces: Iterable[int | None] = (),
    committees: Iterable[int | None] = (),
    everyone: bool = False,
) -> None:
    """The feeds of these people, of everyone at these workplaces and in these committees (or of everyone) have
    changed: their ETags and kept bodies are out of date from now on."""
    keys = feeds_version_keys(people=people, workplaces=workplaces, committees=committees, everyone=everyone)
    for key in sorted(keys):
        version_bump(key)


def person_feed_version_keys(user) -> list[str]:
    """The keys of the versions the person's feed (and my calendar, which shows the same) is valid under."""
    roles = user.roles
    keys = [FEEDS_VERSION_KEY, *roles_version_keys(user.pk), *feeds_version_keys(people=[user.pk])]
    keys += [key for pk in sorted(roles.committee_ids) for key in feeds_version_keys(committees=[pk])]
    keys += [key for pk in sorted(roles.workplace_roles) for key in feeds_version_keys(workplaces=[pk])]
    return keys


def person_feed_versions(user) -> tuple[str, ...]:
    """The versions the person's feed is valid under (two round trips to the cache, no query once roles are kept)."""
    return tuple(versions_read(person_feed_version_keys(user)))


def committee_feed_versions(committee_id: int) -> tuple[str, ...]:
    """The versions a committee's public feed is valid under: its meetings and plans, and everyone's."""
    return tuple(versions_read([FEEDS_VERSION_KEY, *feeds_version_keys(committees=[committee_id])]))


def window_start(days: int, *, today: dt.date | None = None) -> dt.datetime:
    """Where a feed's window of past events begins: local midnight ``days`` before today. By the day, not by the
    moment, so the window (and the ETag that names the day) stays the same all day."""
    day = (today or timezone.localdate()) - dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())


# --- What bumps them ------------------------------------------------------------------------------------------------

_VISIT_FIELDS = {"sequence", "starts_at", "ends_at", "status", "purpose", "slot", "workplace"}


def _touches(update_fields, fields: set[str]) -> bool:
    return update_fields is None or bool(set(update_fields) & fields)


def _participants(visit_id: int) -> list[int]:
    return list(VisitParticipant.objects.filter(visit_id=visit_id).values_list("person_id", flat=True))


def _presenters(**matter) -> list[int]:
    """The people whose presentation (foretræde) was accepted in these matters: meetings show in their feeds."""
    filters = {f"hearing__matter__{name}": value for name, value in matter.items()}
    return list(
        Presentation.objects.filter(status=Presentation.Status.ACCEPTED, **filters)
        .values_list("requested_by_id", flat=True)
        .distinct()
    )


@receiver(post_save, sender=Visit)
def _visit_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not _touches(update_fields, _VISIT_FIELDS):
        return
    people = () if created else _participants(instance.pk)  # a new visit's participants are added after it
    feeds_version_bump(people=people, workplaces=[instance.workplace_id])


@receiver(post_delete, sender=Visit)
def _visit_deleted(sender, instance, **kwargs):
    feeds_version_bump(workplaces=[instance.workplace_id])  # its participants were deleted first (and bumped)


@receiver(post_save, sender=VisitParticipant)
@receiver(post_delete, sender=VisitParticipant)
def _participant_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # The fellow participants' feeds name everyone who takes part.
    workplace = Visit.objects.filter(pk=instance.visit_id).values_list("workplace_id", flat=True).first()
    feeds_version_bump(people=[instance.person_id, *_participants(instance.visit_id)], workplaces=[workplace])


@receiver(post_save, sender=VisitOffer)
def _offer_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if not raw and not created and _touches(update_fields, {"practical_notes"}):
        feeds_version_bump(everyone=True)  # the notes show in every participant's feed


@receiver(post_save, sender=Workplace)
@receiver(post_save, sender=Committee)
@receiver(post_save, sender=Venue)
def _shown_name_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if not raw and not created and _touches(update_fields, {"name", "address"}):
        feeds_version_bump(everyone=True)


@receiver(post_delete, sender=Workplace)
@receiver(post_delete, sender=Committee)
@receiver(post_delete, sender=Venue)
def _shown_name_deleted(sender, instance, **kwargs):
    feeds_version_bump(everyone=True)


@receiver(pre_save, sender=Meeting)
def _meeting_saving(sender, instance, raw=False, **kwargs):
    """Remember the host and committee as stored: a meeting that moves to another host leaves the old one's feeds."""
    instance._feeds_stored = None
    if not raw and not instance._state.adding and instance.pk is not None:
        instance._feeds_stored = Meeting.objects.filter(pk=instance.pk).values_list("host_id", "committee_id").first()


@receiver(post_save, sender=Meeting)
def _meeting_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    old_host, old_committee = getattr(instance, "_feeds_stored", None) or (None, None)
    guests = MeetingInvitation.objects.filter(meeting_id=instance.pk).values_list("workplace_id", flat=True)
    feeds_version_bump(
        people=_presenters(committee_id=instance.committee_id),
        workplaces=[instance.host_id, old_host, *guests],
        committees=[instance.committee_id, old_committee],
    )


@receiver(post_delete, sender=Meeting)
def _meeting_deleted(sender, instance, **kwargs):
    feeds_version_bump(workplaces=[instance.host_id], committees=[instance.committee_id])


@receiver(post_save, sender=MeetingInvitation)
@receiver(post_delete, sender=MeetingInvitation)
def _invitation_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        feeds_version_bump(workplaces=[instance.workplace_id])


@receiver(post_save, sender=RotationPlan)
@receiver(post_delete, sender=RotationPlan)
def _plan_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        feeds_version_bump(committees=[instance.committee_id])  # the public feed shows the published plan's


@receiver(post_save, sender=Presentation)
@receiver(post_delete, sender=Presentation)
def _presentation_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        feeds_version_bump(people=[instance.requested_by_id])


@receiver(post_save, sender=Matter)
def _matter_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if not raw and not created and _touches(update_fields, {"meeting_date", "committee"}):
        feeds_version_bump(people=_presenters(pk=instance.pk))


@receiver(post_save, sender=MeetingDate)
def _meeting_date_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if not raw and not created and _touches(update_fields, {"date"}):
        feeds_version_bump(people=_presenters(meeting_date_id=instance.pk))
