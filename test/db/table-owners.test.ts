import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import type { Database } from '../../src/db/schema.js';
import { repositoryPath } from '../support/repository.js';

/**
 * One owner per table, one SQL style (issue 15). Every table has one module that holds all SQL on
 * it; the others call that module's methods. SQL is built with Kysely from the typed schema
 * (src/db/schema.ts), so renaming a column breaks the build; only the migrations write SQL text.
 * Typed as a record of every table: a new table does not compile until it has an owner here.
 */
const OWNERS: Record<keyof Database, string> = {
  locations: 'places/place-store.ts',
  power_events: 'history/power-event-store.ts',
  outbox: 'outbox/outbox-store.ts',
  service_state: 'db/service-state.ts',
  admins: 'admins/admin-store.ts',
  bot_sessions: 'sessions/session-storage.ts',
  diagram_messages: 'diagram/diagram-store.ts',
  schedule_sources: 'schedules/schedule-store.ts',
  schedule_told: 'schedules/schedule-store.ts',
  schedule_warnings: 'schedules/schedule-store.ts',
  schedule_skips: 'schedules/schedule-store.ts',
  schedule_days: 'schedules/schedule-store.ts',
  schedule_hints: 'schedules/schedule-store.ts',
  schedule_emergency: 'schedules/schedule-store.ts',
  schedule_failures: 'schedules/schedule-store.ts',
  channel_titles: 'places/channel-titles.ts',
  subscribers: 'people/subscriber-store.ts',
  subscriptions: 'people/subscriber-store.ts',
  place_invites: 'people/invite-store.ts',
  place_snoozes: 'people/snooze-store.ts',
  snoozed_alerts: 'people/snooze-store.ts',
  place_destinations: 'people/destination-store.ts',
  report_posts: 'reports/report-store.ts',
  devices: 'devices/device-store.ts',
  telegram_updates: 'sessions/update-log.ts',
};

/**
 * The reads of another owner's table that are allowed, each with its reason. The first: the
 * heartbeat's lookup of a location joins its open interval (one index lookup instead of two
 * statements, some 3 µs of a ~60 µs heartbeat). PowerEventStore owns every other power_events query.
 */
const ALLOWED_JOINS: ReadonlyArray<{ file: string; table: keyof Database }> = [
  { file: 'places/place-store.ts', table: 'power_events' },
  // A device's heartbeat reads its place, itself and the open interval in one lookup (issue 21).
  { file: 'places/place-store.ts', table: 'devices' },
];

/**
 * Where SQL text may be written: the schema's history (SQLite's and PostgreSQL's), and the
 * PostgreSQL bridge's transaction control (BEGIN…COMMIT, savepoints: what better-sqlite3 writes
 * for itself) and leadership lock, which touch no table, and the one-shot copy to PostgreSQL,
 * which moves every table as it is by the two engines' catalogs and knows no table's meaning.
 */
const MIGRATIONS = 'db/migrations.ts';
const SCHEMA_FILES = new Set([MIGRATIONS, 'db/postgres-schema.ts', 'db/postgres-connection.ts', 'db/leadership.ts', 'db/copy-to-postgres.ts']);

const SRC = repositoryPath('src');

