import crypto from 'node:crypto';
import { readLink, signLink } from '../../../src/zoom/zoom.connect-links';

const KEY = crypto.randomBytes(32);
const SCHOOL = '7d6f1c1e-2b7a-4d5e-9a55-0c1f3b8e2a10';
const LINK = 'AbCdEfGhIjKlMnOpQrStUv';

describe('connect link tokens', () => {
  it('read back what was signed', () => {
    const token = signLink(KEY, SCHOOL, LINK, 2_000_000_000);
    expect(token).toMatch(/^[0-9a-f-]{36}\.[\w-]+\.\d+\.[\w-]{43}$/);
    expect(readLink(KEY, token)).toEqual({ schoolId: SCHOOL, linkId: LINK, expiresAtSeconds: 2_000_000_000 });
  });

  it('refuse any altered part, another key, or something that is not a link', () => {
    const token = signLink(KEY, SCHOOL, LINK, 2_000_000_000);
    const [school, link, expiry, mac] = token.split('.') as [string, string, string, string];
    const otherSchool = SCHOOL.replace('7d6f', '8d6f');
    for (const altered of [
      `${otherSchool}.${link}.${expiry}.${mac}`,
      `${school}.${link}x.${expiry}.${mac}`,
      `${school}.${link}.${Number(expiry) + 1}.${mac}`,
      `${school}.${link}.${expiry}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
    ]) {
      expect(readLink(KEY, altered)).toBeUndefined();
    }
    expect(readLink(crypto.randomBytes(32), token)).toBeUndefined();
    for (const junk of [undefined, 42, '', 'a.b.c.d', `${token}.x`])
      expect(readLink(KEY, junk)).toBeUndefined();
  });
});
