import { performance } from 'node:perf_hooks';

/** Time as the core sees it; tests pass a controllable one. */
export interface Clock {
  /** Wall time, UTC ms: what is stored and shown. It can step (NTP, an admin, a resumed VM). */
  now(): number;
  /**
   * Monotonic time, ms from an arbitrary origin: it never steps, so the time that really passed
   * between two readings is its difference. Optional: a clock without it is never seen to step
   * (src/clock-steps.ts).
   */
  monotonic?(): number;
}

export const systemClock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };
