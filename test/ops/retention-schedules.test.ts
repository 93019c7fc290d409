import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/db/connection.js';
import { insertPlaceRow, openTestStore } from '../support/test-store.js';
import { PlaceStore } from '../../src/places/place-store.js';
import { pruneOldRows } from '../../src/ops/retention.js';
import { ScheduleStore } from '../../src/schedules/schedule-store.js';
import { tempDir } from '../support/temp-dir.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-11-30T12:00:00Z');
const dir = tempDir('monitor-retention-');
let store: Store;

before(async () => {
  store = await openTestStore(dir.file('monitor.db'));
});
after(async () => {
  await store.close();
  dir.cleanup();
});

test("the daily pruning drops the schedule's bookkeeping after two weeks and keeps the history of planned outages", () => {
  const schedules = new ScheduleStore(store.connection, new PlaceStore(store.connection));
  const id = insertPlaceRow(store.connection, { name: 'Дім', api_key: 'key-0000000000000000', created_at: 0 });
  const interval = { start: NOW - 20 * DAY, end: NOW - 20 * DAY + 3_600_000, kind: 'planned' as const };
  schedules.rememberTold(id, '2026-11-10', [interval], NOW - 20 * DAY);
  schedules.rememberTold(id, '2026-11-29', [], NOW - DAY);
  schedules.markWarned(id, NOW - 15 * DAY, NOW - 15 * DAY);
  schedules.markWarned(id, NOW - 2 * DAY, NOW - 2 * DAY);
  schedules.recordSkip(id, interval, 'kyiv', 'GPV3.1', NOW - 20 * DAY);

  const pruned = pruneOldRows(store.connection, NOW, {}, { schedules });
  assert.equal(pruned.scheduleBookkeeping, 2, 'the told version of 10 Nov and the warning of 15 days ago');
  assert.deepEqual(schedules.toldPlan(id, '2026-11-29'), []);
  assert.equal(schedules.toldPlan(id, '2026-11-10'), undefined);
  assert.equal(schedules.markWarned(id, NOW - 2 * DAY, NOW), false, 'the recent warning is still known');
  assert.equal(schedules.skipsBetween(id, 0, NOW).length, 1, 'history stays');
  assert.equal(pruneOldRows(store.connection, NOW).scheduleBookkeeping, undefined, 'without the store, its tables are not touched');
});
