import type { Api } from 'grammy';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { ChatRateLimiter } from './rate-limiter.js';
import { backoffMs, classifyTelegramError, DEFAULT_RETRY_POLICY, isContentRefusal, migratedTo, type CallFailure, type RetryPolicy } from './telegram-errors.js';

/** grammY types its signal parameter with the abort-controller shim; Node's AbortSignal is the real thing. */
export type ApiSignal = Parameters<Api['sendMessage']>[3];

export type CallOutcome<T> = { ok: true; value: T } | { ok: false; failure: CallFailure | { kind: 'stopped'; error: string } };

/** The two signals a send listens to: give up waiting (stop() began), abort the call itself (grace over). */
export interface SendSignals {
  stopping: AbortSignal;
  signal: AbortSignal;
}

/** A place as its warning names it. */
export interface PostingPlace {
  id: number;
  name: string;
}

/** Why a place's posts do not get through, as the admins' `alerting_failed` notice tells it. */
export interface PostingProblem {
  channel: string;
  reason: string;
  cause: 'refused' | 'unreachable';
  /** For `unreachable`: how long posts had been failing, in minutes. */
  minutes?: number;
}

/**
 * The place's warning that its posts do not get through, and the admins' notice of it. The
 * transport decides when; the places' table and the outbox, above the wire, keep it
 * (src/alerts/place-warnings.ts).
 */
export interface PlaceWarnings {
  /** Shows the warning and, the first time only, queues the admins' notice (one transaction); true when it was shown now. */
  flag(place: PostingPlace, problem: PostingProblem, now: number): boolean;
  /** The warning goes away; true when there was one. */
  clear(placeId: number): boolean;
  /** Some of the place's alerts still wait in the outbox. */
  alertsWaiting(placeId: number): boolean;
}

/** What becomes of the rows of a failed post: the outbox's DeliveryResult, less `sent`. */
export type PostFailureResult =
  | { outcome: 'untouched' }
  | { outcome: 'later'; at: number }
  | { outcome: 'failed'; error: string }
  | { outcome: 'retry'; retryAt: number; error: string };

export interface TransportDeps {
  api: Api;
  limiter: ChatRateLimiter;
  warnings: PlaceWarnings;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  retryPolicy?: RetryPolicy;
  /** Longest a single Telegram call may take before it counts as a network failure. */
  callTimeoutMs?: number;
  /** A 429 asking to wait up to this long is waited out in the send; longer ones go back to the outbox. */
  maxInlineWaitMs?: number;
  /** A group became a supergroup (a new chat id): the places posting there follow it. */
  onChatMoved?: (from: string, to: string) => void;
  /**
   * Makes a write that records a send's outcome, now or once the database can be written again
   * (DeferredWrites.write); true when made now. Without it, writes are made at once.
   */
  record?: (what: string, write: () => void) => boolean;
}

/**
 * The one way to Telegram for delivery: a slot from the rate limiter (by readiness and priority),
 * the call with a timeout, what a failure means (classifyTelegramError), and the place's
 * `alerting_failed` warning with the admins' one notice. Uses an Api of its own without
 * auto-retry: a 429 holds back only its chat, in the limiter, instead of a waiting call.
 */
export class TelegramTransport {
  readonly policy: RetryPolicy;
  private readonly callTimeoutMs: number;
  private readonly maxInlineWaitMs: number;

  constructor(private readonly deps: TransportDeps) {
    this.policy = deps.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.callTimeoutMs = deps.callTimeoutMs ?? 20_000;
    this.maxInlineWaitMs = deps.maxInlineWaitMs ?? 30_000;
  }

  get api(): Api {
    return this.deps.api;
  }

