import crypto from 'node:crypto';
import { base32, RegistrantIdentity } from '../../../src/attendance/attendance.identity';
import { ConfigError, loadConfig } from '../../../src/config';
import { deriveKey } from '../../../src/shared/crypto';

const master = Buffer.alloc(32, 7);
const key = deriveKey(master, 'attendance-registrants');
const identity = new RegistrantIdentity(key, 'registrants.tool.example');
const ana = {
  schoolId: '6f1c1a4e-0000-4000-8000-000000000001',
  issuer: 'https://moodle.school.edu',
  lmsUserId: '42',
};

describe('a student’s secondary id at Zoom', () => {
  it('is u-<26 base32 characters>@<the tool’s domain>', () => {
    expect(identity.emailOf(ana)).toMatch(/^u-[a-z2-7]{26}@registrants\.tool\.example$/);
  });

  it('is the same for the same student every time (one email in every meeting and report)', () => {
    expect(new RegistrantIdentity(key, 'registrants.tool.example').emailOf({ ...ana })).toBe(
      identity.emailOf(ana),
    );
  });

  it('is the HMAC-SHA256 of the school, issuer and LMS user id under the derived key, in base32', () => {
    const parts = [ana.schoolId, ana.issuer, ana.lmsUserId].map((part) => {
      const bytes = Buffer.from(part);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return Buffer.concat([length, bytes]);
    });
    const mac = crypto.createHmac('sha256', key).update(Buffer.concat(parts)).digest();
    expect(identity.emailOf(ana)).toBe(`u-${base32(mac, 26)}@registrants.tool.example`);
  });

  it.each([
    ['another school', { ...ana, schoolId: '6f1c1a4e-0000-4000-8000-000000000002' }],
    ['another issuer (the same user id in another LMS)', { ...ana, issuer: 'https://canvas.school.edu' }],
    ['another user', { ...ana, lmsUserId: '43' }],
    ['parts that run together the same', { ...ana, issuer: `${ana.issuer}4`, lmsUserId: '2' }],
  ])('differs for %s', (_name, other) => {
    expect(identity.emailOf(other)).not.toBe(identity.emailOf(ana));
  });

  it('differs under another master key, and says nothing of the LMS id', () => {
    const other = new RegistrantIdentity(
      deriveKey(Buffer.alloc(32, 8), 'attendance-registrants'),
      'registrants.tool.example',
    );
    expect(other.emailOf(ana)).not.toBe(identity.emailOf(ana));
    const someone = { ...ana, lmsUserId: 'ana.garcia' };
    expect(identity.emailOf(someone)).not.toContain('ana');
    expect(identity.emailOf(someone).split('@')[0]).not.toContain('garcia');
  });

  it('uses a key of its own: not the key that seals secrets at rest', () => {
    expect(key.equals(deriveKey(master, 'secrets-at-rest'))).toBe(false);
  });

  it('knows its own emails from others', () => {
    expect(identity.isOurs(identity.emailOf(ana).toUpperCase())).toBe(true);
    expect(identity.isOurs('ana@school.edu')).toBe(false);
    expect(identity.isOurs('u-abc@registrants.tool.example')).toBe(false);
  });

  it('refuses a short key or a domain that is not one', () => {
    expect(() => new RegistrantIdentity(Buffer.alloc(16), 'registrants.tool.example')).toThrow();
    expect(() => new RegistrantIdentity(key, 'https://tool.example')).toThrow();
  });

  it('base32 is RFC 4648’s alphabet in lower case', () => {
    expect(base32(Buffer.from('foobar'), 10)).toBe('mzxw6ytboi');
  });
});

describe('ATTENDANCE_EMAIL_DOMAIN', () => {
  it('defaults to registrants.<PUBLIC_URL host>', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://zoom.tool.example' }).attendanceEmailDomain).toBe(
      'registrants.zoom.tool.example',
    );
  });

  it('defaults to registrants.invalid when PUBLIC_URL is an address (no name to build on)', () => {
    expect(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3000' }).attendanceEmailDomain).toBe(
      'registrants.invalid',
    );
  });

  it('takes a domain, in lower case', () => {
    expect(loadConfig({ ATTENDANCE_EMAIL_DOMAIN: ' Ids.Tool.Example ' }).attendanceEmailDomain).toBe(
      'ids.tool.example',
    );
  });

  it.each([
    'https://ids.tool.example',
    'ids.tool.example:25',
    'u@ids.tool.example',
    'localhost',
    'a b.example',
  ])('refuses %s at boot, naming the variable', (value) => {
    let problems: string[] = [];
    try {
      loadConfig({ ATTENDANCE_EMAIL_DOMAIN: value });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems.map((problem) => problem.variable);
    }
    expect(problems).toEqual(['ATTENDANCE_EMAIL_DOMAIN']);
  });
});
