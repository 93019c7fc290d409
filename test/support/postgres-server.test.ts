import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import pg from 'pg';
import { postgresSkipReason, startPostgres } from './postgres-server.js';

const skip = postgresSkipReason();

test('a throwaway cluster: separate empty databases, durability off, gone after stop', { skip }, async () => {
  const server = await startPostgres();
  let stopped = false;
  try {
    const first = await server.createDatabase();
    const second = await server.createDatabase();
    assert.notEqual(first, second);
    assert.match(first, new RegExp(`^postgres://postgres@127\\.0\\.0\\.1:${server.port}/test_\\w+$`));

    await withClient(first, async (client) => {
      await client.query('CREATE TABLE marks (id bigint primary key)');
      await client.query('INSERT INTO marks VALUES (1)');
      const settings = await client.query<{ name: string; setting: string }>(
        `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'max_connections', 'listen_addresses') ORDER BY name`,
      );
      assert.deepEqual(Object.fromEntries(settings.rows.map((row) => [row.name, row.setting])), {
        fsync: 'off',
        full_page_writes: 'off',
        listen_addresses: '127.0.0.1',
        max_connections: '200',
        synchronous_commit: 'off',
      });
    });
    // Tests isolate by database: the second one does not see the first one's table.
    await withClient(second, async (client) => {
      const tables = await client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'`);
      assert.equal(tables.rowCount, 0);
    });

    const dataFolder = await withClient(server.url, async (client) => (await client.query<{ setting: string }>(`SELECT setting FROM pg_settings WHERE name = 'data_directory'`)).rows[0]?.setting);
    assert.ok(dataFolder && existsSync(dataFolder));
    await server.stop();
    stopped = true;
    assert.equal(existsSync(dataFolder), false, 'the folder is removed');
    await assert.rejects(withClient(first, async () => undefined), /ECONNREFUSED/);
    await server.stop(); // a second stop is harmless
  } finally {
    if (!stopped) await server.stop();
  }
});

test('says why PostgreSQL tests are skipped when POSTGRES_BIN points nowhere', () => {
  const saved = process.env.POSTGRES_BIN;
  process.env.POSTGRES_BIN = '/nonexistent/postgresql/bin';
  try {
    assert.match(postgresSkipReason() ?? '', /POSTGRES_BIN=\/nonexistent\/postgresql\/bin holds no initdb/);
  } finally {
    if (saved === undefined) delete process.env.POSTGRES_BIN;
    else process.env.POSTGRES_BIN = saved;
  }
});

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
