import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Store } from '../../src/db/connection.js';
import { openTestStore, sqliteOnly } from '../support/test-store.js';
import { OutboxStore } from '../../src/outbox/outbox-store.js';
import { tempDir } from '../support/temp-dir.js';
import { repositoryPath } from '../support/repository.js';

const SRC = repositoryPath('src');
const OWNER = 'outbox/outbox-store.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('outbox rows are written only by the outbox owner module', () => {
  // Raw SQL and Kysely alike: INSERT/UPDATE/REPLACE of the outbox table anywhere else in src/.
  const writes = /\b(insert\s+(or\s+\w+\s+)?into|update|replace\s+into)\s+["'`]?outbox\b|(insertInto|updateTable|replaceInto)\(\s*['"`]outbox['"`]/i;
  const offenders = sourceFiles(SRC)
    .map((path) => relative(SRC, path).split('\\').join('/'))
    .filter((path) => path !== OWNER && writes.test(readFileSync(join(SRC, path), 'utf8')));
  assert.deepEqual(offenders, [], `write outbox rows through OutboxStore (src/${OWNER}) instead`);
  assert.ok(writes.test(readFileSync(join(SRC, OWNER), 'utf8')), 'the check finds the owner’s own writes (so it would find others)');
});

describe('the outbox queries', () => {
  const dir = tempDir();
  let store: Store;
  let outbox: OutboxStore;
  before(async () => {
    store = await openTestStore(dir.file('monitor.db'));
    outbox = new OutboxStore(store.connection);
  });
  after(async () => {
    await store.close();
    dir.cleanup();
  });

  const plan = (sql: string, ...params: unknown[]) =>
    store.sqlite
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params)
      .map((row) => row.detail)
      .join('; ');

  test('the dispatcher’s poll for undelivered rows is an index range, not a table scan', { skip: sqliteOnly('SQLite’s query plans') }, () => {
    const detail = plan('SELECT * FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND id > ? ORDER BY id LIMIT ?', 0, 100);
    assert.match(detail, /USING INDEX outbox_undelivered/);
    assert.doesNotMatch(detail, /SCAN outbox(?! USING)/);
    assert.doesNotMatch(detail, /TEMP B-TREE/, 'no sort either');
  });

  test('the flapping window’s "last alert post" reads the place’s index', { skip: sqliteOnly('SQLite’s query plans') }, () => {
    assert.match(plan("SELECT max(sent_at) AS last FROM outbox WHERE location_id = ? AND kind = 'alert'", 1), /USING COVERING INDEX outbox_by_location/);
  });

  test('undeliveredAfter returns only rows still to deliver, oldest first, past the given id', () => {
    const now = 1_000;
    for (let i = 0; i < 5; i += 1) outbox.enqueue({ kind: 'unpin', placeId: null, payload: { chat: '-100', messageId: i } }, now);
    const all = outbox.undeliveredAfter(0, 100);
    assert.equal(all.length, 5);
    outbox.markSent([all[0]!.id], 7, now);
    outbox.markFailed([all[1]!.id], 'gone', now);
    outbox.markRetry([all[2]!.id], now + 500, '502', now);
    outbox.postpone([all[3]!.id], now + 900);
    assert.deepEqual(
      outbox.undeliveredAfter(0, 100).map((row) => [row.id, row.next_attempt_at, row.failing_since, row.attempts]),
      [
        [all[2]!.id, now + 500, now, 1],
        [all[3]!.id, now + 900, null, 0],
        [all[4]!.id, now, null, 0],
      ],
    );
    assert.deepEqual(outbox.undeliveredAfter(all[3]!.id, 100).map((row) => row.id), [all[4]!.id]);
  });
});
