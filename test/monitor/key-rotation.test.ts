import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OLD_KEY_GRACE_MS, HeartbeatRefusedError } from '../../src/monitor/monitor.js';
import type { Place } from '../../src/places/place-service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

async function beat(t: TestApp, key: string): Promise<number> {
  return (await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${key}` } })).status;
}

function history(t: TestApp, placeId: number): string[] {
  return t.app.store.sqlite
    .prepare<[number], { status: string; start_edge: string }>('SELECT status, start_edge FROM power_events WHERE location_id = ? ORDER BY id')
    .all(placeId)
    .map((row) => `${row.status}:${row.start_edge}`);
}

function alerts(t: TestApp, placeId: number): string[] {
  return t.app.store.sqlite
    .prepare<[number], { payload: string }>("SELECT payload FROM outbox WHERE kind = 'alert' AND location_id = ? ORDER BY id")
    .all(placeId)
    .map((row) => (JSON.parse(row.payload) as { alert: { kind: string } }).alert.kind);
}

describe('rotating a device key', () => {
  const dir = tempDir();
  let t: TestApp;
  let place: Place;
  const fresh = async (name: string) => {
    const created = await t.app.locations.create({ name, timeoutS: 60 });
    assert.equal(await beat(t, created.api_key), 200);
    return created;
  };

  test('start', async () => {
    t = await startTestApp(dir.file('monitor.db'));
  });

  test('revoke: the old key stops at once, no outage is posted while the board has the old key, the new key resumes quietly', async () => {
    place = await fresh('Home');
    t.clock.advance(10 * SECOND);
    const rotated = await t.app.locations.rotateKey(place.id, 'revoke');
    assert.equal(rotated.status, 'unknown');
    assert.equal(rotated.awaiting_key_since, t.clock.now());
    assert.equal(await beat(t, place.api_key), 401, 'the leaked key is refused now');
    for (let i = 0; i < 30; i += 1) {
      t.clock.advance(MINUTE);
      assert.equal(await beat(t, place.api_key), 401);
      assert.equal(t.app.monitor.sweep(), 0);
    }
    assert.equal(await beat(t, rotated.api_key), 200, 'the reflashed board checks in');
    const after = await t.app.locations.get(place.id);
    assert.equal(after.status, 'on');
    assert.equal(after.awaiting_key_since, null);
    assert.deepEqual(alerts(t, place.id), [], 'no OFF and no ON was posted: the power never changed as far as we know');
    assert.deepEqual(history(t, place.id), ['on:first_heartbeat', 'unknown:key_revoked', 'on:first_heartbeat']);
  });

  test('revoke while the place is off: it stays off, and the return is still announced', async () => {
    const dark = await fresh('Dacha');
    t.clock.advance(2 * MINUTE);
    assert.equal(t.app.monitor.expire([dark.id]), 1);
    const rotated = await t.app.locations.rotateKey(dark.id, 'revoke');
    assert.equal(rotated.status, 'off');
    t.clock.advance(MINUTE);
    assert.equal(await beat(t, rotated.api_key), 200);
    assert.deepEqual(alerts(t, dark.id), ['power_off', 'power_on']);
  });

  test('keep the old key: both work until the board first uses the new one, then only the new one', async () => {
    const office = await fresh('Office');
    const rotated = await t.app.locations.rotateKey(office.id, 'keep-old');
    assert.equal(rotated.status, 'on');
    assert.equal(rotated.previous_key_until, t.clock.now() + OLD_KEY_GRACE_MS);
    for (let i = 0; i < 5; i += 1) {
      t.clock.advance(30 * SECOND);
      assert.equal(await beat(t, office.api_key), 200, 'the board still has the old key');
      assert.equal(t.app.monitor.expire([office.id]), 0);
    }
    assert.equal(await beat(t, rotated.api_key), 200, 'reflashed');
    assert.equal(await beat(t, office.api_key), 401, 'the old key ended when the new one was used');
    const after = await t.app.locations.get(office.id);
    assert.equal(after.previous_api_key, null);
    assert.deepEqual(alerts(t, office.id), []);
  });

  test('keep the old key, but the board is never reflashed: after 7 days the place waits for the new key instead of going off', async () => {
    const shop = await fresh('Shop');
    const rotated = await t.app.locations.rotateKey(shop.id, 'keep-old');
    const graceEnds = rotated.previous_key_until!;
    t.clock.set(graceEnds - 30 * SECOND);
    assert.equal(await beat(t, shop.api_key), 200);
    t.app.monitor.expire([shop.id]);
    t.clock.set(graceEnds + 5 * SECOND); // the next 5 s tick
    assert.equal(await beat(t, shop.api_key), 401, 'the grace is over');
    assert.equal(t.app.monitor.endLapsedKeyGraces(), 1);
    const waiting = await t.app.locations.get(shop.id);
    assert.equal(waiting.status, 'unknown');
    assert.equal(waiting.awaiting_key_since, graceEnds);
    t.clock.advance(10 * MINUTE);
    assert.equal(t.app.monitor.expire([shop.id]), 0);
    assert.equal(await beat(t, rotated.api_key), 200);
    assert.deepEqual(alerts(t, shop.id), []);
    assert.deepEqual(history(t, shop.id), ['on:first_heartbeat', 'unknown:key_revoked', 'on:first_heartbeat']);
  });

  test('a heartbeat checked with the old key just before a revoke is refused when it is stored', async () => {
    const barn = await fresh('Barn');
    assert.ok(t.app.monitor.authenticate(barn.api_key), 'checked while the key was good');
    await t.app.locations.rotateKey(barn.id, 'revoke');
    await assert.rejects(t.app.monitor.heartbeat(barn.id, { key: barn.api_key }), HeartbeatRefusedError);
    assert.equal((await t.app.locations.get(barn.id)).status, 'unknown');
  });

  test('stop', async () => {
    await t.stop();
    dir.cleanup();
  });
});
