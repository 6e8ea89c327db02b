"""Committee meetings as calendar events (see ``meetings/ics.py`` for the writer): in the committee's public feed,
people's own feeds, the meeting's ``.ics`` file and the invitations the change notices carry."""

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from .. import ics
from ..models import Meeting, User
from .selectors import MeetingFeedRow


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{ics.host()}"


def meeting_event(meeting: Meeting, *, public: bool = False) -> ics.Event:
    """One event; ``meeting.committee`` and ``meeting.host`` should be loaded beforehand. The public feed leaves
    out the link to the portal's (signed-in) meeting page."""
    return meeting_events([meeting], public=public)[0]


def meeting_events(meetings: Iterable[Meeting], *, public: bool = False) -> list[ics.Event]:
    """The events of many meetings (see :func:`meeting_event`); ``committee``, ``host``, ``venue`` and
    ``venue_workplace`` should be loaded beforehand."""
    return meeting_row_events([_row(meeting) for meeting in meetings], public=public)


def _row(meeting: Meeting) -> MeetingFeedRow:
    room = meeting.borrowed_room
    return MeetingFeedRow(
        meeting.pk,
        meeting.sequence,
        meeting.starts_at,
        meeting.ends_at,
        meeting.status,
        meeting.committee.name,
        meeting.host.name if meeting.host else "",
        room.name if room else None,
        meeting.address,
        meeting.agenda_url,
        meeting.programme,
    )


def meeting_row_events(rows: Iterable[MeetingFeedRow], *, public: bool = False) -> list[ics.Event]:
    """The events of many :class:`~meetings.rotation.selectors.MeetingFeedRow`: the link, the host and the
    translated words are worked out once for the whole feed, not once a meeting."""
    link = ics.UrlTemplate("meetings:meeting-detail")
    uid_host = ics.host()
    on_site = _("On-site meeting of %(committee)s at %(host)s.")
    hosts_in = _("%(host)s hosts in %(venue)s.")
    agenda = _("The agenda: %(url)s")
    summary = _("%(committee)s at %(host)s")
    events = []
    for row in rows:
        url = link.url(row.pk)
        host, room = row.host, row.room
        description = [on_site % {"committee": row.committee, "host": host}]
        if host and room is not None:
            description.append(hosts_in % {"host": host, "venue": room})
        if row.agenda_url:
            description += ["", agenda % {"url": row.agenda_url}]
        if row.programme:
            description += ["", row.programme]
        if not public:
            description += ["", url]
        events.append(
            ics.Event(
                uid=f"meeting-{row.pk}@{uid_host}",
                sequence=row.sequence,
                starts_at=row.starts_at,
                ends_at=row.ends_at,
                summary=summary % {"committee": row.committee, "host": host},
                location=_location(room, row.address),
                description="\n".join(description),
                url=row.agenda_url if public and row.agenda_url else url,
                status="CANCELLED" if row.status == Meeting.Status.CANCELLED else "CONFIRMED",
            )
        )
    return events


def _location(room: str | None, address: str) -> str:
    return f"{room}, {address}" if room is not None and address else address


def meetings_calendar(
    meetings: Iterable[Meeting], *, name: str, public: bool = False, refresh: dt.timedelta | None = None
) -> bytes:
    return ics.calendar(meeting_events(meetings, public=public), name=name, refresh=refresh)


def invitation_method(meeting: Meeting, *, released: bool = False) -> str:
    """REQUEST while the meeting is on, CANCEL once it is cancelled or when it no longer concerns the person
    (``released``: a leader of the host that withdrew)."""
    return ics.CANCEL if released or meeting.status == Meeting.Status.CANCELLED else ics.REQUEST


def meeting_invitation(meeting: Meeting, person: User, *, released: bool = False) -> bytes:
    """The meeting as an invitation to one person, at the meeting's calendar revision."""
    return ics.invitation(
        meeting_event(meeting),
        method=invitation_method(meeting, released=released),
        attendee=ics.Party(person.full_name, person.email),
    )
