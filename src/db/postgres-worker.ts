import { workerData } from 'node:worker_threads';
import pg from 'pg';
import { ANSWERED, destroySocket, DOWN, LINK, READY, type PostgresAnswer, type PostgresFailure, type PostgresRequest, type PostgresWorkerData } from './postgres-wire.js';

/**
 * The PostgreSQL side of the synchronous bridge (postgres-connection.ts): one `pg` client, one
 * request at a time, in the order the main thread sends them. It answers on the port and wakes
 * the main thread through the shared flag. When the connection drops it reconnects by itself;
 * meanwhile the flag LINK says DOWN, and the main thread fails its requests at once (a storage
 * fault) instead of waiting for a server that is not there.
 */

const data = workerData as PostgresWorkerData;
const flags = new Int32Array(data.shared);
const RECONNECT_DELAY_MS = 500;

// Numbers come back as numbers, as from SQLite: times are milliseconds (bigint columns), counts
// are bigint, sums of bigint are numeric; all of them stay far below 2^53. Comparisons read as
// 1/0, as SQLite gives them.
const types = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') => {
    if (oid === 20 || oid === 1700) return (text: string) => Number(text);
    if (oid === 16) return (text: string) => (text === 't' ? 1 : 0);
    return pg.types.getTypeParser(oid, format);
  },
};

let client: pg.Client | null = null;
let connecting: Promise<void> | null = null;
/** Statement names by SQL text: each is parsed once per connection (pg prepares a named query once). */
const names = new Map<string, string>();

function connect(): Promise<void> {
  connecting ??= (async () => {
    while (client === null) {
      const candidate = new pg.Client({
        connectionString: data.url,
        types,
        keepAlive: true,
        connectionTimeoutMillis: data.connectTimeoutMs,
        statement_timeout: data.statementTimeoutMs,
        lock_timeout: data.lockTimeoutMs,
        idle_in_transaction_session_timeout: data.statementTimeoutMs * 4,
        application_name: data.applicationName,
      });
      candidate.on('error', () => dropped(candidate));
      candidate.on('end', () => dropped(candidate));
      try {
        await candidate.connect();
        client = candidate;
        Atomics.store(flags, LINK, READY);
      } catch {
        await candidate.end().catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, RECONNECT_DELAY_MS));
      }
    }
  })().finally(() => {
    connecting = null;
  });
  return connecting;
}

function dropped(which: pg.Client): void {
  if (client !== which) return;
  client = null;
  Atomics.store(flags, LINK, DOWN);
  setTimeout(() => void connect(), RECONNECT_DELAY_MS);
}

async function answer(request: PostgresRequest): Promise<PostgresAnswer | null> {
  if (request.kind === 'close') {
    const closing = client;
    client = null;
    Atomics.store(flags, LINK, DOWN);
    await closing?.end().catch(() => undefined);
    data.port.close();
    return null;
  }
  if (request.kind === 'reset') {
    const stale = client;
    if (stale) {
      dropped(stale);
      // The server rolls back whatever the abandoned session had open. The socket is destroyed,
      // not ended: a server cut off would never answer the goodbye, and the statement it hangs in
      // must fail now so the requests queued behind it are answered.
      destroy(stale);
    }
    return { id: request.id, rows: [], changes: 0 };
  }
  const current = client;
  if (!current) return { id: request.id, error: { message: 'the PostgreSQL server cannot be reached (reconnecting)', code: 'PG_UNAVAILABLE' } };
  try {
    if (request.kind === 'exec') {
      await current.query(request.sql);
      return { id: request.id, rows: [], changes: 0 };
    }
    let name = names.get(request.sql);
    if (name === undefined) {
      name = `s${names.size + 1}`;
      names.set(request.sql, name);
    }
    const result = await current.query({ name, text: request.sql, values: request.values as unknown[] });
    return { id: request.id, rows: result.rows, changes: result.rowCount ?? 0 };
  } catch (error) {
    return { id: request.id, error: failureOf(error) };
  }
}

function failureOf(error: unknown): PostgresFailure {
  const code = (error as { code?: unknown }).code;
  return { message: error instanceof Error ? error.message : String(error), code: typeof code === 'string' ? code : undefined };
}

function destroy(which: pg.Client): void {
  if (!destroySocket(which)) void which.end().catch(() => undefined);
}

function reply(answered: PostgresAnswer | null): void {
  if (!answered) return;
  data.port.postMessage(answered);
  Atomics.store(flags, ANSWERED, 1);
  Atomics.notify(flags, ANSWERED);
}

let queue: Promise<void> = Promise.resolve();
data.port.on('message', (request: PostgresRequest) => {
  // A reset or a close cannot wait for the statement the main thread gave up on: it is what ends it.
  if (request.kind === 'reset' || request.kind === 'close') {
    void answer(request).then(reply);
    return;
  }
  queue = queue.then(async () => reply(await answer(request)));
});

void connect();
