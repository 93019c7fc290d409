import { DEFAULT_LEASE, type LeaseTiming } from '../../src/db/leadership.js';

/**
 * The leader's lease for `--lease-s` (PostgreSQL). Production's is 5 s; a leader whose event loop
 * is held longer (a big synchronous write through the bridge) stops leading, so a longer lease
 * lets a bench measure what comes after such a stall. The server still drops a silent session
 * 3 s after the lease, as production's timing keeps it later than the lease.
 */
export function leaseOf(seconds: number): LeaseTiming {
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`--lease-s must be a number of seconds above 0, not "${seconds}"`);
  const leaseMs = seconds * 1000;
  return { ...DEFAULT_LEASE, leaseMs, serverDropsAfterMs: leaseMs + (DEFAULT_LEASE.serverDropsAfterMs - DEFAULT_LEASE.leaseMs) };
}
