// Reads one iCalendar text on stdin and prints, as JSON, what ical.js (Thunderbird's parser) makes of it:
// the calendar's METHOD and each event's UID, SEQUENCE, STATUS, texts, ORGANIZER, ATTENDEEs and start/end in UTC
// (with the zone it tied the start to: "floating" when it could not use the file's VTIMEZONE).
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const calendar = new ICAL.Component(ICAL.parse(Buffer.concat(chunks).toString("utf8")));

for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
}

const utc = (time) => (time ? time.toJSDate().toISOString() : null);
const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    sequence: event.sequence,
    status: vevent.getFirstPropertyValue("status"),
    summary: event.summary,
    description: event.description,
    location: event.location,
    tzid: event.startDate.zone ? event.startDate.zone.tzid : null,
    start: utc(event.startDate),
    end: utc(event.endDate),
    organizer: vevent.getFirstPropertyValue("organizer"),
    attendees: vevent.getAllProperties("attendee").map((p) => p.getFirstValue()),
  };
});
process.stdout.write(JSON.stringify({ method: calendar.getFirstPropertyValue("method"), events }));
