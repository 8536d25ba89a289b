import { isUpcoming, meetingView, type Viewer } from '../../../src/meetings/meetings.presenter';
import type { MeetingWithDetails } from '../../../src/meetings/meetings.repo';
import { translatorFor } from '../../../src/shared/i18n';

/**
 * What a meeting's card says of its time: ahead ("Starts in …"), due but not started by its host
 * (it must not read "Starts 10 minutes ago"), live ("In progress") or over (a past meeting says
 * nothing of its start).
 */
const START = Date.parse('2026-03-02T15:00:00Z');
const MINUTE = 60_000;

const meeting = (state: string) =>
  ({
    id: 'm1',
    state,
    topic: 'Biology',
    timeZone: 'America/New_York',
    startTime: new Date(START),
    durationMinutes: 60,
    recurrence: null,
    occurrences: [],
    recordings: [],
    hostLmsUserId: 'host',
    settings: { waitingRoom: true, joinBeforeHost: false, autoRecording: 'none', alternativeHosts: [] },
  }) as unknown as MeetingWithDetails;

const view = (state: string, now: number, locale: string) => {
  const viewer: Viewer = {
    timeZone: 'America/New_York',
    zoneFromBrowser: true,
    translator: translatorFor(locale),
    now,
  };
  return meetingView(meeting(state), viewer, { viewerUserId: 'host', hostName: 'H', forStudent: false });
};

describe('what a meeting card says of its start', () => {
  it.each([
    {
      when: 'before its start',
      state: 'scheduled',
      now: START - 10 * MINUTE,
      en: 'Starts in 10 minutes',
      es: 'Empieza dentro de 10 minutos',
      inProgress: false,
    },
    {
      when: 'between its start and end, not started by the host',
      state: 'scheduled',
      now: START + 10 * MINUTE,
      en: 'Was due to start 10 minutes ago; the host has not started it yet',
      es: 'Debía empezar hace 10 minutos; el anfitrión aún no la ha iniciado',
      inProgress: false,
    },
    {
      when: 'between its start and end, started',
      state: 'started',
      now: START + 10 * MINUTE,
      en: undefined,
      es: undefined,
      inProgress: true,
    },
  ])('$when', ({ state, now, en, es, inProgress }) => {
    const [english, spanish] = [view(state, now, 'en'), view(state, now, 'es')];
    expect([english.inProgress, spanish.inProgress]).toEqual([inProgress, inProgress]);
    // A live meeting shows its "In progress" badge instead of this line.
    if (en !== undefined) expect([english.startsIn, spanish.startsIn]).toEqual([en, es]);
  });

  it('after its end it is no longer due (the card lists it with the past meetings)', () => {
    const after = view('scheduled', START + 90 * MINUTE, 'en');
    expect(isUpcoming(meeting('scheduled'), START + 90 * MINUTE)).toBe(false);
    expect(after.inProgress).toBe(false);
    expect(after.startsIn).not.toMatch(/Was due|has not started/);
  });
});
