import type { StorageAdapter } from 'grammy';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { faultInScope } from '../db/fault-scope.js';
import type { Database } from '../db/schema.js';

/**
 * grammY session and conversation state in the `bot_sessions` table, so a half-finished
 * conversation and the admin's place in a menu survive a restart. Values are JSON; keys are
 * namespaced by the caller (e.g. `conv:` + chat id).
 */
export class SqliteStorageAdapter<T> implements StorageAdapter<T> {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async read(key: string): Promise<T | undefined> {
    const row = await this.db.selectFrom('bot_sessions').select('value').where('key', '=', key).executeTakeFirst();
    if (!row) return undefined;
    try {
      return JSON.parse(row.value) as T;
    } catch {
      // A value nobody can read is as good as none: start afresh rather than fail every update.
      return undefined;
    }
  }

  async write(key: string, value: T): Promise<void> {
    refuseAfterAFault();
    const json = JSON.stringify(value);
    const now = this.clock.now();
    await this.db
      .insertInto('bot_sessions')
      .values({ key, value: json, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: now }))
      .execute();
  }

  async delete(key: string): Promise<void> {
    refuseAfterAFault();
    await this.db.deleteFrom('bot_sessions').where('key', '=', key).execute();
  }
}

/**
 * An update that met a storage fault is not saved at its end (see db/fault-scope.ts): its
 * conversation stays as it was, and the person's retry continues from there.
 */
function refuseAfterAFault(): void {
  const fault = faultInScope();
  if (fault !== undefined) throw fault;
}