  /** Waits for a send slot in `chat`; false when the service is stopping instead. */
  async slot(chat: string | number, priority: number, signals: SendSignals): Promise<boolean> {
    try {
      await this.deps.limiter.acquire(chat, priority, signals.stopping);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * One call to `chat` in a slot already granted. A 429 holds the chat back in the limiter for
   * as long as Telegram asks; the caller waits for its next slot or gives the rows back.
   */
  async call<T>(chat: string | number, signals: SendSignals, call: (signal: ApiSignal) => Promise<T>): Promise<CallOutcome<T>> {
    const callSignal = AbortSignal.any([signals.signal, AbortSignal.timeout(this.callTimeoutMs)]);
    try {
      return { ok: true, value: await call(callSignal as unknown as ApiSignal) };
    } catch (error) {
      if (signals.signal.aborted) return { ok: false, failure: { kind: 'stopped', error: 'the service is stopping' } };
      const movedTo = migratedTo(error);
      if (movedTo !== undefined && this.deps.onChatMoved) {
        // Enabling topics (or other settings) turns a group into a supergroup with a new id. The
        // places follow it; the row is tried again shortly and goes to the new id (read afresh).
        this.deps.onChatMoved(String(chat), movedTo);
        return { ok: false, failure: { kind: 'transient', error: `the group became a supergroup (${movedTo}); posting there` } };
      }
      const failure = classifyTelegramError(error);
      this.deps.metrics.telegramFailures.inc({ kind: failure.kind });
      if (failure.kind === 'throttled') this.deps.limiter.holdChat(chat, failure.retryAfterMs);
      return { ok: false, failure };
    }
  }

  /** Waits for a slot, then calls; a short 429 is waited out (in the limiter) and tried again. */
  async send<T>(chat: string | number, priority: number, signals: SendSignals, call: (signal: ApiSignal) => Promise<T>): Promise<CallOutcome<T>> {
    for (;;) {
      if (!(await this.slot(chat, priority, signals))) return { ok: false, failure: { kind: 'stopped', error: 'the service is stopping' } };
      const outcome = await this.call(chat, signals, call);
      if (outcome.ok || outcome.failure.kind !== 'throttled' || outcome.failure.retryAfterMs > this.maxInlineWaitMs) return outcome;
    }
  }

  /** Whether a throttled call should be waited out in the send rather than given back. */
  waitsInline(failure: CallFailure): boolean {
    return failure.kind === 'throttled' && failure.retryAfterMs <= this.maxInlineWaitMs;
  }

  /**
   * Shows the warning on the place and, the first time only, queues the admins' notice (one
   * transaction): `refused` when Telegram said no for good, `unreachable` after failing for a while.
   */
  flag(place: PostingPlace, problem: PostingProblem): void {
    const now = this.deps.clock.now();
    let flagged = false;
    this.record('flag the place', () => {
      flagged = this.deps.warnings.flag(place, problem, now);
    });
    if (flagged) this.deps.logger.warn({ placeId: place.id, reason: problem.reason, cause: problem.cause }, 'posts for this place cannot get through; the admins are told');
  }

  /**
   * After a transient failure of rows first failing at `failingSince`: when to try again
   * (doubling, capped, and once more right when the flag is due), flagging the place when it
   * has failed for `flagAfterMs`.
   */
  afterTransientFailure(place: PostingPlace, chat: string, failure: { error: string }, attempts: number, failingSince: number): number {
    const now = this.deps.clock.now();
    const failingFor = now - failingSince;
    if (failingFor >= this.policy.flagAfterMs) {
      this.flag(place, { channel: chat, reason: failure.error, cause: 'unreachable', minutes: Math.round(failingFor / 60_000) });
    }
    const retryAt = now + backoffMs(attempts, this.policy);
    const flagAt = failingSince + this.policy.flagAfterMs;
    return flagAt > now ? Math.min(retryAt, flagAt) : retryAt;
  }

  /**
   * What a failed post of a place to its chat means for its row, as for every post of the place:
   * wait out a 429, back off on a transient failure (flagging the place after a while), flag it at
   * once when the chat refuses for good.
   */
  channelPostFailure(place: PostingPlace, chat: string, row: { attempts: number; failing_since: number | null }, outcome: CallOutcome<unknown> & { ok: false }): PostFailureResult {
    const failure = outcome.failure;
    const now = this.deps.clock.now();
    switch (failure.kind) {
      case 'stopped':
        return { outcome: 'untouched' };
      case 'throttled':
        return { outcome: 'later', at: now + failure.retryAfterMs };
      case 'refused':
        if (isContentRefusal(failure)) {
          // The text, not the chat: never tried again as it is, and no warning on the place.
          this.deps.logger.warn({ placeId: place.id, chat, error: failure.error }, 'Telegram refused a post of the place for its content; it is dropped');
          return { outcome: 'failed', error: failure.error };
        }
        this.flag(place, { channel: chat, reason: failure.error, cause: 'refused' });
        return { outcome: 'failed', error: failure.error };
      case 'transient':
        return { outcome: 'retry', retryAt: this.afterTransientFailure(place, chat, failure, row.attempts, row.failing_since ?? now), error: failure.error };
    }
  }

  /** A write of what a send made true: now, or once the database can be written (TransportDeps.record). */
  record(what: string, write: () => void): boolean {
    if (this.deps.record) return this.deps.record(what, write);
    write();
    return true;
  }

  /**
   * Another post of the place (a diagram, a report, a schedule post) went through: the warning goes
   * away only when none of the place's alerts is still waiting, since the warning is about alerts
   * not reaching the channel and a picture getting through says nothing about them.
   */
  clearFlagUnlessAlertsWait(placeId: number): boolean {
    if (this.deps.warnings.alertsWaiting(placeId)) return false;
    return this.clearFlag(placeId);
  }

  /** The place's alerts went through: the warning goes away. True when there was one. */
  clearFlag(placeId: number): boolean {
    let cleared = false;
    this.record('clear the place warning', () => {
      cleared = this.deps.warnings.clear(placeId);
    });
    if (cleared) this.deps.logger.info({ placeId: placeId }, 'posts for this place get through again');
    return cleared;
  }
}
