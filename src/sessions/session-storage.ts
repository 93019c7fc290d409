import type { SyncDatabase } from '../db/sync-database.js';
import type { StorageAdapter } from 'grammy';
import type { Clock } from '../clock.js';
import { faultInScope } from '../db/fault-scope.js';
import { prepareStatements } from '../db/prepared-statement.js';
import { statementPlan } from '../db/statement-plan.js';
import { queryBuilder } from '../db/sync-query.js';

const plans = {
  read: statementPlan((p: { key: string }) => queryBuilder.selectFrom('bot_sessions').select('value').where('key', '=', p.key)),
  write: statementPlan((p: { key: string; value: string; now: number }) =>
    queryBuilder
      .insertInto('bot_sessions')
      .values({ key: p.key, value: p.value, updated_at: p.now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: p.value, updated_at: p.now })),
  ),
  delete: statementPlan((p: { key: string }) => queryBuilder.deleteFrom('bot_sessions').where('key', '=', p.key)),
};

/**
 * grammY session and conversation state in the `bot_sessions` table, so a half-finished
 * conversation and the admin's place in a menu survive a restart. Values are JSON; keys are
 * namespaced by the caller (e.g. `conv:` + chat id). grammY's interface is asynchronous; the
 * queries run synchronously like every store's.
 */
export class SqliteStorageAdapter<T> implements StorageAdapter<T> {
  private readonly statements;

  constructor(
    sqlite: SyncDatabase,
    private readonly clock: Clock,
  ) {
    this.statements = prepareStatements(sqlite, plans);
  }

  async read(key: string): Promise<T | undefined> {
    const row = this.statements.read.get({ key });
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
    this.statements.write.run({ key, value: JSON.stringify(value), now: this.clock.now() });
  }

  async delete(key: string): Promise<void> {
    refuseAfterAFault();
    this.statements.delete.run({ key });
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
