import { GrammyError, HttpError } from 'grammy';
import type { DeliveryResult } from '../outbox/dispatcher.js';

export interface RetryPolicy {
  /** First backoff after a 5xx or network error; doubles per attempt. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts after which a message that keeps failing for temporary reasons is given up. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 2_000, maxDelayMs: 10 * 60_000, maxAttempts: 15 };

/**
 * What a failed Telegram call means for the outbox: wait as told (429), back off (5xx, network,
 * timeout), or stop because it cannot work as things are (400/403: no chat, no rights, kicked).
 */
export function classifyTelegramError(error: unknown, context: { now: number; attempts: number; policy: RetryPolicy }): DeliveryResult & { permanent?: boolean } {
  const { now, attempts, policy } = context;
  const backoff = (reason: string): DeliveryResult => {
    if (attempts + 1 >= policy.maxAttempts) return { outcome: 'failed', error: `${reason} (gave up after ${attempts + 1} attempts)` };
    const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempts);
    return { outcome: 'retry', retryAt: now + delay, error: reason };
  };
  if (error instanceof GrammyError) {
    const reason = `${error.error_code}: ${error.description}`;
    if (error.error_code === 429) {
      const retryAfterS = error.parameters.retry_after ?? 5;
      return { outcome: 'retry', retryAt: now + retryAfterS * 1000, error: reason };
    }
    if (error.error_code >= 500) return backoff(reason);
    if (error.error_code === 400 || error.error_code === 403 || error.error_code === 401) {
      return { outcome: 'failed', error: reason, permanent: true };
    }
    return backoff(reason);
  }
  if (error instanceof HttpError) return backoff(`network: ${error.message}`);
  return backoff(error instanceof Error ? error.message : String(error));
}

/** Telegram's answer to an edit that changes nothing: the message already shows what we want. */
export function isNotModified(error: unknown): boolean {
  return error instanceof GrammyError && error.error_code === 400 && /message is not modified/i.test(error.description);
}

/** The edit target is gone (deleted by someone, or too old): post a new one instead. */
export function isMessageGone(error: unknown): boolean {
  return (
    error instanceof GrammyError &&
    error.error_code === 400 &&
    /message to edit not found|message can't be edited|message_id_invalid|message to delete not found/i.test(error.description)
  );
}
