import { isIP } from 'node:net';

export interface FailureThrottleOptions {
  /** Failed attempts an address may make at once. */
  burst: number;
  /** One more failed attempt is allowed this often (10 per minute with 6 s). */
  refillEveryMs: number;
  /** Addresses remembered at most; the least recently failing are forgotten first. */
  maxAddresses: number;
}

const DEFAULTS: FailureThrottleOptions = { burst: 10, refillEveryMs: 6_000, maxAddresses: 50_000 };

/**
 * Slows down failed authentications, per client address: a token bucket of `burst` failures that
 * refills by one every `refillEveryMs`. Only failures are counted and only failures are refused,
 * so a valid key is never held up by what other devices behind the same address (one home, a
 * carrier's CGNAT, a proxy) get wrong — a board still holding a rotated key just keeps its own
 * address's wrong attempts slow.
 *
 * Each failure costs one Map lookup and a little arithmetic; memory is at most `maxAddresses`
 * small entries. IPv6 clients are counted per /64 (one customer's block), or rotating through
 * it would dodge the limit. An attacker rotating through many addresses can push others out of
 * the map, which only gives them a fresh budget — nobody valid is ever locked out by it.
 */
export class FailureThrottle {
  /** Ordered from least to most recently failing (each failure moves its entry to the end). */
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly options: FailureThrottleOptions;

  constructor(options: Partial<FailureThrottleOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  get size(): number {
    return this.buckets.size;
  }

  /**
   * Counts a failed authentication from `address`. Returns 0 when it is within the address's
   * budget (answer 401), else the whole seconds until the next attempt will be (answer 429 with
   * that Retry-After). Refused attempts do not push that time further out.
   */
  recordFailure(address: string, now: number): number {
    const key = throttleKey(address);
    const bucket = this.buckets.get(key);
    const tokens = bucket ? this.refilled(bucket, now) : this.options.burst;
    this.buckets.delete(key);
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      this.forgetIdle(now);
      return 0;
    }
    this.buckets.set(key, { tokens, at: now });
    return Math.max(1, Math.ceil(((1 - tokens) * this.options.refillEveryMs) / 1000));
  }

  private refilled(bucket: { tokens: number; at: number }, now: number): number {
    return Math.min(this.options.burst, bucket.tokens + Math.max(0, now - bucket.at) / this.options.refillEveryMs);
  }

  /**
   * Drops the oldest entries while the map is over its bound or they have refilled completely
   * (entries are in the order of their last failure, and any entry a minute old is full again).
   * Each entry is dropped once, so this is O(1) per failure on average.
   */
  private forgetIdle(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (this.buckets.size <= this.options.maxAddresses && this.refilled(bucket, now) < this.options.burst) return;
      this.buckets.delete(key);
    }
  }
}

/** The address an attempt is counted under: the IPv4 address itself, or the IPv6 /64. */
export function throttleKey(address: string): string {
  const bare = address.replace(/%.*$/, '');
  if (isIP(bare) !== 6) return address;
  const [head = '', tail = ''] = bare.toLowerCase().split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = bare.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = bare.includes('::') ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group: string) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
