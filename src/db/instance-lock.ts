import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import SqliteDatabase from 'better-sqlite3';
import { DateTime } from 'luxon';
import { ServiceStateStore } from './service-state.js';
import { queryBuilder } from './sync-query.js';

/**
 * One service per database (DESIGN §5). Two processes deciding over the same places would both
 * run restart recovery and sweeps against each other's state: reversed "between 15:22 and 15:21"
 * alerts and overlapping history. The claim is an exclusive SQLite lock on a small file next to
 * the database (`monitor.db.lock`), held for the life of the process. The operating system drops
 * it when the process ends in any way, kill -9 included, so a crashed service never blocks the
 * next start. Who holds it (pid, host, since) is written into the database once it is claimed,
 * so a refused second start can say which instance is in the way.
 *
 * The CLI and backups do not claim it: they work beside a running service.
 */
export interface InstanceClaim {
  pid: number;
  host: string;
  since: number;
}

export const INSTANCE_CLAIM_KEY = 'instance';

export class InstanceLockedError extends Error {
  constructor(
    readonly databasePath: string,
    readonly holder: InstanceClaim | null,
  ) {
    const who = holder
      ? `process ${holder.pid} on host "${holder.host}", running since ${DateTime.fromMillis(holder.since, { zone: 'utc' }).toFormat("yyyy-MM-dd HH:mm:ss 'UTC'")}`
      : 'another process (it has not said which yet)';
    super(
      `Another instance of the service is already running on ${databasePath}: ${who}.\n` +
        'Only one may run per database. Stop that one first (or point DATABASE_PATH at another file). ' +
        'For a backup or to manage places beside it, use the CLI (node dist/cli/backup.js, npm run locations), which do not need this lock.',
    );
    this.name = 'InstanceLockedError';
  }
}

export interface InstanceLock {
  readonly claim: InstanceClaim;
  release(): void;
}

/** The lock file's one table: a write to it is what takes the lock (it holds nothing). */
const CREATE_CLAIM_TABLE = queryBuilder.schema.createTable('claim').ifNotExists().addColumn('note', 'text').compile().sql;

export function lockPathFor(databasePath: string): string {
  return `${databasePath}.lock`;
}

/**
 * Claims the database for this process, before anything is written to it. Throws
 * InstanceLockedError when another live process holds it; `readHolder` is asked who that is.
 */
export function acquireInstanceLock(databasePath: string, now: number, readHolder: () => InstanceClaim | null): InstanceLock {
  const lock = new SqliteDatabase(lockPathFor(databasePath));
  try {
    lock.pragma('busy_timeout = 0');
    // In exclusive locking mode SQLite keeps the lock of the first write until the connection closes.
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.transaction(() => lock.prepare(CREATE_CLAIM_TABLE).run()).exclusive();
  } catch (error) {
    lock.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') throw new InstanceLockedError(databasePath, safely(readHolder));
    throw error;
  }
  let released = false;
  return {
    claim: { pid: process.pid, host: hostname(), since: now },
    release() {
      if (released) return;
      released = true;
      lock.close();
    },
  };
}

/** Who claimed the database last, read without writing anything (null when unknown). */
export function readInstanceClaim(databasePath: string): InstanceClaim | null {
  if (!existsSync(databasePath)) return null;
  const sqlite = new SqliteDatabase(databasePath, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 1000');
    return parseClaim(new ServiceStateStore(sqlite).read(INSTANCE_CLAIM_KEY));
  } finally {
    sqlite.close();
  }
}

export function parseClaim(text: string | undefined): InstanceClaim | null {
  if (text === undefined) return null;
  try {
    const value = JSON.parse(text) as Partial<InstanceClaim>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.since === 'number') {
      return { pid: value.pid, host: value.host, since: value.since };
    }
  } catch {
    // An unreadable claim is the same as none.
  }
  return null;
}

function safely(read: () => InstanceClaim | null): InstanceClaim | null {
  try {
    return read();
  } catch {
    return null;
  }
}
