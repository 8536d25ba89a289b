import type { Logger } from 'pino';
import { ZoomPacer } from '../../../src/zoom/zoom.pacer';
import type { LaneRef, ZoomRateStore } from '../../../src/zoom/zoom.pacer.repo';
import { RESERVE_TIMEOUT_MS, SharedLane } from '../../../src/zoom/zoom.pacer.shared';

/** 10 Light calls a second at 95 %: one every 105.3 ms (the pacer does not round it up). */
const SPACING_MS = 1000 / (10 * 0.95);
/**
 * A timer may fire a millisecond or two before Date.now reaches its time: bounds on a start allow
 * this much (far less than the waits they prove, which are hundreds of ms).
 */
const TIMER_ROOM_MS = 10;

/** The database's semantics (zoom.pacer.repo.ts) in memory: one store is what every process shares. */
function memoryStore() {
  const lanes = new Map<string, { nextAt: number; pausedUntil: number }>();
  const holds = new Map<string, Map<string, number>>();
  const stats = { reserve: 0 };
  const key = (ref: LaneRef) => `${ref.accountId}|${ref.category}`;
  const store: ZoomRateStore = {
    async reserve(ref, spacingMs, count, notBeforeMs) {
      stats.reserve += 1;
      const now = Date.now();
      const lane = lanes.get(key(ref)) ?? { nextAt: -Infinity, pausedUntil: -Infinity };
      const first = Math.max(lane.nextAt, now + Math.max(0, notBeforeMs), lane.pausedUntil);
      lane.nextAt = first + spacingMs * count;
      lanes.set(key(ref), lane);
      return first - now;
    },
    async pause(ref, forMs) {
      const lane = lanes.get(key(ref)) ?? { nextAt: -Infinity, pausedUntil: -Infinity };
      lane.pausedUntil = Math.max(lane.pausedUntil, Date.now() + forMs);
      lanes.set(key(ref), lane);
    },
    async hold(accountId, scope, forMs) {
      const account = holds.get(accountId) ?? new Map<string, number>();
      account.set(scope, Math.max(account.get(scope) ?? 0, Date.now() + forMs));
      holds.set(accountId, account);
    },
    async holds(accountId) {
      const now = Date.now();
      return [...(holds.get(accountId) ?? new Map<string, number>())]
        .filter(([, until]) => until > now)
        .map(([scope, until]) => ({ scope, remainingMs: until - now }));
    },
  };
  return { store, stats };
}

/** Runs calls on several pacers at once (one lane) and returns every start, sorted. */
async function together(pacers: ZoomPacer[], perPacer: number): Promise<number[]> {
  const starts: number[] = [];
  await Promise.all(
    pacers.flatMap((pacer) =>
      Array.from({ length: perPacer }, () =>
        pacer.schedule('acct-1', 'free', 'light', async () => {
          starts.push(Date.now());
        }),
      ),
    ),
  );
  return starts.sort((a, b) => a - b);
}

