/** `npm run copy-to-postgres` as an operator moving to DATABASE_URL runs it: the real script in a child process. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { openStore } from '../../src/db/connection.js';
import { openReadOnly } from '../../src/db/read-only.js';
import { copyToPostgres, CopyRefused, type AnyTables, type CopyOptions } from '../../src/db/copy-to-postgres.js';
import { numericPool, postgresSkipReason, startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { scriptArgs } from '../support/repository.js';
import { tempDir } from '../support/temp-dir.js';

const script = scriptArgs('src', 'cli', 'copy-to-postgres.ts');
const dir = tempDir('copy-to-postgres-');
after(() => dir.cleanup());

/** Past 2^53: a number would round it; the copy must not. */
const HUGE_ID = '9007199254740993';
const PASSWORD = 's3cret-Pa55';

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...script, ...args],
      // From a temporary folder: no .env of the repository is read.
      { env: { PATH: process.env.PATH ?? '', DATABASE_PATH: dir.file('default.db'), ...env }, cwd: dir.path },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('copying a SQLite database into PostgreSQL', { skip: postgresSkipReason() }, () => {
  let server: PostgresServer;
  const source = dir.file('monitor.db');

  before(async () => {
    server = await startPostgres();
    await fillSqlite(source);
  });
  after(async () => {
    await server?.stop();
  });

  test('every table arrives row for row, ids and all; new rows go on past the copied ids', async () => {
    const target = await server.createDatabase();
    const withPassword = target.replace('postgres@', `postgres:${PASSWORD}@`);
    const result = await cli(['--from', source, '--to', withPassword]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Copied .*monitor\.db to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1/);
    assert.match(result.stdout, /^ {2}power_events +1300$/m);
    assert.match(result.stdout, /^ {2}total +\d+$/m);
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(PASSWORD));

    const sqlite = openReadOnly(source);
    const pool = numericPool(target);
    try {
      const tables = serviceTables(sqlite);
      const { rows: targetTables } = await pool.query<{ name: string }>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely\\_%' ORDER BY table_name`,
      );
      assert.deepEqual(
        targetTables.map((row) => row.name),
        tables,
      );
      for (const table of tables) {
        const expected = rowsOf(sqlite, table);
        assert.ok(expected.length > 0, `${table} has rows to copy`);
        assert.deepEqual(await postgresRowsOf(pool, table, Object.keys(expected[0]!)), expected, table);
      }
      const huge = await pool.query<{ user_id: string }>(`SELECT user_id::text AS user_id FROM admins WHERE user_id > 9007199254740000`);
      assert.deepEqual(huge.rows, [{ user_id: HUGE_ID }]);

      // A new place is numbered after the copied ones (past #4, deleted: AUTOINCREMENT never gives an
      // id out twice, and neither may PostgreSQL), and its first device (the trigger is on again) after theirs.
      assert.equal(maxOf(sqlite, 'locations'), 3);
      const placeIds = await pool.query<{ id: number }>(`INSERT INTO locations (name, api_key, created_at) VALUES ('New', 'key-new', 5) RETURNING id`);
      assert.equal(placeIds.rows[0]?.id, 5);
      const device = await pool.query<{ id: number; name: string }>(`SELECT id, name FROM devices WHERE api_key = 'key-new'`);
      assert.deepEqual(device.rows, [{ id: maxOf(sqlite, 'devices') + 1, name: 'Пристрій 1' }]);
      const failure = await pool.query<{ id: number }>(`INSERT INTO schedule_failures (source_id, at) VALUES ('s', 1) RETURNING id`);
      assert.equal(maxOf(sqlite, 'schedule_failures'), 29);
      assert.equal(failure.rows[0]?.id, 31);
    } finally {
      sqlite.close();
      await pool.end();
    }
  });

  test('a database that already holds rows is refused, and nothing in it changes', async () => {
    const target = await server.createDatabase();
    const first = await copyWith(source, target);
    assert.ok(first.length > 0);
    const pool = numericPool(target);
    try {
      await pool.query(`DELETE FROM power_events WHERE id > 10`);
      const before = await snapshot(pool);
      await assert.rejects(copyWith(source, target), (error: unknown) => {
        assert.ok(error instanceof CopyRefused);
        assert.match(error.message, /already holds rows \(in .*locations.*\); the copy never merges or overwrites/);
        return true;
      });
      assert.deepEqual(await snapshot(pool), before);
    } finally {
      await pool.end();
    }
    // And said so on the command line, without the password.
    const result = await cli(['--from', source, '--to', target.replace('postgres@', `postgres:${PASSWORD}@`)]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Nothing copied: The PostgreSQL database already holds rows/);
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(PASSWORD));
  });

  test('a fresh SQLite file copies (no rows); then one row in one table is enough to refuse', async () => {
    const target = await server.createDatabase();
    const fresh = dir.file('fresh.db');
    await (await openStore(fresh)).close();
    const copied = await copyWith(fresh, target);
    assert.deepEqual(
      copied.filter(({ rows }) => rows > 0),
      [],
    );
    const pool = numericPool(target);
    try {
      await pool.query(`INSERT INTO service_state (key, value) VALUES ('leader', 'x')`);
    } finally {
      await pool.end();
    }
    await assert.rejects(copyWith(source, target), /already holds rows \(in service_state\)/);
  });

  test('a table held by another connection (an instance still running) refuses the copy instead of waiting', async () => {
    const target = await server.createDatabase();
    const fresh = dir.file('fresh-for-lock.db');
    await (await openStore(fresh)).close();
    await copyWith(fresh, target);
    const pool = numericPool(target);
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE outbox IN ROW EXCLUSIVE MODE');
      await assert.rejects(copyWith(source, target, { lockWaitMs: 200 }), (error: unknown) => {
        assert.ok(error instanceof CopyRefused);
        assert.match(error.message, /Another connection holds the table outbox: is the service still running on this database\? Stop every instance/);
        return true;
      });
      await holder.query('ROLLBACK');
    } finally {
      holder.release();
      await pool.end();
    }
    assert.ok((await copyWith(source, target)).length > 0, 'copies once the table is free');
  });

  test('a SQLite file that is not the service’s is refused', async () => {
    const other = dir.file('other.db');
    const sqlite = new SqliteDatabase(other);
    sqlite.exec('CREATE TABLE notes (id integer primary key, text text)');
    sqlite.close();
    await assert.rejects(copyWith(other, await server.createDatabase()), (error: unknown) => error instanceof CopyRefused && /no migration record: it is not this service’s database/.test(error.message));
  });

  test('a file an older version left (migrations pending) is refused with what to do', async () => {
    const old = dir.file('old.db');
    const store = await openStore(old);
    store.sqlite.exec(`DELETE FROM kysely_migration WHERE name = '0010_schedule_insights'`);
    await store.close();
    const result = await cli(['--from', old, '--to', await server.createDatabase()]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /older than this version \(it lacks 0010_schedule_insights\): start this version of the service on it once/);
  });
});

