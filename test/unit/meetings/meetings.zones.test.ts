import { meetingFormSchema } from '../../../src/meetings/meetings.schema';
import { canonicalZone, canonicalZones, zoneOptions } from '../../../src/meetings/meetings.zones';

/** A day in January (no DST in the north): New York is at −05:00, Kolkata always at +05:30. */
const JANUARY = Date.UTC(2030, 0, 15, 12);
const JULY = Date.UTC(2030, 6, 15, 12);

describe('the time zones the meeting form offers', () => {
  const aliases = [
    'Asia/Calcutta',
    'America/Godthab',
    'Europe/Kiev',
    'Asia/Saigon',
    'America/Buenos_Aires',
    'Asia/Katmandu',
    'Asia/Rangoon',
    'Pacific/Enderbury',
    'US/Eastern',
    'Etc/UTC',
    'Etc/GMT+5',
  ];

  it('lists each zone once by its current name: no old alias, no Etc/… zone, UTC once', () => {
    const zones = canonicalZones();
    expect(zones.length).toBeGreaterThan(400);
    expect(new Set(zones).size).toBe(zones.length);
    for (const alias of aliases) expect(zones).not.toContain(alias);
    expect(zones.filter((zone) => zone.startsWith('Etc/'))).toEqual([]);
    expect(zones.filter((zone) => zone === 'UTC')).toHaveLength(1);
    for (const name of ['Asia/Kolkata', 'America/Nuuk', 'Europe/Kyiv', 'Asia/Ho_Chi_Minh', 'Pacific/Kanton'])
      expect(zones).toContain(name);
    // Zones of their own in other countries stay (the tz database links them; CLDR does not).
    expect(zones).toEqual(expect.arrayContaining(['Europe/Bratislava', 'Europe/Vatican', 'Europe/Prague']));
  });

  it('maps an alias to the current name, and leaves a current name or an unknown one as it is', () => {
    expect(canonicalZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(canonicalZone('America/Godthab')).toBe('America/Nuuk');
    expect(canonicalZone('Europe/Zaporozhye')).toBe('Europe/Kyiv');
    expect(canonicalZone('US/Eastern')).toBe('America/New_York');
    expect(canonicalZone('Etc/UTC')).toBe('UTC');
    expect(canonicalZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(canonicalZone('Mars/Olympus_Mons')).toBe('Mars/Olympus_Mons');
  });

  it('gives Kolkata +05:30 and a readable name, in English and in Spanish', () => {
    const en = zoneOptions({ locale: 'en', now: JANUARY }).find((o) => o.id === 'Asia/Kolkata');
    const es = zoneOptions({ locale: 'es', now: JANUARY }).find((o) => o.id === 'Asia/Kolkata');
    expect(en).toMatchObject({ offset: 'UTC+05:30', offsetMinutes: 330 });
    expect(en?.label).toBe('UTC+05:30 · Kolkata, India · India Standard Time');
    expect(es?.label).toBe('UTC+05:30 · Kolkata, India · hora estándar de la India');
  });

  it("gives each zone's offset now, with a minus sign west of Greenwich, changing with DST", () => {
    const at = (now: number, locale = 'en') =>
      zoneOptions({ locale, now }).find((o) => o.id === 'America/New_York')?.label;
    expect(at(JANUARY)).toBe('UTC\u221205:00 · New York, United States · Eastern Time');
    expect(at(JULY)).toBe('UTC\u221204:00 · New York, United States · Eastern Time');
    expect(at(JANUARY, 'es')).toBe('UTC\u221205:00 · New York, Estados Unidos · hora oriental');
    const utc = zoneOptions({ locale: 'en', now: JANUARY }).find((o) => o.id === 'UTC');
    expect(utc?.label).toBe('UTC+00:00 · Coordinated Universal Time (UTC)');
  });

  it("names a zone as it is named now, not as it was (Kyiv's time was Moscow's until 1990)", () => {
    const kyiv = zoneOptions({ locale: 'en', now: JANUARY }).find((o) => o.id === 'Europe/Kyiv');
    expect(kyiv?.label).toBe('UTC+02:00 · Kyiv, Ukraine · Eastern European Time');
    const mauritius = zoneOptions({ locale: 'en', now: JANUARY }).find((o) => o.id === 'Indian/Mauritius');
    expect(mauritius?.label).toBe('UTC+04:00 · Mauritius · Mauritius Standard Time');
  });

  it('sorts by offset, then by name', () => {
    const options = zoneOptions({ locale: 'en', now: JANUARY });
    const offsets = options.map((o) => o.offsetMinutes);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    const plusOne = options.filter((o) => o.offsetMinutes === 60).map((o) => o.label);
    expect(plusOne).toEqual([...plusOne].sort((a, b) => a.localeCompare(b, 'en')));
    expect(options[0]?.offset).toBe('UTC\u221211:00');
    expect(options.at(-1)?.offset).toBe('UTC+14:00');
  });

  it('marks the chosen zone by any of its names, exactly once', () => {
    const selected = (zone: string) =>
      zoneOptions({ locale: 'en', now: JANUARY, selected: zone })
        .filter((o) => o.selected)
        .map((o) => o.id);
    expect(selected('Asia/Calcutta')).toEqual(['Asia/Kolkata']);
    expect(selected('Asia/Kolkata')).toEqual(['Asia/Kolkata']);
    expect(selected('US/Eastern')).toEqual(['America/New_York']);
  });

  it("keeps a meeting's zone that is outside the list (Etc/GMT+5) as its own, chosen option", () => {
    const options = zoneOptions({ locale: 'en', now: JANUARY, selected: 'Etc/GMT+5' });
    expect(options.filter((o) => o.selected)).toEqual([
      expect.objectContaining({ id: 'Etc/GMT+5', offset: 'UTC\u221205:00' }),
    ]);
  });
});

describe('the form takes a zone by any of its names', () => {
  const form = (timeZone: string) => ({
    intent: 'a'.repeat(20),
    topic: 'Biology',
    date: '2030-03-04',
    startTime: '09:00',
    duration: '60',
    timeZone,
    repeats: 'never',
  });

  it('an alias (a browser’s Asia/Calcutta) is kept by its current name', () => {
    expect(meetingFormSchema.parse(form('Asia/Calcutta')).timeZone).toBe('Asia/Kolkata');
    expect(meetingFormSchema.parse(form('America/Godthab')).timeZone).toBe('America/Nuuk');
    expect(meetingFormSchema.parse(form('UTC')).timeZone).toBe('UTC');
  });

  it('a name that is no zone is refused', () => {
    const result = meetingFormSchema.safeParse(form('Mars/Olympus_Mons'));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toContain('zone_invalid');
  });
});
