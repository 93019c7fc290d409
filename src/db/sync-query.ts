import type { SyncDatabase } from './sync-database.js';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type DatabaseConnection } from 'kysely';
import { prepareStatement } from './prepared-statement.js';
import { statementPlan } from './statement-plan.js';
import type { Database } from './schema.js';

/**
 * Kysely as a typed SQL builder for synchronous stores. Kysely's own execution is asynchronous,
 * but some writes must happen inside a better-sqlite3 transaction that is already running (an
 * outbox row written with the change that caused it, a subscriber fan-out in the same commit),
 * and those cannot await. So a store builds its queries with `queryBuilder` (checked against the
 * schema types, no hand-typed SQL) and runs them as prepared statements on the better-sqlite3
 * handle (prepared-statement.ts). This builder has no connection: executing a query on it fails.
 */
class NoConnectionDriver extends DummyDriver {
  override async acquireConnection(): Promise<DatabaseConnection> {
    throw new Error('queryBuilder only builds SQL: run its queries with prepareStatement or prepareQuery (src/db/prepared-statement.ts).');
  }
}

export const queryBuilder = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new NoConnectionDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/**
 * Runs `work` in one IMMEDIATE transaction (the write lock taken at BEGIN, so a read-then-write
 * cannot fail half-way on another process's lock). Inside a transaction already running, it
 * joins it as a savepoint.
 */
export function transaction<T>(sqlite: SyncDatabase, work: () => T): T {
  return sqlite.transaction(work).immediate();
}

const PING = statementPlan(() => queryBuilder.selectNoFrom((eb) => eb.lit(1).as('one')));

/** Runs the smallest query there is: throws when the connection cannot read (the health check). */
export function ping(sqlite: SyncDatabase): void {
  prepareStatement(sqlite, PING).get();
}
