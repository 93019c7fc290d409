/**
 * Faults of the service's own storage: the database file is locked by another process, the disk
 * is full or failing, the file became read-only. None of them may crash the service or be taken
 * for a power outage (DESIGN §5): while they last, heartbeats are refused with 503 and nothing is
 * decided; when they clear, the span is treated like the service's own downtime.
 */

import type { Logger } from '../logger.js';

/**
 * The kinds of storage fault, each with what it usually means:
 * - busy: another process holds the write lock longer than we wait (SQLITE_BUSY, SQLITE_LOCKED);
 * - full: the disk or the file's size limit is reached (SQLITE_FULL, ENOSPC);
 * - io: the disk failed to read or write (SQLITE_IOERR_*, SQLITE_CANTOPEN, EIO);
 * - readonly: the file, its folder or its file system cannot be written (SQLITE_READONLY_*, EROFS);
 * - corrupt: the file is damaged or not a database (SQLITE_CORRUPT_*, SQLITE_NOTADB).
 * Every write site answers them the same way: nothing is decided, nothing is lost, the work is
 * tried again once storage works (see README, "When the disk fails").
 */
export type StorageFaultKind = 'busy' | 'full' | 'io' | 'readonly' | 'corrupt';

/** The classification of any error: a storage fault of one kind, or 'other' (a bug, a constraint). */
export type FailureClass = StorageFaultKind | 'other';

export const STORAGE_FAULT_KINDS: readonly StorageFaultKind[] = ['busy', 'full', 'io', 'readonly', 'corrupt'];

/** Primary SQLite result codes (better-sqlite3's `error.code`, extended codes add `_WHAT`) by kind. */
const SQLITE_CODES: ReadonlyArray<readonly [string, StorageFaultKind]> = [
  ['SQLITE_BUSY', 'busy'],
  ['SQLITE_LOCKED', 'busy'],
  ['SQLITE_PROTOCOL', 'busy'],
  ['SQLITE_FULL', 'full'],
  ['SQLITE_IOERR', 'io'],
  ['SQLITE_CANTOPEN', 'io'],
  ['SQLITE_NOLFS', 'io'],
  ['SQLITE_READONLY', 'readonly'],
  ['SQLITE_CORRUPT', 'corrupt'],
  ['SQLITE_NOTADB', 'corrupt'],
];

/**
 * PostgreSQL's SQLSTATE codes (pg's `error.code`; a class by its first two characters) and the
 * bridge's own (postgres-connection.ts): the server unreachable or gone counts as `io`, a lock
 * or statement timeout as `busy`, a full disk as `full`, a read-only server (a replica, or
 * default_transaction_read_only) as `readonly`, damaged data as `corrupt`.
 */
const POSTGRES_CODES: Readonly<Record<string, StorageFaultKind>> = {
  PG_UNAVAILABLE: 'io',
  PG_TIMEOUT: 'io',
  '57P01': 'io', // admin_shutdown
  '57P02': 'io', // crash_shutdown
  '57P03': 'io', // cannot_connect_now
  '58030': 'io', // io_error
  '55P03': 'busy', // lock_not_available (lock_timeout)
  '57014': 'busy', // query_canceled (statement_timeout)
  '40P01': 'busy', // deadlock_detected
  '40001': 'busy', // serialization_failure
  '53300': 'busy', // too_many_connections
  '53100': 'full', // disk_full
  '53200': 'full', // out_of_memory
  '25006': 'readonly', // read_only_sql_transaction
  XX001: 'corrupt', // data_corrupted
  XX002: 'corrupt', // index_corrupted
};
/** SQLSTATE classes: 08 connection exception. */
const POSTGRES_CLASSES: Readonly<Record<string, StorageFaultKind>> = { '08': 'io' };

/** File-system errors (a backup, the instance lock file) and sockets (a database server) that mean the same. */
const SYSTEM_CODES: Readonly<Record<string, StorageFaultKind>> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  EIO: 'io',
  EROFS: 'readonly',
  ECONNREFUSED: 'io',
  ECONNRESET: 'io',
  ETIMEDOUT: 'io',
  EPIPE: 'io',
  EHOSTUNREACH: 'io',
};

/**
 * The one classification of failures of the service's own storage. Looks through wrappers (an
 * error's `cause`, a StorageUnavailableError) so a fault reported by another layer keeps its kind.
 */
