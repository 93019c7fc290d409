import type { DeliveryPlace } from '../locations/delivery-places.js';
import type { DeliveryResult } from '../outbox/dispatcher.js';
import type { OutboxRow } from '../outbox/outbox-store.js';
import type { CallOutcome, TelegramTransport } from '../telegram/transport.js';

/**
 * What a failed report post to a place's channel means for its row, as for the place's other
 * posts: wait out a 429, back off on a transient failure (flagging the place after a while),
 * flag it at once when the channel refuses for good.
 */
export function channelPostFailure(
  transport: TelegramTransport,
  place: Pick<DeliveryPlace, 'id' | 'name'>,
  chat: string,
  row: OutboxRow,
  outcome: CallOutcome<unknown> & { ok: false },
  now: number,
): DeliveryResult {
  const failure = outcome.failure;
  switch (failure.kind) {
    case 'stopped':
      return { outcome: 'untouched' };
    case 'throttled':
      return { outcome: 'later', at: now + failure.retryAfterMs };
    case 'refused':
      transport.flag(place, { channel: chat, reason: failure.error, cause: 'refused' });
      return { outcome: 'failed', error: failure.error };
    case 'transient':
      return { outcome: 'retry', retryAt: transport.afterTransientFailure(place, chat, failure, row.attempts, row.failing_since ?? now), error: failure.error };
  }
}
