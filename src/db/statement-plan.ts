import { PostgresQueryCompiler, createQueryId, type Compilable, type CompiledQuery, type RootOperationNode } from 'kysely';
import { PreparedStatement, type Binding, type StatementPlan } from './prepared-statement.js';
import type { SyncDatabase } from './sync-database.js';

/**
 * Statement plans made from Kysely queries (see prepared-statement.ts for how they run). Apart
 * from the module that runs them, so a worker thread that is handed plans never loads Kysely.
 */

/** A slot's marker as it sits among a compiled query's parameters. */
class Slot {
  constructor(readonly name: string) {}
}

/**
 * Compiles `build`'s query once. `build` gets the slots as an object: each property read is a
 * slot of that name, typed by the parameter's annotation, so Kysely checks it against the column
 * it is compared with or written to (a renamed column or a wrong type fails the build).
 */
export function statementPlan<Params extends object = Record<never, never>, Row = unknown>(
  build: (slots: Params) => Compilable<Row>,
): StatementPlan<Params, Row> {
  const slots = new Proxy({} as Params, {
    get: (_target, name) => {
      if (typeof name !== 'string') throw new TypeError('a slot is named by a string');
      return new Slot(name);
    },
  });
  const query = build(slots);
  const compiled = query.compile();
  const postgres = postgresCompiler.compileQuery(operationNodeOf(query), createQueryId());
  return { sql: compiled.sql, bindings: bindingsOf(compiled), postgres: { sql: postgres.sql, bindings: bindingsOf(postgres) } };
}

const postgresCompiler = new PostgresQueryCompiler();

function bindingsOf(compiled: CompiledQuery): Binding[] {
  return compiled.parameters.map((parameter): Binding => (parameter instanceof Slot ? { slot: parameter.name } : { value: parameter }));
}

/** The query's tree, which every Kysely builder gives (`Compilable` only promises `compile`). */
function operationNodeOf(query: Compilable<unknown>): RootOperationNode {
  const source = query as Compilable<unknown> & { toOperationNode?: () => RootOperationNode };
  if (typeof source.toOperationNode !== 'function') throw new TypeError('statementPlan needs a Kysely query builder (it compiles it for SQLite and PostgreSQL)');
  return source.toOperationNode();
}

/**
 * A query built at run time, compiled and prepared for one run: for a shape that varies with the
 * call (the columns an insert is given, the changes an update asks for). Never on a hot path.
 */
export function prepareQuery<Row>(sqlite: SyncDatabase, query: Compilable<Row>): PreparedStatement<Record<never, never>, Row> {
  return new PreparedStatement(sqlite, statementPlan(() => query));
}
