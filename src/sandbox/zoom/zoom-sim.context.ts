import type { SimClock } from './zoom-sim.clock';
import type { ResolvedOptions } from './zoom-sim.options';
import type { SimState } from './zoom-sim.state';

/** What every service of the simulator shares: state, clock, knobs, webhook emitter and base URL. */
export interface EventSink {
  /** Sends `event` to every app subscribed to the account (installed OAuth apps, the account's S2S apps). */
  emit(
    accountId: string,
    event: string,
    payload: Record<string, unknown>,
    extra?: Record<string, unknown>,
  ): void;
  /** Sends `event` to one app whatever its installations (used by `app_deauthorized`). */
  emitToApp(clientId: string, event: string, payload: Record<string, unknown>): void;
}

export interface SimContext {
  state: SimState;
  clock: SimClock;
  options: ResolvedOptions;
  events: EventSink;
  baseUrl(): string;
}
