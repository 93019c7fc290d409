import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { openStore, type Store } from '../../src/db/connection.js';
import { migrationProvider } from '../../src/db/migrations.js';
import { postgresMigrationProvider } from '../../src/db/postgres-schema.js';
import { numericPool, postgresSkipReason, startPostgres, type PostgresServer } from '../support/postgres-server.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * SQLite's schema (migrations.ts) and PostgreSQL's (postgres-schema.ts) are kept by hand, side by
 * side: a migration added to one and not the other fails here, saying what differs.
 */
const skip = postgresSkipReason();
/** The last SQLite migration PostgreSQL's baseline stands for; later ones exist in both files. */
const SQLITE_AT_BASELINE = '0010_schedule_insights';

describe('the PostgreSQL schema matches SQLite’s', { skip }, () => {
  const dir = tempDir('postgres-schema-');
  let server: PostgresServer;
  let store: Store;
  let pool: pg.Pool;

  before(async () => {
    server = await startPostgres();
    store = await openStore(dir.file('monitor.db'));
    pool = numericPool(await server.createDatabase());
    await migratePostgres(pool);
  });
  after(async () => {
    await pool?.end();
    await store?.close();
    await server?.stop();
    dir.cleanup();
  });

  test('every migration after the baseline is in both files, under the same name', async () => {
    const sqliteNames = Object.keys(await migrationProvider.getMigrations()).sort();
    const postgresNames = Object.keys(await postgresMigrationProvider.getMigrations()).sort();
    assert.ok(sqliteNames.includes(SQLITE_AT_BASELINE));
    assert.deepEqual(
      postgresNames.slice(1),
      sqliteNames.filter((name) => name > SQLITE_AT_BASELINE),
      'a migration added to src/db/migrations.ts is added to src/db/postgres-schema.ts too',
    );
  });

  test('the same tables, the same columns in the same order, types, nullability, defaults and text order', async () => {
    assert.deepEqual(await postgresColumns(pool), sqliteColumns(store.sqlite));
  });

  test('the same keys, unique constraints and indexes (by name), and foreign keys', async () => {
    assert.deepEqual(await postgresIndexes(pool), sqliteIndexes(store.sqlite));
    assert.deepEqual(await postgresForeignKeys(pool), sqliteForeignKeys(store.sqlite));
  });

  test('a new place gets its first device, named in its language, on both', async () => {
    const places = [
      `INSERT INTO locations (name, api_key, language, created_at) VALUES ('Home', 'key-home', 'uk', 1700000000000)`,
      `INSERT INTO locations (name, api_key, language, created_at) VALUES ('Office', 'key-office', 'en', 1700000000001)`,
    ];
    const { sqlite, postgres } = await runOnBoth(store.sqlite, pool, places, 'SELECT id, location_id, name, api_key, created_at FROM devices ORDER BY id');
    assert.deepEqual(postgres, sqlite);
    assert.deepEqual(
      sqlite.map((row) => row.name),
      ['Пристрій 1', 'Device 1'],
    );
  });

  test('a person is forgotten with their last subscription, however it goes; kept while one is left', async () => {
    const statements = [
      `INSERT INTO locations (id, name, api_key, created_at) VALUES (11, 'A', 'key-a', 1), (12, 'B', 'key-b', 2), (13, 'C', 'key-c', 3)`,
      `INSERT INTO subscribers (user_id, display_name, language, active, created_at) VALUES
        (101, 'two places', 'uk', 1, 1), (102, 'one place', 'uk', 1, 1), (103, 'deleted at once', 'en', 1, 1), (104, 'place deleted', 'uk', 1, 1)`,
      `INSERT INTO subscriptions (location_id, user_id, since, wants_alerts, wants_plan_warnings, wants_weekly) VALUES
        (11, 101, 1, 1, 1, 1), (12, 101, 1, 1, 0, 1), (11, 102, 1, 1, 1, 0), (11, 103, 1, 1, 1, 1), (12, 103, 1, 0, 0, 0), (13, 104, 1, 1, 1, 1)`,
      // One of two left: kept.
      `DELETE FROM subscriptions WHERE user_id = 101 AND location_id = 11`,
      // The only one: forgotten.
      `DELETE FROM subscriptions WHERE user_id = 102`,
      // Both in one statement: forgotten.
      `DELETE FROM subscriptions WHERE user_id = 103`,
      // The place's deletion cascades to the subscription: forgotten.
      `DELETE FROM locations WHERE id = 13`,
    ];
    const { sqlite, postgres } = await runOnBoth(store.sqlite, pool, statements, 'SELECT user_id, display_name FROM subscribers ORDER BY user_id');
    assert.deepEqual(postgres, sqlite);
    assert.deepEqual(sqlite, [{ user_id: 101, display_name: 'two places' }]);
    // A person removed outright takes their subscriptions along (and the trigger finds nothing left to do).
    const removed = await runOnBoth(store.sqlite, pool, [`DELETE FROM subscribers WHERE user_id = 101`], 'SELECT location_id, user_id FROM subscriptions ORDER BY user_id, location_id');
    assert.deepEqual(removed.postgres, removed.sqlite);
    assert.deepEqual(removed.sqlite, []);
  });

  test('the same rows are refused: checks, partial unique indexes, foreign keys, nulls', async () => {
    const setup = [
      `INSERT INTO locations (id, name, api_key, created_at) VALUES (21, 'R', 'key-r', 1)`,
      `INSERT INTO power_events (location_id, status, started_at, start_edge) VALUES (21, 'off', 1, 'timeout')`,
      `INSERT INTO place_invites (token, location_id, created_at) VALUES ('live', 21, 1)`,
    ];
    await runOnBoth(store.sqlite, pool, setup, 'SELECT 1');
    const refused = [
      `INSERT INTO devices (location_id, name, api_key, created_at, link) VALUES (21, 'd', 'k1', 1, 'lte')`,
      `INSERT INTO devices (location_id, name, api_key, created_at, mains) VALUES (21, 'd', 'k2', 1, 2)`,
      `UPDATE locations SET schedule_warn_min = 20 WHERE id = 21`,
      `UPDATE locations SET weekly_report = 2 WHERE id = 21`,
      `INSERT INTO subscribers (user_id, display_name, language, active, created_at, quiet_start_min) VALUES (201, 'q', 'uk', 1, 1, 60)`,
      `INSERT INTO subscribers (user_id, display_name, language, active, created_at, quiet_start_min, quiet_end_min) VALUES (202, 'q', 'uk', 1, 1, 60, 60)`,
      `INSERT INTO place_destinations (location_id, chat_id, chat_type, thread_id, updated_at) VALUES (21, '-100', 'channel', 5, 1)`,
      `INSERT INTO report_posts (location_id, kind, period, queued_at) VALUES (21, 'daily', '2025-01', 1)`,
      `INSERT INTO schedule_days (source_id, queue, day, status, intervals, seen_at) VALUES ('s', '1.1', '2025-01-01', 'maybe', '[]', 1)`,
      `INSERT INTO schedule_hints (location_id, kind, queue, told_at) VALUES (21, 'other', '1.1', 1)`,
      `INSERT INTO schedule_emergency (location_id, emergency, told_at) VALUES (21, 3, 1)`,
      `INSERT INTO power_events (location_id, status, started_at, start_edge) VALUES (21, 'on', 2, 'heartbeat')`,
      `INSERT INTO place_invites (token, location_id, created_at) VALUES ('second live', 21, 2)`,
      `INSERT INTO devices (location_id, name, api_key, created_at) VALUES (21, 'd', 'key-r', 1)`,
      `INSERT INTO devices (location_id, name, api_key, created_at) VALUES (999, 'd', 'k3', 1)`,
      `INSERT INTO snoozed_alerts (location_id, alert, held_at) VALUES (21, '{}', 1)`,
      `INSERT INTO outbox (kind, payload, created_at) VALUES ('alert', '{}', 1)`,
    ];
    for (const statement of refused) {
      assert.throws(() => store.sqlite.exec(statement), Error, `SQLite refuses: ${statement}`);
      await assert.rejects(pool.query(statement), Error, `PostgreSQL refuses: ${statement}`);
    }
    // And the defaults fill the same columns the same way.
    const { sqlite, postgres } = await runOnBoth(
      store.sqlite,
      pool,
      [`INSERT INTO outbox (location_id, kind, payload, created_at, next_attempt_at) VALUES (21, 'alert', '{}', 1, 1)`],
      'SELECT attempts, sent_at FROM outbox',
    );
    assert.deepEqual(postgres, sqlite);
    const place = await runOnBoth(store.sqlite, pool, [], `SELECT timeout_s, language, status, paused, alerting_failed, schedule_warn_min, schedule_post_tomorrow, weekly_report, monthly_report FROM locations WHERE id = 21`);
    assert.deepEqual(place.postgres, place.sqlite);
  });
});

