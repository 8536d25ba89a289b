import { ZOOM_RATE_LIMITS, ZoomPacer } from '../../../src/zoom/zoom.pacer';
import type { RateCategory } from '../../../src/zoom/zoom.types';

/** Runs `n` calls at once on one lane and returns when each started (ms epoch). */
async function burst(pacer: ZoomPacer, n: number, account = 'acct-1', category: RateCategory = 'light') {
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: n }, () =>
      pacer.schedule(account, 'free', category, async () => {
        starts.push(Date.now());
      }),
    ),
  );
  return starts;
}

const gaps = (starts: number[]) => starts.slice(1).map((t, i) => t - (starts[i] ?? t));

describe('ZoomPacer', () => {
  it("knows Zoom's per-second limits by plan and category", () => {
    const pacer = new ZoomPacer();
    expect(pacer.limitOf('free', 'light')).toBe(4);
    expect(pacer.limitOf('pro', 'medium')).toBe(20);
    expect(pacer.limitOf('business', 'heavy')).toBe(40);
    expect(pacer.limitOf('pro', 'resource_intensive')).toBeCloseTo(10 / 60);
    expect(ZOOM_RATE_LIMITS.business.resource_intensive).toBeCloseTo(20 / 60);
    expect(new ZoomPacer({ limits: { free: { light: 50 } } }).limitOf('free', 'light')).toBe(50);
  });

  it('spreads N calls at limit L over at least (N-1)/L seconds', async () => {
    const pacer = new ZoomPacer({ limits: { free: { light: 10 } } });
    const starts = await burst(pacer, 6);
    expect(starts).toHaveLength(6);
    // Each start is planned 100 ms after the one before it was planned: a start the event loop ran a
    // few ms late (a loaded machine) leaves a shorter gap after it, never a shorter span.
    for (const gap of gaps(starts)) expect(gap).toBeGreaterThanOrEqual(90);
    expect((starts[5] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(((6 - 1) / 10) * 1000);
  });

  it("keeps a Free account's light calls at 4 per second", async () => {
    const starts = await burst(new ZoomPacer(), 5);
    expect((starts[4] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('paces each account and category on its own', async () => {
    const pacer = new ZoomPacer({ limits: { free: { light: 5 } } });
    const busy = burst(pacer, 4, 'acct-busy');
    const started = Date.now();
    const [other] = await burst(pacer, 1, 'acct-other');
    const [medium] = await burst(pacer, 1, 'acct-busy', 'medium');
    expect((other ?? 0) - started).toBeLessThan(100);
    expect((medium ?? 0) - started).toBeLessThan(100);
    await busy;
  });

  it('holds a paused lane until the pause ends', async () => {
    const pacer = new ZoomPacer({ limits: { free: { light: 100 } } });
    const until = Date.now() + 300;
    pacer.pause('acct-1', 'light', until);
    const [start] = await burst(pacer, 1);
    expect(start).toBeGreaterThanOrEqual(until - 1);
  });

  it('applies a pause to calls already waiting for their slot, then spaces them again', async () => {
    const pacer = new ZoomPacer({ limits: { free: { light: 5 } } });
    const starts: number[] = [];
    let until = 0;
    const calls = Array.from({ length: 3 }, (_v, i) =>
      pacer.schedule('acct-1', 'free', 'light', async () => {
        starts.push(Date.now());
        if (i === 0) {
          until = Date.now() + 500;
          pacer.pause('acct-1', 'light', until);
        }
      }),
    );
    await Promise.all(calls);
    expect(starts[1]).toBeGreaterThanOrEqual(until - 1);
    // The slots after the pause are planned from its end (5 a second: until, until + 200 ms); the
    // first may run late on a busy machine, which does not bring the second forward.
    expect(starts[2]).toBeGreaterThanOrEqual(until + 199);
  });

  it('never shortens a pause, and ignores other categories', async () => {
    const pacer = new ZoomPacer({ limits: { free: { light: 100, medium: 100 } } });
    const until = Date.now() + 250;
    pacer.pause('acct-1', 'light', until);
    pacer.pause('acct-1', 'light', Date.now() + 10);
    const started = Date.now();
    const [medium] = await burst(pacer, 1, 'acct-1', 'medium');
    const [light] = await burst(pacer, 1);
    expect((medium ?? 0) - started).toBeLessThan(100);
    expect(light).toBeGreaterThanOrEqual(until - 1);
  });

  it('passes results and failures of the call through', async () => {
    const pacer = new ZoomPacer();
    await expect(pacer.schedule('a', 'pro', 'light', async () => 42)).resolves.toBe(42);
    await expect(
      pacer.schedule('a', 'pro', 'light', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });

  it('remembers spent daily limits until their reset', async () => {
    let now = Date.parse('2030-01-07T23:00:00Z');
    const pacer = new ZoomPacer({ now: () => now });
    const reset = Date.parse('2030-01-08T00:00:00Z');
    pacer.holdUntilReset('acct-1', 'user:u1', reset);
    await expect(pacer.heldUntil('acct-1', 'user:u1')).resolves.toBe(reset);
    await expect(pacer.heldUntil('acct-1', 'user:u2')).resolves.toBeUndefined();
    await expect(pacer.heldUntil('acct-2', 'user:u1')).resolves.toBeUndefined();
    now = reset;
    await expect(pacer.heldUntil('acct-1', 'user:u1')).resolves.toBeUndefined();
  });

  it('refuses a utilisation outside (0, 1]', () => {
    expect(() => new ZoomPacer({ utilisation: 0 })).toThrow(RangeError);
    expect(() => new ZoomPacer({ utilisation: 1.5 })).toThrow(RangeError);
  });
});
