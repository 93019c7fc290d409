import { dialectOf, type SyncDatabase, type SyncStatement } from './sync-database.js';

/**
 * The one way the stores run Kysely: on the synchronous better-sqlite3 connection, so a write can
 * join a transaction already running (an outbox row with the change that caused it). Statements
 * are built once from the typed schema and run many times: the heartbeat path, the workers, every
 * store (the grammY session adapter and the admins' store too, async only at their edges).
 *
 * Building and compiling a Kysely query costs some 30 µs, half of what a whole heartbeat costs,
 * so the hot path cannot compile per call. Instead a statement is written once as a Kysely query
 * whose open values are slots (typed like the columns they stand for), compiled once into a
 * `StatementPlan` (the SQL text and, per `?`, the slot it binds or a constant), and prepared once
 * on a connection; at run time the values are bound by position, as hand-written statements were.
 *
 *   const byKey = statementPlan((p: { key: string }) =>
 *     queryBuilder.selectFrom('locations').select(['id', 'timeout_s']).where('api_key', '=', p.key));
 *   const statement = prepareStatement(sqlite, byKey);
 *   statement.get({ key });   // { id: number; timeout_s: number } | undefined
 *
 * A plan is plain data, so a worker thread can be handed one (in its workerData) and prepare it
 * on its own read-only connection without loading Kysely: plans are made in statement-plan.ts,
 * and this module runs them. It holds the statement twice, compiled for SQLite (`?`) and
 * for PostgreSQL (`$1`…), from the same query: one set of stores serves both engines, and the
 * connection it is prepared on (sync-database.ts) picks its own.
 *
 * A query whose shape is known only when it runs (an insert of the columns given, an update of
 * the changes asked for) is compiled and prepared for that one run with `prepareQuery`: the same
 * statement, without the saving, for the admin's rare writes.
 *
 * A value that belongs in the SQL itself (the `paused = 0` of a partial index's condition, which
 * the query should repeat literally rather than leave to a bound value) is written `eb.lit(0)`.
 */

/** What each `?` of a compiled statement binds: a slot, by name, or a value fixed in the query. */
export type Binding = { readonly slot: string } | { readonly value: unknown };

/** A compiled statement with typed slots (`Params`) and rows (`Row`); plain data, safe to post to a worker. */
export interface StatementPlan<Params, Row> {
  /** SQLite's statement. */
  readonly sql: string;
  readonly bindings: readonly Binding[];
  /** The same statement for PostgreSQL. */
  readonly postgres: { readonly sql: string; readonly bindings: readonly Binding[] };
  /** Carries the types only; never set. */
  readonly types?: { params: Params; row: Row };
}

export interface RunResult {
  changes: number;
}

/** The binding for `Params` with no slot at all: `get()` takes no argument. */
type Args<Params> = keyof Params extends never ? [] : [params: Params];

/**
 * A plan on one connection: binds the slots by position and runs. SQLite prepares it on first
 * use, so a store costs nothing for the statements a caller never runs (a read-only connection
 * never prepares the writes).
 */
export class PreparedStatement<Params, Row> {
  private prepared: SyncStatement | null = null;
  private readonly sql: string;
  /** The values in `?` order: constants filled in once, slots overwritten per run. */
  private readonly values: unknown[];
  /** [position, slot name] for every slot. */
  private readonly slots: ReadonlyArray<readonly [number, string]>;

  constructor(
    private readonly sqlite: SyncDatabase,
    plan: StatementPlan<Params, Row>,
  ) {
    const { sql, bindings } = dialectOf(sqlite) === 'postgres' ? plan.postgres : plan;
    this.sql = sql;
    this.values = bindings.map((binding) => ('value' in binding ? binding.value : null));
    this.slots = bindings.flatMap((binding, position) => ('slot' in binding ? [[position, binding.slot] as const] : []));
  }

  /** The first row, or undefined. */
  get(...args: Args<Params>): Row | undefined {
    return this.statement().get(...this.bind(args)) as Row | undefined;
  }

  /** The row a statement always gives (an insert or upsert with `returning`); a missing one is a bug, thrown. */
  one(...args: Args<Params>): Row {
    const row = this.get(...args);
    if (row === undefined) throw new Error(`the statement gave no row: ${this.sql}`);
    return row;
  }

  /** Every row. */
  all(...args: Args<Params>): Row[] {
    return this.statement().all(...this.bind(args)) as Row[];
  }

  /** An insert, update or delete (without `returning`): how many rows it changed. */
  run(...args: Args<Params>): RunResult {
    return { changes: this.statement().run(...this.bind(args)).changes };
  }

  private statement(): SyncStatement {
    return (this.prepared ??= this.sqlite.prepare(this.sql));
  }

  /**
   * One array for every run: better-sqlite3 copies the values when it binds them, and nothing
   * runs in between (all of this is synchronous), so it is never seen half-filled.
   */
  private bind(args: [] | [params: Params]): unknown[] {
    const params = args[0] as Record<string, unknown> | undefined;
    for (const [position, name] of this.slots) {
      const value = params?.[name];
      if (value === undefined) throw new TypeError(`the statement's slot "${name}" was given no value (use null for NULL)`);
      this.values[position] = value;
    }
    return this.values;
  }
}

/** Prepares a plan on a connection (the main thread's, or a worker's read-only one). */
export function prepareStatement<Params, Row>(sqlite: SyncDatabase, plan: StatementPlan<Params, Row>): PreparedStatement<Params, Row> {
  return new PreparedStatement(sqlite, plan);
}

/** Each plan of a set, on one connection. */
export type PreparedStatements<Plans> = {
  [Name in keyof Plans]: Plans[Name] extends StatementPlan<infer Params, infer Row> ? PreparedStatement<Params, Row> : never;
};

/** Prepares a store's plans (by name) on a connection. */
export function prepareStatements<Plans extends Record<string, StatementPlan<unknown, unknown>>>(
  sqlite: SyncDatabase,
  plans: Plans,
): PreparedStatements<Plans> {
  return Object.fromEntries(Object.entries(plans).map(([name, plan]) => [name, prepareStatement(sqlite, plan)])) as PreparedStatements<Plans>;
}
