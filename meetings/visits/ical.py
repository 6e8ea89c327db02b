"""Visits as calendar events (see ``meetings/ics.py`` for the writer).

Times are written in Europe/Copenhagen with its VTIMEZONE, so calendars keep 10:00 as 10:00 across
summer time. The UID is stable per visit and SEQUENCE grows on every change, so a moved or
cancelled visit updates the entry already in people's calendars instead of adding a new one: in the feed, in the
``.ics`` file and in the invitations the e-mails carry (:func:`visit_invitation`).
"""

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _

from .. import ics
from ..models import User, Visit

CONTENT_TYPE = ics.CONTENT_TYPE
_STATUS = {
    Visit.Status.REQUESTED: "TENTATIVE",
    Visit.Status.CONFIRMED: "CONFIRMED",
    Visit.Status.HELD: "CONFIRMED",
    Visit.Status.DECLINED: "CANCELLED",
    Visit.Status.CANCELLED: "CANCELLED",
    # Did not take place: calendars no longer show it as confirmed (a late cancellation is CANCELLED above).
    Visit.Status.NO_SHOW: "CANCELLED",
}


def visit_uid(visit) -> str:
    """The visit's UID, the same in the feed, the ``.ics`` file and every invitation (``visit`` or a feed row)."""
    return f"visit-{visit.pk}@{ics.host()}"


def feed_event(row) -> ics.Event:
    """One event from a :class:`~meetings.visits.selectors.FeedRow` (the feed's fast path, no model objects)."""
    return feed_events([row])[0]


def feed_events(rows: Iterable) -> list[ics.Event]:
    """The events of many :class:`~meetings.visits.selectors.FeedRow`: the link, the host and the translated words
    are worked out once for the whole feed, not once an event (a busy person's feed holds a thousand)."""
    link = ics.UrlTemplate("meetings:visit-detail")
    uid = f"@{ics.host()}"
    participants = ics.Wording(_("Participants: %(names)s"), "names").format
    summary = ics.Wording(_("Visit: %(workplace)s"), "workplace").format
    url_of, make, statuses = link.url, ics.Event._make, _STATUS
    events = []
    for pk, sequence, starts_at, ends_at, status, purpose, workplace, address, notes, names in rows:
        url = url_of(pk)
        people = participants(", ".join(names))
        description = f"{purpose}\n\n{people}\n\n{notes}\n\n{url}" if notes else f"{purpose}\n\n{people}\n\n{url}"
        events.append(
            make(
                (
                    f"visit-{pk}{uid}",
                    sequence,
                    starts_at,
                    ends_at,
                    summary(workplace),
                    address,
                    description,
                    url,
                    statuses[status],
                )
            )
        )
    return events


def visit_event(visit: Visit) -> ics.Event:
    """One event; ``visit.workplace``, ``visit.slot.offer`` and ``visit.participants`` should be loaded beforehand."""
    url = f"{settings.PORTAL_BASE_URL}{visit.get_absolute_url()}"
    names = ", ".join(p.person.full_name for p in visit.participants.all())
    description = [visit.purpose, "", _("Participants: %(names)s") % {"names": names}]
    if visit.slot.offer.practical_notes:
        description += ["", visit.slot.offer.practical_notes]
    description += ["", url]
    return ics.Event(
        uid=visit_uid(visit),
        sequence=visit.sequence,
        starts_at=visit.starts_at,
        ends_at=visit.ends_at,
        summary=_("Visit: %(workplace)s") % {"workplace": visit.workplace.name},
        location=visit.workplace.address,
        description="\n".join(description),
        url=url,
        status=_STATUS[visit.status],
    )


def calendar_for(visits: Iterable[Visit], *, name: str) -> bytes:
    """A VCALENDAR with the visits and the VTIMEZONE they refer to."""
    return ics.calendar([visit_event(v) for v in visits], name=name)


def invitation_method(visit: Visit) -> str:
    """REQUEST while the visit is on (booked, confirmed, moved), CANCEL once it is declined or cancelled."""
    return ics.REQUEST if visit.status in Visit.ACTIVE_STATUSES else ics.CANCEL


def visit_invitation(visit: Visit, person: User) -> bytes:
    """The visit as an invitation to one person, at the visit's calendar revision (see :func:`visit_event`)."""
    return ics.invitation(
        visit_event(visit), method=invitation_method(visit), attendee=ics.Party(person.full_name, person.email)
    )
