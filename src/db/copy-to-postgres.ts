import type SqliteDatabase from 'better-sqlite3';
import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import { migrationProvider } from './migrations.js';
import { postgresMigrationProvider } from './postgres-schema.js';

/**
 * The one-shot move from SQLite to PostgreSQL (DATABASE_PATH → DATABASE_URL): every row of every
 * table, ids included, in one PostgreSQL transaction, read from one SQLite snapshot. It refuses
 * rather than merge: the target must hold no row of the service's tables. The command line is
 * src/cli/copy-to-postgres.ts.
 */

/** The copy was not made and nothing was changed; the message says why and what to do. */
export class CopyRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CopyRefused';
  }
}

export interface TableCopied {
  table: string;
  rows: number;
}

type Row = Record<string, unknown>;
/** The copy handles every table alike, by the names the SQLite file itself reports. */
export type AnyTables = Record<string, Row>;

/** Rows per INSERT; fewer for wide tables, to stay under PostgreSQL's 65,535 parameters a statement. */
const BATCH_ROWS = 500;
const MAX_PARAMETERS = 65_535;

export interface CopyOptions {
  /** How long to wait for a table another connection holds before refusing (default 15 s). */
  lockWaitMs?: number;
}

/**
 * Copies `source` (opened read-only) into `target` (Kysely over PostgresDialect), migrating the
 * target first. Returns the rows copied per table, in the order they were copied.
 */
export async function copyToPostgres(source: SqliteDatabase.Database, target: Kysely<AnyTables>, options: CopyOptions = {}): Promise<TableCopied[]> {
  // One read transaction: every table comes from the same moment, even if something writes the file.
  source.exec('BEGIN');
  try {
    await checkSourceVersion(source);
    const tables = tablesInForeignKeyOrder(source);
    await migrate(target);
    await checkSameTables(source, tables, target);
    return await target.transaction().execute((trx) => copyTables(source, tables, trx, options.lockWaitMs ?? 15_000));
  } finally {
    source.exec('ROLLBACK');
  }
}

/** The file must stand exactly where this version's SQLite migrations end: its tables are what the PostgreSQL schema mirrors. */
async function checkSourceVersion(source: SqliteDatabase.Database): Promise<void> {
  const recorded = source.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`).get();
  if (!recorded) throw new CopyRefused('The SQLite file has no migration record: it is not this service’s database (check --from or DATABASE_PATH).');
  const applied = new Set((source.prepare('SELECT name FROM kysely_migration').all() as { name: string }[]).map((row) => row.name));
  const known = Object.keys(await migrationProvider.getMigrations());
  const pending = known.filter((name) => !applied.has(name));
  const unknown = [...applied].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new CopyRefused(`The SQLite file was migrated by a newer version of the service (${unknown.join(', ')}): copy it with that version.`);
  }
  if (pending.length > 0) {
    throw new CopyRefused(
      `The SQLite file is older than this version (it lacks ${pending.join(', ')}): start this version of the service on it once ` +
        '(it migrates the file when it starts), stop it, then copy.',
    );
  }
}

/** The service's tables (not SQLite's own, not the migration record), each after the tables its foreign keys point to. */
function tablesInForeignKeyOrder(source: SqliteDatabase.Database): string[] {
  const tables = (
    source
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'kysely\\_migration%' ESCAPE '\\' ORDER BY name`)
      .all() as { name: string }[]
  ).map((row) => row.name);
  const parentsOf = new Map(
    tables.map((table) => {
      const keys = source.prepare(`SELECT "table" AS parent FROM pragma_foreign_key_list(?)`).all(table) as { parent: string }[];
      // A table pointing at itself is copied in rowid order, parents first as they were made.
      return [table, keys.map((key) => key.parent).filter((parent) => parent !== table)];
    }),
  );
  const ordered: string[] = [];
  while (ordered.length < tables.length) {
    const ready = tables.filter((table) => !ordered.includes(table) && (parentsOf.get(table) ?? []).every((parent) => ordered.includes(parent)));
    if (ready.length === 0) {
      const left = tables.filter((table) => !ordered.includes(table));
      throw new Error(`The foreign keys of ${left.join(', ')} form a cycle or point at a missing table: no insert order satisfies them.`);
    }
    ordered.push(...ready);
  }
  return ordered;
}

