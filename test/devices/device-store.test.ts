import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Store } from '../../src/db/connection.js';
import { openTestStore, sqliteOnly } from '../support/test-store.js';
import type { StatementPlan } from '../../src/db/prepared-statement.js';
import { devicePlans, DeviceStore } from '../../src/devices/device-store.js';
import { placePlans, PlaceStore } from '../../src/places/place-store.js';
import { tempDir } from '../support/temp-dir.js';

const NOW = 1_800_000_000_000;

describe('the devices table', () => {
  const dir = tempDir();
  let store: Store;
  before(async () => {
    store = await openTestStore(dir.file('monitor.db'));
  });
  after(async () => {
    await store.close();
    dir.cleanup();
  });

  const planOf = (plan: StatementPlan<unknown, unknown>) =>
    store.sqlite
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${plan.sql}`)
      .all(...plan.bindings.map(() => NOW))
      .map((row) => row.detail)
      .join('; ');

  test('every place gets its first device with its own key, however the place is created', () => {
    const places = new PlaceStore(store.connection);
    const devices = new DeviceStore(store.connection);
    const place = places.insert({ name: 'Home', api_key: 'first-device-key-0001', timeout_s: 60, language: 'en', status: 'unknown', created_at: NOW, paused: 0, alerting_failed: 0 });
    const [first, ...more] = devices.ofPlace(place.id);
    assert.deepEqual(more, []);
    assert.equal(first!.api_key, 'first-device-key-0001');
    assert.equal(first!.name, 'Device 1');
    assert.deepEqual(devices.findKey('first-device-key-0001'), { id: first!.id, location_id: place.id });
    places.delete(place.id);
    assert.equal(devices.get(first!.id), undefined, 'a place deleted takes its devices along');
  });

  test('key lookups, the silence check and a place’s devices read indexes, never the whole table', { skip: sqliteOnly('SQLite’s query plans') }, () => {
    assert.match(planOf(devicePlans.byKey), /USING INDEX sqlite_autoindex_devices_1|USING (COVERING )?INDEX/);
    assert.match(planOf(devicePlans.byPreviousKey), /INDEX devices_previous_key/);
    assert.match(planOf(devicePlans.silentDue), /INDEX devices_silent_check/);
    assert.doesNotMatch(planOf(devicePlans.silentDue), /TEMP B-TREE/);
    assert.match(planOf(devicePlans.ofPlace), /INDEX devices_by_location/);
    assert.match(planOf(devicePlans.lapsedPreviousKeys), /INDEX devices_key_grace/);
    for (const plan of Object.values(devicePlans)) assert.doesNotMatch(planOf(plan), /SCAN devices(?! USING)/, plan.sql);
  });

  test('the heartbeat’s one read joins the place, the device (by its key) and the open interval by index', { skip: sqliteOnly('SQLite’s query plans') }, () => {
    const detail = planOf(placePlans.watchedDevice);
    assert.doesNotMatch(detail, /SCAN (devices|locations|power_events)(?! USING)/, detail);
  });
});
