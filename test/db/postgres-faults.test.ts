import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PostgresConnection } from '../../src/db/postgres-connection.js';
import { classifyFailure } from '../../src/db/storage-faults.js';
import { freePort } from '../support/free-port.js';
import { postgresSkipReason, startPostgres, type PostgresServer } from '../support/postgres-server.js';

/** What the service does with PostgreSQL's failures: each is a storage fault of a kind, never a bug. */
test('PostgreSQL failures are storage faults of the kind they mean; a constraint is not', () => {
  const kinds = Object.fromEntries(
    ['PG_UNAVAILABLE', 'PG_TIMEOUT', '08006', '57P01', '55P03', '57014', '40P01', '53100', '25006', 'XX001', 'ECONNREFUSED', '23505', '42P01'].map((code) => [
      code,
      classifyFailure(Object.assign(new Error('x'), { code })),
    ]),
  );
  assert.deepEqual(kinds, {
    PG_UNAVAILABLE: 'io',
    PG_TIMEOUT: 'io',
    '08006': 'io',
    '57P01': 'io',
    '55P03': 'busy',
    '57014': 'busy',
    '40P01': 'busy',
    '53100': 'full',
    '25006': 'readonly',
    XX001: 'corrupt',
    ECONNREFUSED: 'io',
    '23505': 'other',
    '42P01': 'other',
  });
});

describe('the PostgreSQL bridge under faults', { skip: postgresSkipReason() }, () => {
  let server: PostgresServer;
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await server?.stop();
  });

  test('a server nobody listens on: the open fails as an io fault, soon', async () => {
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
    const started = Date.now();
    await assert.rejects(PostgresConnection.open({ url, connectTimeoutMs: 500 }, 1500), (error) => classifyFailure(error) === 'io');
    assert.ok(Date.now() - started < 5000);
  });

  test('another writer holding the lock too long: the transaction fails as busy, and the next one works', async () => {
    const url = await server.createDatabase();
    const holder = await PostgresConnection.open({ url });
    const waiter = await PostgresConnection.open({ url, lockTimeoutMs: 300 });
    try {
      holder.exec('CREATE TABLE t (v bigint)');
      let caught: unknown;
      holder.transaction(() => {
        holder.prepare('INSERT INTO t (v) VALUES ($1)').run(1);
        try {
          waiter.transaction(() => waiter.prepare('INSERT INTO t (v) VALUES ($1)').run(2))();
        } catch (error) {
          caught = error;
        }
      })();
      assert.equal(classifyFailure(caught), 'busy');
      waiter.transaction(() => waiter.prepare('INSERT INTO t (v) VALUES ($1)').run(3))();
      assert.deepEqual(holder.prepare('SELECT v FROM t ORDER BY v').all(), [{ v: 1 }, { v: 3 }], 'the refused write left nothing');
    } finally {
      holder.close();
      waiter.close();
    }
  });

  test('a server that stops answering mid-way: the statement gives up in bounded time, later calls fail at once, then it reconnects', async () => {
    const url = await server.createDatabase();
    const connection = await PostgresConnection.open({ url, statementTimeoutMs: 500 });
    // The connection's own server process, stopped: its socket stays open and nothing answers,
    // as across a partition. (A proxy in this process could not forward while the bridge waits.)
    const { pid } = connection.prepare('SELECT pg_backend_pid() AS pid').get() as { pid: number };
    process.kill(pid, 'SIGSTOP');
    try {
      let started = Date.now();
      assert.throws(() => connection.prepare('SELECT 2 AS two').get(), (error) => classifyFailure(error) === 'io');
      assert.ok(Date.now() - started < 3000, 'the statement is given up on after its limit and a margin');
      started = Date.now();
      assert.throws(() => connection.prepare('SELECT 3 AS three').get(), (error: Error & { code?: string }) => error.code === 'PG_UNAVAILABLE');
      assert.ok(Date.now() - started < 200, 'while it reconnects, a call fails at once instead of stalling the event loop');
      const until = Date.now() + 10_000;
      for (;;) {
        try {
          assert.deepEqual(connection.prepare('SELECT 4 AS four').get(), { four: 4 });
          break;
        } catch (error) {
          if (Date.now() > until) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } finally {
      process.kill(pid, 'SIGCONT');
      connection.close();
    }
  });
});
