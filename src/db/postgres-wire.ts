import type { MessagePort } from 'node:worker_threads';

/**
 * What the main thread and the PostgreSQL worker (postgres-worker.ts) say to each other. The main
 * thread posts one request and sleeps on a shared flag until the worker has posted the answer, so
 * the stores stay synchronous while `pg` stays asynchronous in its own thread.
 */

/** Slots of the shared Int32Array. */
export const ANSWERED = 0;
/** The worker's connection: READY, or DOWN while it reconnects (requests then fail at once). */
export const LINK = 1;
export const READY = 1;
export const DOWN = 0;

export type PostgresRequest =
  | { readonly id: number; readonly kind: 'query'; readonly sql: string; readonly values: readonly unknown[] }
  /** Runs SQL text without values (BEGIN, COMMIT, SAVEPOINT…), each statement in turn. */
  | { readonly id: number; readonly kind: 'exec'; readonly sql: string }
  /** The main thread gave up waiting: the connection's state is unknown, so it is replaced. */
  | { readonly id: number; readonly kind: 'reset' }
  | { readonly id: number; readonly kind: 'close' };

export type PostgresAnswer =
  | { readonly id: number; readonly rows: unknown[]; readonly changes: number }
  | { readonly id: number; readonly error: PostgresFailure };

/** An error as it crosses the thread boundary: pg's SQLSTATE (or a system code) and message. */
export interface PostgresFailure {
  readonly message: string;
  readonly code?: string;
}

export interface PostgresWorkerData {
  readonly url: string;
  readonly shared: SharedArrayBuffer;
  readonly port: MessagePort;
  /** Server-side limits of every statement, so a stuck one ends before the main thread gives up. */
  readonly statementTimeoutMs: number;
  readonly lockTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly applicationName: string;
}

/**
 * Closes a `pg` client's socket at once (pg keeps it as `connection.stream`): a server cut off
 * never answers a goodbye, and a statement hung on it must fail now. False when there was none.
 */
export function destroySocket(client: object): boolean {
  const socket = (client as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
  socket?.destroy();
  return socket !== undefined;
}
