import type SqliteDatabase from 'better-sqlite3';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, type Compilable, type DatabaseConnection } from 'kysely';
import { prepareStatement, statementPlan } from './prepared-statement.js';
import type { Database } from './schema.js';

/**
 * Kysely as a typed SQL builder for synchronous stores. Kysely's own execution is asynchronous,
 * but some writes must happen inside a better-sqlite3 transaction that is already running (an
 * outbox row written with the change that caused it, a subscriber fan-out in the same commit),
 * and those cannot await. So a store builds its query with `queryBuilder` (checked against the
 * schema types, no hand-typed SQL), compiles it, and `SyncQueries` runs the compiled SQL on the
 * better-sqlite3 handle. This builder has no connection: executing a query on it fails.
 */
class NoConnectionDriver extends DummyDriver {
  override async acquireConnection(): Promise<DatabaseConnection> {
    throw new Error('queryBuilder only builds SQL: run its queries with SyncQueries, or use the store\'s own Kysely instance.');
  }
}

export const queryBuilder = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new NoConnectionDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/** A query built with `queryBuilder`, compiled lazily: its result row type comes along. */
export type Query<Row> = Compilable<Row>;

/** Statements are prepared once per SQL text; a store has a few dozen shapes at most. */
const MAX_CACHED_STATEMENTS = 256;

export interface RunResult {
  changes: number;
  lastInsertRowid: number;
}

/** Runs compiled Kysely queries synchronously on one better-sqlite3 connection. */
export class SyncQueries {
  private readonly statements = new Map<string, SqliteDatabase.Statement<unknown[], unknown>>();

  constructor(readonly sqlite: SqliteDatabase.Database) {}

  /** Every row a select (or a statement with `returning`) gives. */
  all<Row>(query: Query<Row>): Row[] {
    const { statement, parameters } = this.prepare(query);
    return statement.all(...parameters) as Row[];
  }

  /** The first row, or undefined when there is none. */
  first<Row>(query: Query<Row>): Row | undefined {
    const { statement, parameters } = this.prepare(query);
    return statement.get(...parameters) as Row | undefined;
  }

  /** An insert, update or delete without `returning`: how many rows it changed. */
  run(query: Query<unknown>): RunResult {
    const { statement, parameters } = this.prepare(query);
    const result = statement.run(...parameters);
    return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
  }

  /**
   * Runs `work` in one IMMEDIATE transaction (the write lock taken at BEGIN, so a read-then-write
   * cannot fail half-way on another process's lock). Inside a transaction already running, it
   * joins it as a savepoint.
   */
  transaction<T>(work: () => T): T {
    return this.sqlite.transaction(work).immediate();
  }

  private prepare(query: Query<unknown>): { statement: SqliteDatabase.Statement<unknown[], unknown>; parameters: unknown[] } {
    const compiled = query.compile();
    let statement = this.statements.get(compiled.sql);
    if (!statement) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      statement = this.sqlite.prepare<unknown[], unknown>(compiled.sql);
      this.statements.set(compiled.sql, statement);
    }
    return { statement, parameters: [...compiled.parameters] };
  }
}

const PING = statementPlan(() => queryBuilder.selectNoFrom((eb) => eb.lit(1).as('one')));

/** Runs the smallest query there is: throws when the connection cannot read (the health check). */
export function ping(sqlite: SqliteDatabase.Database): void {
  prepareStatement(sqlite, PING).get();
}
