"""A small, fast iCalendar (RFC 5545) writer for the portal's calendar feeds, ``.ics`` files and invitations.

Measured, the ``icalendar`` library's serialiser costs about 0.4 ms an event, so a busy person's feed of 1,000
events took 400 ms. The events here have a fixed, simple shape, so they are written line by line (text escaped
per RFC 5545 §3.3.11, control characters dropped, lines folded at 75 octets per §3.1).

The VTIMEZONE is written here too, the way Outlook and Google write theirs: one STANDARD and one DAYLIGHT
observance, each with a yearly RRULE. The ``icalendar`` library's own VTIMEZONE lists the changes as
comma-separated RDATE values, and ical.js (Thunderbird) and ``vobject`` read only the first of them: every summer
after the first came out an hour off. ``tests/calendars`` reads every kind of file the portal serves with three
independent parsers to keep it so.

Three kinds of document:
- :func:`calendar`: ``METHOD:PUBLISH`` for feeds (with a refresh hint) and ``.ics`` downloads;
- :func:`invitation`: iTIP (RFC 5546) ``METHOD:REQUEST`` or ``CANCEL`` for one recipient, with ORGANIZER and
  ATTENDEE, so a mail client updates the entry it has (same UID, higher SEQUENCE) instead of adding a copy;
- :func:`feed_response`: a feed's HTTP answer, ``304 Not Modified`` without building the body when the
  calendar app already has this version (:func:`etag`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parseaddr
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response

CONTENT_TYPE = "text/calendar; charset=utf-8"
# Raise when what the writer puts out changes, so every feed's ETag changes with it and calendar apps fetch anew.
FORMAT = 2
# How often a subscribed calendar should look again (REFRESH-INTERVAL, X-PUBLISHED-TTL). An unchanged feed costs
# a 304 (see :func:`feed_response`), so an hour keeps moves and cancellations timely at little cost.
FEED_REFRESH = dt.timedelta(hours=1)

# iTIP methods (RFC 5546).
PUBLISH, REQUEST, CANCEL = "PUBLISH", "REQUEST", "CANCEL"


class Event(NamedTuple):
    """One calendar event (a named tuple: a feed makes a thousand, five times as fast as a frozen dataclass)."""

    uid: str
    sequence: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    location: str
    description: str
    url: str
    status: str  # TENTATIVE, CONFIRMED or CANCELLED


@dataclass(frozen=True)
class Party:
    """An ORGANIZER or ATTENDEE: a name and an e-mail address."""

    name: str
    email: str


def host() -> str:
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "dialogportalen"


class UrlTemplate:
    """A page's full address (``PORTAL_BASE_URL`` and path) for many objects, reversed once: a feed of a thousand
    events asks for a thousand links to the same page, and ``reverse()`` costs about 20 µs each time."""

    # An id no object has: reversed once, then replaced by each object's id.
    _PLACEHOLDER = 987654321987654321

    def __init__(self, viewname: str):
        path = reverse(viewname, args=[self._PLACEHOLDER])
        before, marker, after = path.partition(str(self._PLACEHOLDER))
        if not marker or str(self._PLACEHOLDER) in after:
            raise ValueError(f"{viewname} does not take one id in its path")
        self._before = f"{settings.PORTAL_BASE_URL}{before}"
        self._after = after

    def url(self, pk: int) -> str:
        return f"{self._before}{int(pk)}{self._after}"


class Wording:
    """A translated text with one named placeholder (``"Visit: %(workplace)s"``), filled in for many values the
    same as ``text % {name: value}``, without building the mapping and reading the text every time."""

    _MARK = "\x00"  # stands for the value while the text is split around it

    def __init__(self, text: str, name: str):
        self._text, self._name = text, name
        self._parts = None if self._MARK in text else (text % {name: self._MARK}).split(self._MARK)

    def format(self, value: str) -> str:
        if self._parts is None:  # a text that holds the mark itself
            return self._text % {self._name: value}
        return value.join(self._parts)


def organizer() -> Party:
    """The portal as the organiser of its invitations: the sender of its e-mails (``DEFAULT_FROM_EMAIL``), named
    by that address's display name, or "Dialogportalen, <municipality>"."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return Party(name=name or f"Dialogportalen, {settings.PORTAL_MUNICIPALITY_NAME}", email=address)