async function migratePostgres(pool: pg.Pool): Promise<void> {
  // Kysely ends the pool it is given when destroyed; this one is still needed, so it is not destroyed.
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  const { error } = await new Migrator({ db, provider: postgresMigrationProvider }).migrateToLatest();
  if (error) throw error;
}

type Row = Record<string, unknown>;

/** Runs the statements on both databases (as written: plain SQL both understand) and reads `query` back from each. */
async function runOnBoth(sqlite: SqliteDatabase.Database, pool: pg.Pool, statements: string[], query: string): Promise<{ sqlite: Row[]; postgres: Row[] }> {
  for (const statement of statements) {
    sqlite.exec(statement);
    await pool.query(statement);
  }
  return { sqlite: sqlite.prepare(query).all() as Row[], postgres: (await pool.query<Row>(query)).rows };
}

const SERVICE_TABLES_SQLITE = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'kysely\\_migration%' ESCAPE '\\' ORDER BY name`;
const SERVICE_TABLES_POSTGRES = `SELECT table_name AS name FROM information_schema.tables
  WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'kysely\\_migration%' ORDER BY table_name`;

function sqliteTables(sqlite: SqliteDatabase.Database): string[] {
  return (sqlite.prepare(SERVICE_TABLES_SQLITE).all() as { name: string }[]).map((row) => row.name);
}

/** SQLite's declared types, as the baseline translates them. */
const POSTGRES_TYPE_OF: Record<string, string> = { integer: 'bigint', text: 'text', real: 'double precision', blob: 'bytea' };

interface Column {
  name: string;
  type: string;
  notNull: boolean;
  default: string | null;
  /** Numbered by the database when not given (SQLite AUTOINCREMENT, PostgreSQL identity). */
  generated: boolean;
  /** How text compares and sorts: byte by byte (SQLite's BINARY, PostgreSQL's "C"), whatever the database's locale. */
  collation: string | null;
}

function sqliteColumns(sqlite: SqliteDatabase.Database): Record<string, Column[]> {
  const result: Record<string, Column[]> = {};
  for (const table of sqliteTables(sqlite)) {
    const createSql = (sqlite.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(table) as { sql: string }).sql;
    const columns = sqlite.prepare(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid`).all(table) as {
      name: string;
      type: string;
      notnull: number;
      dflt_value: string | null;
      pk: number;
    }[];
    result[table] = columns.map((column) => ({
      name: column.name,
      type: POSTGRES_TYPE_OF[column.type.toLowerCase()] ?? `unknown SQLite type ${column.type}`,
      // A key column is never null: PostgreSQL says so, SQLite only enforces it (its INTEGER PRIMARY KEY is the rowid).
      notNull: column.notnull === 1 || column.pk > 0,
      default: column.dflt_value,
      generated: new RegExp(`"${column.name}" integer primary key autoincrement`, 'i').test(createSql),
      // No column declares another collation (NOCASE): SQLite's text compares as BINARY.
      collation: column.type.toLowerCase() === 'text' ? 'C' : null,
    }));
  }
  return result;
}

