import { wallTime } from '../../../src/meetings/meetings.time';
import type { SimMeeting } from '../../../src/sandbox/zoom';
import { databaseKinds } from '../../support/db';
import { coursePage, meetingItem, meetingRow, newIntent } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness, type Page } from '../../support/meetings-harness';

/**
 * The meeting form as instructors fill it, not one filling of it: every value of every field, and
 * every pair of fields that changes what is sent to Zoom, scheduled through the route and then
 * edited, each giving exactly one meeting at Zoom whose fields are the form's.
 */
const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
const HOSTS = ['alt.one@school.example.edu', 'alt.two@school.example.edu'];

interface Filling {
  topic: string;
  /** The account's "Require a passcode when scheduling new meetings". */
  requirePasscode: boolean;
  passcode: string;
  repeats: 'never' | 'daily' | 'weekly' | 'monthly';
  ends: 'after' | 'date';
  endAfter: string;
  endDate: string;
  on: string[];
  date: string;
  startTime: string;
  duration: string;
  timeZone: string;
  waitingRoom: boolean;
  joinBeforeHost: boolean;
  autoRecord: boolean;
  hosts: number;
}

const base: Filling = {
  topic: 'Plain topic',
  requirePasscode: true,
  passcode: '',
  repeats: 'never',
  ends: 'after',
  endAfter: '3',
  endDate: '2030-03-20',
  on: [],
  date: '2030-03-04', // a Monday
  startTime: '09:00',
  duration: '60',
  timeZone: 'America/New_York',
  waitingRoom: false,
  joinBeforeHost: false,
  autoRecord: false,
  hosts: 0,
};

const EMOJI = '🎓 Café ✨';
const MARKUP = `<b>&"' markup`;

/**
 * A covering selection: each row is a filling and the edit made to it. Every value of every field
 * appears, and so does every pair that changes the body (passcode × account setting, repeats ×
 * ends, each switch on and off with a series and without, hosts 0/1/2 with and without a passcode).
 */
const cases: Array<[string, Partial<Filling>, Partial<Filling>]> = [
  [
    'every optional field empty, account requires a passcode',
    {},
    { passcode: 'edit1', waitingRoom: true, hosts: 2, topic: `${EMOJI} edited` },
  ],
  [
    'every optional field empty, account requires no passcode',
    { requirePasscode: false },
    { passcode: 'set2', repeats: 'daily', ends: 'after', endAfter: '4' },
  ],
  [
    'passcode set, daily ending after N, waiting room',
    { passcode: 'abc123', repeats: 'daily', ends: 'after', endAfter: '5', waitingRoom: true },
    { passcode: '', requirePasscode: false, repeats: 'never', waitingRoom: false, joinBeforeHost: true },
  ],
  [
    'passcode set, daily ending on a date, join before host, one host',
    { passcode: 'Ab@-_*9', repeats: 'daily', ends: 'date', joinBeforeHost: true, hosts: 1 },
    { passcode: '', repeats: 'weekly', on: ['2', '4'], ends: 'date', hosts: 0 },
  ],
  [
    'weekly ending after N, cloud recording, two hosts, emoji topic',
    {
      topic: EMOJI,
      passcode: 'w1',
      repeats: 'weekly',
      on: ['2', '6'],
      ends: 'after',
      endAfter: '6',
      autoRecord: true,
      hosts: 2,
    },
    { autoRecord: false, hosts: 1, ends: 'date', endDate: '2030-04-01', topic: `${EMOJI} 2` },
  ],
  [
    'weekly ending on a date, every switch on, markup topic, no passcode',
    {
      topic: MARKUP,
      repeats: 'weekly',
      on: ['2'],
      ends: 'date',
      waitingRoom: true,
      joinBeforeHost: true,
      autoRecord: true,
    },
    { repeats: 'monthly', ends: 'after', endAfter: '2', passcode: 'm2', topic: `${MARKUP} 2` },
  ],
  [
    'monthly ending after N, one host, another zone',
    {
      passcode: 'mo1',
      repeats: 'monthly',
      ends: 'after',
      endAfter: '3',
      hosts: 1,
      timeZone: 'Europe/Madrid',
      startTime: '18:30',
      duration: '90',
    },
    { repeats: 'daily', ends: 'date', endDate: '2030-03-08', hosts: 2, waitingRoom: true },
  ],
  [
    'monthly ending on a date, no passcode, account requires none, two hosts',
    {
      requirePasscode: false,
      repeats: 'monthly',
      ends: 'date',
      endDate: '2030-06-30',
      hosts: 2,
      joinBeforeHost: true,
    },
    { repeats: 'never', hosts: 0, joinBeforeHost: false, autoRecord: true, date: '2030-05-06' },
  ],
  [
    'one time, passcode set, cloud recording, two hosts, markup topic',
    { topic: MARKUP, passcode: 'x*y', autoRecord: true, hosts: 2 },
    { passcode: '', hosts: 0, autoRecord: false, duration: '45', startTime: '14:15', topic: 'Renamed' },
  ],
];

