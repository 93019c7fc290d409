import type SqliteDatabase from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { OutboxTable } from '../db/schema.js';
import { queryBuilder, SyncQueries } from '../db/sync-query.js';
import type { OutboxKind, OutboxMessage } from './messages.js';

export type OutboxRow = Selectable<OutboxTable>;

/** A diagram row as the daily schedule needs to see it. */
export interface DiagramRowState {
  payload: string;
  sent_at: number | null;
  failed_at: number | null;
}

/**
 * The one owner of the `outbox` table: every row is written by `enqueue` (with a typed payload)
 * and settled by the methods the dispatcher uses. Nothing else in src/ writes outbox SQL (a test
 * checks it). Synchronous (better-sqlite3), so a producer can queue its row inside the same
 * transaction as the change that caused it: a power change and its alert commit together.
 */
export class OutboxStore {
  private readonly insert;
  private readonly undelivered;
  private readonly lastAlert;
  private readonly sent;
  private readonly retry;
  private readonly later;
  private readonly failed;
  private readonly diagramRows;
  private readonly queries: SyncQueries;

  constructor(private readonly sqlite: SqliteDatabase.Database) {
    this.queries = new SyncQueries(sqlite);
    this.insert = sqlite.prepare<{ locationId: number | null; kind: string; payload: string; now: number }>(
      `INSERT INTO outbox (location_id, kind, payload, created_at, attempts, next_attempt_at)
       VALUES (@locationId, @kind, @payload, @now, 0, @now)`,
    );
    // The partial index outbox_undelivered holds only rows still to deliver, so this stays a
    // short index range however many delivered rows the table keeps (see migration 0003).
    this.undelivered = sqlite.prepare<[number, number], OutboxRow>(
      'SELECT * FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND id > ? ORDER BY id LIMIT ?',
    );
    this.lastAlert = sqlite.prepare<[number], { last: number | null }>(
      "SELECT max(sent_at) AS last FROM outbox WHERE location_id = ? AND kind = 'alert'",
    );
    this.sent = sqlite.prepare<{ id: number; messageId: number | null; now: number }>(
      'UPDATE outbox SET sent_at = @now, message_id = @messageId, attempts = attempts + 1, last_error = NULL WHERE id = @id',
    );
    this.retry = sqlite.prepare<{ id: number; at: number; error: string; now: number }>(
      `UPDATE outbox SET next_attempt_at = @at, attempts = attempts + 1, last_error = @error,
         failing_since = coalesce(failing_since, @now) WHERE id = @id`,
    );
    this.later = sqlite.prepare<{ id: number; at: number }>('UPDATE outbox SET next_attempt_at = @at WHERE id = @id');
    this.failed = sqlite.prepare<{ id: number; error: string; now: number }>(
      'UPDATE outbox SET failed_at = @now, attempts = attempts + 1, last_error = @error WHERE id = @id',
    );
    this.diagramRows = sqlite.prepare<[number, number], DiagramRowState>(
      "SELECT payload, sent_at, failed_at FROM outbox WHERE location_id = ? AND kind = 'diagram' AND created_at >= ?",
    );
  }

  /** Queues a message, due now. Joins the caller's transaction when there is one. */
  enqueue(message: OutboxMessage, now: number): void {
    this.insert.run({ locationId: message.locationId, kind: message.kind, payload: JSON.stringify(message.payload), now });
  }

  /** Rows still to deliver with an id above `afterId`, oldest first (the dispatcher loads new rows with it). */
  undeliveredAfter(afterId: number, limit: number): OutboxRow[] {
    return this.undelivered.all(afterId, limit);
  }

  /** When the place's last alert post went out, for the flapping window. */
  lastAlertSentAt(locationId: number): number | null {
    return this.lastAlert.get(locationId)?.last ?? null;
  }

  /** Delivered: counted, with the Telegram message id that proves it (a retry must not post again). */
  markSent(ids: readonly number[], messageId: number | null, now: number): void {
    this.each(ids, (id) => this.sent.run({ id, messageId, now }));
  }

  /** A failed attempt: try again at `at`. The first failure is remembered (`failing_since`). */
  markRetry(ids: readonly number[], at: number, error: string, now: number): void {
    this.each(ids, (id) => this.retry.run({ id, at, error, now }));
  }

  /** Held back without an attempt (the flapping window, Telegram's own "retry after"). */
  postpone(ids: readonly number[], at: number): void {
    this.each(ids, (id) => this.later.run({ id, at }));
  }

  /** Can never be delivered (the place is gone, the payload is broken): settled, with the reason. */
  markFailed(ids: readonly number[], error: string, now: number): void {
    this.each(ids, (id) => this.failed.run({ id, error, now }));
  }

  /** The place's diagram rows queued since `since` (the schedule's "already queued today?"). */
  diagramRowsSince(locationId: number, since: number): DiagramRowState[] {
    return this.diagramRows.all(locationId, since);
  }

  /** Whether the place has rows of `kind` still to deliver (outbox_by_location: place, kind, sent_at). */
  hasUndelivered(locationId: number, kind: OutboxKind): boolean {
    const row = this.queries.first(
      queryBuilder
        .selectFrom('outbox')
        .select('id')
        .where('location_id', '=', locationId)
        .where('kind', '=', kind)
        .where('sent_at', 'is', null)
        .where('failed_at', 'is', null)
        .limit(1),
    );
    return row !== undefined;
  }

  /** Runs `work` in one transaction; joins the caller's when there is one. */
  inTransaction<T>(work: () => T): T {
    return this.sqlite.inTransaction ? work() : this.sqlite.transaction(work)();
  }

  private each(ids: readonly number[], write: (id: number) => unknown): void {
    if (ids.length === 1) {
      write(ids[0]!);
      return;
    }
    const run = () => ids.forEach(write);
    if (this.sqlite.inTransaction) run();
    else this.sqlite.transaction(run)();
  }
}
