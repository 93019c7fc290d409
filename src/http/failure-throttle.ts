/**
 * Counts failed authentications per client address in a fixed window. After `limit` failures an
 * address is refused with 429 until its window ends, whatever key it tries next. Memory is bounded:
 * expired windows are dropped, and past `maxAddresses` the oldest entries go first.
 */
export class FailureThrottle {
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();

  constructor(
    private readonly options: { limit: number; windowMs: number; maxAddresses: number } = {
      limit: 10,
      windowMs: 60_000,
      maxAddresses: 100_000,
    },
  ) {}

  /** Seconds until the address may try again, or 0 when it is not throttled. */
  retryAfterS(address: string, now: number): number {
    const window = this.windows.get(address);
    if (!window) return 0;
    const endsAt = window.startedAt + this.options.windowMs;
    if (now >= endsAt) {
      this.windows.delete(address);
      return 0;
    }
    return window.failures >= this.options.limit ? Math.ceil((endsAt - now) / 1000) : 0;
  }

  recordFailure(address: string, now: number): void {
    const window = this.windows.get(address);
    if (window && now < window.startedAt + this.options.windowMs) {
      window.failures += 1;
      return;
    }
    this.windows.delete(address);
    this.windows.set(address, { startedAt: now, failures: 1 });
    if (this.windows.size > this.options.maxAddresses) this.dropOldest(now);
  }

  private dropOldest(now: number): void {
    for (const [address, window] of this.windows) {
      if (this.windows.size <= this.options.maxAddresses && now < window.startedAt + this.options.windowMs) break;
      this.windows.delete(address);
    }
  }
}
