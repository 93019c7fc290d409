import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { OutboxRow, OutboxStore } from './outbox-store.js';

/** What a sender says about one delivery attempt. */
export type DeliveryResult =
  | { outcome: 'sent'; messageId: number | null }
  /** Try again at `retryAt` (rate limit, server error, network). */
  | { outcome: 'retry'; retryAt: number; error: string }
  /** Will never succeed as it is (chat gone, no rights): stop trying this row. */
  | { outcome: 'failed'; error: string };

export interface Sender {
  deliver(row: OutboxRow): Promise<DeliveryResult>;
}

/**
 * Drains the outbox: oldest first, and never past an undelivered row of the same place, so a
 * channel sees its alerts in the order they happened. Delivery is at least once: a row is marked
 * sent only after the sender confirmed it, so a crash in between resends it after the restart.
 */
export class OutboxDispatcher {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private exclusive: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: OutboxStore,
    private readonly sender: Sender,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: { batchSize: number; idlePollMs: number } = { batchSize: 100, idlePollMs: 1000 },
  ) {}

  /** Polls for due retries until stop(); new rows should also call `wake()`. */
  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Drains now (or right after the drain in progress). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drainLoop().finally(() => {
      this.running = null;
      if (!this.stopped) this.schedule();
    });
  }

  /** Lets the attempt in progress finish, then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /**
   * Drains what is due now and resolves with the number settled. Drains never overlap: a call
   * made while one runs waits for it, so no row can be picked up twice.
   */
  drainOnce(): Promise<number> {
    const drain = this.exclusive.then(() => this.drainDue());
    this.exclusive = drain.catch(() => undefined);
    return drain;
  }

  private async drainDue(): Promise<number> {
    const rows = await this.store.pending(this.options.batchSize);
    const now = this.clock.now();
    const blocked = new Set<number | null>();
    let delivered = 0;
    for (const row of rows) {
      if (this.stopped) break;
      const lane = row.location_id;
      if (lane !== null && blocked.has(lane)) continue;
      if (row.next_attempt_at > now) {
        if (lane !== null) blocked.add(lane);
        continue;
      }
      const settled = await this.attempt(row);
      if (settled) delivered += 1;
      else if (lane !== null) blocked.add(lane);
    }
    return delivered;
  }

  private async drainLoop(): Promise<void> {
    do {
      this.again = false;
      try {
        const delivered = await this.drainOnce();
        if (delivered === this.options.batchSize) this.again = true;
      } catch (error) {
        this.logger.error({ err: error }, 'outbox drain failed; will try again');
      }
    } while (this.again && !this.stopped);
  }

  /** Returns true when the row is settled (sent or given up), false when it waits for a retry. */
  private async attempt(row: OutboxRow): Promise<boolean> {
    let result: DeliveryResult;
    try {
      result = await this.sender.deliver(row);
    } catch (error) {
      result = { outcome: 'retry', retryAt: this.clock.now() + 5_000, error: error instanceof Error ? error.message : String(error) };
    }
    const now = this.clock.now();
    switch (result.outcome) {
      case 'sent':
        await this.store.markSent(row.id, result.messageId, now);
        return true;
      case 'retry':
        await this.store.markRetry(row.id, result.retryAt, result.error);
        this.logger.warn({ outboxId: row.id, kind: row.kind, error: result.error }, 'delivery will be retried');
        return false;
      case 'failed':
        await this.store.markFailed(row.id, result.error, now);
        this.logger.warn({ outboxId: row.id, kind: row.kind, error: result.error }, 'delivery given up');
        return true;
    }
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), this.options.idlePollMs);
    this.timer.unref();
  }
}

/** Until Telegram is connected: writes what would be posted to the log and counts it delivered. */
export class LoggingSender implements Sender {
  constructor(private readonly logger: Logger) {}

  async deliver(row: OutboxRow): Promise<DeliveryResult> {
    this.logger.info({ outboxId: row.id, locationId: row.location_id, kind: row.kind, payload: JSON.parse(row.payload) as unknown }, 'outbox message (logging sender)');
    return { outcome: 'sent', messageId: null };
  }
}
