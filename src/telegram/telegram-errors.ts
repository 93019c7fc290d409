import { GrammyError, HttpError } from 'grammy';

export interface RetryPolicy {
  /** First backoff after a 5xx or network error; doubles per attempt up to `maxDelayMs`. */
  baseDelayMs: number;
  /** The longest wait between two tries; also how often a refused chat is tried again. */
  maxDelayMs: number;
  /** A place whose posts keep failing this long is flagged and the admins are told. */
  flagAfterMs: number;
}

/** Transient failures are retried for ever (nothing is dropped), at most 5 minutes apart. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 2_000, maxDelayMs: 5 * 60_000, flagAfterMs: 10 * 60_000 };

/**
 * What a failed Telegram call means:
 * - throttled: 429, wait as Telegram says (`retry_after`), it is not the chat's fault;
 * - transient: 5xx, network, timeout: back off and try again;
 * - refused: 400/401/403 (no chat, no rights, kicked, bad token): it will not work as things are.
 */
export type CallFailure =
  | { kind: 'throttled'; retryAfterMs: number; error: string }
  | { kind: 'transient'; error: string }
  | { kind: 'refused'; error: string };

export function classifyTelegramError(error: unknown): CallFailure {
  if (error instanceof GrammyError) {
    const reason = `${error.error_code}: ${error.description}`;
    if (error.error_code === 429) return { kind: 'throttled', retryAfterMs: (error.parameters.retry_after ?? 5) * 1000, error: reason };
    if (error.error_code === 400 || error.error_code === 401 || error.error_code === 403) return { kind: 'refused', error: reason };
    return { kind: 'transient', error: reason };
  }
  if (error instanceof HttpError) return { kind: 'transient', error: `network: ${error.message}` };
  return { kind: 'transient', error: error instanceof Error ? error.message : String(error) };
}

/**
 * Telegram refused the message for what it says (too long, HTML it cannot parse), not because of
 * the chat: the same text will never go, so it is never tried again as it is, and it says
 * nothing about the bot's rights in the chat (no warning on the place).
 */
export function isContentRefusal(failure: { kind: string; error: string }): boolean {
  return failure.kind === 'refused' && failure.error.startsWith('400:') && CONTENT_REFUSAL.test(failure.error);
}

const CONTENT_REFUSAL =
  /message is too long|caption is too long|MESSAGE_TOO_LONG|MEDIA_CAPTION_TOO_LONG|text is too long|can't parse entities|ENTITIES_TOO_LONG|ENTITY_BOUNDS_INVALID|message text is empty|text must be non-empty/i;

/** When to try again after `attempts` failed tries: doubling from the base, capped. */
export function backoffMs(attempts: number, policy: RetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempts, 30));
}

/** Telegram's answer to an edit that changes nothing: the message already shows what we want. */
/** The supergroup a group became, when Telegram says a call went to the group's old id. */
export function migratedTo(error: unknown): string | undefined {
  const to = error instanceof GrammyError ? error.parameters.migrate_to_chat_id : undefined;
  return to === undefined ? undefined : String(to);
}

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
