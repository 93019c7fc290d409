import SqliteDatabase from 'better-sqlite3';

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