# --- Text ---------------------------------------------------------------------------------------------------------

# Line breaks of every kind: CR LF, CR, LF, NEL, the Unicode line and paragraph separators, and the vertical tab
# and form feed Word writes for a manual line or page break (they come along when text is pasted from it).
_LINE_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
# The other control characters RFC 5545 does not allow in a value (all but TAB), C1 controls and lone surrogates:
# one of them in a visit's purpose made some parsers reject the whole feed.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean(text: str) -> str:
    """User text without the characters a calendar cannot carry; line breaks become ``\\n``."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text or ""))


# Every character :func:`escape` changes: line breaks, the controls :func:`clean` drops, and the four it escapes.
# Text without any (most names and addresses) is written as it is, without the four passes.
_ESCAPED = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\\\\;,]")


# What :func:`clean` changes besides a plain LF: text with none of it (most purposes and notes) skips its passes.
_UNCLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11)."""
    if text and not _ESCAPED.search(text):
        return text
    if not text or _UNCLEAN.search(text):
        text = clean(text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


# Every character :func:`_uri` drops (and the tab, which it keeps: such a value takes the slow way).
_ESCAPED_URI = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _uri(value: str) -> str:
    if value and not _ESCAPED_URI.search(value):
        return value
    return _CONTROLS.sub("", _LINE_BREAKS.sub("", value or ""))


def _param(value: str) -> str:
    """A quoted parameter value (RFC 5545 §3.2): no controls, no line breaks, no double quotes."""
    return '"' + _CONTROLS.sub("", _LINE_BREAKS.sub(" ", value or "")).replace('"', "'") + '"'


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never inside a UTF-8 character."""
    if len(line) <= 75 and line.isascii():  # one octet a character: short enough
        return line
    data = line.encode("utf-8")
    size = len(data)
    if size <= 75:
        return line
    if size == len(line):  # ASCII: one octet a character, cut by slicing
        return "\r\n ".join([line[:75], *(line[i : i + 74] for i in range(75, size, 74))])
    parts, start, end = [], 0, 75
    while end < size:
        while (data[end] & 0xC0) == 0x80:  # a continuation byte: step back
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, end = end, end + 74  # continuation lines start with a space
    parts.append(data[start:].decode("utf-8"))
    return "\r\n ".join(parts)


def _duration(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes or not hours else "")


# --- Times and the VTIMEZONE --------------------------------------------------------------------------------------


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _time_property(name: str, moment: dt.datetime, tz: ZoneInfo, tzid: str) -> str:
    local = moment.astimezone(tz)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        # The hour before winter time happens twice. RFC 5545 §3.3.5 reads a local time there as its first run,
        # ical.js as its second: either run is written in UTC, which all of them read alike.
        return f"{name}:{_utc(moment)}"
    return f"{name};TZID={tzid}:{local.strftime('%Y%m%dT%H%M%S')}"


class _LocalTimes:
    """:func:`_time_property` for the many times of one document, written the same, faster: the check for the
    repeated hour runs only on the days the zone turns its clocks back (found once per zone and range of years),
    and each local day's digits and each time of day's are formatted once per process (a feed's thousand events
    fall on a few hundred days and at a few dozen times of day, the same from one build to the next)."""

    def __init__(self, tz: ZoneInfo, tzid: str, first_year: int, last_year: int):
        self._tz = tz
        self._tzid = tzid
        self._back_days = _clocks_back_days(tzid, first_year, last_year)

    def properties(self, name: str, moments: Iterable[dt.datetime]) -> list[str]:
        """``name`` with each of the moments, in order."""
        tz, tzid, back_days = self._tz, self._tzid, self._back_days
        written = []
        for moment in moments:
            local = moment.astimezone(tz)
            day = local.toordinal()
            if day in back_days:
                written.append(_time_property(name, moment, tz, tzid))
            else:
                written.append(name + _day_digits(tzid, day) + _clock_digits(local.hour, local.minute, local.second))
        return written


@lru_cache(maxsize=4096)
def _day_digits(tzid: str, day: int) -> str:
    """``;TZID=…:YYYYMMDDT`` for a local day (an ordinal)."""
    date = dt.date.fromordinal(day)
    return f";TZID={tzid}:{date.year:04d}{date.month:02d}{date.day:02d}T"


@lru_cache(maxsize=4096)
def _clock_digits(hour: int, minute: int, second: int) -> str:
    return f"{hour:02d}{minute:02d}{second:02d}"


@lru_cache(maxsize=32)
def _clocks_back_days(tzid: str, first_year: int, last_year: int) -> frozenset[int]:
    """The local days (as ordinals, with the day on each side) on which the zone's offset falls in the years."""
    tz = ZoneInfo(tzid)
    days = set()
    for year in range(first_year, last_year + 1):
        for change in _changes(tz, year):
            if change.offset_to < change.offset_from:
                day = change.at.astimezone(tz).toordinal()
                days.update((day - 1, day, day + 1))
    return frozenset(days)


@dataclass(frozen=True)
class _Change:
    """A change of the zone's rules: the UTC moment, the offsets before and after, and what holds after it."""

    at: dt.datetime
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    dst: bool
    name: str

    @property
    def onset(self) -> dt.datetime:
        """The wall-clock time of the change, read in the time before it (how a VTIMEZONE's DTSTART is written)."""
        return (self.at + self.offset_from).replace(tzinfo=None)


def _state(tz: ZoneInfo, moment: dt.datetime) -> tuple:
    local = moment.astimezone(tz)
    return local.utcoffset(), bool(local.dst()), local.tzname()


@lru_cache(maxsize=256)
def _changes(tz: ZoneInfo, year: int) -> tuple[_Change, ...]:
    """Every change in the year, found day by day and then to the second by halving."""
    moment = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
    day = dt.timedelta(days=1)
    found = []
    while moment < end:
        before, after = _state(tz, moment), _state(tz, moment + day)
        if before != after:
            low, high = moment, moment + day
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (middle, high) if _state(tz, middle) == before else (low, middle)
            found.append(_Change(high, before[0], after[0], after[1], after[2]))
        moment += day
    return tuple(found)


def _offset(delta: dt.timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _byday(day: dt.date) -> tuple[str, int]:
    """The weekday in the month as RRULE writes it: ``-1SU`` in the month's last week, ``2SU`` otherwise."""
    next_month = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if (next_month - day).days <= 7:
        return f"-1{_WEEKDAYS[day.weekday()]}", day.month
    return f"{(day.day - 1) // 7 + 1}{_WEEKDAYS[day.weekday()]}", day.month


def _observance(change: _Change, *, rrule: str = "") -> list[str]:
    kind = "DAYLIGHT" if change.dst else "STANDARD"
    lines = [
        f"BEGIN:{kind}",
        f"DTSTART:{change.onset:%Y%m%dT%H%M%S}",
        f"TZOFFSETFROM:{_offset(change.offset_from)}",
        f"TZOFFSETTO:{_offset(change.offset_to)}",
    ]
    if rrule:
        lines.append(rrule)
    if change.name:
        lines.append(fold(f"TZNAME:{escape(change.name)}"))
    lines.append(f"END:{kind}")
    return lines


def _yearly_rule(years: list[list[_Change]]) -> list[str] | None:
    """Two observances with yearly RRULEs, if every year of the range changes twice by the same rule."""
    if any(len(changes) != 2 for changes in years):
        return None
    lines = []
    for k in (0, 1):
        first = years[0][k]
        rule = {
            (c.offset_from, c.offset_to, c.dst, c.name, c.onset.time(), _byday(c.onset.date()))
            for c in (changes[k] for changes in years)
        }
        if len(rule) != 1:
            return None
        byday, month = _byday(first.onset.date())
        lines += _observance(first, rrule=f"RRULE:FREQ=YEARLY;BYMONTH={month};BYDAY={byday}")
    return lines


@lru_cache(maxsize=32)
def vtimezone(tzid: str, first_year: int, last_year: int) -> str:
    """The zone's VTIMEZONE, correct for every moment from ``first_year`` to ``last_year``.

    A zone with summer time by one yearly rule (Europe/Copenhagen: the last Sunday of March at 02:00 to the last
    Sunday of October at 03:00) gets two observances with RRULEs, starting in ``first_year``. A zone whose rules
    changed in the range gets one observance per change; one without changes a single observance."""
    tz = ZoneInfo(tzid)
    years = [_changes(tz, year) for year in range(first_year, last_year + 1)]
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}", f"X-LIC-LOCATION:{tzid}"]
    rule = _yearly_rule(years)
    if rule is None:
        start = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
        offset, dst, name = _state(tz, start)
        # What holds when the range begins, then each change on its own (never RDATE lists: see the module).
        lines += _observance(_Change(start - offset, offset, offset, dst, name))
        for change in (c for changes in years for c in changes):
            lines += _observance(change)
    else:
        lines += rule
    lines.append("END:VTIMEZONE")
    return "\r\n".join(lines)


# --- Documents ----------------------------------------------------------------------------------------------------


# Joins the text values of a whole document for :func:`_escape_all`: one character, which :func:`escape` leaves as it
# is, from Latin-1 (a text of Danish and English stays one octet a character, which the passes read twice as fast)
# and seldom typed; a value that holds it is escaped on its own.
_SEPARATOR = "\xa4"  # ¤


def _escape_all(values: list[str]) -> list[str]:
    """``[escape(v) for v in values]`` in one pass over them all, the same: :func:`escape` changes each character,
    or a CR LF pair, on its own, and leaves the separator between the values as it is. A feed has four thousand."""
    joined = _SEPARATOR.join(values)
    if joined.count(_SEPARATOR) != len(values) - 1:  # a value holds the separator itself
        return [escape(value) for value in values]
    if not joined.replace("\n", " ").isprintable():  # something to clean: printable text has no control character
        joined = clean(joined)
    return joined.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n").split(_SEPARATOR)


def _fold_octets(line: bytes) -> bytes:
    """:func:`fold` of a line already encoded: chunks of at most 75 octets, never inside a UTF-8 character."""
    size = len(line)
    parts, start, end = [], 0, 75
    while end < size:
        while (line[end] & 0xC0) == 0x80:  # a continuation byte: step back
            end -= 1
        parts.append(line[start:end])
        start, end = end, end + 74  # continuation lines start with a space
    parts.append(line[start:])
    return b"\r\n ".join(parts)


def _fold_all(data: bytes) -> bytes:
    """Every content line of an encoded document folded (:func:`fold`), in one pass: the values are escaped or
    cleaned, so a CR LF only ever ends a line, and a line folded already is left as it is."""
    return b"\r\n".join([line if len(line) <= 75 else _fold_octets(line) for line in data.split(b"\r\n")])


def _event_texts(events: list[Event], *, times: _LocalTimes, stamp: str, people: str, status: str = "") -> list[str]:
    """The VEVENTs, each one string of its lines, not yet folded (see :func:`_fold_all`); ``status`` overrides the
    events' own. A feed writes a thousand: the text values of all of them are escaped together."""
    starts = times.properties("DTSTART", [event.starts_at for event in events])
    ends = times.properties("DTEND", [event.ends_at for event in events])
    values = _escape_all(
        [value for event in events for value in (event.uid, event.summary, event.location, event.description)]
    )
    texts = []
    for event, start, end, uid, summary, location, description in zip(
        events, starts, ends, values[0::4], values[1::4], values[2::4], values[3::4], strict=True
    ):
        url = event.url
        if not (url.isascii() and url.isprintable()):  # printable ASCII (the portal's links) has nothing to drop
            url = _uri(url)
        texts.append(
            f"BEGIN:VEVENT\r\nUID:{uid}\r\nSEQUENCE:{event.sequence}\r\nDTSTAMP:{stamp}\r\n"
            f"{start}\r\n{end}\r\n"
            f"SUMMARY:{summary}\r\nLOCATION:{location}\r\nURL:{url}\r\nDESCRIPTION:{description}\r\n"
            f"STATUS:{status or event.status}\r\n{people}END:VEVENT"
        )
    return texts


def _document(events: list[Event], *, method: str, header: list[str], people: tuple[str, ...] = ()) -> bytes:
    tzid = settings.TIME_ZONE
    tz = ZoneInfo(tzid)
    stamp = _utc(timezone.now())
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Dialogportalen//Calendar//DA",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        *header,
    ]
    body = ""
    if events:
        first = min(e.starts_at for e in events).astimezone(tz).year - 1
        last = max(e.ends_at for e in events).astimezone(tz).year + 1
        head.append(vtimezone(tzid, first, last))
        times = _LocalTimes(tz, tzid, first, last)
        attendees = "".join(f"{line}\r\n" for line in people)
        status = "CANCELLED" if method == CANCEL else ""
        body = "\r\n".join(_event_texts(events, times=times, stamp=stamp, people=attendees, status=status)) + "\r\n"
    # The head and the events are encoded apart: a character beyond Latin-1 in the calendar's name (its dash) would
    # make Python hold all the events at two octets a character, and every pass over them slower.
    return _fold_all(("\r\n".join(head) + "\r\n").encode("utf-8") + body.encode("utf-8") + b"END:VCALENDAR\r\n")


