import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfig, loadDotEnvFile } from '../config.js';
import { openReadOnly } from '../db/connection.js';
import { backupDatabase } from '../ops/backup.js';

/**
 * A consistent copy of the database from a shell, also while the service runs (cron on a VPS,
 * `docker exec`, `fly ssh console`). The bot's /backup sends the same kind of snapshot to the chat.
 *
 *   node dist/cli/backup.js [target.db]     (development: node --import tsx src/cli/backup.ts)
 *
 * Without a target the copy goes to backups/monitor-<UTC time>.db next to the database.
 * The database is opened read-only and must exist, so a wrong DATABASE_PATH or working folder
 * fails instead of quietly backing up a new empty file.
 */
async function run(argv: string[]): Promise<number> {
  if (argv.length > 1 || argv[0] === '--help' || argv[0] === '-h') {
    console.log('Usage: node dist/cli/backup.js [target.db]   (copies DATABASE_PATH while the service runs)');
    return argv.length > 1 ? 1 : 0;
  }
  loadDotEnvFile();
  const { databasePath } = loadConfig();
  const target = argv[0] ?? join(dirname(databasePath), 'backups', `monitor-${timestamp(new Date())}.db`);
  let sqlite;
  try {
    sqlite = openReadOnly(databasePath);
  } catch (error) {
    console.error(`Cannot open the database at ${databasePath} (set DATABASE_PATH): ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  try {
    await backupDatabase(sqlite, target);
  } finally {
    sqlite.close();
  }
  console.log(`Backed up ${databasePath} to ${target} (${Math.ceil(statSync(target).size / 1024)} KiB).`);
  return 0;
}

/** 2025-06-01T12:34:56.789Z → 20250601-123456: sorts by time, safe in every file system. */
function timestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

process.exitCode = await run(process.argv.slice(2));
