import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationProvider } from 'kysely';
import { migrationProvider } from './migrations.js';
import { explainOpenFailure } from './open-errors.js';
import { PostgresConnection } from './postgres-connection.js';
import { postgresMigrationProvider } from './postgres-schema.js';
import { isStorageFault, sqliteCodeOf } from './storage-faults.js';
import type { Database } from './schema.js';
import type { Dialect, SyncDatabase } from './sync-database.js';

/**
 * How long the main thread's connection waits for another process's write lock. SQLite waits by
 * sleeping on the calling thread, and the main thread serves every heartbeat: it must never wait
 * long. A short CLI write fits in this; a longer foreign lock fails fast, the monitor switches to
 * "storage failing" (503 to devices, no decisions) and probes without waiting until it clears.
 */
const BUSY_TIMEOUT_MS = 250;

export interface Store {
  readonly dialect: Dialect;
  /** The synchronous connection every table owner runs on (sync-database.ts). */
  readonly connection: SyncDatabase;
  /** Kysely on the SQLite file (tools and tests; the stores use `connection`). SQLite only. */
  db: Kysely<Database>;
  /** The raw better-sqlite3 handle (backups, pragmas, tests). SQLite only: throws on PostgreSQL. */
  sqlite: SqliteDatabase.Database;
  /**
   * Why the database could not be written when it was opened (explained for the person who must
   * fix it), when it was opened with `writeFaults: 'tolerate'`; null when it could.
   */
  writeFault: unknown;
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * 'tolerate': a file that opens and reads but cannot be written now (the disk full, the file
   * read-only, another process holding the write lock) is opened anyway and the fault returned in
   * `writeFault` — the service then starts refusing heartbeats with 503 until writes work, instead
   * of exiting and being restarted in a loop. 'refuse' (the tools): it is thrown, explained.
   */
  writeFaults?: 'tolerate' | 'refuse';
}

/**
 * Opens (creating if needed) the SQLite file, applies pragmas and pending migrations.
 * WAL + synchronous=NORMAL: ~75k single-row commits/s here versus ~1.2k with the defaults, and a
 * committed transaction survives a process crash (only an OS crash can lose the last commits).
 */
export async function openStore(path: string, options: OpenOptions = {}): Promise<Store> {
  ensureDatabaseFolder(path);
  let sqlite: SqliteDatabase.Database | undefined;
  let db: Kysely<Database>;
  let writeFault: unknown = null;
  try {
    sqlite = new SqliteDatabase(path);
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    await migrateToLatest(db);
    // A file the process may read but not write opens without complaint and fails at the first
    // write: find out now, at start, where the message can say what to do.
    const version = Number(sqlite.pragma('user_version', { simple: true }));
    try {
      sqlite.pragma(`user_version = ${version}`);
    } catch (error) {
      if (options.writeFaults !== 'tolerate' || !isStorageFault(error)) throw error;
      writeFault = explainOpenFailure(error, path);
    }
  } catch (error) {
    sqlite?.close();
    throw explainOpenFailure(error, path);
  }
  let closed = false;
  return {
    dialect: 'sqlite',
    connection: sqlite,
    db,
    sqlite,
    writeFault,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/**
 * Connects to PostgreSQL (DATABASE_URL), applies pending migrations (Kysely's migrator holds an
 * advisory lock meanwhile, so instances starting together migrate once) and opens the stores'
 * synchronous connection. A server that cannot be reached fails with a storage fault (`io`), so
 * the service waits for it as for a locked file.
 */
export async function openPostgresStore(url: string): Promise<Store> {
  // Loaded here, not at the top: the embedded SQLite default never loads the PostgreSQL client.
  const { default: pg } = await import('pg');
  const migrations = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 5000 }) }) });
  try {
    await migrateToLatest(migrations, postgresMigrationProvider);
  } finally {
    await migrations.destroy();
  }
  const connection = await PostgresConnection.open({ url, applicationName: 'power-monitor' });
  const onlySqlite = (what: string) => () => {
    throw new Error(`${what} exists only on the embedded SQLite database; this service runs on PostgreSQL (DATABASE_URL)`);
  };
  return {
    dialect: 'postgres',
    connection,
    get db(): Kysely<Database> {
      return onlySqlite('store.db')();
    },
    get sqlite(): SqliteDatabase.Database {
      return onlySqlite('store.sqlite')();
    },
    writeFault: null,
    async close() {
      connection.close();
    },
  };
}

async function migrateToLatest(db: Kysely<Database>, provider: MigrationProvider = migrationProvider): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  // A storage fault (read-only, locked, full, a server out of reach) is explained by the caller; keep its code.
  if (sqliteCodeOf(error) !== undefined || isStorageFault(error)) throw error;
  if (error || failed) {
    const which = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`Database migration failed${which}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Creates the database's folder if needed, with an error that says how to fix permissions. */
export function ensureDatabaseFolder(path: string): void {
  if (path === ':memory:') return;
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw explainOpenFailure(error, path);
  }
}

export { openReadOnly } from './read-only.js';