/** Kysely calls whose first argument names the table a query works on (or joins). */
const TABLE_CALLS = new Set(['selectFrom', 'insertInto', 'replaceInto', 'updateTable', 'deleteFrom', 'mergeInto', 'using']);
const JOIN_CALLS = new Set(['innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'crossJoin', 'innerJoinLateral', 'leftJoinLateral']);

/** What SQL text looks like: a statement's opening words (comments are not looked at, only strings). */
const SQL_TEXT =
  /\bselect\b[\s\S]*\bfrom\s+["'`\w]|\binsert\s+(or\s+\w+\s+)?into\b|\breplace\s+into\b|\bupdate\s+["'`]?\w+["'`]?\s+set\b|\bdelete\s+from\b|\b(create|drop)\s+(unique\s+)?(table|index|trigger|view)\b|\balter\s+table\b|^\s*(begin|commit|rollback|savepoint|release|explain)\b/i;

interface Finding {
  file: string;
  line: number;
  what: string;
}

function sourceFiles(): string[] {
  return readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(SRC, resolve(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

/** Walks one file's syntax tree and reports SQL text, prepared statements and table references. */
function scan(file: string): { sqlText: Finding[]; prepares: Finding[]; tables: Array<Finding & { table: string; join: boolean }> } {
  const source = ts.createSourceFile(file, readFileSync(resolve(SRC, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const found = { sqlText: [] as Finding[], prepares: [] as Finding[], tables: [] as Array<Finding & { table: string; join: boolean }> };
  const visit = (node: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(node) && /^sql\b/.test(node.tag.getText(source))) {
      found.sqlText.push({ file, line: lineOf(node), what: `sql\`\` template` });
    } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (SQL_TEXT.test(node.text)) found.sqlText.push({ file, line: lineOf(node), what: node.text.slice(0, 60) });
    } else if (ts.isTemplateExpression(node)) {
      const text = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ? ');
      if (SQL_TEXT.test(text)) found.sqlText.push({ file, line: lineOf(node), what: text.slice(0, 60) });
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const first = node.arguments[0];
      if (method === 'prepare') found.prepares.push({ file, line: lineOf(node), what: node.getText(source).slice(0, 60) });
      if (ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'sql') {
        found.sqlText.push({ file, line: lineOf(node), what: `sql.${method}()` });
      }
      if ((TABLE_CALLS.has(method) || JOIN_CALLS.has(method)) && first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
        const table = first.text.trim().split(/\s+/)[0]!;
        if (table in OWNERS) found.tables.push({ file, line: lineOf(node), what: `${method}('${first.text}')`, table, join: JOIN_CALLS.has(method) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const scans = sourceFiles().map(scan);
const show = (findings: Finding[]) => findings.map((f) => `src/${f.file}:${f.line} ${f.what}`);

test('no SQL text outside the migrations: queries are built with Kysely from the typed schema', () => {
  const offenders = scans.flatMap((s) => s.sqlText).filter((f) => !SCHEMA_FILES.has(f.file));
  assert.deepEqual(show(offenders), [], 'build these with queryBuilder (src/db/sync-query.ts) and statementPlan (src/db/prepared-statement.ts), in the table owner');
  assert.ok(scans.some((s) => s.sqlText.some((f) => f.file === MIGRATIONS)), 'the check sees the migrations’ SQL (so it would see any other)');
});

test('statements are prepared only in src/db/ (owners prepare plans through prepareStatement)', () => {
  const offenders = scans.flatMap((s) => s.prepares).filter((f) => !f.file.startsWith('db/'));
  assert.deepEqual(show(offenders), [], 'prepare a statementPlan with prepareStatements (src/db/prepared-statement.ts) in the table owner');
});

test('every query on a table is in its owner module', () => {
  const references = scans.flatMap((s) => s.tables);
  const allowed = (r: (typeof references)[number]) => r.join && ALLOWED_JOINS.some((a) => a.file === r.file && a.table === r.table);
  const offenders = references.filter((r) => r.file !== OWNERS[r.table as keyof Database] && !allowed(r));
  assert.deepEqual(
    show(offenders).map((line, i) => `${line} → owner: src/${OWNERS[offenders[i]!.table as keyof Database]}`),
    [],
    'call the owner’s methods (add one there if it lacks the query) instead of querying its table',
  );
  for (const [table, owner] of Object.entries(OWNERS)) {
    assert.ok(
      references.some((r) => r.table === table && r.file === owner),
      `${table}: its owner src/${owner} has no query on it (a renamed owner? update OWNERS)`,
    );
  }
});
