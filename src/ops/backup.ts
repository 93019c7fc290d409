import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';

/**
 * Writes a consistent snapshot of the live database to `targetPath`, while the service keeps
 * writing. SQLite's online backup API copies the file page by page between event-loop turns, so
 * heartbeats are not stalled; writes made through this same connection during the copy are carried
 * into the snapshot, and a write from another connection (the shell CLI) restarts the copy, so the
 * result is always one committed state, never a torn mix. Copying the file with `cp` instead
 * could catch a half-applied WAL checkpoint.
 *
 * The snapshot is written next to the target and renamed into place only when complete, so a
 * failed or interrupted backup never leaves a file that looks like a good one. It is switched out
 * of WAL mode so the single file is the whole database (nothing in a -wal side file), ready to
 * send as a document or to restore by copying it over `DATABASE_PATH` while the service is stopped.
 */
export async function backupDatabase(sqlite: SqliteDatabase.Database, targetPath: string): Promise<void> {
  mkdirSync(dirname(targetPath), { recursive: true });
  const partialPath = `${targetPath}.partial`;
  rmSync(partialPath, { force: true });
  try {
    await sqlite.backup(partialPath);
    const snapshot = new SqliteDatabase(partialPath, { fileMustExist: true });
    try {
      snapshot.pragma('journal_mode = DELETE');
    } finally {
      snapshot.close();
    }
    renameSync(partialPath, targetPath);
  } catch (error) {
    rmSync(partialPath, { force: true });
    rmSync(`${partialPath}-wal`, { force: true });
    rmSync(`${partialPath}-shm`, { force: true });
    throw error;
  }
}