/** The most starts inside any window of `windowMs`. */
function busiestWindow(starts: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0; i < starts.length; i += 1) {
    const from = starts[i] ?? 0;
    most = Math.max(most, starts.filter((t) => t >= from && t < from + windowMs).length);
  }
  return most;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ZoomPacer shared through a store', () => {
  it('two processes sharing a store together keep to the limit', async () => {
    const { store } = memoryStore();
    const limits = { free: { light: 10 } };
    const starts = await together([new ZoomPacer({ limits, store }), new ZoomPacer({ limits, store })], 6);
    expect(starts).toHaveLength(12);
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(10);
    // About 11 spacings (alone, each process would send its 6 in 5): one spacing of room for a call
    // sent up to the lane's late tolerance (26 ms) after its slot, the first one included.
    expect((starts[11] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(10 * SPACING_MS);
  });

  it('two processes pacing alone would together exceed the limit (what the store prevents)', async () => {
    const limits = { free: { light: 10 } };
    const starts = await together([new ZoomPacer({ limits }), new ZoomPacer({ limits })], 6);
    expect(busiestWindow(starts, 1000)).toBeGreaterThan(10);
  });

  it('reserves the slots of several waiting calls in one statement', async () => {
    const { store, stats } = memoryStore();
    const starts = await together([new ZoomPacer({ limits: { free: { light: 50 } }, store })], 20);
    expect(starts).toHaveLength(20);
    expect(stats.reserve).toBeLessThan(20);
    expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(50);
  });

  it('a pause asked in one process holds the lane in another', async () => {
    const { store } = memoryStore();
    const limits = { free: { light: 100 } };
    const other = new ZoomPacer({ limits, store });
    const until = Date.now() + 300;
    other.pause('acct-1', 'light', until);
    await flush();
    const [start] = await together([new ZoomPacer({ limits, store })], 1);
    expect(start).toBeGreaterThanOrEqual(until - TIMER_ROOM_MS);
  });

  it('applies a pause to calls already waiting for their slot, then spaces them again', async () => {
    const { store } = memoryStore();
    const pacer = new ZoomPacer({ limits: { free: { light: 5 } }, store });
    const starts: number[] = [];
    let until = 0;
    await Promise.all(
      Array.from({ length: 3 }, (_v, i) =>
        pacer.schedule('acct-1', 'free', 'light', async () => {
          starts.push(Date.now());
          if (i === 0) {
            until = Date.now() + 500;
            pacer.pause('acct-1', 'light', until);
          }
        }),
      ),
    );
    expect(starts[1]).toBeGreaterThanOrEqual(until - TIMER_ROOM_MS);
    expect((starts[2] ?? 0) - (starts[1] ?? 0)).toBeGreaterThanOrEqual(211 - 2 - 50);
  });

  it('a daily limit spent in one process is honoured by another until its reset', async () => {
    const { store } = memoryStore();
    const one = new ZoomPacer({ store });
    const two = new ZoomPacer({ store });
    const reset = Date.now() + 400;
    one.holdUntilReset('acct-1', 'category:light', reset);
    await flush();
    const seen = await two.heldUntil('acct-1', 'category:light');
    expect(Math.abs((seen ?? 0) - reset)).toBeLessThan(50);
    await expect(two.heldUntil('acct-1', 'category:medium')).resolves.toBeUndefined();
    await expect(two.heldUntil('acct-2', 'category:light')).resolves.toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 450));
    await expect(two.heldUntil('acct-1', 'category:light')).resolves.toBeUndefined();
  });

  it('when the store fails, each process paces alone and says so once', async () => {
    const failing: ZoomRateStore = {
      reserve: () => Promise.reject(new Error('connection refused')),
      pause: () => Promise.reject(new Error('connection refused')),
      hold: () => Promise.reject(new Error('connection refused')),
      holds: () => Promise.reject(new Error('connection refused')),
    };
    const warn = jest.fn();
    const pacer = new ZoomPacer({
      limits: { free: { light: 10 } },
      store: failing,
      logger: { warn } as unknown as Logger,
    });
    const starts = await together([pacer], 5);
    expect(starts).toHaveLength(5);
    // Paced, not sent at once (alone they would all start within a few ms): each start is one
    // spacing after the one before, give or take what timers and a loaded machine do to the
    // recorded times (a timer may fire a millisecond before Date.now reaches its time; the first
    // start is recorded after its slot). A spacing of room still tells paced from not paced.
    expect((starts[4] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(3 * SPACING_MS);
    await expect(pacer.heldUntil('acct-1', 'category:light')).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toEqual({ reason: 'connection refused' });
  });
});

describe('SharedLane', () => {
  it('when the store does not answer, the call goes out paced by this process alone', async () => {
    const store: ZoomRateStore = {
      reserve: () => new Promise<number>(() => undefined),
      pause: async () => undefined,
      hold: async () => undefined,
      holds: async () => [],
    };
    const errors: unknown[] = [];
    let fellBack = 0;
    const lane = new SharedLane({ accountId: 'acct-1', category: 'light' }, 100, {
      store,
      now: Date.now,
      lateToleranceMs: 25,
      fallback: async () => {
        fellBack += 1;
      },
      onStoreError: (error) => errors.push(error),
    });
    const started = Date.now();
    await lane.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(RESERVE_TIMEOUT_MS - 5);
    expect(fellBack).toBe(1);
    expect(String(errors[0])).toMatch(/no answer from the database/);
  });

  it('a call woken too late for its slot gives it up and reserves again', async () => {
    let skew = 0;
    const reservations: number[] = [];
    const store: ZoomRateStore = {
      async reserve() {
        reservations.push(Date.now());
        return 20;
      },
      pause: async () => undefined,
      hold: async () => undefined,
      holds: async () => [],
    };
    const lane = new SharedLane({ accountId: 'acct-1', category: 'light' }, 100, {
      store,
      now: () => Date.now() + skew,
      lateToleranceMs: 25,
      fallback: () => Promise.reject(new Error('not used')),
      onStoreError: () => undefined,
    });
    const acquired = lane.acquire();
    await flush(); // the first slot is reserved (20 ms ahead)
    skew = 200; // then the event loop is busy: the timer fires 200 ms after the slot
    await acquired;
    expect(reservations).toHaveLength(2);
  });
});
