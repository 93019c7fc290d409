import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Store } from '../../src/db/connection.js';
import { pruneOldRows } from '../../src/ops/retention.js';
import { tempDir } from '../support/temp-dir.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2025-06-30T12:00:00Z');

describe('retention', () => {
  const dir = tempDir('monitor-retention-');
  let store: Store;

  before(async () => {
    store = await openStore(dir.file('monitor.db'));
  });
  after(async () => {
    await store.close();
    dir.cleanup();
  });

  /** Replaces the outbox with one row per description. */
  function seed(rows: { payload: string; createdAt: number; sentAt?: number; failedAt?: number }[]): void {
    store.sqlite.exec('DELETE FROM outbox');
    const insert = store.sqlite.prepare(
      "INSERT INTO outbox (kind, payload, created_at, next_attempt_at, sent_at, failed_at) VALUES ('alert', ?, ?, ?, ?, ?)",
    );
    for (const row of rows) insert.run(row.payload, row.createdAt, row.createdAt, row.sentAt ?? null, row.failedAt ?? null);
  }
  const remaining = () =>
    store.sqlite
      .prepare<[], { payload: string }>('SELECT payload FROM outbox ORDER BY id')
      .all()
      .map((row) => row.payload);

  test('deletes delivered messages after 30 days and failed ones after 90, keeps everything pending', () => {
    seed([
      { payload: 'sent 31 days ago', createdAt: NOW - 31 * DAY, sentAt: NOW - 31 * DAY },
      { payload: 'sent 29 days ago', createdAt: NOW - 40 * DAY, sentAt: NOW - 29 * DAY },
      { payload: 'failed 91 days ago', createdAt: NOW - 91 * DAY, failedAt: NOW - 91 * DAY },
      { payload: 'failed 60 days ago', createdAt: NOW - 60 * DAY, failedAt: NOW - 60 * DAY },
      { payload: 'pending for a year', createdAt: NOW - 365 * DAY },
      { payload: 'sent just now', createdAt: NOW, sentAt: NOW },
    ]);
    assert.deepEqual(pruneOldRows(store.sqlite, NOW), { outbox: 2, diagramMessages: 0 });
    assert.deepEqual(remaining(), ['sent 29 days ago', 'failed 60 days ago', 'pending for a year', 'sent just now']);
    assert.deepEqual(pruneOldRows(store.sqlite, NOW), { outbox: 0, diagramMessages: 0 }, 'a second run finds nothing more');
  });

  test('limits are configurable and the boundary itself is kept', () => {
    seed([
      { payload: 'sent exactly 7 days ago', createdAt: NOW - 7 * DAY, sentAt: NOW - 7 * DAY },
      { payload: 'sent 7 days and a second ago', createdAt: NOW - 8 * DAY, sentAt: NOW - 7 * DAY - 1000 },
      { payload: 'failed 15 days ago', createdAt: NOW - 15 * DAY, failedAt: NOW - 15 * DAY },
    ]);
    assert.deepEqual(pruneOldRows(store.sqlite, NOW, { deliveredOutboxDays: 7, failedOutboxDays: 14 }), { outbox: 2, diagramMessages: 0 });
    assert.deepEqual(remaining(), ['sent exactly 7 days ago']);
  });

  test('power history and places are never pruned', () => {
    store.sqlite.prepare("INSERT INTO locations (name, api_key, created_at) VALUES ('Home', 'retention-test-key-01', ?)").run(NOW - 400 * DAY);
    store.sqlite
      .prepare("INSERT INTO power_events (location_id, status, started_at, ended_at, start_edge) VALUES (1, 'off', ?, ?, 'heartbeat_gap')")
      .run(NOW - 400 * DAY, NOW - 399 * DAY);
    pruneOldRows(store.sqlite, NOW);
    const counts = store.sqlite
      .prepare<[], { places: number; events: number }>('SELECT (SELECT count(*) FROM locations) AS places, (SELECT count(*) FROM power_events) AS events')
      .get();
    assert.deepEqual({ ...counts }, { places: 1, events: 1 });
  });

  test('records of old diagram posts go after 30 days, unless still pinned', () => {
    store.sqlite.exec('DELETE FROM diagram_messages');
    const insert = store.sqlite.prepare(
      "INSERT INTO diagram_messages (location_id, chat_id, day, message_id, pinned, created_at, updated_at) VALUES (1, '-100', ?, ?, ?, ?, ?)",
    );
    insert.run('2025-05-01', 1, 0, NOW - 60 * DAY, NOW - 60 * DAY);
    insert.run('2025-05-02', 2, 1, NOW - 59 * DAY, NOW - 59 * DAY);
    insert.run('2025-06-29', 3, 0, NOW - DAY, NOW - DAY);
    assert.equal(pruneOldRows(store.sqlite, NOW).diagramMessages, 1);
    const left = store.sqlite.prepare<[], { day: string }>('SELECT day FROM diagram_messages ORDER BY day').all().map((row) => row.day);
    assert.deepEqual(left, ['2025-05-02', '2025-06-29']);
  });

  test('a nonsense limit is refused before anything is deleted', () => {
    seed([{ payload: 'sent long ago', createdAt: 0, sentAt: 0 }]);
    assert.throws(() => pruneOldRows(store.sqlite, NOW, { deliveredOutboxDays: 0 }), /deliveredOutboxDays/);
    assert.throws(() => pruneOldRows(store.sqlite, NOW, { failedOutboxDays: Number.NaN }), /failedOutboxDays/);
    assert.deepEqual(remaining(), ['sent long ago']);
  });
});