describe.each(databaseKinds('both'))(
  'the meeting form, filled every way that matters (%s)',
  (databaseKind) => {
    let h: MeetingsHarness;
    let page: Page;
    let counter = 0;

    beforeAll(async () => {
      h = await createMeetingsHarness({ databaseKind });
      const s2s = await h.zoom.createApp({ kind: 's2s', account_id: h.account.account_id });
      const token = h.zoom.issueTokens(s2s.client_id, h.account.account_id).access_token;
      for (const [index, email] of HOSTS.entries()) {
        h.lms.addUser({
          id: `alt${index}`,
          givenName: 'Alt',
          familyName: String(index),
          name: `Alt ${index}`,
          email,
          roles: [INSTRUCTOR],
        });
        const created = await fetch(`${h.zoom.baseUrl}/v2/users`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'create', user_info: { email, type: 2 } }),
        });
        expect(created.status).toBe(201);
        h.zoom.activateUser(email);
      }
      page = await h.page(h.lms.users.instructor.id);
    });
    afterAll(() => h.close());

    /** The form as posted: unchecked boxes and empty lists are not sent, as a browser does. */
    const posted = (f: Filling): Record<string, string | string[]> => ({
      intent: newIntent(),
      topic: f.topic,
      date: f.date,
      startTime: f.startTime,
      duration: f.duration,
      timeZone: f.timeZone,
      repeats: f.repeats,
      ends: f.ends,
      endAfter: f.endAfter,
      endDate: f.endDate,
      passcode: f.passcode,
      ...(f.on.length ? { on: f.on } : {}),
      ...(f.waitingRoom ? { waitingRoom: 'on' } : {}),
      ...(f.joinBeforeHost ? { joinBeforeHost: 'on' } : {}),
      ...(f.autoRecord ? { autoRecord: 'on' } : {}),
      ...(f.hosts ? { alternativeHosts: HOSTS.slice(0, f.hosts) } : {}),
    });

    const atZoom = (topic: string): SimMeeting[] =>
      h.zoom.meetings(h.account.account_id).filter((m) => m.topic === topic);

    /** Zoom's one meeting of that topic has the form's fields; answers it. */
    function expectMatches(f: Filling, passcodeBefore?: string): SimMeeting {
      const found = atZoom(f.topic);
      expect(found).toHaveLength(1);
      const meeting = found[0]!;
      const start = wallTime(f.date, f.startTime, f.timeZone).toMillis();
      expect(meeting).toMatchObject({
        topic: f.topic,
        type: f.repeats === 'never' ? 2 : 8,
        start_time: start,
        duration: Number(f.duration),
        timezone: f.timeZone,
      });
      if (f.passcode) expect(meeting.password).toBe(f.passcode);
      else if (!f.requirePasscode) expect(meeting.password).toBe('');
      // Left empty where the account requires one: Zoom's (kept on an edit that clears it).
      else if (passcodeBefore) expect(meeting.password).toBe(passcodeBefore);
      else expect(meeting.password).toMatch(/^[A-Za-z0-9]{6}$/);
      expect(meeting.settings).toMatchObject({
        waiting_room: f.waitingRoom,
        join_before_host: f.joinBeforeHost,
        auto_recording: f.autoRecord ? 'cloud' : 'none',
        alternative_hosts: HOSTS.slice(0, f.hosts).join(';'),
      });
      if (f.repeats === 'never') {
        expect(meeting.recurrence).toBeNull();
      } else {
        const type = { daily: 1, weekly: 2, monthly: 3 }[f.repeats];
        expect(meeting.recurrence).toEqual({
          type,
          repeat_interval: 1,
          ...(f.repeats === 'weekly' ? { weekly_days: [...f.on].sort().join(',') } : {}),
          ...(f.repeats === 'monthly' ? { monthly_day: Number(f.date.slice(8)) } : {}),
          ...(f.ends === 'after'
            ? { end_times: Number(f.endAfter) }
            : {
                end_date_time: wallTime(f.endDate, '23:59', f.timeZone)
                  .toUTC()
                  .toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'"),
              }),
        });
        const available = meeting.occurrences.filter((o) => o.status === 'available');
        if (f.ends === 'after') expect(available).toHaveLength(Number(f.endAfter));
        expect(available[0]?.start_time).toBe(start);
      }
      return meeting;
    }

    /** Our row keeps Zoom's passcode, and the instructor sees it on the course page. */
    async function expectShown(id: string, meeting: SimMeeting) {
      const row = await meetingRow(h, id);
      expect(row.passcode ?? '').toBe(meeting.password);
      expect(row.zoom_meeting_id).toBe(String(meeting.id));
      const item = meetingItem(await coursePage(h, page), id);
      const escaped = meeting.topic
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&#34;')
        .replace(/'/g, '&#39;');
      expect(item).toContain(escaped);
      expect(item).not.toContain('<b>&');
      if (meeting.password) expect(item).toContain(meeting.password);
      else expect(item).not.toMatch(/Passcode/);
    }

    it.each(cases)(
      '%s: scheduled, then edited, gives one meeting at Zoom with the form’s fields',
      async (_name, filled, edited) => {
        counter += 1;
        const first: Filling = { ...base, ...filled, topic: `${filled.topic ?? base.topic} #${counter}` };
        h.zoom.setAccountSettings(h.account.account_id, { require_passcode: first.requirePasscode });

        const scheduled = await h.post(page, '/meetings', posted(first));

        expect(scheduled.status).toBe(303);
        const id = new URL(String(scheduled.headers.location), 'http://x').searchParams.get('m') ?? '';
        const made = expectMatches(first);
        await expectShown(id, made);

        const second: Filling = {
          ...first,
          ...edited,
          topic: `${edited.topic ?? first.topic} edited #${counter}`,
        };
        h.zoom.setAccountSettings(h.account.account_id, { require_passcode: second.requirePasscode });
        const saved = await h.post(page, `/meetings/${id}`, posted(second));

        expect(saved.status).toBe(303);
        expect(atZoom(first.topic)).toEqual([]);
        const changed = expectMatches(second, made.password || undefined);
        expect(changed.id).toBe(made.id);
        await expectShown(id, changed);
      },
    );
  },
);