export function classifyFailure(error: unknown): FailureClass {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    if (current instanceof StorageUnavailableError) return current.kind;
    const code = (current as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    const sqlite = SQLITE_CODES.find(([primary]) => code === primary || code.startsWith(`${primary}_`));
    if (sqlite) return sqlite[1];
    const system = SYSTEM_CODES[code] ?? POSTGRES_CODES[code] ?? (code.length === 5 ? POSTGRES_CLASSES[code.slice(0, 2)] : undefined);
    if (system) return system;
  }
  return 'other';
}

/** The storage fault `error` is (or wraps), or null for anything else. */
export function storageFaultOf(error: unknown): StorageFaultKind | null {
  const kind = classifyFailure(error);
  return kind === 'other' ? null : kind;
}

/** True for errors of the storage itself (as opposed to bugs such as a constraint violation). */
export function isStorageFault(error: unknown): boolean {
  return storageFaultOf(error) !== null;
}

export function sqliteCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * Thrown instead of a storage fault to callers that should answer "try again later": the HTTP
 * side turns it into 503 with Retry-After (a heartbeat is never acknowledged unless stored).
 */
export class StorageUnavailableError extends Error {
  readonly status = 503;
  readonly expose = true;
  /** The fault behind it (busy when it is refused only because storage is known to be failing). */
  readonly kind: StorageFaultKind;
  constructor(
    readonly retryAfterS: number,
    options?: { cause?: unknown },
  ) {
    super('The database cannot be written right now (locked by another process, or the disk is full).', options);
    this.name = 'StorageUnavailableError';
    this.kind = (options?.cause === undefined ? null : storageFaultOf(options.cause)) ?? 'busy';
  }
}

export interface StorageHealthEvents {
  /** The first fault of an outage (logged once, not per failing write). */
  onFailing?: (error: unknown, operation: string) => void;
  /** Every fault, for the metrics. */
  onFault?: (operation: string) => void;
  onRecovered?: (failedForMs: number) => void;
}

/**
 * Whether the database can be written, as learned from real writes. The first storage fault
 * switches it to failing (remembering since when); only a successful recovery switches it back.
 */
export class StorageHealth {
  private failingFrom: number | null = null;
  private lastFault: string | null = null;

  constructor(private readonly events: StorageHealthEvents = {}) {}

  get failing(): boolean {
    return this.failingFrom !== null;
  }

  /** When the current outage began (the first failed write), or null while healthy. */
  get failingSince(): number | null {
    return this.failingFrom;
  }

  /** The last fault seen during the current outage, for /health and logs. */
  get lastError(): string | null {
    return this.lastFault;
  }

  /** Records a storage fault of `operation` that happened at `now`. */
  fault(error: unknown, operation: string, now: number): void {
    this.events.onFault?.(operation);
    this.lastFault = sqliteCodeOf(error) ?? (error instanceof Error ? error.message : String(error));
    if (this.failingFrom !== null) return;
    this.failingFrom = now;
    this.events.onFailing?.(error, operation);
  }

  recovered(now: number): void {
    if (this.failingFrom === null) return;
    const failedForMs = now - this.failingFrom;
    this.failingFrom = null;
    this.lastFault = null;
    this.events.onRecovered?.(failedForMs);
  }
}

/**
 * A background job's storage faults, logged once per episode rather than once per tick: the
 * first fault says the job is skipping its turns, the first success after it says it works again.
 * Anything that is not a storage fault is a bug and is logged every time.
 */
export class FaultEpisodes {
  private readonly failing = new Map<string, { since: number; skipped: number }>();

  constructor(private readonly logger: Pick<Logger, 'error' | 'warn' | 'info'>) {}

  /** `job` failed with `error` at `now`: logs (once per episode for a storage fault). */
  failed(job: string, error: unknown, now: number, what = `${job} failed`): void {
    const kind = storageFaultOf(error);
    if (kind === null) {
      this.logger.error({ err: error, job }, what);
      return;
    }
    const episode = this.failing.get(job);
    if (episode) {
      episode.skipped += 1;
      return;
    }
    this.failing.set(job, { since: now, skipped: 1 });
    this.logger.warn({ err: error, job, fault: kind }, `${what}: the database cannot be written (${kind}); the job skips its turns until it can`);
  }

  /** `job` ran through at `now`: ends its episode, if it had one. */
  succeeded(job: string, now: number): void {
    const episode = this.failing.get(job);
    if (!episode) return;
    this.failing.delete(job);
    this.logger.info({ job, skipped: episode.skipped, failedForS: Math.round((now - episode.since) / 1000) }, `${job} works again`);
  }

  /** Whether `job` is in a fault episode. */
  isFailing(job: string): boolean {
    return this.failing.has(job);
  }
}
