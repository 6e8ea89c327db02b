"""A small, fast iCalendar (RFC 5545) writer for the portal's calendar feeds and ``.ics`` attachments.

Measured, the ``icalendar`` library's serialiser costs about 0.4 ms an event, so a busy person's feed of 1,000
events took 400 ms. The events here have a fixed, simple shape, so they are written line by line (text escaped
per RFC 5545 §3.3.11, lines folded at 75 octets per §3.1); ``icalendar`` still builds the Europe/Copenhagen
VTIMEZONE (cached per range of years) and parses the output in the tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class Event:
    uid: str
    sequence: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    location: str
    description: str
    url: str
    status: str  # TENTATIVE, CONFIRMED or CANCELLED


def host() -> str:
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "dialogportalen"


def escape(text: str) -> str:
    return (
        (text or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # a continuation byte: step back
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with a space
    return "\r\n ".join(parts)


def _local(moment: dt.datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y%m%dT%H%M%S")


def _event_lines(event: Event, *, tz: ZoneInfo, tzid: str, stamp: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        fold(f"UID:{escape(event.uid)}"),
        f"SEQUENCE:{event.sequence}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;TZID={tzid}:{_local(event.starts_at, tz)}",
        f"DTEND;TZID={tzid}:{_local(event.ends_at, tz)}",
        fold(f"SUMMARY:{escape(event.summary)}"),
        fold(f"LOCATION:{escape(event.location)}"),
        fold(f"URL:{event.url}"),
        fold(f"DESCRIPTION:{escape(event.description)}"),
        f"STATUS:{event.status}",
        "END:VEVENT",
    ]


@lru_cache(maxsize=32)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> str:
    component = icalendar.Timezone.from_tzid(
        tzid, first_date=dt.date(first_year, 1, 1), last_date=dt.date(last_year, 12, 31)
    )
    return component.to_ical().decode("utf-8").strip()


def calendar(events: list[Event], *, name: str) -> bytes:
    """A VCALENDAR with the events and the VTIMEZONE they refer to (a year either side of them)."""
    tzid = settings.TIME_ZONE
    tz = ZoneInfo(tzid)
    stamp = timezone.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Dialogportalen//Calendar//DA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        fold(f"X-WR-CALNAME:{escape(name)}"),
        f"X-WR-TIMEZONE:{tzid}",
    ]
    if events:
        first = min(e.starts_at for e in events).astimezone(tz).year - 1
        last = max(e.ends_at for e in events).astimezone(tz).year + 1
        lines.append(_vtimezone(tzid, first, last))
    for event in events:
        lines += _event_lines(event, tz=tz, tzid=tzid, stamp=stamp)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")
