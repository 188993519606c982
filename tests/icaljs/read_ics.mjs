// Reads an .ics file from stdin with Mozilla's ical.js and prints what a calendar
// client would see, as JSON: calendar properties, the TZIDs of the VTIMEZONEs, and per
// VEVENT its UTC start and end (resolved through the file's own VTIMEZONEs).
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
const timezones = calendar.getAllSubcomponents("vtimezone").map((vtimezone) => {
  const zone = new ICAL.Timezone(vtimezone);
  ICAL.TimezoneService.register(zone);
  return zone.tzid;
});

const utcIso = (time) => time.convertToZone(ICAL.Timezone.utcTimezone).toString();
const text = (component, name) => component.getFirstPropertyValue(name);

const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  const organizer = vevent.getFirstProperty("organizer");
  return {
    uid: event.uid,
    sequence: event.sequence,
    status: text(vevent, "status"),
    summary: event.summary,
    description: event.description,
    location: event.location,
    url: text(vevent, "url"),
    organizer: organizer ? organizer.getFirstValue() : null,
    organizer_cn: organizer ? organizer.getParameter("cn") : null,
    categories: vevent.getAllProperties("categories").flatMap((p) => p.getValues()),
    tzid: vevent.getFirstProperty("dtstart").getParameter("tzid") ?? null,
    start_utc: utcIso(event.startDate),
    end_utc: utcIso(event.endDate),
  };
});

process.stdout.write(JSON.stringify({
  method: text(calendar, "method"),
  prodid: text(calendar, "prodid"),
  version: text(calendar, "version"),
  calname: text(calendar, "x-wr-calname"),
  timezones,
  events,
}));
