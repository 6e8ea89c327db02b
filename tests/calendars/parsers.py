"""Three independent readings of an iCalendar text: the ``icalendar`` library (which the portal's own tests have
always used), ``vobject`` (a separate Python parser that builds its time zones from the file's VTIMEZONE) and
ical.js (Thunderbird's parser, run with Node.js; ``js/parse.mjs``). Each gives the same plain shape, so a test
can ask all three what a file says and compare with what the portal meant."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import icalendar
import vobject

JS = Path(__file__).parent / "js"
# Node runs in a zone far from Copenhagen, so a time it failed to tie to the file's VTIMEZONE would show.
NODE_TZ = "Pacific/Auckland"


@dataclass(frozen=True)
class ReadEvent:
    uid: str
    start: dt.datetime  # in UTC
    end: dt.datetime
    sequence: int
    status: str
    summary: str
    description: str
    organizer: str  # the address, without "mailto:", lower case
    attendees: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    parser: str
    method: str
    events: dict[str, ReadEvent]


def _address(value) -> str:
    text = str(value or "")
    return text[len("mailto:") :].lower() if text.lower().startswith("mailto:") else text.lower()


def _as_utc(value) -> dt.datetime:
    assert isinstance(value, dt.datetime) and value.tzinfo is not None, f"not a moment in time: {value!r}"
    return value.astimezone(dt.UTC)


def read_icalendar(body: bytes) -> Reading:
    calendar = icalendar.Calendar.from_ical(body)
    events = {}
    for event in calendar.walk("VEVENT"):
        attendees = event.get("attendee", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        events[str(event["uid"])] = ReadEvent(
            uid=str(event["uid"]),
            start=_as_utc(event.decoded("dtstart")),
            end=_as_utc(event.decoded("dtend")),
            sequence=int(event.get("sequence", 0)),
            status=str(event.get("status", "")),
            summary=str(event.get("summary", "")),
            description=str(event.get("description", "")),
            organizer=_address(event.get("organizer")),
            attendees=tuple(_address(a) for a in attendees),
        )
    return Reading("icalendar", str(calendar.get("method", "")), events)


def read_vobject(body: bytes) -> Reading:
    calendar = vobject.readOne(body.decode("utf-8"))
    events = {}
    for event in getattr(calendar, "vevent_list", []):
        contents = event.contents
        uid = event.uid.value
        events[uid] = ReadEvent(
            uid=uid,
            start=_as_utc(event.dtstart.value),
            end=_as_utc(event.dtend.value),
            sequence=int(event.sequence.value) if "sequence" in contents else 0,
            status=event.status.value if "status" in contents else "",
            summary=event.summary.value if "summary" in contents else "",
            description=event.description.value if "description" in contents else "",
            organizer=_address(event.organizer.value) if "organizer" in contents else "",
            attendees=tuple(_address(a.value) for a in contents.get("attendee", [])),
        )
    method = calendar.method.value if "method" in calendar.contents else ""
    return Reading("vobject", method, events)


def icaljs_problem() -> str:
    """Why ical.js cannot run here, or "" when it can."""
    if shutil.which("node") is None:
        return "Node.js is not installed (the machine's `node` runs ical.js)"
    if not (JS / "node_modules" / "ical.js").is_dir():
        return "ical.js is not installed: run `npm ci --prefix tests/calendars/js` (scripts/test does)"
    return ""


def read_icaljs(body: bytes) -> Reading:
    result = subprocess.run(
        ["node", str(JS / "parse.mjs")],
        input=body,
        capture_output=True,
        env={**os.environ, "TZ": NODE_TZ},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"ical.js rejected the calendar: {result.stderr.decode(errors='replace')}"
    data = json.loads(result.stdout)
    events = {}
    for event in data["events"]:
        # A time ical.js could not tie to the file's VTIMEZONE is "floating": read in Node's zone, it comes out
        # half a day off, which the comparison with the portal's times catches.
        events[event["uid"]] = ReadEvent(
            uid=event["uid"],
            start=dt.datetime.fromisoformat(event["start"]),
            end=dt.datetime.fromisoformat(event["end"]),
            sequence=int(event["sequence"] or 0),
            status=event["status"] or "",
            summary=event["summary"] or "",
            description=event["description"] or "",
            organizer=_address(event["organizer"]),
            attendees=tuple(_address(a) for a in event["attendees"]),
        )
    return Reading("ical.js", data["method"] or "", events)
