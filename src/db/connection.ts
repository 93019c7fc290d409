import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrationProvider } from './migrations.js';
import { explainOpenFailure } from './open-errors.js';
import { isStorageFault, sqliteCodeOf } from './storage-faults.js';
import type { Database } from './schema.js';

/**
 * How long the main thread's connection waits for another process's write lock. SQLite waits by
 * sleeping on the calling thread, and the main thread serves every heartbeat: it must never wait
 * long. A short CLI write fits in this; a longer foreign lock fails fast, the monitor switches to
 * "storage failing" (503 to devices, no decisions) and probes without waiting until it clears.
 */
const BUSY_TIMEOUT_MS = 250;

export interface Store {
  db: Kysely<Database>;
  /** The raw handle, for the few hot paths where prepared statements beat building SQL. */
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

async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  // A storage fault (read-only, locked, full) is explained by the caller; keep its code.
  if (sqliteCodeOf(error) !== undefined) throw error;
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
