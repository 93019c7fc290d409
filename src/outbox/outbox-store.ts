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

  /** When the place's last alert post went out, for the flapping window. */
  async lastAlertSentAt(locationId: number): Promise<number | null> {
    const row = await this.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.max('sent_at').as('last'))
      .where('location_id', '=', locationId)
      .where('kind', '=', 'alert')
      .executeTakeFirst();
    return row?.last ?? null;
  }

  async markSent(ids: number[], messageId: number | null, now: number): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set((eb) => ({ sent_at: now, message_id: messageId, attempts: eb('attempts', '+', 1), last_error: null }))
      .where('id', 'in', ids)
      .execute();
  }

  async markRetry(ids: number[], nextAttemptAt: number, error: string): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set((eb) => ({ next_attempt_at: nextAttemptAt, attempts: eb('attempts', '+', 1), last_error: error }))
      .where('id', 'in', ids)
      .execute();
  }

  /** Holds a row back without counting an attempt (flapping window). */
  async postpone(id: number, until: number): Promise<void> {
    await this.db.updateTable('outbox').set({ next_attempt_at: until }).where('id', '=', id).execute();
  }

  async markFailed(ids: number[], error: string, now: number): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set((eb) => ({ failed_at: now, attempts: eb('attempts', '+', 1), last_error: error }))
      .where('id', 'in', ids)
      .execute();
  }
}
