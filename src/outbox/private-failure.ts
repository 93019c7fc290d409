import type { DeliveryResult } from './dispatcher.js';
import { backoffMs, type CallFailure, type RetryPolicy } from '../telegram/telegram-errors.js';
import type { CallOutcome } from '../telegram/transport.js';

/** A private chat refused for good (403): the person blocked the bot, or their account is gone. */
export function isPersonGone(failure: Extract<CallFailure, { kind: 'refused' }>): boolean {
  return failure.error.startsWith('403:');
}

/**
 * What becomes of one row whose message to a person's private chat failed. Never the place's
 * failure: no flag, no word to the admins. A person who blocked the bot is `onBlocked` (marked
 * inactive until their next /start); another refusal is `onRefused` (logged); transient failures
 * retry with the capped backoff; a 429 waits as long as Telegram asks.
 */
export function privateSendFailure(
  failure: Extract<CallOutcome<unknown>, { ok: false }>['failure'],
  row: { attempts: number },
  context: { policy: RetryPolicy; now: number; onBlocked: () => void; onRefused: (error: string) => void },
): DeliveryResult {
  switch (failure.kind) {
    case 'stopped':
      return { outcome: 'untouched' };
    case 'throttled':
      return { outcome: 'later', at: context.now + failure.retryAfterMs };
    case 'transient':
      return { outcome: 'retry', retryAt: context.now + backoffMs(row.attempts, context.policy), error: failure.error };
    case 'refused':
      if (isPersonGone(failure)) context.onBlocked();
      else context.onRefused(failure.error);
      return { outcome: 'failed', error: failure.error };
  }
}
