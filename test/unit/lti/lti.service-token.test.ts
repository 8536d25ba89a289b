import { ServiceTokens, tokenRefusalOf } from '../../../src/lti/lti.service-token';

const moodle = { issuer: 'https://moodle.example.edu', clientId: 'abc' };
const canvas = { issuer: 'https://canvas.instructure.com', clientId: '10000000000042' };

function counting(expiresIn = 3600) {
  const asked: string[] = [];
  const request = async (registration: { issuer: string }, scope: string) => {
    asked.push(`${registration.issuer} ${scope}`);
    return { access_token: `t${asked.length}`, expires_in: expiresIn, scope };
  };
  return { asked, request };
}

describe('service tokens', () => {
  it('asks once per registration and scope set while the token lives (in any order, at once too)', async () => {
    const { asked, request } = counting();
    const tokens = new ServiceTokens(request);
    const [a, b] = await Promise.all([
      tokens.tokenFor(moodle, ['s2', 's1']),
      tokens.tokenFor(moodle, ['s1', 's2']),
    ]);
    expect(a.accessToken).toBe('t1');
    expect(b.accessToken).toBe('t1');
    expect((await tokens.tokenFor(moodle, ['s1', 's2', 's1'])).accessToken).toBe('t1');
    expect((await tokens.tokenFor(moodle, ['s1'])).accessToken).toBe('t2');
    expect((await tokens.tokenFor(canvas, ['s1', 's2'])).accessToken).toBe('t3');
    expect(asked).toEqual([
      'https://moodle.example.edu s1 s2',
      'https://moodle.example.edu s1',
      'https://canvas.instructure.com s1 s2',
    ]);
  });

  it('asks again a minute before the token expires, and after it is forgotten', async () => {
    let now = 0;
    const { asked, request } = counting(120);
    const tokens = new ServiceTokens(request, () => now);
    await tokens.tokenFor(moodle, ['s']);
    now = 59_000;
    expect((await tokens.tokenFor(moodle, ['s'])).accessToken).toBe('t1');
    now = 60_000;
    expect((await tokens.tokenFor(moodle, ['s'])).accessToken).toBe('t2');
    tokens.forget(moodle, ['s']);
    expect((await tokens.tokenFor(moodle, ['s'])).accessToken).toBe('t3');
    expect(asked).toHaveLength(3);
  });

  it('keeps nothing from a refused request', async () => {
    let fail = true;
    const tokens = new ServiceTokens(async () => {
      if (fail) throw new Error('down');
      return { access_token: 'ok' };
    });
    await expect(tokens.tokenFor(moodle, ['s'])).rejects.toThrow('down');
    fail = false;
    expect((await tokens.tokenFor(moodle, ['s'])).accessToken).toBe('ok');
  });

  it('reads a refusal as its status and OAuth error code only', () => {
    const refusal = tokenRefusalOf({
      response: { statusCode: 400, body: '{"error":"invalid_scope","error_description":"secret stuff"}' },
    });
    expect([refusal.status, refusal.error]).toEqual([400, 'invalid_scope']);
    expect(refusal.message).not.toContain('secret');
    const dropped = tokenRefusalOf(new Error('ECONNREFUSED'));
    expect([dropped.status, dropped.error]).toEqual([undefined, undefined]);
  });
});
