import type { SyncDatabase } from '../db/sync-database.js';
import type { Selectable } from 'kysely';
import type { OutboxKind, OutboxTable } from '../db/schema.js';
import { prepareStatements } from '../db/prepared-statement.js';
import { statementPlan } from '../db/statement-plan.js';
import { queryBuilder } from '../db/sync-query.js';
import type { OutboxMessage } from './messages.js';

export type OutboxRow = Selectable<OutboxTable>;

/** A diagram row as the daily schedule needs to see it. */
export interface DiagramRowState {
  payload: string;
  sent_at: number | null;
  failed_at: number | null;
}

const plans = {
  insert: statementPlan((p: { placeId: number | null; kind: OutboxKind; payload: string; now: number }) =>
    queryBuilder
      .insertInto('outbox')
      .values({ location_id: p.placeId, kind: p.kind, payload: p.payload, created_at: p.now, attempts: 0, next_attempt_at: p.now }),
  ),
  // The partial index outbox_undelivered holds only rows still to deliver, so this stays a
  // short index range however many delivered rows the table keeps (see migration 0003).
  undelivered: statementPlan((p: { afterId: number; limit: number }) =>
    queryBuilder
      .selectFrom('outbox')
      .selectAll()
      .where('sent_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('id', '>', p.afterId)
      .orderBy('id')
      .limit(p.limit),
  ),
  undeliveredOfKind: statementPlan((p: { placeId: number; kind: OutboxKind }) =>
    queryBuilder
      .selectFrom('outbox')
      .select('id')
      .where('location_id', '=', p.placeId)
      .where('kind', '=', p.kind)
      .where('sent_at', 'is', null)
      .where('failed_at', 'is', null)
      .limit(1),
  ),
  lastAlert: statementPlan((p: { placeId: number }) =>
    queryBuilder
      .selectFrom('outbox')
      .select((eb) => eb.fn.max('sent_at').as('last'))
      .where('location_id', '=', p.placeId)
      .where('kind', '=', 'alert'),
  ),
  sent: statementPlan((p: { id: number; messageId: number | null; now: number }) =>
    queryBuilder
      .updateTable('outbox')
      .set((eb) => ({ sent_at: p.now, message_id: p.messageId, attempts: eb('attempts', '+', 1), last_error: null }))
      .where('id', '=', p.id),
  ),
  retry: statementPlan((p: { id: number; at: number; error: string; now: number }) =>
    queryBuilder
      .updateTable('outbox')
      .set((eb) => ({
        next_attempt_at: p.at,
        attempts: eb('attempts', '+', 1),
        last_error: p.error,
        failing_since: eb.fn.coalesce('failing_since', eb.val(p.now)),
      }))
      .where('id', '=', p.id),
  ),
  later: statementPlan((p: { id: number; at: number }) => queryBuilder.updateTable('outbox').set({ next_attempt_at: p.at }).where('id', '=', p.id)),
  failed: statementPlan((p: { id: number; error: string; now: number }) =>
    queryBuilder
      .updateTable('outbox')
      .set((eb) => ({ failed_at: p.now, attempts: eb('attempts', '+', 1), last_error: p.error }))
      .where('id', '=', p.id),
  ),
  diagramRows: statementPlan((p: { placeId: number; since: number }) =>
    queryBuilder
      .selectFrom('outbox')
      .select(['payload', 'sent_at', 'failed_at'])
      .where('location_id', '=', p.placeId)
      .where('kind', '=', 'diagram')
      .where('created_at', '>=', p.since),
  ),
  moveUndelivered: statementPlan((p: { delta: number; createdBefore: number }) =>
    queryBuilder
      .updateTable('outbox')
      .set((eb) => ({
        created_at: eb('created_at', '+', p.delta),
        next_attempt_at: eb('next_attempt_at', '+', p.delta),
        failing_since: eb('failing_since', '+', p.delta),
      }))
      .where('sent_at', 'is', null)
      .where('failed_at', 'is', null)
      .where('created_at', '<', p.createdBefore),
  ),
  pruneDelivered: statementPlan((p: { before: number }) =>
    queryBuilder.deleteFrom('outbox').where('sent_at', 'is not', null).where('sent_at', '<', p.before),
  ),
  pruneFailed: statementPlan((p: { before: number }) =>
    queryBuilder.deleteFrom('outbox').where('sent_at', 'is', null).where('failed_at', 'is not', null).where('failed_at', '<', p.before),
  ),
};

/**
 * The one owner of the `outbox` table: every row is written by `enqueue` (with a typed payload)
 * and settled by the methods the dispatcher uses. Nothing else in src/ writes outbox SQL (a test
 * checks it). Synchronous (better-sqlite3), so a producer can queue its row inside the same
 * transaction as the change that caused it: a power change and its alert commit together.
 */
export class OutboxStore {
  private readonly statements;

  constructor(private readonly sqlite: SyncDatabase) {
    this.statements = prepareStatements(sqlite, plans);
  }

  /** Queues a message, due now. Joins the caller's transaction when there is one. */
  enqueue(message: OutboxMessage, now: number): void {
    this.statements.insert.run({ placeId: message.placeId, kind: message.kind, payload: JSON.stringify(message.payload), now });
  }

  /** Rows still to deliver with an id above `afterId`, oldest first (the dispatcher loads new rows with it). */
  undeliveredAfter(afterId: number, limit: number): OutboxRow[] {
    return this.statements.undelivered.all({ afterId, limit });
  }

  /** When the place's last alert post went out, for the flapping window. */
  lastAlertSentAt(placeId: number): number | null {
    return this.statements.lastAlert.get({ placeId })?.last ?? null;
  }

  /** Delivered: counted, with the Telegram message id that proves it (a retry must not post again). */
  markSent(ids: readonly number[], messageId: number | null, now: number): void {
    this.each(ids, (id) => this.statements.sent.run({ id, messageId, now }));
  }

  /** A failed attempt: try again at `at`. The first failure is remembered (`failing_since`). */
  markRetry(ids: readonly number[], at: number, error: string, now: number): void {
    this.each(ids, (id) => this.statements.retry.run({ id, at, error, now }));
  }

  /** Held back without an attempt (the flapping window, Telegram's own "retry after"). */
  postpone(ids: readonly number[], at: number): void {
    this.each(ids, (id) => this.statements.later.run({ id, at }));
  }

  /** Can never be delivered (the place is gone, the payload is broken): settled, with the reason. */
  markFailed(ids: readonly number[], error: string, now: number): void {
    this.each(ids, (id) => this.statements.failed.run({ id, error, now }));
  }

  /**
   * The wall clock stepped by `deltaMs`: the times of the rows still to deliver that were queued
   * before `createdBefore` move with it (see OutboxDispatcher.clockStepped).
   */
  moveUndelivered(deltaMs: number, createdBefore: number): void {
    this.statements.moveUndelivered.run({ delta: deltaMs, createdBefore });
  }

  /** The place's diagram rows queued since `since` (the schedule's "already queued today?"). */
  diagramRowsSince(placeId: number, since: number): DiagramRowState[] {
    return this.statements.diagramRows.all({ placeId, since });
  }

  /**
   * Deletes finished messages: delivered before `deliveredBefore`, given up on before
   * `failedBefore`. Pending ones are never touched, however old. How many went.
   */
  prune(deliveredBefore: number, failedBefore: number): number {
    return this.statements.pruneDelivered.run({ before: deliveredBefore }).changes + this.statements.pruneFailed.run({ before: failedBefore }).changes;
  }

  /** Whether the place has rows of `kind` still to deliver (outbox_by_location: place, kind, sent_at). */
  hasUndelivered(placeId: number, kind: OutboxKind): boolean {
    return this.statements.undeliveredOfKind.get({ placeId, kind }) !== undefined;
  }

  /** Runs `work` in one transaction; joins the caller's when there is one. */
  inTransaction<T>(work: () => T): T {
    return this.sqlite.inTransaction ? work() : this.sqlite.transaction(work)();
  }

  private each(ids: readonly number[], write: (id: number) => unknown): void {
    const [only] = ids;
    if (only !== undefined && ids.length === 1) {
      write(only);
      return;
    }
    const run = () => ids.forEach(write);
    if (this.sqlite.inTransaction) run();
    else this.sqlite.transaction(run)();
  }
}
