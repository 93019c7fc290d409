import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareQuery } from '../../src/db/statement-plan.js';
import { queryBuilder } from '../../src/db/sync-query.js';
import type { Store } from '../../src/db/connection.js';
import { countRows, insertPlaceRow, openTestStore } from '../support/test-store.js';
import { pruneOldRows } from '../../src/ops/retention.js';
import { tempDir } from '../support/temp-dir.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2025-06-30T12:00:00Z');

describe('retention', () => {
  const dir = tempDir('monitor-retention-');
  let store: Store;

  before(async () => {
    store = await openTestStore(dir.file('monitor.db'));
  });
  after(async () => {
    await store.close();
    dir.cleanup();
  });

  /** Replaces the outbox with one row per description. */
  function seed(rows: { payload: string; createdAt: number; sentAt?: number; failedAt?: number }[]): void {
    prepareQuery(store.connection, queryBuilder.deleteFrom('outbox')).run();
    for (const row of rows) {
      const values = { kind: 'alert' as const, payload: row.payload, attempts: 0, created_at: row.createdAt, next_attempt_at: row.createdAt, sent_at: row.sentAt ?? null, failed_at: row.failedAt ?? null };
      prepareQuery(store.connection, queryBuilder.insertInto('outbox').values(values)).run();
    }
  }
  const remaining = () =>
    prepareQuery(store.connection, queryBuilder.selectFrom('outbox').select('payload').orderBy('id'))
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
    assert.deepEqual(pruneOldRows(store.connection, NOW), { outbox: 2, diagramMessages: 0 });
    assert.deepEqual(remaining(), ['sent 29 days ago', 'failed 60 days ago', 'pending for a year', 'sent just now']);
    assert.deepEqual(pruneOldRows(store.connection, NOW), { outbox: 0, diagramMessages: 0 }, 'a second run finds nothing more');
  });

  test('limits are configurable and the boundary itself is kept', () => {
    seed([
      { payload: 'sent exactly 7 days ago', createdAt: NOW - 7 * DAY, sentAt: NOW - 7 * DAY },
      { payload: 'sent 7 days and a second ago', createdAt: NOW - 8 * DAY, sentAt: NOW - 7 * DAY - 1000 },
      { payload: 'failed 15 days ago', createdAt: NOW - 15 * DAY, failedAt: NOW - 15 * DAY },
    ]);
    assert.deepEqual(pruneOldRows(store.connection, NOW, { deliveredOutboxDays: 7, failedOutboxDays: 14 }), { outbox: 2, diagramMessages: 0 });
    assert.deepEqual(remaining(), ['sent exactly 7 days ago']);
  });

  test('power history and places are never pruned', () => {
    const home = insertPlaceRow(store.connection, { name: 'Home', api_key: 'retention-test-key-01', created_at: NOW - 400 * DAY });
    const event = { location_id: home, status: 'off' as const, started_at: NOW - 400 * DAY, ended_at: NOW - 399 * DAY, start_edge: 'heartbeat_gap' as const };
    prepareQuery(store.connection, queryBuilder.insertInto('power_events').values(event)).run();
    pruneOldRows(store.connection, NOW);
    const counts = { places: countRows(store.connection, 'locations'), events: countRows(store.connection, 'power_events') };
    assert.deepEqual({ ...counts }, { places: 1, events: 1 });
  });

  test('records of old diagram posts go after 30 days, unless still pinned', () => {
    prepareQuery(store.connection, queryBuilder.deleteFrom('diagram_messages')).run();
    const insert = (day: string, message_id: number, pinned: number, at: number) =>
      prepareQuery(store.connection, queryBuilder.insertInto('diagram_messages').values({ location_id: 1, chat_id: '-100', day, message_id, pinned, created_at: at, updated_at: at })).run();
    insert('2025-05-01', 1, 0, NOW - 60 * DAY);
    insert('2025-05-02', 2, 1, NOW - 59 * DAY);
    insert('2025-06-29', 3, 0, NOW - DAY);
    assert.equal(pruneOldRows(store.connection, NOW).diagramMessages, 1);
    const left = prepareQuery(store.connection, queryBuilder.selectFrom('diagram_messages').select('day').orderBy('day')).all().map((row) => row.day);
    assert.deepEqual(left, ['2025-05-02', '2025-06-29']);
  });

  test('a nonsense limit is refused before anything is deleted', () => {
    seed([{ payload: 'sent long ago', createdAt: 0, sentAt: 0 }]);
    assert.throws(() => pruneOldRows(store.connection, NOW, { deliveredOutboxDays: 0 }), /deliveredOutboxDays/);
    assert.throws(() => pruneOldRows(store.connection, NOW, { failedOutboxDays: Number.NaN }), /failedOutboxDays/);
    assert.deepEqual(remaining(), ['sent long ago']);
  });
});
