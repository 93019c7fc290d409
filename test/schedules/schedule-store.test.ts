import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { prepareQuery } from '../../src/db/statement-plan.js';
import { queryBuilder } from '../../src/db/sync-query.js';
import type { Store } from '../../src/db/connection.js';
import { insertPlaceRow, openTestStore } from '../support/test-store.js';
import { PlaceStore } from '../../src/places/place-store.js';
import { ScheduleStore } from '../../src/schedules/schedule-store.js';
import { tempDir } from '../support/temp-dir.js';

describe('the schedule store', () => {
  const dir = tempDir('schedule-store-');
  let store: Store;
  let schedules: ScheduleStore;
  let home: number;
  let dacha: number;

  before(async () => {
    store = await openTestStore(dir.file('monitor.db'));
    schedules = new ScheduleStore(store.connection, new PlaceStore(store.connection));
    const add = (name: string, api_key: string) => insertPlaceRow(store.connection, { name, api_key, created_at: 0 });
    home = add('Home', 'key-home-0000000000');
    dacha = add('Dacha', 'key-dacha-000000000');
  });
  after(async () => {
    await store.close();
    dir.cleanup();
  });

  test('a place follows no schedule until told; settings default to off', () => {
    assert.deepEqual(schedules.placeSchedule(home), { placeId: home, source: null, queue: null, region: null, warnMinutes: 0, postTomorrow: false });
    assert.deepEqual(schedules.sourcesInUse(), []);
  });

  test('attaching places: the sources in use are polled once each', () => {
    assert.equal(schedules.setPlaceSchedule(home, { source: 'kyiv', queue: 'GPV3.1' }), true);
    assert.equal(schedules.setPlaceSchedule(dacha, { source: 'kyiv', queue: 'GPV1.1' }), true);
    assert.equal(schedules.setPlaceSchedule(9999, { source: 'kyiv', queue: 'GPV1.1' }), false);
    assert.deepEqual(schedules.sourcesInUse(), ['kyiv']);
    assert.equal(schedules.setWarnMinutes(home, 30), true);
    assert.equal(schedules.setPostTomorrow(home, true), true);
    assert.deepEqual(schedules.placeSchedule(home), { placeId: home, source: 'kyiv', queue: 'GPV3.1', region: 'kyiv', warnMinutes: 30, postTomorrow: true });
    assert.equal(schedules.placesOnSchedule().length, 2);
    assert.throws(() => prepareQuery(store.connection, queryBuilder.updateTable('locations').set({ schedule_warn_min: 20 }).where('id', '=', home)).run(), /CHECK constraint/i);
  });

  test('what a place was told survives until its queue changes', () => {
    const plan = [{ start: 1000, end: 2000, kind: 'planned' as const }, { start: 3000, end: 3600, kind: 'possible' as const }];
    schedules.rememberTold(home, '2026-01-14', plan, 10);
    assert.deepEqual(schedules.toldPlan(home, '2026-01-14'), plan);
    schedules.rememberTold(home, '2026-01-14', [], 20);
    assert.deepEqual(schedules.toldPlan(home, '2026-01-14'), []);
    schedules.setPlaceSchedule(home, { source: 'kyiv', queue: 'GPV3.1' }); // same queue: kept
    assert.deepEqual(schedules.toldPlan(home, '2026-01-14'), []);
    schedules.setPlaceSchedule(home, { source: 'kyiv', queue: 'GPV3.2' }); // another queue: forgotten
    assert.equal(schedules.toldPlan(home, '2026-01-14'), undefined);
  });

  test('a warning is given once per planned start', () => {
    assert.equal(schedules.markWarned(home, 5000, 1), true);
    assert.equal(schedules.markWarned(home, 5000, 2), false);
    assert.equal(schedules.markWarned(dacha, 5000, 2), true);
  });

  test('planned outages that did not happen are recorded once and listed by time', () => {
    assert.equal(schedules.recordSkip(home, { start: 100, end: 200 }, 'kyiv', 'GPV3.2', 300), true);
    assert.equal(schedules.recordSkip(home, { start: 100, end: 200 }, 'kyiv', 'GPV3.2', 400), false);
    schedules.recordSkip(home, { start: 500, end: 600 }, 'kyiv', 'GPV3.2', 700);
    assert.deepEqual(schedules.skipsBetween(home, 150, 550).map((s) => [s.starts_at, s.ends_at, s.queue]), [[100, 200, 'GPV3.2'], [500, 600, 'GPV3.2']]);
    assert.deepEqual(schedules.skipsBetween(home, 200, 500), []);
  });

  test('a source: a good copy, a failure that keeps it, and changed_at moving only with the content', () => {
    const first = schedules.saveFresh('kyiv', { body: '{"a":1}', etag: '"v1"', lastModified: null, asOf: 50 }, 100);
    assert.deepEqual([first.body, first.etag, first.fetched_at, first.changed_at, first.failures], ['{"a":1}', '"v1"', 100, 100, 0]);
    const failed = schedules.saveFailure('kyiv', 'HTTP 500', 200);
    assert.deepEqual([failed.body, failed.failures, failed.last_error, failed.fetched_at, failed.last_attempt_at], ['{"a":1}', 1, 'HTTP 500', 100, 200]);
    schedules.saveNotModified('kyiv', 300);
    assert.deepEqual(pick(schedules.source('kyiv')!), [300, 100, 0, null]);
    schedules.saveFresh('kyiv', { body: '{"a":1}', etag: '"v1"', lastModified: null, asOf: 50 }, 400);
    assert.deepEqual(pick(schedules.source('kyiv')!), [400, 100, 0, null], 'same body: not a change');
    schedules.saveFresh('kyiv', { body: '{"a":2}', etag: '"v2"', lastModified: null, asOf: 60 }, 500);
    assert.deepEqual(pick(schedules.source('kyiv')!), [500, 500, 0, null]);
    const never = schedules.saveFailure('yasno-kyiv', 'timeout', 600);
    assert.deepEqual([never.body, never.failures, never.fetched_at], [null, 1, null]);
  });

  test('old bookkeeping is pruned; deleting a place removes its rows', () => {
    schedules.rememberTold(dacha, '2026-01-01', [], 10);
    schedules.rememberTold(dacha, '2026-01-02', [], 6000);
    assert.equal(schedules.pruneBefore(5500), 5, 'one told version, two warnings (at 5000) and the two failed reads of the test above');
    assert.equal(schedules.toldPlan(dacha, '2026-01-01'), undefined);
    assert.deepEqual(schedules.toldPlan(dacha, '2026-01-02'), []);
    schedules.markWarned(dacha, 7000, 1);
    prepareQuery(store.connection, queryBuilder.deleteFrom('locations').where('id', '=', dacha)).run();
    const left = prepareQuery(store.connection, queryBuilder.selectFrom('schedule_warnings').select(sql<number>`count(*)`.as('n')).where('location_id', '=', dacha)).one();
    assert.equal(left.n, 0);
  });
});

function pick(row: { fetched_at: number | null; changed_at: number | null; failures: number; last_error: string | null }) {
  return [row.fetched_at, row.changed_at, row.failures, row.last_error];
}
