import type { SyncDatabase } from './sync-database.js';
import { prepareStatements } from './prepared-statement.js';
import { statementPlan } from './statement-plan.js';
import { queryBuilder } from './sync-query.js';

const plans = {
  read: statementPlan((p: { key: string }) => queryBuilder.selectFrom('service_state').select('value').where('key', '=', p.key)),
  write: statementPlan((p: { key: string; value: string }) =>
    queryBuilder
      .insertInto('service_state')
      .values({ key: p.key, value: p.value })
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
  ),
  writeIfAbsent: statementPlan((p: { key: string; value: string }) =>
    queryBuilder
      .insertInto('service_state')
      .values({ key: p.key, value: p.value })
      .onConflict((oc) => oc.column('key').doNothing()),
  ),
  delete: statementPlan((p: { key: string }) => queryBuilder.deleteFrom('service_state').where('key', '=', p.key)),
  deleteIf: statementPlan((p: { key: string; value: string }) => queryBuilder.deleteFrom('service_state').where('key', '=', p.key).where('value', '=', p.value)),
};

/**
 * The one owner of `service_state`: small facts the service keeps about itself, by key —
 * `last_alive_at` and `storage_probe_at` (the monitor), `instance` (the instance lock's claim),
 * `admin_setup_code` (the first admin's one-time code). Synchronous, on any connection (the
 * instance lock reads the claim with a read-only one of its own).
 */
export class ServiceStateStore {
  private readonly statements;

  constructor(sqlite: SyncDatabase) {
    this.statements = prepareStatements(sqlite, plans);
  }

  read(key: string): string | undefined {
    return this.statements.read.get({ key })?.value;
  }

  write(key: string, value: string): void {
    this.statements.write.run({ key, value });
  }

  /** Writes the value only when the key has none yet; true when it did. */
  writeIfAbsent(key: string, value: string): boolean {
    return this.statements.writeIfAbsent.run({ key, value }).changes > 0;
  }

  /** Deletes the key (only while it holds `value`, when given); true when it did. */
  delete(key: string, value?: string): boolean {
    const { changes } = value === undefined ? this.statements.delete.run({ key }) : this.statements.deleteIf.run({ key, value });
    return changes > 0;
  }
}