async function migrate(target: Kysely<AnyTables>): Promise<void> {
  const { error, results } = await new Migrator({ db: target, provider: postgresMigrationProvider }).migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(`Migrating the PostgreSQL database failed${failed ? ` (${failed.migrationName})` : ''}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Both schemas have the same tables and columns; anything else is a migration missing from one of the two files. */
async function checkSameTables(source: SqliteDatabase.Database, tables: string[], target: Kysely<AnyTables>): Promise<void> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    SELECT c.table_name, c.column_name FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = current_schema() AND c.table_name NOT LIKE 'kysely\\_migration%'`.execute(target);
  const describe = (table: string, columns: string[]) => `${table}(${[...columns].sort().join(', ')})`;
  const targetColumns = new Map<string, string[]>();
  for (const row of rows) targetColumns.set(row.table_name, [...(targetColumns.get(row.table_name) ?? []), row.column_name]);
  const sourceSide = tables.map((table) => describe(table, columnsOf(source, table))).sort();
  const targetSide = [...targetColumns].map(([table, columns]) => describe(table, columns)).sort();
  const onlySource = sourceSide.filter((entry) => !targetSide.includes(entry));
  const onlyTarget = targetSide.filter((entry) => !sourceSide.includes(entry));
  if (onlySource.length > 0 || onlyTarget.length > 0) {
    throw new Error(
      'The SQLite and PostgreSQL schemas differ (a migration is missing from src/db/migrations.ts or src/db/postgres-schema.ts): ' +
        `only in SQLite: ${onlySource.join('; ') || 'nothing'}; only in PostgreSQL: ${onlyTarget.join('; ') || 'nothing'}.`,
    );
  }
}

function columnsOf(source: SqliteDatabase.Database, table: string): string[] {
  return (source.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').all(table) as { name: string }[]).map((row) => row.name);
}

async function copyTables(source: SqliteDatabase.Database, tables: string[], trx: Transaction<AnyTables>, lockWaitMs: number): Promise<TableCopied[]> {
  const filled: string[] = [];
  for (const table of tables) {
    const { rows } = await sql<{ filled: boolean }>`SELECT EXISTS (SELECT 1 FROM ${sql.table(table)}) AS filled`.execute(trx);
    if (rows[0]?.filled) filled.push(table);
  }
  if (filled.length > 0) {
    throw new CopyRefused(
      `The PostgreSQL database already holds rows (in ${filled.join(', ')}); the copy never merges or overwrites. ` +
        'Copy into a new empty database (CREATE DATABASE …), or drop this one and create it again.',
    );
  }
  // Disabling a trigger locks its table: behind an instance of the service still holding one, fail
  // (and say it) instead of waiting for ever.
  await sql.raw(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockWaitMs))}`).execute(trx);
  // The rows already hold what the triggers did in SQLite (a place's first device): firing them
  // again would add a second first device. Disabled inside this transaction only.
  for (const table of tables) {
    try {
      await sql`ALTER TABLE ${sql.table(table)} DISABLE TRIGGER USER`.execute(trx);
    } catch (error) {
      if (postgresCodeOf(error) !== LOCK_NOT_AVAILABLE) throw error;
      throw new CopyRefused(`Another connection holds the table ${table}: is the service still running on this database? Stop every instance, then copy.`);
    }
  }

  const copied: TableCopied[] = [];
  for (const table of tables) copied.push({ table, rows: await copyTable(source, table, trx) });

  for (const table of tables) await sql`ALTER TABLE ${sql.table(table)} ENABLE TRIGGER USER`.execute(trx);
  await moveSequencesPastCopiedIds(source, trx);
  await checkCounts(source, copied, trx);
  return copied;
}

async function copyTable(source: SqliteDatabase.Database, table: string, trx: Transaction<AnyTables>): Promise<number> {
  const columns = columnsOf(source, table);
  const perBatch = Math.max(1, Math.min(BATCH_ROWS, Math.floor(MAX_PARAMETERS / columns.length)));
  const select = source.prepare(`SELECT ${columns.map(quoteName).join(', ')} FROM ${quoteName(table)} ORDER BY rowid`);
  // Integers as BigInt first, so that none past 2^53 is silently rounded on the way.
  select.safeIntegers(true);
  let batch: Row[] = [];
  let count = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    try {
      await trx.insertInto(table).values(batch).execute();
    } catch (error) {
      throw new Error(`Copying ${table} failed at rows ${count - batch.length + 1}–${count}: ${error instanceof Error ? error.message : String(error)}`);
    }
    batch = [];
  };
  for (const row of select.iterate() as IterableIterator<Row>) {
    batch.push(Object.fromEntries(Object.entries(row).map(([column, value]) => [column, toPostgresValue(value)])));
    count += 1;
    if (batch.length === perBatch) await flush();
  }
  await flush();
  return count;
}

/** Numbers as numbers; an integer past 2^53 stays a BigInt, which pg sends exactly; a BLOB's Buffer becomes bytea. */
function toPostgresValue(value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value;
}

/**
 * Identity columns were given SQLite's ids; their sequences must go on past them. Past SQLite's own
 * high-water mark too (sqlite_sequence): AUTOINCREMENT never hands out an id again, even the id of
 * a row deleted since, and neither may PostgreSQL.
 */
async function moveSequencesPastCopiedIds(source: SqliteDatabase.Database, trx: Transaction<AnyTables>): Promise<void> {
  const hasSequences = source.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'`).get();
  const sqliteHighs = new Map(
    hasSequences ? (source.prepare('SELECT name, seq FROM sqlite_sequence').all() as { name: string; seq: number }[]).map((row) => [row.name, Number(row.seq)]) : [],
  );
  const { rows: identities } = await sql<{ table_name: string; column_name: string }>`
    SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND is_identity = 'YES' AND table_name NOT LIKE 'kysely\\_migration%'`.execute(trx);
  for (const { table_name: table, column_name: column } of identities) {
    const { rows } = await sql<{ high: string | number | null }>`SELECT max(${sql.ref(column)}) AS high FROM ${sql.table(table)}`.execute(trx);
    const high = Math.max(Number(rows[0]?.high ?? 0), sqliteHighs.get(table) ?? 0);
    // An empty table never used keeps its sequence at the start (setval refuses 0).
    if (high < 1) continue;
    await sql`SELECT setval(pg_get_serial_sequence(${quoteName(table)}, ${column}), ${high})`.execute(trx);
  }
}

/** Table by table, PostgreSQL now holds as many rows as the snapshot had: else the transaction is rolled back. */
async function checkCounts(source: SqliteDatabase.Database, copied: TableCopied[], trx: Transaction<AnyTables>): Promise<void> {
  for (const { table, rows: copiedRows } of copied) {
    const sourceRows = Number((source.prepare(`SELECT count(*) AS n FROM ${quoteName(table)}`).get() as { n: number }).n);
    const { rows } = await sql<{ n: string | number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(trx);
    const targetRows = Number(rows[0]?.n);
    if (sourceRows !== copiedRows || targetRows !== copiedRows) {
      throw new Error(`Row counts of ${table} differ (SQLite ${sourceRows}, read ${copiedRows}, PostgreSQL ${targetRows}); nothing was copied.`);
    }
  }
}

/** PostgreSQL's SQLSTATE for "lock_timeout passed". */
const LOCK_NOT_AVAILABLE = '55P03';

function postgresCodeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** A name quoted as both SQLite and PostgreSQL read it (pg_get_serial_sequence too, which parses its argument as SQL). */
function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
