import ICAL from 'ical.js';

/**
 * A calendar feed read as a calendar app reads it, by Mozilla's ical.js (Thunderbird's parser): the
 * VTIMEZONEs in the feed are the only time-zone data it uses, so an event's instant is right only if
 * its TZID has a VTIMEZONE and that VTIMEZONE has the zone's offsets.
 */
export interface FeedEvent {
  uid: string;
  summary: string;
  tzid: string | undefined;
  /** The instants the feed's own VTIMEZONE gives the event's wall times. */
  start: Date;
  end: Date;
  sequence: number;
  stamp: Date | undefined;
  lastModified: Date | undefined;
}

export interface Feed {
  /** The TZIDs of the feed's VTIMEZONEs. */
  zones: string[];
  /** TZIDs an event names without a VTIMEZONE in the feed (RFC 5545 §3.2.19 requires one). */
  zonesMissing: string[];
  events: FeedEvent[];
}

export function readFeed(text: string): Feed {
  const calendar = new ICAL.Component(ICAL.parse(text));
  ICAL.TimezoneService.reset();
  const zones = calendar.getAllSubcomponents('vtimezone').map((component) => {
    const zone = new ICAL.Timezone(component);
    ICAL.TimezoneService.register(zone);
    return zone.tzid;
  });
  const vevents = calendar.getAllSubcomponents('vevent');
  const named = vevents.flatMap((vevent) =>
    ['dtstart', 'dtend'].map((name) => vevent.getFirstProperty(name)?.getParameter('tzid')),
  );
  const zonesMissing = [...new Set(named)].filter(
    (tzid): tzid is string => typeof tzid === 'string' && !zones.includes(tzid),
  );
  const events = vevents.map((vevent) => {
    const event = new ICAL.Event(vevent);
    const instant = (name: string) => {
      const value = vevent.getFirstPropertyValue(name);
      return value instanceof ICAL.Time ? value.toJSDate() : undefined;
    };
    const tzid = vevent.getFirstProperty('dtstart')?.getParameter('tzid');
    return {
      uid: event.uid,
      summary: event.summary,
      tzid: typeof tzid === 'string' ? tzid : undefined,
      start: event.startDate.toJSDate(),
      end: event.endDate.toJSDate(),
      sequence: event.sequence,
      stamp: instant('dtstamp'),
      lastModified: instant('last-modified'),
    };
  });
  ICAL.TimezoneService.reset();
  return { zones, zonesMissing, events };
}
