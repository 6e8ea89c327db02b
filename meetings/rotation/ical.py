"""Committee meetings as calendar events (see ``meetings/ics.py`` for the writer)."""

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _

from .. import ics
from ..models import Meeting


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{ics.host()}"


def meeting_event(meeting: Meeting, *, public: bool = False) -> ics.Event:
    """One event; ``meeting.committee`` and ``meeting.host`` should be loaded beforehand. The public feed leaves
    out the link to the portal's (signed-in) meeting page."""
    url = f"{settings.PORTAL_BASE_URL}{meeting.get_absolute_url()}"
    host = meeting.host.name if meeting.host else ""
    description = [
        _("On-site meeting of %(committee)s at %(host)s.") % {"committee": meeting.committee.name, "host": host}
    ]
    if meeting.agenda_url:
        description += ["", _("The agenda: %(url)s") % {"url": meeting.agenda_url}]
    if meeting.programme:
        description += ["", meeting.programme]
    if not public:
        description += ["", url]
    return ics.Event(
        uid=meeting_uid(meeting),
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=_("%(committee)s at %(host)s") % {"committee": meeting.committee.name, "host": host},
        location=meeting.address,
        description="\n".join(description),
        url=meeting.agenda_url if public and meeting.agenda_url else url,
        status="CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED",
    )


def meetings_calendar(meetings: Iterable[Meeting], *, name: str, public: bool = False) -> bytes:
    return ics.calendar([meeting_event(m, public=public) for m in meetings], name=name)