def calendar(events: list[Event], *, name: str, refresh: dt.timedelta | None = None) -> bytes:
    """A published VCALENDAR (a feed or a download) with the events and the VTIMEZONE they refer to. A feed
    passes ``refresh``: how often a subscribed calendar should fetch it again."""
    header = [fold(f"X-WR-CALNAME:{escape(name)}"), f"X-WR-TIMEZONE:{settings.TIME_ZONE}"]
    if refresh is not None:
        header += [f"REFRESH-INTERVAL;VALUE=DURATION:{_duration(refresh)}", f"X-PUBLISHED-TTL:{_duration(refresh)}"]
    return _document(events, method=PUBLISH, header=header)


def invitation(event: Event, *, method: str, attendee: Party, sender: Party | None = None) -> bytes:
    """An iTIP invitation (``REQUEST``) or cancellation (``CANCEL``) of one event for one recipient, from the portal
    (``sender``, by default :func:`organizer`). Replies are not read, so none is asked for (``RSVP=FALSE``)."""
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"An invitation is a REQUEST or a CANCEL, not {method}.")
    sender = sender or organizer()
    people = [
        fold(f"ORGANIZER;CN={_param(sender.name)}:mailto:{_uri(sender.email)}"),
        fold(
            f"ATTENDEE;CN={_param(attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE"
            f":mailto:{_uri(attendee.email)}"
        ),
    ]
    return _document([event], method=method, header=[], people=tuple(people))


