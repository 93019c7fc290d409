import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { deliverHeadRows, type Deliverer, type DeliveryResult, type Lane, type TaskContext } from '../outbox/dispatcher.js';
import { parsePayload, PayloadError } from '../outbox/messages.js';
import type { OutboxRow } from '../outbox/outbox-store.js';
import { PRIORITY } from '../telegram/rate-limiter.js';
import { backoffMs } from '../telegram/telegram-errors.js';
import type { TelegramTransport } from '../telegram/transport.js';

export interface UnpinDeliveryDeps {
  transport: TelegramTransport;
  clock: Clock;
  logger: Logger;
}

/**
 * Unpins messages that should no longer be pinned (outbox kind 'unpin'): yesterday's diagram
 * once today's is pinned, and the diagram of a deleted place. Lowest priority: it waits for
 * every alert, notice and diagram. A refusal ends it (the message is gone, or was unpinned by
 * hand, or the bot lost its rights: nothing more to do); transient failures are tried again.
 */
export class UnpinDelivery implements Deliverer {
  constructor(private readonly deps: UnpinDeliveryDeps) {}

  taskKey(lane: Lane): string {
    return lane.key;
  }

  run(task: TaskContext): Promise<void> {
    return deliverHeadRows(task, (row) => this.unpin(row, task));
  }

  private async unpin(row: OutboxRow, task: TaskContext): Promise<DeliveryResult> {
    const { transport, clock } = this.deps;
    let chat: string;
    let messageId: number;
    try {
      ({ chat, messageId } = parsePayload('unpin', row.payload));
    } catch (error) {
      if (error instanceof PayloadError) return { outcome: 'failed', error: error.message };
      throw error;
    }
    const outcome = await transport.send(chat, PRIORITY.housekeeping, task, (signal) => transport.api.unpinChatMessage(chat, messageId, undefined, signal));
    if (outcome.ok) return { outcome: 'sent', messageId };
    const failure = outcome.failure;
    switch (failure.kind) {
      case 'stopped':
        return { outcome: 'untouched' };
      case 'throttled':
        return { outcome: 'later', at: clock.now() + failure.retryAfterMs };
      case 'refused':
        this.deps.logger.info({ chat, messageId, error: failure.error }, 'nothing to unpin');
        return { outcome: 'failed', error: failure.error };
      case 'transient':
        return { outcome: 'retry', retryAt: clock.now() + backoffMs(row.attempts, transport.policy), error: failure.error };
    }
  }
}
