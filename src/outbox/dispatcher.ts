import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { OutboxRow, OutboxStore } from './outbox-store.js';

/** What a sender says about one delivery attempt. */
export type DeliveryResult =
  | { outcome: 'sent'; messageId: number | null }
  /** Try again at `retryAt` (rate limit, server error, network). */
  | { outcome: 'retry'; retryAt: number; error: string }
  /** Will never succeed as it is (chat gone, no rights): stop trying these rows. */
  | { outcome: 'failed'; error: string };

export interface Sender {
  /**
   * Delivers one message made of `rows`: usually one row; several consecutive alerts of one place
   * when they fall inside the flapping window and are to be posted as one message.
   */
  deliver(rows: OutboxRow[], signal: AbortSignal): Promise<DeliveryResult>;
}

export interface DispatcherOptions {
  /** Alerts of one place closer than this to its previous alert post are held and coalesced. */
  flapWindowMs: number;
  /** Places delivered in parallel (each place's own messages stay in order). */
  concurrency: number;
  batchSize: number;
  idlePollMs: number;
  /** An attempt still running this long after stop() is aborted. */
  stopGraceMs: number;
}

const DEFAULTS: DispatcherOptions = { flapWindowMs: 60_000, concurrency: 8, batchSize: 500, idlePollMs: 1000, stopGraceMs: 3000 };

/**
 * Drains the outbox. Each place is a lane: its rows go out oldest first and never past an
 * undelivered one, so a channel sees its alerts in the order they happened; lanes run in parallel.
 * Delivery is at least once: rows are marked sent only after the sender confirmed them (with the
 * message id), so a crash in between resends after the restart, and a confirmed row never again.
 */
export class OutboxDispatcher {
  private readonly options: DispatcherOptions;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private exclusive: Promise<unknown> = Promise.resolve();
  private readonly abort = new AbortController();

  constructor(
    private readonly store: OutboxStore,
    private readonly sender: Sender,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: Partial<DispatcherOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Delivers what is due, and polls for due retries, until stop(). Call `wake()` on new rows. */
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

  /**
   * Lets the attempts in progress finish, aborts them after a grace period, and returns at the
   * latest shortly after that even if a sender ignores the abort: an unconfirmed row stays
   * pending and goes out after the restart (at least once).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const grace = setTimeout(() => this.abort.abort(new Error('the service is stopping')), this.options.stopGraceMs);
    let giveUp: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (giveUp = setTimeout(resolve, this.options.stopGraceMs + 1000)));
    await Promise.race([Promise.all([this.running, this.exclusive]), deadline]);
    clearTimeout(grace);
    clearTimeout(giveUp);
  }

  /**
   * Drains what is due now and resolves with the number of messages settled. Drains never
   * overlap: a call made while one runs waits for it, so no row is picked up twice.
   */
  drainOnce(): Promise<number> {
    const drain = this.exclusive.then(() => this.drainDue());
    this.exclusive = drain.catch(() => undefined);
    return drain;
  }

  private async drainDue(): Promise<number> {
    const rows = await this.store.pending(this.options.batchSize);
    const now = this.clock.now();
    const lanes = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const lane = row.location_id === null ? `row:${row.id}` : `place:${row.location_id}`;
      const list = lanes.get(lane);
      if (list) list.push(row);
      else lanes.set(lane, [row]);
    }
    const work = [...lanes.values()];
    let settled = 0;
    const worker = async () => {
      for (let lane = work.shift(); lane; lane = work.shift()) {
        if (this.abort.signal.aborted) return;
        settled += await this.deliverLane(lane, now);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, work.length) }, worker));
    return settled;
  }

  /** Delivers a place's due rows in order; stops at the first one that has to wait. */
  private async deliverLane(rows: OutboxRow[], now: number): Promise<number> {
    let settled = 0;
    let index = 0;
    while (index < rows.length) {
      const head = rows[index]!;
      if (head.next_attempt_at > now) break;
      let batch = [head];
      if (head.kind === 'alert' && head.location_id !== null && this.options.flapWindowMs > 0) {
        const lastPostedAt = await this.store.lastAlertSentAt(head.location_id);
        const holdUntil = lastPostedAt === null ? 0 : lastPostedAt + this.options.flapWindowMs;
        if (now < holdUntil) {
          // Too soon after the previous post: hold it; whatever else happens by then joins it.
          await this.store.postpone(head.id, holdUntil);
          break;
        }
        batch = consecutiveAlerts(rows, index);
      }
      const done = await this.attempt(batch);
      if (!done) break;
      settled += 1;
      index += batch.length;
    }
    return settled;
  }

  private async drainLoop(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.drainOnce();
      } catch (error) {
        this.logger.error({ err: error }, 'outbox drain failed; will try again');
      }
    } while (this.again && !this.stopped);
  }

  /** Returns true when the rows are settled (sent or given up), false when they wait for a retry. */
  private async attempt(rows: OutboxRow[]): Promise<boolean> {
    const ids = rows.map((row) => row.id);
    let result: DeliveryResult;
    try {
      result = await this.sender.deliver(rows, this.abort.signal);
    } catch (error) {
      result = { outcome: 'retry', retryAt: this.clock.now() + 5_000, error: error instanceof Error ? error.message : String(error) };
    }
    const now = this.clock.now();
    const kind = rows[0]!.kind;
    switch (result.outcome) {
      case 'sent':
        await this.store.markSent(ids, result.messageId, now);
        return true;
      case 'retry':
        await this.store.markRetry(ids, result.retryAt, result.error);
        this.logger.warn({ outboxIds: ids, kind, error: result.error, retryInS: Math.round((result.retryAt - now) / 1000) }, 'delivery will be retried');
        return false;
      case 'failed':
        await this.store.markFailed(ids, result.error, now);
        this.logger.warn({ outboxIds: ids, kind, error: result.error }, 'delivery given up');
        return true;
    }
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), this.options.idlePollMs);
    this.timer.unref();
  }
}

function consecutiveAlerts(rows: OutboxRow[], from: number): OutboxRow[] {
  const batch: OutboxRow[] = [];
  for (let i = from; i < rows.length && rows[i]!.kind === 'alert'; i += 1) batch.push(rows[i]!);
  return batch;
}

/** Until Telegram is connected (and in benchmarks): logs what would be posted, counts it delivered. */
export class LoggingSender implements Sender {
  constructor(private readonly logger: Logger) {}

  async deliver(rows: OutboxRow[]): Promise<DeliveryResult> {
    for (const row of rows) {
      this.logger.info({ outboxId: row.id, locationId: row.location_id, kind: row.kind, payload: JSON.parse(row.payload) as unknown }, 'outbox message (logging sender)');
    }
    return { outcome: 'sent', messageId: null };
  }
}
