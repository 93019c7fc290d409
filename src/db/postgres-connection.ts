import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { workerEntry } from '../worker-entry.js';
import { ANSWERED, DOWN, LINK, READY, type PostgresAnswer, type PostgresRequest, type PostgresWorkerData } from './postgres-wire.js';
import type { SyncDatabase, SyncStatement, SyncTransaction } from './sync-database.js';

/**
 * PostgreSQL behind the stores' synchronous connection (sync-database.ts). A worker thread holds
 * the `pg` client; a call posts the request and sleeps (Atomics.wait) until the answer is in, so
 * a store's read-then-write still runs with nothing interleaved on this thread, as on SQLite.
 *
 * Several instances share one database, so every transaction first takes one transaction-level
 * advisory lock: writers queue for it exactly as SQLite's BEGIN IMMEDIATE queues them for the
 * file's write lock, and a decision (a place's change, its interval, its outbox rows) reads the
 * latest committed state of every instance before it writes. A heartbeat's row is written only
 * inside such a transaction, after reading the place, so two instances never undo each other.
 *
 * Waiting is bounded everywhere: the server ends a statement after `statementTimeoutMs` and a
 * wait for the lock after `lockTimeoutMs` (the caller gets a storage fault, as SQLite's busy
 * timeout gives one); if the worker does not answer within the statement limit and a margin (the
 * server or the network is gone), the request fails, the connection is replaced, and until the
 * worker is connected again every request fails at once instead of stalling the event loop.
 */

export interface PostgresOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  connectTimeoutMs?: number;
  applicationName?: string;
}

/**
 * How long a transaction waits for the writers' lock. Longer than SQLite's 250 ms busy timeout:
 * there a wait meant a foreign process (a tool) holding the file; here the other instances take
 * turns with this one all the time, each for one group commit. Past it, a storage fault (`busy`).
 */
const WRITER_LOCK_WAIT_MS = 2000;

/** The key of the writers' advisory lock (any constant of our own; the leader's lock uses another). */
const WRITER_LOCK_KEY = 7_426_001;

/** An error from the server or the bridge, with pg's SQLSTATE (or 'PG_UNAVAILABLE', 'PG_TIMEOUT') as `code`. */
export class PostgresError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'PostgresError';
  }
}

export class PostgresConnection implements SyncDatabase {
  readonly dialect = 'postgres' as const;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flags: Int32Array;
  private readonly answerWithinMs: number;
  private nextId = 1;
  private depth = 0;
  private closed = false;

  private constructor(options: PostgresOptions) {
    const shared = new SharedArrayBuffer(8);
    this.flags = new Int32Array(shared);
    const statementTimeoutMs = options.statementTimeoutMs ?? 3000;
    this.answerWithinMs = statementTimeoutMs + 1000;
    const channel = new MessageChannel();
    this.port = channel.port1;
    const entry = workerEntry(new URL('./postgres-worker.js', import.meta.url));
    const data: PostgresWorkerData = {
      url: options.url,
      shared,
      port: channel.port2,
      statementTimeoutMs,
      lockTimeoutMs: options.lockTimeoutMs ?? WRITER_LOCK_WAIT_MS,
      connectTimeoutMs: options.connectTimeoutMs ?? 3000,
      applicationName: options.applicationName ?? 'power-monitor',
    };
    this.worker = new Worker(entry.path, { workerData: { ...entry.workerData, ...data }, transferList: [channel.port2] });
    // The bridge must not keep the process alive by itself; close() ends it.
    this.worker.unref();
  }

