/**
 * The simulated clock: a base clock (the real one unless the caller gives another) plus an offset
 * that only grows. Every expiry, rate window, daily reset and webhook retry reads this clock, so a
 * test that passes a fixed base clock is fully deterministic.
 */
export class SimClock {
  private offsetMs = 0;

  constructor(private readonly base: { now(): number } = { now: () => Date.now() }) {}

  now(): number {
    return this.base.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The clock only moves forward');
    this.offsetMs += ms;
  }

  /** Moves forward to `at` if it is later than now. */
  advanceTo(at: number): void {
    const delta = at - this.now();
    if (delta > 0) this.offsetMs += delta;
  }

  iso(at: number = this.now()): string {
    return new Date(at).toISOString();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}

/** A base clock that stands still (only `advanceClock` moves the simulated time). */
export function fixedClock(start: number | string): { now(): number } {
  const at = typeof start === 'number' ? start : Date.parse(start);
  if (Number.isNaN(at)) throw new RangeError(`Not a time: ${String(start)}`);
  return { now: () => at };
}

/** Start of the UTC day containing `at`, and of the next one. */
export function utcDay(at: number): { start: number; next: number; key: string } {
  const start = Math.floor(at / 86_400_000) * 86_400_000;
  return { start, next: start + 86_400_000, key: new Date(start).toISOString().slice(0, 10) };
}

/** `yyyy-MM-ddTHH:mm:ssZ`, the form Zoom answers. */
export function zoomTime(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