# --- Feeds over HTTP ----------------------------------------------------------------------------------------------


def etag(*parts) -> str:
    """A weak ETag for a feed made of ``parts``: what names the feed and the versions of what it shows
    (``meetings/feeds.py``), read without reading its events. It changes with them, with the language, the portal's
    address, the time zone and the writer's :data:`FORMAT`; it does not change with DTSTAMP, hence weak."""
    key = repr((FORMAT, settings.PORTAL_BASE_URL, settings.TIME_ZONE, translation.get_language(), parts))
    return f'W/"{hashlib.blake2b(key.encode("utf-8"), digest_size=16).hexdigest()}"'


# How long a feed's built body is kept: two of the calendar apps' hourly fetches. The key is the feed's ETag, so a
# change anywhere in what the feed shows is a new key at once (never a stale feed); the time bounds the cache's
# memory (a busy person's body is about 600 KB) and what a translation changed by a release could leave.
BODY_CACHE_SECONDS = int(2 * FEED_REFRESH.total_seconds())


def feed_response(request, *, tag: str, body: Callable[[], bytes], cache_control: str) -> HttpResponse:
    """A feed's answer: ``304 Not Modified`` (nothing built) when the calendar app sent this ETag in
    If-None-Match, else the body. Both carry the ETag and the feed's caching policy.

    The body is kept in the cache under its ETag: the ETag changes with everything the events show, so the same ETag
    means the same events (only DTSTAMP, the time the body was written, differs) and a change makes a new one.
    A calendar app that does not send If-None-Match, or a second one on the same feed, gets the kept body."""
    response = get_conditional_response(request, etag=tag)
    if response is None:
        key = "ics-feed-body:" + hashlib.blake2b(tag.encode("utf-8"), digest_size=16).hexdigest()
        content = cache.get(key)
        if content is None:
            content = body()
            cache.set(key, content, BODY_CACHE_SECONDS)
        response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["ETag"] = tag
    response["Cache-Control"] = cache_control
    return response
