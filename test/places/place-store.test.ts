import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store } from '../../src/db/connection.js';
import { openTestStore, sqliteOnly } from '../support/test-store.js';
import type { StatementPlan } from '../../src/db/prepared-statement.js';
import { PowerEventStore } from '../../src/history/power-event-store.js';
import { placePlans, PlaceStore, sweepPlans } from '../../src/places/place-store.js';
import { tempDir } from '../support/temp-dir.js';

describe('the locations owner', () => {
  const dir = tempDir('place-store-');
  let store: Store;
  let places: PlaceStore;
  let events: PowerEventStore;
  const NOW = 1_000_000;

  before(async () => {
    store = await openTestStore(dir.file('monitor.db'));
    places = new PlaceStore(store.connection);
    events = new PowerEventStore(store.connection);
    const add = (name: string, values: { deadline_at: number | null; paused?: number; status?: 'on' | 'off' | 'unknown'; channel_id?: string | null }) =>
      places.insert({ name, api_key: `key-of-${name}-0000000000`, timeout_s: 60, language: 'uk', status: 'unknown', created_at: 0, paused: 0, alerting_failed: 0, ...values });
    add('due first', { deadline_at: NOW - 2_000, status: 'on', channel_id: '@a' });
    add('due', { deadline_at: NOW - 1_000, status: 'on' });
    add('due, paused', { deadline_at: NOW - 5_000, paused: 1, status: 'on' });
    add('later', { deadline_at: NOW + 30_000, status: 'off', channel_id: '@a' });
    add('never heard from', { deadline_at: null });
  });
  after(async () => {
    await store.close();
    dir.cleanup();
  });

  /** SQLite's plan for a statement, its lines joined. */
  const planOf = (plan: StatementPlan<unknown, unknown>) =>
    store.sqlite
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${plan.sql}`)
      .all(...plan.bindings.map(() => NOW))
      .map((row) => row.detail)
      .join('; ');

  test('the expiry query reads the locations_sweep index, in deadline order: the sweep never scans every place', { skip: sqliteOnly('SQLite’s query plans') }, () => {
    const detail = planOf(sweepPlans.expired);
    assert.match(detail, /USING (COVERING )?INDEX locations_sweep/);
    assert.doesNotMatch(detail, /SCAN locations(?! USING)/);
    assert.doesNotMatch(detail, /TEMP B-TREE/, 'no sort: the index is in deadline order');
  });

  test('the next-deadline query reads the locations_sweep index too', { skip: sqliteOnly('SQLite’s query plans') }, () => {
    const detail = planOf(sweepPlans.nextDeadline);
    assert.match(detail, /USING (COVERING )?INDEX locations_sweep/);
    assert.doesNotMatch(detail, /SCAN locations(?! USING)/);
  });

  test('the main thread and the sweep worker run the same expiry query: due and unpaused, most overdue first', () => {
    assert.deepEqual(places.expiredIds(NOW, 10), [1, 2]);
    assert.deepEqual(places.expiredIds(NOW, 1), [1]);
    assert.equal(places.nextDeadline(), NOW - 2_000);
  });

  test('the heartbeat lookup reads the place with its open interval', () => {
    events.append(2, { status: 'on', startedAt: NOW - 60_000, endedAt: null, edge: 'first_heartbeat' });
    assert.deepEqual(
      { ...places.watched(2) },
      {
        id: 2,
        api_key: 'key-of-due-0000000000',
        previous_api_key: null,
        previous_key_until: null,
        timeout_s: 60,
        status: 'on',
        status_since: null,
        last_heartbeat_at: null,
        deadline_at: NOW - 1_000,
        paused: 0,
        device_boot_id: null,
        open_status: 'on',
        open_started_at: NOW - 60_000,
        open_start_edge: 'first_heartbeat',
      },
    );
  });

  test('the heartbeat lookup is one read by key and the open interval’s index', { skip: sqliteOnly('SQLite’s query plans') }, () => {
    const detail = planOf(placePlans.watched);
    assert.match(detail, /SEARCH l USING INTEGER PRIMARY KEY/);
    assert.match(detail, /SEARCH e USING INDEX power_events_open/);
  });

  test('counts for the metrics and for a chat’s digest', () => {
    assert.deepEqual(places.countByStatus(), { on: 2, off: 1, unknown: 1, paused: 1 });
    assert.deepEqual(places.countInChat('@a', null), { total: 2, off: 1 });
    assert.deepEqual(places.countInChat('@default', '@default'), { total: 2, off: 0 }, 'the places without a channel of their own, paused ones left out');
  });
});
