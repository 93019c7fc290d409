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
  return t
    .rows((db) => db.selectFrom('power_events').select(['status', 'start_edge']).where('location_id', '=', placeId).orderBy('id'))
    .map((row) => `${row.status}:${row.start_edge}`);
}

function alerts(t: TestApp, placeId: number): string[] {
  return t
    .rows((db) => db.selectFrom('outbox').select('payload').where('kind', '=', 'alert').where('location_id', '=', placeId).orderBy('id'))
    .map((row) => (JSON.parse(row.payload) as { alert: { kind: string } }).alert.kind);
}

describe('rotating a device key', () => {
  const dir = tempDir();
  let t: TestApp;
  let place: Place;
  const fresh = async (name: string) => {
    const created = await t.createPlace({ name, timeoutS: 60 });
    assert.equal(await beat(t, created.api_key), 200);
    return created;
  };

  test('start', async () => {
    t = await startTestApp(dir.file('monitor.db'));
  });

  test('revoke: the old key stops at once, no outage is posted while the board has the old key, the new key resumes quietly', async () => {
    place = await fresh('Home');
    t.clock.advance(10 * SECOND);
    const rotated = await t.system.places.rotateKey(place.id, 'revoke');
    assert.equal(rotated.status, 'unknown');
    assert.equal(rotated.awaiting_key_since, t.clock.now());
    assert.equal(await beat(t, place.api_key), 401, 'the leaked key is refused now');
    for (let i = 0; i < 30; i += 1) {
      t.clock.advance(MINUTE);
      assert.equal(await beat(t, place.api_key), 401);
      assert.equal(t.sweep(), 0);
    }
    assert.equal(await beat(t, rotated.api_key), 200, 'the reflashed board checks in');
    const after = await t.place(place.id);
    assert.equal(after.status, 'on');
    assert.equal(after.awaiting_key_since, null);
    assert.deepEqual(alerts(t, place.id), [], 'no OFF and no ON was posted: the power never changed as far as we know');
    assert.deepEqual(history(t, place.id), ['on:first_heartbeat', 'unknown:key_revoked', 'on:first_heartbeat']);
  });

  test('revoke while the place is off: it stays off, and the return is still announced', async () => {
    const dark = await fresh('Dacha');
    t.clock.advance(2 * MINUTE);
    assert.equal(t.expire([dark.id]), 1);
    const rotated = await t.system.places.rotateKey(dark.id, 'revoke');
    assert.equal(rotated.status, 'off');
    t.clock.advance(MINUTE);
    assert.equal(await beat(t, rotated.api_key), 200);
    assert.deepEqual(alerts(t, dark.id), ['power_off', 'power_on']);
  });

  test('keep the old key: both work until the board first uses the new one, then only the new one', async () => {
    const office = await fresh('Office');
    const rotated = await t.system.places.rotateKey(office.id, 'keep-old');
    assert.equal(rotated.status, 'on');
    assert.equal(rotated.previous_key_until, t.clock.now() + OLD_KEY_GRACE_MS);
    for (let i = 0; i < 5; i += 1) {
      t.clock.advance(30 * SECOND);
      assert.equal(await beat(t, office.api_key), 200, 'the board still has the old key');
      assert.equal(t.expire([office.id]), 0);
    }
    assert.equal(await beat(t, rotated.api_key), 200, 'reflashed');
    assert.equal(await beat(t, office.api_key), 401, 'the old key ended when the new one was used');
    const after = await t.place(office.id);
    assert.equal(after.previous_api_key, null);
    assert.deepEqual(alerts(t, office.id), []);
  });

  test('keep the old key, but the board is never reflashed: after 7 days the place waits for the new key instead of going off', async () => {
    const shop = await fresh('Shop');
    const rotated = await t.system.places.rotateKey(shop.id, 'keep-old');
    const graceEnds = rotated.previous_key_until!;
    t.clock.set(graceEnds - 30 * SECOND);
    assert.equal(await beat(t, shop.api_key), 200);
    t.expire([shop.id]);
    t.clock.set(graceEnds + 5 * SECOND); // the next 5 s tick
    assert.equal(await beat(t, shop.api_key), 401, 'the grace is over');
    assert.equal(t.system.monitor.endLapsedKeyGraces(), 1);
    const waiting = await t.place(shop.id);
    assert.equal(waiting.status, 'unknown');
    assert.equal(waiting.awaiting_key_since, graceEnds);
    t.clock.advance(10 * MINUTE);
    assert.equal(t.expire([shop.id]), 0);
    assert.equal(await beat(t, rotated.api_key), 200);
    assert.deepEqual(alerts(t, shop.id), []);
    assert.deepEqual(history(t, shop.id), ['on:first_heartbeat', 'unknown:key_revoked', 'on:first_heartbeat']);
  });

  test('a heartbeat checked with the old key just before a revoke is refused when it is stored', async () => {
    const barn = await fresh('Barn');
    assert.ok(t.system.monitor.authenticate(barn.api_key), 'checked while the key was good');
    await t.system.places.rotateKey(barn.id, 'revoke');
    await assert.rejects(t.system.monitor.heartbeat(barn.id, { key: barn.api_key }), HeartbeatRefusedError);
    assert.equal((await t.place(barn.id)).status, 'unknown');
  });

  test('stop', async () => {
    await t.stop();
    dir.cleanup();
  });
});