  /** Starts the bridge and waits (asynchronously) until the worker is connected, or fails after `waitMs`. */
  static async open(options: PostgresOptions, waitMs = 10_000): Promise<PostgresConnection> {
    const connection = new PostgresConnection(options);
    const until = Date.now() + waitMs;
    while (Atomics.load(connection.flags, LINK) !== READY) {
      if (Date.now() > until) {
        connection.close();
        throw new PostgresError(`could not connect to PostgreSQL within ${Math.round(waitMs / 1000)} s`, 'PG_UNAVAILABLE');
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return connection;
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  prepare(sql: string): SyncStatement {
    return new PostgresStatement(this, sql);
  }

  /** Runs one statement with its values; rows as objects, `changes` the rows it touched. */
  query(sql: string, values: readonly unknown[]): { rows: unknown[]; changes: number } {
    const answer = this.call({ id: 0, kind: 'query', sql, values });
    return { rows: answer.rows, changes: answer.changes };
  }

  /** Runs SQL text without values (transaction control). */
  exec(sql: string): void {
    this.call({ id: 0, kind: 'exec', sql });
  }

  transaction<Work extends (...args: never[]) => unknown>(work: Work): SyncTransaction<Work> {
    const run = (...args: Parameters<Work>) => this.inTransactionRun(() => work(...args) as ReturnType<Work>);
    return Object.assign(run, { immediate: run }) as unknown as SyncTransaction<Work>;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.postMessage({ id: this.nextId++, kind: 'close' } satisfies PostgresRequest);
    // Let the worker end its client; the process does not wait for it (unref above).
    setTimeout(() => void this.worker.terminate(), 1000).unref();
  }

  private inTransactionRun<T>(work: () => T): T {
    const outermost = this.depth === 0;
    const savepoint = `s${this.depth}`;
    try {
      this.exec(outermost ? `BEGIN; SELECT pg_advisory_xact_lock(${WRITER_LOCK_KEY})` : `SAVEPOINT ${savepoint}`);
    } catch (error) {
      // A BEGIN whose lock wait timed out leaves an aborted transaction open: end it.
      if (outermost) this.quietly('ROLLBACK');
      throw error;
    }
    this.depth += 1;
    let result: T;
    try {
      result = work();
    } catch (error) {
      this.depth -= 1;
      this.quietly(outermost ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}`);
      throw error;
    }
    this.depth -= 1;
    try {
      this.exec(outermost ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}`);
    } catch (error) {
      if (outermost) this.quietly('ROLLBACK');
      throw error;
    }
    return result;
  }

  /** Ends a failed transaction; when even that fails, the connection was lost and the server has rolled back. */
  private quietly(sql: string): void {
    try {
      this.exec(sql);
    } catch {
      // The error that matters is the one being thrown.
    }
  }

  private call(request: PostgresRequest): { rows: unknown[]; changes: number } {
    if (this.closed) throw new PostgresError('the PostgreSQL connection is closed', 'PG_UNAVAILABLE');
    if (Atomics.load(this.flags, LINK) !== READY) throw new PostgresError('the PostgreSQL server cannot be reached (reconnecting)', 'PG_UNAVAILABLE');
    const id = this.nextId++;
    Atomics.store(this.flags, ANSWERED, 0);
    this.port.postMessage({ ...request, id });
    const deadline = Date.now() + this.answerWithinMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.flags, ANSWERED, 0, left) === 'timed-out') {
        // Down from now: the next call fails at once instead of waiting again; the worker says
        // READY when its new connection is up.
        Atomics.store(this.flags, LINK, DOWN);
        this.port.postMessage({ id: this.nextId++, kind: 'reset' } satisfies PostgresRequest);
        throw new PostgresError(`PostgreSQL did not answer within ${this.answerWithinMs} ms`, 'PG_TIMEOUT');
      }
      Atomics.store(this.flags, ANSWERED, 0);
      // Answers to requests given up on earlier may still arrive first: skip them.
      for (let message = receiveMessageOnPort(this.port); message; message = receiveMessageOnPort(this.port)) {
        const answer = message.message as PostgresAnswer;
        if (answer.id !== id) continue;
        if ('error' in answer) throw new PostgresError(answer.error.message, answer.error.code);
        return answer;
      }
    }
  }
}

/** A statement of the bridge: the worker prepares it (by name) on first use on each connection. */
class PostgresStatement implements SyncStatement {
  constructor(
    private readonly connection: PostgresConnection,
    private readonly sql: string,
  ) {}

  get(...values: unknown[]): unknown {
    return this.connection.query(this.sql, values).rows[0];
  }

  all(...values: unknown[]): unknown[] {
    return this.connection.query(this.sql, values).rows;
  }

  run(...values: unknown[]): { changes: number } {
    return { changes: this.connection.query(this.sql, values).changes };
  }
}