async function postgresColumns(pool: pg.Pool): Promise<Record<string, Column[]>> {
  const { rows } = await pool.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null; is_identity: string; collation_name: string | null }>(
    `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default, c.is_identity, c.collation_name
     FROM information_schema.columns c JOIN (${SERVICE_TABLES_POSTGRES}) t ON t.name = c.table_name
     WHERE c.table_schema = 'public' ORDER BY c.table_name, c.ordinal_position`,
  );
  const result: Record<string, Column[]> = {};
  for (const row of rows) {
    (result[row.table_name] ??= []).push({
      name: row.column_name,
      type: row.data_type,
      notNull: row.is_nullable === 'NO',
      // 'uk'::text → 'uk', as SQLite keeps it.
      default: row.column_default?.replace(/::[a-z ]+$/, '') ?? null,
      generated: row.is_identity === 'YES',
      collation: row.collation_name,
    });
  }
  return result;
}

interface Indexes {
  /** table → its primary key's columns, in order. */
  primaryKeys: Record<string, string[]>;
  /** `table(columns)` of every UNIQUE written on a column or as a table constraint (their index names are each engine's own). */
  uniqueConstraints: string[];
  /** Indexes created by name: name → what they cover. */
  named: Record<string, { table: string; columns: string[]; unique: boolean; partial: boolean }>;
}

