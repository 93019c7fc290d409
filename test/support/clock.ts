import type { Clock } from '../../src/clock.js';

/**
 * A clock tests move by hand. `advance` and `set` move time itself (the wall and the monotonic
 * clock together); `step` moves only the wall clock, as NTP or an admin stepping the system
 * clock does, while the monotonic clock runs on.
 */
export class ManualClock implements Clock {
  private mono = 1_000_000;
  constructor(private current = Date.UTC(2026, 10, 20, 10, 0, 0)) {}
  now(): number {
    return this.current;
  }
  monotonic(): number {
    return this.mono;
  }
  advance(ms: number): void {
    this.current += ms;
    this.mono += ms;
  }
  set(ms: number): void {
    this.advance(ms - this.current);
  }
  /** The wall clock jumps by `ms` (forward or back); no time passes. */
  step(ms: number): void {
    this.current += ms;
  }
}
