import { recordingKey, watchPath, zoomUuidOfKey } from '../../../src/meetings/meetings.recordings';
import { newPasscode } from '../../../src/meetings/meetings.recordings.hide';

/** Issue 20, item 5: how a recording is named in our watch links, and the passcodes Zoom is given. */
describe('recordings in our links', () => {
  it.each(['4444AAAiAAAAAiAiAiiAii==', '/ajXp112QmuoKj4854875==', 'a//b+c=', 'ü-uuid'])(
    'a key names instance %s and reads back to it (URL-safe)',
    (uuid) => {
      const key = recordingKey(uuid);
      expect(key).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(zoomUuidOfKey(key)).toBe(uuid);
      expect(watchPath('m-1', uuid)).toBe(`/recordings/m-1/${key}/watch`);
    },
  );

  it.each(['', 'not*a*key', 'a b', 'x'.repeat(401), 'AB+C', 'dXVpZC1h='])('%j names nothing', (key) => {
    expect(zoomUuidOfKey(key)).toBeUndefined();
  });

  it('a new passcode each time, of 10 letters and digits (Zoom: at most 10 of [A-Za-z0-9@-_*])', () => {
    const seen = new Set(Array.from({ length: 50 }, () => newPasscode()));
    expect(seen.size).toBe(50);
    for (const passcode of seen) expect(passcode).toMatch(/^[A-Za-z0-9]{10}$/);
  });
});
