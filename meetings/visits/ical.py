"""iCalendar for visits, built with the ``icalendar`` library.

Times are written in Europe/Copenhagen with its VTIMEZONE, so calendars keep 10:00 as 10:00 across
summer time. The UID is stable per visit and SEQUENCE grows on every change, so a moved or
cancelled visit updates the entry already in people's calendars instead of adding a new one.
"""

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Visit

CONTENT_TYPE = "text/calendar; charset=utf-8"
_STATUS = {
    Visit.Status.REQUESTED: "TENTATIVE",
    Visit.Status.CONFIRMED: "CONFIRMED",
    Visit.Status.HELD: "CONFIRMED",
    Visit.Status.DECLINED: "CANCELLED",
    Visit.Status.CANCELLED: "CANCELLED",
}


def _host() -> str:
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "dialogportalen"


def visit_uid(visit: Visit) -> str:
    return f"visit-{visit.pk}@{_host()}"


def visit_event(visit: Visit, *, tz: ZoneInfo) -> icalendar.Event:
    """One VEVENT; ``visit.workplace`` and ``visit.participants`` should be loaded beforehand."""
    event = icalendar.Event()
    event.add("uid", visit_uid(visit))
    event.add("sequence", visit.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", visit.starts_at.astimezone(tz))
    event.add("dtend", visit.ends_at.astimezone(tz))
    event.add("summary", _("Visit: %(workplace)s") % {"workplace": visit.workplace.name})
    event.add("location", visit.workplace.address)
    url = f"{settings.PORTAL_BASE_URL}{visit.get_absolute_url()}"
    event.add("url", url)
    names = ", ".join(p.person.full_name for p in visit.participants.all())
    description = [visit.purpose, "", _("Participants: %(names)s") % {"names": names}]
    if visit.slot.offer.practical_notes:
        description += ["", visit.slot.offer.practical_notes]
    description += ["", url]
    event.add("description", "\n".join(description))
    event.add("status", _STATUS[visit.status])
    return event


def calendar_for(visits: Iterable[Visit], *, name: str) -> bytes:
    """A VCALENDAR with the visits and the VTIMEZONE they refer to."""
    tz = ZoneInfo(settings.TIME_ZONE)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Dialogportalen//Visits//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    visits = list(visits)
    for visit in visits:
        cal.add_component(visit_event(visit, tz=tz))
    if visits:
        # Rules from a year before the first visit up to a year after the last keep the file small.
        first = min(v.starts_at for v in visits).date() - dt.timedelta(days=366)
        last = max(v.ends_at for v in visits).date() + dt.timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()
