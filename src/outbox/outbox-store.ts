import type { Kysely, Selectable } from 'kysely';
import type { Database, OutboxTable } from '../db/schema.js';

export type OutboxRow = Selectable<OutboxTable>;

/** Reads and settles outbox rows. Rows are written by PowerStore with the change that caused them. */
export class OutboxStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Undelivered rows in the order they were queued (the order they must reach each chat). */
  async pending(limit: number): Promise<OutboxRow[]> {
    return this.db
      .selectFrom('outbox')
      .selectAll()
      .where('sent_at', 'is', null)
      .where('failed_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  async markSent(id: number, messageId: number | null, now: number): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set((eb) => ({ sent_at: now, message_id: messageId, attempts: eb('attempts', '+', 1), last_error: null }))
      .where('id', '=', id)
      .execute();
  }

  async markRetry(id: number, nextAttemptAt: number, error: string): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set((eb) => ({ next_attempt_at: nextAttemptAt, attempts: eb('attempts', '+', 1), last_error: error }))
      .where('id', '=', id)
      .execute();
  }

  async markFailed(id: number, error: string, now: number): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set((eb) => ({ failed_at: now, attempts: eb('attempts', '+', 1), last_error: error }))
      .where('id', '=', id)
      .execute();
  }
}
