import { meetingStart } from '../../../src/sandbox/sandbox.presenter';
import { translatorFor } from '../../../src/shared/i18n';

describe("the sandbox home's meeting times", () => {
  const at = Date.UTC(2026, 11, 7, 15, 0); // Monday 7 December 2026, 15:00 UTC

  it("are written in the viewer's language, in the meeting's own zone, named (not an ISO string)", () => {
    expect(meetingStart(at, 'America/New_York', translatorFor('en'))).toMatch(
      /^Mon, Dec 7, 2026, 10:00\sAM \(America\/New_York\)$/,
    );
    expect(meetingStart(at, 'Europe/Madrid', translatorFor('es'))).toMatch(
      /^lun, 7 dic 2026, 16:00 \(Europe\/Madrid\)$/,
    );
  });

  it('a meeting without a fixed time says so, in the language; an unknown zone falls back to UTC', () => {
    expect(meetingStart(null, 'UTC', translatorFor('es'))).toBe('sin hora fija');
    expect(meetingStart(at, 'Not/AZone', translatorFor('en'))).toMatch(
      /^Mon, Dec 7, 2026, 3:00\sPM \(UTC\)$/,
    );
  });
});
