/**
 * What the leadership's thread (leadership-worker.ts) and the main thread (leadership.ts) share:
 * the state and the time of the last confirmation in shared memory, read by the main thread
 * before each piece of the leader's work; the changes as messages.
 */

/** Any constant of our own (the writers' transaction lock uses another). */
export const LEADER_LOCK_KEY = 7_426_002;

/** Int32 slot of the state; Float64 slot (at byte 8) of the confirmation's time. */
export const STATE = 0;
export const CONFIRMED_AT = 0;
export const SHARED_BYTES = 16;

export const State = { Standby: 0, Leader: 1, Lost: 2, Stopped: 3 } as const;
export type State = (typeof State)[keyof typeof State];

export interface LeaseTiming {
  /** How often a standby tries to take the lock. */
  tryEveryMs: number;
  /** How often the leader confirms its session. */
  confirmEveryMs: number;
  /** Leading ends this long after the last confirmation was sent, answered or not. */
  leaseMs: number;
  /** The server ends a session silent for this long (idle_session_timeout); must exceed leaseMs. */
  serverDropsAfterMs: number;
}

export interface LeadershipWorkerData {
  readonly url: string;
  readonly timing: LeaseTiming;
  readonly shared: SharedArrayBuffer;
}

export type LeadershipMessage =
  | { readonly kind: 'lead' }
  | { readonly kind: 'lost'; readonly reason: string }
  | { readonly kind: 'unreachable'; readonly reason: string }
  | { readonly kind: 'stopped' };

/**
 * Milliseconds on the system's monotonic clock, which every thread of the process reads alike
 * (performance.now() starts at each thread's own origin, taken from the wall clock, which steps).
 */
export function absoluteNow(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1000 + nanoseconds / 1e6;
}