function sqliteIndexes(sqlite: SqliteDatabase.Database): Indexes {
  const result: Indexes = { primaryKeys: {}, uniqueConstraints: [], named: {} };
  for (const table of sqliteTables(sqlite)) {
    const keyColumns = sqlite.prepare(`SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`).all(table) as { name: string }[];
    result.primaryKeys[table] = keyColumns.map((column) => column.name);
    const indexes = sqlite.prepare(`SELECT name, "unique", origin, partial FROM pragma_index_list(?)`).all(table) as {
      name: string;
      unique: number;
      origin: 'c' | 'u' | 'pk';
      partial: number;
    }[];
    for (const index of indexes) {
      const columns = (sqlite.prepare(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`).all(index.name) as { name: string }[]).map((column) => column.name);
      if (index.origin === 'u') result.uniqueConstraints.push(`${table}(${columns.join(', ')})`);
      if (index.origin === 'c') result.named[index.name] = { table, columns, unique: index.unique === 1, partial: index.partial === 1 };
    }
  }
  result.uniqueConstraints.sort();
  return result;
}

async function postgresIndexes(pool: pg.Pool): Promise<Indexes> {
  const { rows } = await pool.query<{ name: string; table: string; unique: boolean; primary: boolean; partial: boolean; constraint_type: string | null; columns: string[] }>(
    `SELECT i.relname AS name, t.relname AS table, x.indisunique AS unique, x.indisprimary AS primary,
            x.indpred IS NOT NULL AS partial, c.contype::text AS constraint_type,
            array(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n) AS columns
     FROM pg_index x
     JOIN pg_class i ON i.oid = x.indexrelid
     JOIN pg_class t ON t.oid = x.indrelid
     JOIN (${SERVICE_TABLES_POSTGRES}) s ON s.name = t.relname
     JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
     LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.contype IN ('p', 'u')`,
  );
  const result: Indexes = { primaryKeys: {}, uniqueConstraints: [], named: {} };
  const { rows: tables } = await pool.query<{ name: string }>(SERVICE_TABLES_POSTGRES);
  for (const table of tables) result.primaryKeys[table.name] = [];
  for (const row of rows) {
    if (row.primary) result.primaryKeys[row.table] = row.columns;
    else if (row.constraint_type === 'u') result.uniqueConstraints.push(`${row.table}(${row.columns.join(', ')})`);
    else result.named[row.name] = { table: row.table, columns: row.columns, unique: row.unique, partial: row.partial };
  }
  result.uniqueConstraints.sort();
  return result;
}

/** `table.column → table.column on delete …`, sorted. */
function sqliteForeignKeys(sqlite: SqliteDatabase.Database): string[] {
  return sqliteTables(sqlite)
    .flatMap((table) =>
      (sqlite.prepare(`SELECT "table" AS target, "from", "to", on_delete FROM pragma_foreign_key_list(?)`).all(table) as { target: string; from: string; to: string; on_delete: string }[]).map(
        (key) => `${table}.${key.from} → ${key.target}.${key.to} on delete ${key.on_delete.toLowerCase()}`,
      ),
    )
    .sort();
}

async function postgresForeignKeys(pool: pg.Pool): Promise<string[]> {
  const ON_DELETE: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };
  const { rows } = await pool.query<{ source: string; from: string; target: string; to: string; on_delete: string }>(
    `SELECT s.relname AS source, sa.attname::text AS from, t.relname AS target, ta.attname::text AS to, c.confdeltype::text AS on_delete
     FROM pg_constraint c
     JOIN pg_class s ON s.oid = c.conrelid JOIN pg_class t ON t.oid = c.confrelid
     JOIN pg_namespace n ON n.oid = s.relnamespace AND n.nspname = 'public'
     JOIN pg_attribute sa ON sa.attrelid = c.conrelid AND sa.attnum = c.conkey[1]
     JOIN pg_attribute ta ON ta.attrelid = c.confrelid AND ta.attnum = c.confkey[1]
     WHERE c.contype = 'f'`,
  );
  return rows.map((row) => `${row.source}.${row.from} → ${row.target}.${row.to} on delete ${ON_DELETE[row.on_delete] ?? row.on_delete}`).sort();
}
