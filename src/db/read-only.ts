import SqliteDatabase from 'better-sqlite3';
import { PostgresConnection } from './postgres-connection.js';
import type { SyncDatabase } from './sync-database.js';

/**
 * Opens the file read-only for worker threads: the main thread stays the only writer. A module of
 * its own, so a worker that only reads does not load Kysely and the migrations into its isolate.
 */
export function openReadOnly(path: string): SqliteDatabase.Database {
  const sqlite = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
  // Worker threads only read; waiting here blocks no heartbeat.
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

/** Where the database is: the SQLite file, or the PostgreSQL server (DATABASE_URL). */
export type DatabaseTarget = { readonly path: string } | { readonly url: string };

/**
 * A worker thread's own connection for reading: the file opened read-only, or its own bridge to
 * PostgreSQL (the worker sleeps on it as the main thread sleeps on its own).
 */
export async function openReader(target: DatabaseTarget): Promise<SyncDatabase> {
  if ('url' in target) return PostgresConnection.open({ url: target.url, applicationName: 'power-monitor-reader' });
  return openReadOnly(target.path);
}
