/**
 * The connection every store runs on, synchronously: better-sqlite3's `Database` (the embedded
 * default) or `PostgresConnection` (DATABASE_URL=postgres://…, a synchronous bridge to a worker
 * thread that talks to the server). The stores were written for better-sqlite3, whose decisions
 * run in one synchronous transaction nothing can interleave with (a place's change, its interval
 * and its alerts' outbox rows); this is the part of its API they use, so either engine serves
 * the same owner modules with the same guarantees.
 */

/** A statement prepared on a connection; values are bound by position (`?` or `$1`…). */
export interface SyncStatement {
  get(...values: unknown[]): unknown;
  all(...values: unknown[]): unknown[];
  run(...values: unknown[]): { changes: number };
}

/** A function run as one transaction (better-sqlite3's shape: call it, or call its `immediate`). */
export interface SyncTransaction<Work extends TransactionWork> {
  (...args: ArgumentsOf<Work>): ReturnType<Work>;
  /** The write lock taken at BEGIN, so a read-then-write cannot fail half-way on another writer. */
  immediate(...args: ArgumentsOf<Work>): ReturnType<Work>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- better-sqlite3's own bound, which its Database must satisfy
type TransactionWork = (...args: any[]) => unknown;
type ArgumentsOf<Work> = Work extends (...args: infer A) => unknown ? A : never;

export interface SyncDatabase {
  /** 'postgres' on the PostgreSQL bridge; absent on better-sqlite3. */
  readonly dialect?: 'postgres';
  prepare(sql: string): SyncStatement;
  /** True inside a transaction: a store's write joins it instead of opening its own. */
  readonly inTransaction: boolean;
  /** Wraps `work` as a transaction; inside one already running it becomes a savepoint. */
  transaction<Work extends TransactionWork>(work: Work): SyncTransaction<Work>;
  close(): unknown;
  /** SQLite's settings (absent on PostgreSQL, whose waits are set per session by the bridge). */
  pragma?(source: string, options?: { simple: boolean }): unknown;
}

export type Dialect = 'sqlite' | 'postgres';

export function dialectOf(database: SyncDatabase): Dialect {
  return database.dialect === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * Runs `work` without waiting for another writer's lock (SQLITE_BUSY at once instead of after
 * busy_timeout): a probe while storage is failing must not stall the event loop. On PostgreSQL a
 * lock wait is already bounded by the bridge's short lock_timeout.
 */
export function withoutWaiting<T>(database: SyncDatabase, work: () => T): T {
  if (!database.pragma) return work();
  const waitMs = Number(database.pragma('busy_timeout', { simple: true }));
  database.pragma('busy_timeout = 0');
  try {
    return work();
  } finally {
    database.pragma(`busy_timeout = ${waitMs}`);
  }
}
