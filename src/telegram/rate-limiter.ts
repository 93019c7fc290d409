import { performance } from 'node:perf_hooks';

export interface RateLimits {
  /** Telegram allows about 30 messages a second in all; stay under it (TELEGRAM_GLOBAL_PER_SECOND). */
  globalPerSecond: number;
  /** Channels and groups: about 20 messages a minute each. */
  groupIntervalMs: number;
  /** Private chats: about one message a second each. */
  privateIntervalMs: number;
}

export const TELEGRAM_LIMITS: RateLimits = { globalPerSecond: 25, groupIntervalMs: 3000, privateIntervalMs: 1000 };

/**
 * Lower goes first: a power alert before an admin notice before a schedule post (warning, change)
 * before a diagram (its hourly edit, the status line's caption edit, a weekly or monthly report)
 * before tidying up.
 */
export const PRIORITY = { alert: 0, notice: 1, plan: 2, diagram: 3, caption: 3, report: 3, housekeeping: 4 } as const;
export type Priority = (typeof PRIORITY)[keyof typeof PRIORITY];

/**
 * Real elapsed time for the spacing. Rate limits are about the real Telegram on the other end, so
 * they run on a monotonic clock, not on the service's (testable, adjustable) wall clock.
 */
export interface TimeSource {
  now(): number;
  setTimer(callback: () => void, ms: number): { cancel(): void };
}

export const realTime: TimeSource = {
  now: () => performance.now(),
  setTimer(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

interface Waiter {
  chat: string;
  priority: number;
  seq: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
}

/** The waiters given up together when their signal aborts, and the one listener that does it. */
interface Watched {
  waiters: Set<Waiter>;
  onAbort: () => void;
}

/**
 * Hands out send slots by readiness. A send asks for a slot in its chat with a priority; a slot is
 * granted when the chat's spacing since its previous send has passed and the global budget has
 * room, to the most urgent of the waiters that are ready, oldest first. A waiter whose chat is not
 * ready holds nothing: the global slot goes to another chat meanwhile, so one busy channel never
 * delays the others, and the global budget is the only bound on a burst across many chats.
 */
export class ChatRateLimiter {
  /** Sorted by priority, then by arrival. */
  private waiters: Waiter[] = [];
  private readonly chatReadyAt = new Map<string, number>();
  /**
   * One abort listener per signal, not per waiter: thousands of sends wait on the same "stopping"
   * signal in a city-wide burst, and an EventTarget checks each new listener against all the others.
   */
  private readonly watched = new Map<AbortSignal, Watched>();
  private nextGlobalAt = -Infinity;
  /**
   * A slot was granted in the current turn of the event loop. Its send starts only once this turn
   * ends, so granting more in the same turn — thousands of sends asking in one long synchronous
   * stretch while real time runs on — would send them all at once when it ends. The next slot is
   * granted in a later turn, at its time.
   */
  private grantedThisTurn = false;
  private seq = 0;
  private timer: { cancel(): void } | null = null;
  private timerAt = Infinity;
  private readonly globalIntervalMs: number;

  constructor(
    private readonly limits: RateLimits = TELEGRAM_LIMITS,
    private readonly time: TimeSource = realTime,
  ) {
    this.globalIntervalMs = 1000 / limits.globalPerSecond;
  }

  /** Resolves when this send may go; rejects with the signal's reason if it is aborted first. */
  acquire(chatId: string | number, priority: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { chat: String(chatId), priority, seq: this.seq++, resolve, reject, signal };
      if (signal) this.watch(signal, waiter);
      this.insert(waiter);
      this.pump();
    });
  }

  private watch(signal: AbortSignal, waiter: Waiter): void {
    let watched = this.watched.get(signal);
    if (!watched) {
      const aborted = new Set<Waiter>();
      const onAbort = () => {
        this.watched.delete(signal);
        this.waiters = this.waiters.filter((other) => !aborted.has(other));
        for (const other of aborted) other.reject(signal.reason);
      };
      watched = { waiters: aborted, onAbort };
      this.watched.set(signal, watched);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    watched.waiters.add(waiter);
  }

  /** The waiter got its slot: its signal no longer concerns it (nor the limiter, once nobody waits on it). */
  private unwatch(waiter: Waiter): void {
    const { signal } = waiter;
    const watched = signal && this.watched.get(signal);
    if (!signal || !watched) return;
    watched.waiters.delete(waiter);
    if (watched.waiters.size > 0) return;
    signal.removeEventListener('abort', watched.onAbort);
    this.watched.delete(signal);
  }

  /** Telegram asked this chat to wait (429 retry_after): nothing more goes there before then. */
  holdChat(chatId: string | number, ms: number): void {
    const chat = String(chatId);
    const until = this.time.now() + ms;
    if ((this.chatReadyAt.get(chat) ?? -Infinity) < until) this.chatReadyAt.set(chat, until);
    this.pump();
  }

  /** Sends waiting for a slot (for tests and metrics). */
  get waiting(): number {
    return this.waiters.length;
  }

  private insert(waiter: Waiter): void {
    // Usually appended at the end of its priority: a binary search for the first later one.
    let low = 0;
    let high = this.waiters.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      // low <= middle < high <= length: there is always a waiter at middle.
      const other = this.waiters[middle];
      if (other && other.priority <= waiter.priority) low = middle + 1;
      else high = middle;
    }
    this.waiters.splice(low, 0, waiter);
  }

  private pump(): void {
    for (;;) {
      if (this.waiters.length === 0) return;
      const now = this.time.now();
      if (now < this.nextGlobalAt || this.grantedThisTurn) return this.arm(this.nextGlobalAt);
      let earliest = Infinity;
      let granted: Waiter | undefined;
      let grantedAt = 0;
      for (const waiter of this.waiters) {
        const readyAt = this.chatReadyAt.get(waiter.chat) ?? -Infinity;
        if (readyAt <= now) {
          granted = waiter;
          break;
        }
        earliest = Math.min(earliest, readyAt);
        grantedAt += 1;
      }
      if (!granted) return this.arm(earliest);
      this.waiters.splice(grantedAt, 1);
      this.grant(granted, now);
    }
  }

  private grant(waiter: Waiter, now: number): void {
    // A timer that fires a little late does not lower the rate: the next slot is counted from the
    // one just due, unless the limiter was idle for longer than a slot.
    const base = now - this.nextGlobalAt < this.globalIntervalMs ? this.nextGlobalAt : now;
    this.nextGlobalAt = base + this.globalIntervalMs;
    const interval = isPrivateChat(waiter.chat) ? this.limits.privateIntervalMs : this.limits.groupIntervalMs;
    this.chatReadyAt.set(waiter.chat, now + interval);
    if (this.chatReadyAt.size > 10_000) this.forgetPast(now);
    this.unwatch(waiter);
    this.grantedThisTurn = true;
    queueMicrotask(() => (this.grantedThisTurn = false));
    waiter.resolve();
  }

  private arm(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.time.setTimer(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(0, at - this.time.now()));
  }

  private forgetPast(now: number): void {
    for (const [chat, readyAt] of this.chatReadyAt) if (readyAt <= now) this.chatReadyAt.delete(chat);
  }
}

/** Private chats have positive numeric ids; channels and groups negative ones or @usernames. */
export function isPrivateChat(chat: string): boolean {
  return /^\d+$/.test(chat);
}
