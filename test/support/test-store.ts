import { sql, type Insertable } from 'kysely';
import { openPostgresStore, openStore, type Store } from '../../src/db/connection.js';
import { prepareQuery } from '../../src/db/statement-plan.js';
import type { DatabaseTarget } from '../../src/db/read-only.js';
import type { Database, LocationsTable } from '../../src/db/schema.js';
import { queryBuilder } from '../../src/db/sync-query.js';
import type { SyncDatabase } from '../../src/db/sync-database.js';
import { startPostgres, type PostgresServer } from './postgres-server.js';

/**
 * The storage a test runs its stores on. By default the SQLite file a test names; with
 * TEST_STORAGE=postgres (scripts/run-tests.sh's second pass over scripts/postgres-tests.txt) a
 * database of one throwaway PostgreSQL cluster per test process instead, so the same table-owner
 * and query tests check both dialects. Stores take `store.connection`, which both give.
 */
export const onPostgres = process.env.TEST_STORAGE === 'postgres';

/**
 * The `skip` of a test that checks something only the SQLite file has (pragmas, file faults, a
 * full disk, backups, file locks): a PostgreSQL pass skips it and says why.
 */
export const sqliteFileOnly: string | false = sqliteOnly('SQLite file only');

/** The `skip` of a test of another SQLite-only thing (its query planner's choices): skipped on PostgreSQL, saying `why`. */
export function sqliteOnly(why: string): string | false {
  return onPostgres && why;
}

/** Opens a store at `path`: the SQLite file, or its PostgreSQL database (the same one again for the same path, as a reopened file). */
export async function openTestStore(path: string): Promise<Store> {
  if (!onPostgres) return openStore(path);
  return openPostgresStore(await postgresDatabaseFor(path));
}

/**
 * The settings a service under test gets for its storage (test-app.ts): none for the SQLite file
 * at `databasePath`, or the DATABASE_URL of the PostgreSQL database standing for it.
 */
export async function storageUnderTest(databasePath: string): Promise<Record<string, string>> {
  if (!onPostgres) return {};
  return { DATABASE_URL: await postgresDatabaseFor(databasePath) };
}

/** Where a worker thread reads the store at `path` from (its own connection): the file, or the database standing for it. */
export async function testDatabaseTarget(path: string): Promise<DatabaseTarget> {
  return onPostgres ? { url: await postgresDatabaseFor(path) } : { path };
}

let cluster: Promise<PostgresServer> | undefined;
const databases = new Map<string, Promise<string>>();

/**
 * The url of the database that stands for the file at `path`: created on first use, found again
 * afterwards (a restart, a reopen, a second store on the same file). The cluster is started once
 * per test process and stopped with it (postgres-server.ts's exit hooks).
 */
function postgresDatabaseFor(path: string): Promise<string> {
  let url = databases.get(path);
  if (!url) {
    const server = (cluster ??= startPostgres());
    databases.set(path, (url = server.then((started) => started.createDatabase())));
  }
  return url;
}

/**
 * Set-up: a bare `locations` row, as an admin's tool or an older version would have written it
 * (columns not given take the schema's defaults, the same in both dialects). Returns its id.
 */
export function insertPlaceRow(connection: SyncDatabase, values: Partial<Insertable<LocationsTable>> & { name: string; api_key: string }): number {
  return prepareQuery(connection, queryBuilder.insertInto('locations').values(values as Insertable<LocationsTable>).returning('id')).one().id;
}

/** Read-back: how many rows a table holds. */
export function countRows(connection: SyncDatabase, table: keyof Database): number {
  return Number(prepareQuery(connection, queryBuilder.selectFrom(table).select(sql<number>`count(*)`.as('n'))).one().n);
}