test('refuses a target that is no PostgreSQL url (src/db/postgres-url.ts is tested on its own), and a missing source, saying what to do and no password', async () => {
  await openStore(dir.file('default.db')).then((store) => store.close());
  const cases: { args: string[]; env?: Record<string, string>; says: RegExp; code?: number }[] = [
    { args: ['--to', `mysql://root:${PASSWORD}@db/monitor`], says: /--to must be a PostgreSQL url \(postgres:\/\/user:password@host:5432\/database\), not mysql:\/\/root:\*\*\*@db\/monitor/ },
    { args: [], says: /Pass --to postgres:\/\/user:password@host:5432\/database or set DATABASE_URL/ },
    { args: ['--from', dir.file('missing.db'), '--to', `postgres://u:${PASSWORD}@127.0.0.1:1/x`], says: /cannot open the SQLite database .*missing\.db \(pass --from or set DATABASE_PATH\)/ },
    { args: ['extra'], says: /Unexpected argument extra/ },
    // From DATABASE_PATH (it exists) to where nothing listens.
    { args: ['--to', `postgres://u:${PASSWORD}@127.0.0.1:1/x`], says: /Nothing copied: cannot connect to postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/x \(is PostgreSQL running there.*ECONNREFUSED/ },
  ];
  // A DATABASE_URL that is no PostgreSQL url is the configuration's mistake, said as the service says it.
  cases.push({ args: [], env: { DATABASE_URL: `https://u:${PASSWORD}@example.com/x` }, says: /DATABASE_URL must be a PostgreSQL url/, code: 2 });
  for (const { args, env, says, code } of cases) {
    const result = await cli(args, env);
    assert.equal(result.code, code ?? 1, args.join(' '));
    assert.match(result.stderr, says);
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(PASSWORD), args.join(' '));
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  }
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Stop the service first/);
});

