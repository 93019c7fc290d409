import SqliteDatabase from 'better-sqlite3';
import type { StorageFaultKind } from '../../src/db/storage-faults.js';

/**
 * Fault injection for the synchronous SQLite connection (better-sqlite3), the way SQLite tests
 * itself: make the N-th write statement fail, or every statement of one table or owner module,
 * with a chosen kind — thrown as the very error better-sqlite3 throws (a SqliteError with its
 * `code`), before the statement runs, so the database is left as a real failure leaves it.
 *
 * It wraps `Database.prototype.prepare` (every statement Kysely, the stores and the prepared plans
 * run is made there); statements prepared before `install()` are not seen. Worker threads have
 * their own copy of the module and are not touched (they only read).
 */

/** What a kind of fault looks like when SQLite raises it. */
export const FAULT_ERRORS: Readonly<Record<StorageFaultKind, { code: string; message: string }>> = {
  busy: { code: 'SQLITE_BUSY', message: 'database is locked' },
  full: { code: 'SQLITE_FULL', message: 'database or disk is full' },
  io: { code: 'SQLITE_IOERR_WRITE', message: 'disk I/O error' },
  readonly: { code: 'SQLITE_READONLY', message: 'attempt to write a readonly database' },
  corrupt: { code: 'SQLITE_CORRUPT', message: 'database disk image is malformed' },
};

export interface FaultRule {
  kind: StorageFaultKind;
  /** Only statements that write this table (insert, update, delete, upsert). */
  table?: string;
  /** Only statements run from this source file (a path under src/, e.g. 'outbox/outbox-store.ts'). */
  owner?: string;
  /** Only the N-th write statement counted from when the rule is set (1 = the next one). */
  nth?: number;
  /** Reads fail too (default: writes only). */
  reads?: boolean;
}

interface ActiveRule extends FaultRule {
  /** Write statements seen since the rule was set. */
  seen: number;
}

export interface InjectedFault {
  kind: StorageFaultKind;
  table: string | null;
  sql: string;
}

const WRITE_TARGET = /^\s*(?:insert|replace)\s+(?:or\s+\w+\s+)?into\s+["`]?(\w+)|^\s*update\s+(?:or\s+\w+\s+)?["`]?(\w+)|^\s*delete\s+from\s+["`]?(\w+)/i;

/** The table a write statement writes (null for anything else: a select, a pragma, BEGIN). */
export function writtenTable(sql: string): string | null {
  const match = WRITE_TARGET.exec(sql);
  return match ? (match[1] ?? match[2] ?? match[3] ?? null) : null;
}

const EXECUTES = new Set(['run', 'get', 'all', 'iterate']);

export class FaultInjector {
  private static current: FaultInjector | null = null;
  private readonly rules: ActiveRule[] = [];
  private originalPrepare: ((this: SqliteDatabase.Database, sql: string) => SqliteDatabase.Statement) | null = null;
  /** Every fault thrown, in order. */
  readonly injected: InjectedFault[] = [];
  /** Write statements run (or refused) since install, by table. */
  readonly writes = new Map<string, number>();
  /** All write statements run (or refused) since install. */
  writeCount = 0;

  /** Wraps every connection opened or prepared from now on; one injector at a time. */
  static install(): FaultInjector {
    if (FaultInjector.current) throw new Error('a FaultInjector is installed already');
    const injector = new FaultInjector();
    const prototype = SqliteDatabase.prototype as unknown as { prepare: (this: SqliteDatabase.Database, sql: string) => SqliteDatabase.Statement };
    const original = prototype.prepare;
    injector.originalPrepare = original;
    prototype.prepare = function prepare(this: SqliteDatabase.Database, sql: string) {
      return injector.wrap(original.call(this, sql), sql);
    };
    FaultInjector.current = injector;
    return injector;
  }

  uninstall(): void {
    if (this.originalPrepare) (SqliteDatabase.prototype as unknown as { prepare: unknown }).prepare = this.originalPrepare;
    this.originalPrepare = null;
    this.rules.length = 0;
    if (FaultInjector.current === this) FaultInjector.current = null;
  }

  /** Adds a rule; it holds until `clear()`. */
  fail(rule: FaultRule): void {
    this.rules.push({ ...rule, seen: 0 });
  }

  /** Storage works again. */
  clear(): void {
    this.rules.length = 0;
  }

  get active(): boolean {
    return this.rules.length > 0;
  }

  /** The error better-sqlite3 would throw for `kind`. */
  static error(kind: StorageFaultKind): Error {
    const { code, message } = FAULT_ERRORS[kind];
    return new SqliteDatabase.SqliteError(message, code);
  }

  private wrap(statement: SqliteDatabase.Statement, sql: string): SqliteDatabase.Statement {
    const table = writtenTable(sql);
    const writes = !statement.readonly && table !== null;
    const proxy: SqliteDatabase.Statement = new Proxy(statement, {
      get: (target, property, _receiver) => {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        if (EXECUTES.has(String(property))) {
          return (...args: unknown[]) => {
            this.check(sql, table, writes);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        // Chained setters (pluck, raw, expand, safeIntegers, bind) return the statement: keep the wrapper.
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          return result === target ? proxy : result;
        };
      },
    });
    return proxy;
  }

  private check(sql: string, table: string | null, writes: boolean): void {
    if (writes) {
      this.writeCount += 1;
      this.writes.set(table!, (this.writes.get(table!) ?? 0) + 1);
    }
    if (this.rules.length === 0) return;
    let stack: string | undefined;
    for (const rule of this.rules) {
      if (writes) rule.seen += 1;
      if (!writes && !rule.reads) continue;
      if (rule.nth !== undefined && (!writes || rule.seen !== rule.nth)) continue;
      if (rule.table !== undefined && rule.table !== table) continue;
      if (rule.owner !== undefined) {
        stack ??= new Error().stack ?? '';
        if (!stack.includes(`/src/${rule.owner}`)) continue;
      }
      this.injected.push({ kind: rule.kind, table, sql });
      throw FaultInjector.error(rule.kind);
    }
  }
}