/** Copies through the library, as the command does, onto its own pool. */
async function copyWith(sourcePath: string, targetUrl: string, options?: CopyOptions) {
  const sqlite = openReadOnly(sourcePath);
  const db = new Kysely<AnyTables>({ dialect: new PostgresDialect({ pool: numericPool(targetUrl) }) });
  try {
    return await copyToPostgres(sqlite, db, options);
  } finally {
    sqlite.close();
    await db.destroy();
  }
}

type Row = Record<string, unknown>;

function serviceTables(sqlite: SqliteDatabase.Database): string[] {
  return (
    sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'kysely\\_%' ESCAPE '\\' ORDER BY name`).all() as { name: string }[]
  ).map((row) => row.name);
}

/** Rows in a stable order (sorted by their JSON) whatever order each engine returns. */
function sorted(rows: Row[]): Row[] {
  return rows.map((row) => [JSON.stringify(row), row] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

function rowsOf(sqlite: SqliteDatabase.Database, table: string): Row[] {
  return sorted(sqlite.prepare(`SELECT * FROM "${table}"`).all() as Row[]);
}

async function postgresRowsOf(pool: pg.Pool, table: string, columns: string[]): Promise<Row[]> {
  return sorted((await pool.query<Row>(`SELECT ${columns.map((column) => `"${column}"`).join(', ')} FROM "${table}"`)).rows);
}

async function snapshot(pool: pg.Pool): Promise<Record<string, Row[]>> {
  const { rows } = await pool.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`);
  const result: Record<string, Row[]> = {};
  for (const { name } of rows) result[name] = sorted((await pool.query<Row>(`SELECT * FROM "${name}"`)).rows);
  return result;
}

function maxOf(sqlite: SqliteDatabase.Database, table: string): number {
  return (sqlite.prepare(`SELECT max(id) AS id FROM "${table}"`).get() as { id: number }).id;
}

/** A database with rows in every table, as the service leaves them (created through openStore: its migrations, its triggers). */
async function fillSqlite(path: string): Promise<void> {
  const store = await openStore(path);
  const run = (statement: string, ...params: unknown[]) => store.sqlite.prepare(statement).run(...params);
  try {
    store.sqlite.transaction(() => {
      for (let place = 1; place <= 3; place += 1) {
        run(`INSERT INTO locations (name, api_key, language, created_at, channel_id, deadline_at) VALUES (?, ?, ?, ?, ?, ?)`, `Place ${place} «дім»`, `key-${place}`, place === 2 ? 'en' : 'uk', 1_700_000_000_000 + place, '-1001234567890', place === 3 ? null : 1_700_000_060_000);
      }
      // A place deleted: its id and its first device's id are not reused.
      run(`INSERT INTO locations (name, api_key, created_at) VALUES ('Gone', 'key-gone', 1)`);
      run(`DELETE FROM locations WHERE name = 'Gone'`);
      run(`INSERT INTO devices (location_id, name, api_key, created_at, link, mains, rssi) VALUES (1, 'UPS', 'key-ups', 2, 'ethernet', 1, -61)`);
      for (let index = 0; index < 1300; index += 1) {
        const place = (index % 3) + 1;
        const startedAt = 1_700_000_000_000 + index * 60_000;
        run(`INSERT INTO power_events (location_id, status, started_at, ended_at, start_edge) VALUES (?, ?, ?, ?, 'timeout')`, place, index % 2 ? 'on' : 'off', startedAt, index >= 1297 ? null : startedAt + 30_000);
      }
      run(`INSERT INTO outbox (location_id, kind, payload, created_at, next_attempt_at, sent_at, message_id) VALUES (1, 'alert', '{"text":"світло є"}', 1, 1, 2, 42)`);
      run(`INSERT INTO outbox (location_id, kind, payload, created_at, next_attempt_at) VALUES (NULL, 'notice', '{}', 3, 3)`);
      run(`INSERT INTO diagram_messages (location_id, chat_id, day, message_id, pinned, created_at, updated_at, caption) VALUES (1, '-1001234567890', '2025-06-01', 7, 1, 1, 2, 'Тиждень')`);
      run(`INSERT INTO admins (user_id, added_at, added_by, display_name, language) VALUES (111, 1, NULL, 'Owner', 'uk'), (${HUGE_ID}, 2, 111, NULL, NULL)`);
      run(`INSERT INTO bot_sessions (key, value, updated_at) VALUES ('111', '{"step":1}', 1)`);
      run(`INSERT INTO service_state (key, value) VALUES ('last_sweep', '1700000000000')`);
      run(`INSERT INTO schedule_sources (source_id, body, etag, as_of, fetched_at, failures) VALUES ('kyiv', '{"big":true}', 'W/"1"', 1, 2, 0)`);
      run(`INSERT INTO schedule_told (location_id, day, intervals, told_at) VALUES (1, '2025-06-01', '[[0,60]]', 1)`);
      run(`INSERT INTO schedule_warnings (location_id, starts_at, warned_at) VALUES (1, 1700000000000, 1)`);
      run(`INSERT INTO schedule_skips (location_id, starts_at, ends_at, source_id, queue, recorded_at) VALUES (2, 1, 2, 'kyiv', '1.1', 3)`);
      run(`INSERT INTO channel_titles (chat_id, title, updated_at) VALUES ('-1001234567890', 'Світло', 1)`);
      run(`INSERT INTO subscribers (user_id, display_name, language, quiet_start_min, quiet_end_min, active, created_at) VALUES (222, 'Olena', 'uk', 1320, 420, 1, 1)`);
      run(`INSERT INTO subscriptions (location_id, user_id, since, wants_alerts, wants_plan_warnings, wants_weekly) VALUES (1, 222, 1, 1, 0, 1)`);
      run(`INSERT INTO place_invites (token, location_id, created_at, created_by) VALUES ('tok', 1, 1, 111)`);
      run(`INSERT INTO place_snoozes (location_id, since, until, set_by) VALUES (2, 1, 99, 111)`);
      run(`INSERT INTO snoozed_alerts (location_id, alert, held_at) VALUES (2, '{"kind":"off"}', 5)`);
      run(`INSERT INTO place_destinations (location_id, chat_id, chat_type, thread_id, topic_name, updated_at) VALUES (3, '-100999', 'supergroup', 12, 'Світло', 1)`);
      run(`INSERT INTO report_posts (location_id, kind, period, queued_at) VALUES (1, 'weekly', '2025-W22', 1)`);
      run(`INSERT INTO schedule_days (source_id, queue, day, status, intervals, seen_at) VALUES ('kyiv', '1.1', '2025-06-01', 'plan', '[]', 1)`);
      run(`INSERT INTO schedule_hints (location_id, kind, queue, told_at) VALUES (1, 'suggest', '1.1', 1)`);
      run(`INSERT INTO schedule_emergency (location_id, emergency, told_at) VALUES (1, 1, 1)`);
      for (let index = 1; index <= 30; index += 1) run(`INSERT INTO schedule_failures (source_id, at) VALUES ('kyiv', ?)`, index);
      run(`DELETE FROM schedule_failures WHERE id = 30`);
      run(`INSERT INTO telegram_updates (update_id, seen_at) VALUES (812345678, 1700000000000)`);
    })();
  } finally {
    await store.close();
  }
}
