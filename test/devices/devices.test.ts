import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import type { Place } from '../../src/places/place-service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

type Json = Record<string, unknown>;

async function beat(t: TestApp, key: string, body?: Json): Promise<number> {
  const response = await fetch(t.url('/api/heartbeat'), {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return response.status;
}

async function eventGet(t: TestApp, query: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(t.url(`/api/event?${query}`));
  return { status: response.status, body: (await response.json()) as Json };
}

async function eventPost(t: TestApp, key: string, body: string, contentType: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(t.url('/api/event'), { method: 'POST', headers: { 'x-api-key': key, 'content-type': contentType }, body });
  return { status: response.status, body: (await response.json()) as Json };
}

interface Row {
  status: string;
  started_at: number;
  start_edge: string;
}

function history(t: TestApp, placeId: number): Row[] {
  return t.rows((db) => db.selectFrom('power_events').select(['status', 'started_at', 'start_edge']).where('location_id', '=', placeId).orderBy('id'));
}

function alerts(t: TestApp, placeId: number): Array<{ kind: string; at?: number; confirmed?: boolean }> {
  return t
    .rows((db) => db.selectFrom('outbox').select('payload').where('kind', '=', 'alert').where('location_id', '=', placeId).orderBy('id'))
    .map((row) => (JSON.parse(row.payload) as { alert: { kind: string; at?: number; confirmed?: boolean } }).alert);
}

function notices(t: TestApp, placeId: number): Json[] {
  return t
    .rows((db) => db.selectFrom('outbox').select('payload').where('kind', '=', 'admin_notice').where('location_id', '=', placeId).orderBy('id'))
    .map((row) => JSON.parse(row.payload) as Json);
}

function counts(t: TestApp): { events: number; outbox: number } {
  return { events: t.count((db) => db.selectFrom('power_events')), outbox: t.count((db) => db.selectFrom('outbox')) };
}

describe('devices of a place and the mains they see', () => {
  const dir = tempDir();
  let t: TestApp;
  before(async () => {
    t = await startTestApp(dir.file('monitor.db'));
  });
  after(async () => {
    await t.stop();
    dir.cleanup();
  });

  const place = async (name: string): Promise<Place> => t.createPlace({ name, timeoutS: 60 });

  test("the place's key is its first device: it works unchanged, and its first call tells the admins", async () => {
    const home = await place('Home');
    const [first, ...more] = await t.system.places.devicesOf(home.id);
    assert.equal(more.length, 0);
    assert.equal(first!.api_key, home.api_key);
    assert.equal(first!.first_seen_at, null);
    assert.equal(await beat(t, home.api_key, { fw: '1.0', rssi: -60, link: 'wifi' }), 200);
    const [seen] = await t.system.places.devicesOf(home.id);
    assert.equal(seen!.first_seen_at, t.clock.now());
    assert.equal(seen!.link, 'wifi');
    assert.equal(seen!.fw, '1.0');
    assert.equal((await t.place(home.id)).device_fw, '1.0', "the place's device columns still follow its first device");
    t.clock.advance(20 * SECOND);
    assert.equal(await beat(t, home.api_key), 200);
    assert.deepEqual(
      notices(t, home.id).map((notice) => [notice.notice, notice.deviceName]),
      [['device_online', first!.name]],
      'one notice, on the first call only',
    );
  });

  test('a battery board saying mains:false makes the place OFF at once, dated at its edge; mains:true brings it back the same way', async () => {
    const flat = await place('Flat');
    assert.equal(await beat(t, flat.api_key, { mains: true }), 200);
    t.clock.advance(10 * SECOND);
    const sentAt = t.clock.now();
    assert.equal(await beat(t, flat.api_key, { mains: false, mains_changed_ms_ago: 700 }), 200);
    assert.equal((await t.place(flat.id)).status, 'off', 'no timeout needed');
    assert.deepEqual(alerts(t, flat.id), [{ kind: 'power_off', at: sentAt - 700, previousMs: 10 * SECOND - 700, confirmed: true }]);
    // Heartbeats on battery keep it off, and no timeout ever "confirms" it again.
    for (let i = 0; i < 5; i += 1) {
      t.clock.advance(20 * SECOND);
      assert.equal(await beat(t, flat.api_key, { mains: false, mains_changed_ms_ago: 700 + (i + 1) * 20 * SECOND }), 200);
      t.sweep();
      assert.equal(alerts(t, flat.id).length, 1);
    }
    t.clock.advance(20 * SECOND);
    const backAt = t.clock.now() - 300;
    assert.equal(await beat(t, flat.api_key, { mains: true, mains_changed_ms_ago: 300 }), 200);
    const [off, on] = alerts(t, flat.id);
    assert.equal(off!.kind, 'power_off');
    assert.deepEqual({ kind: on!.kind, at: on!.at, confirmed: on!.confirmed }, { kind: 'power_on', at: backAt, confirmed: true });
    assert.deepEqual(
      history(t, flat.id).map((row) => `${row.status}:${row.start_edge}`),
      ['on:first_heartbeat', 'off:device_mains', 'on:device_mains'],
    );
  });

  test('a heartbeat queued while the mains were off still dates the edge right (ms ago at sending)', async () => {
    const dacha = await place('Dacha');
    assert.equal(await beat(t, dacha.api_key, { mains: true }), 200);
    t.clock.advance(40 * SECOND);
    // The cut happened 35 s before this (retried) heartbeat went out.
    assert.equal(await beat(t, dacha.api_key, { mains: false, mains_changed_ms_ago: 35 * SECOND }), 200);
    assert.equal(alerts(t, dacha.id)[0]!.at, t.clock.now() - 35 * SECOND);
  });

  test('the event form: GET, POST JSON, POST form; replays and late events never post twice or flip back', async () => {
    const office = await place('Office');
    const [phone] = await t.system.places.devicesOf(office.id);
    const key = phone!.api_key;
    let answer = await eventGet(t, `key=${key}&mains=on`);
    assert.deepEqual(answer, { status: 200, body: { ok: true, applied: true } });
    assert.equal((await t.place(office.id)).status, 'on');
    t.clock.advance(5 * MINUTE);
    const offAt = t.clock.now() - 1200;
    answer = await eventPost(t, key, JSON.stringify({ mains: false, ms_ago: 1200, id: 'ev-1' }), 'application/json');
    assert.deepEqual(answer, { status: 200, body: { ok: true, applied: true } });
    assert.deepEqual(alerts(t, office.id).map((alert) => [alert.kind, alert.at, alert.confirmed]), [['power_off', offAt, true]]);
    // The same id again (a retry whose answer was lost): nothing happens.
    answer = await eventPost(t, key, JSON.stringify({ mains: false, ms_ago: 1200, id: 'ev-1' }), 'application/json');
    assert.deepEqual(answer.body, { ok: true, applied: false });
    t.clock.advance(MINUTE);
    const onAt = t.clock.now() - 2000;
    answer = await eventPost(t, key, `mains=1&at=${onAt}&id=ev-2`, 'application/x-www-form-urlencoded');
    assert.deepEqual(answer.body, { ok: true, applied: true });
    // The same mains+at without an id: a duplicate.
    answer = await eventGet(t, `key=${key}&mains=true&at=${onAt}`);
    assert.deepEqual(answer.body, { ok: true, applied: false });
    // An "off" older than the "on" applied (it arrives late): never flips the state back.
    answer = await eventGet(t, `key=${key}&mains=off&at=${Math.floor((onAt - 30 * SECOND) / 1000)}`);
    assert.deepEqual(answer.body, { ok: true, applied: false });
    assert.equal((await t.place(office.id)).status, 'on');
    assert.deepEqual(alerts(t, office.id).map((alert) => [alert.kind, alert.at]), [['power_off', offAt], ['power_on', onAt]]);
    // ISO 8601 with an offset is a device time too; a time in the future is taken as arrival.
    t.clock.advance(MINUTE);
    answer = await eventGet(t, `key=${key}&mains=off&at=${encodeURIComponent(new Date(t.clock.now() + 3_600_000).toISOString())}`);
    assert.deepEqual(answer.body, { ok: true, applied: true });
    assert.equal(alerts(t, office.id)[2]!.at, t.clock.now());
  });

  test('bad events are refused like bad heartbeats, and write nothing', async () => {
    const shed = await place('Shed');
    const key = shed.api_key;
    const before = counts(t);
    assert.equal((await eventGet(t, `key=${key}`)).status, 400, 'mains is required');
    assert.equal((await eventGet(t, `key=${key}&mains=maybe`)).status, 400);
    assert.equal((await eventGet(t, `key=${key}&mains=off&at=yesterday`)).status, 400);
    assert.equal((await eventGet(t, `key=${key}&mains=off&ms_ago=-5`)).status, 400);
    assert.equal((await eventGet(t, `key=${key}&mains=off&id=${'x'.repeat(65)}`)).status, 400);
    assert.equal((await eventGet(t, `key=${key}&mains=off&mains=on`)).status, 400);
    assert.equal((await eventPost(t, key, '{"mains": "off"', 'application/json')).status, 400);
    assert.equal((await eventPost(t, key, JSON.stringify({ mains: false, pad: 'x'.repeat(5000) }), 'application/json')).status, 413);
    assert.equal((await eventGet(t, `key=${'k'.repeat(32)}&mains=off`)).status, 401);
    assert.equal((await fetch(t.url('/api/event'), { method: 'PUT' })).status, 405);
    assert.deepEqual(counts(t), before);
    assert.deepEqual((await t.system.places.devicesOf(shed.id))[0]!.first_seen_at, null);
  });

  test('two devices: a board silent while a phone proves power posts nothing; the admins hear once, quietly, and when it is back', async () => {
    const house = await place('House');
    const board = (await t.system.places.devicesOf(house.id))[0]!;
    await t.system.places.renameDevice(house.id, board.id, 'Плата на Wi-Fi');
    const phone = await t.system.places.addDevice(house.id, 'Телефон');
    assert.equal(await beat(t, board.api_key), 200);
    assert.equal((await eventGet(t, `key=${phone.api_key}&mains=on`)).status, 200);
    const alertsBefore = alerts(t, house.id).length;
    // The board's internet goes for 10 minutes; the phone (mobile data) still says the mains are there.
    for (let i = 0; i < 20; i += 1) {
      t.clock.advance(30 * SECOND);
      t.sweep();
    }
    assert.equal((await t.place(house.id)).status, 'on');
    assert.equal(alerts(t, house.id).length, alertsBefore, 'nothing for the channel');
    const silent = notices(t, house.id).filter((notice) => notice.notice === 'device_silent');
    assert.equal(silent.length, 1, 'told once per silence');
    assert.equal(silent[0]!.deviceName, 'Плата на Wi-Fi');
    assert.equal(silent[0]!.provedBy, 'Телефон');
    assert.equal(await beat(t, board.api_key), 200);
    assert.deepEqual(
      notices(t, house.id).map((notice) => notice.notice),
      ['device_online', 'device_online', 'device_silent', 'device_back'],
    );
  });

  test('two devices: a phone saying off while the board still heartbeats changes nothing; when the board falls silent the OFF is dated at the phone\'s edge', async () => {
    const cottage = await place('Cottage');
    const board = (await t.system.places.devicesOf(cottage.id))[0]!;
    const phone = await t.system.places.addDevice(cottage.id, 'Phone');
    assert.equal(await beat(t, board.api_key), 200);
    assert.equal((await eventGet(t, `key=${phone.api_key}&mains=on`)).status, 200);
    t.clock.advance(20 * SECOND);
    assert.equal(await beat(t, board.api_key), 200);
    // The cut: the board dies with it, the phone (on its battery) says so half a second later.
    t.clock.advance(3 * SECOND);
    const cutAt = t.clock.now();
    t.clock.advance(500);
    assert.deepEqual((await eventGet(t, `key=${phone.api_key}&mains=off&ms_ago=500`)).body, { ok: true, applied: true });
    assert.equal((await t.place(cottage.id)).status, 'on', 'the board still proves power until its timeout');
    t.clock.advance(MINUTE);
    t.sweep();
    assert.deepEqual(alerts(t, cottage.id).map((alert) => [alert.kind, alert.at, alert.confirmed]), [['power_off', cutAt, true]]);
    // A plain-unplugged phone while the board is fine: the board's next heartbeat proves power, and the place comes back.
    t.clock.advance(MINUTE);
    assert.equal(await beat(t, board.api_key), 200);
    assert.equal((await t.place(cottage.id)).status, 'on');
  });

  test('a live device on battery proves a cut even while the other device is silent', async () => {
    const villa = await place('Villa');
    const board = (await t.system.places.devicesOf(villa.id))[0]!;
    const ups = await t.system.places.addDevice(villa.id, 'UPS');
    assert.equal(await beat(t, board.api_key), 200);
    assert.equal(await beat(t, ups.api_key, { mains: true }), 200);
    // The board goes silent (its Wi-Fi) while the UPS heartbeats with mains:true: no outage.
    for (let i = 0; i < 6; i += 1) {
      t.clock.advance(20 * SECOND);
      assert.equal(await beat(t, ups.api_key, { mains: true }), 200);
      t.sweep();
    }
    assert.deepEqual(alerts(t, villa.id), []);
    t.clock.advance(10 * SECOND);
    assert.equal(await beat(t, ups.api_key, { mains: false, mains_changed_ms_ago: 200 }), 200);
    assert.deepEqual(alerts(t, villa.id).map((alert) => [alert.kind, alert.at, alert.confirmed]), [['power_off', t.clock.now() - 200, true]]);
  });

  test('silence of every device is still an OFF inferred from silence, said as today', async () => {
    const garage = await place('Garage');
    const board = (await t.system.places.devicesOf(garage.id))[0]!;
    const second = await t.system.places.addDevice(garage.id, 'Second');
    assert.equal(await beat(t, board.api_key), 200);
    t.clock.advance(10 * SECOND);
    assert.equal(await beat(t, second.api_key), 200);
    const last = t.clock.now();
    t.clock.advance(61 * SECOND);
    t.sweep();
    const [off] = alerts(t, garage.id);
    assert.equal(off!.kind, 'power_off');
    assert.equal(off!.at, last);
    assert.equal(off!.confirmed, undefined);
    assert.equal(history(t, garage.id).at(-1)!.start_edge, 'heartbeat_gap');
    assert.equal(notices(t, garage.id).filter((notice) => notice.notice === 'device_silent').length, 0, 'no "silent but powered" notice when nothing proves power');
  });

  test('devices: rename, unique names, rotate a second device\'s key (revoke and keep-old), the last device cannot be removed', async () => {
    const lab = await place('Lab');
    const first = (await t.system.places.devicesOf(lab.id))[0]!;
    const shelly = await t.system.places.addDevice(lab.id, 'Shelly');
    await assert.rejects(t.system.places.addDevice(lab.id, 'shelly'), { code: 'device-name-taken' });
    await assert.rejects(t.system.places.renameDevice(lab.id, first.id, ''), { code: 'name-empty' });
    assert.equal(await beat(t, first.api_key), 200);
    assert.equal(await beat(t, shelly.api_key), 200);
    const kept = await t.system.places.rotateDeviceKey(lab.id, shelly.id, 'keep-old');
    assert.equal(await beat(t, shelly.api_key), 200, 'the old key works during the grace');
    assert.equal(await beat(t, kept.api_key), 200);
    assert.equal(await beat(t, shelly.api_key), 401, 'and stops once the new one is used');
    assert.equal((await t.place(lab.id)).api_key, first.api_key, "the place's key is its first device's, untouched");
    const revoked = await t.system.places.rotateDeviceKey(lab.id, shelly.id, 'revoke');
    assert.equal(await beat(t, kept.api_key), 401);
    assert.equal((await t.place(lab.id)).status, 'on', 'the other device still watches the place');
    assert.equal(await beat(t, revoked.api_key), 200);
    await t.system.places.removeDevice(lab.id, shelly.id);
    assert.equal(await beat(t, revoked.api_key), 401, 'a removed device is refused at once');
    await assert.rejects(t.system.places.removeDevice(lab.id, first.id), { code: 'device-last' });
    assert.equal(await beat(t, first.api_key), 200);
  });

  test('removing the first device: the next one becomes the place\'s key', async () => {
    const attic = await place('Attic');
    const first = (await t.system.places.devicesOf(attic.id))[0]!;
    const next = await t.system.places.addDevice(attic.id, 'Next');
    await t.system.places.removeDevice(attic.id, first.id);
    assert.equal((await t.place(attic.id)).api_key, next.api_key);
    assert.equal(await beat(t, first.api_key), 401);
    assert.equal(await beat(t, next.api_key), 200);
  });

  test('a device removed while its event is in flight: the event is refused and writes nothing', async () => {
    const barn = await place('Barn');
    const first = (await t.system.places.devicesOf(barn.id))[0]!;
    const phone = await t.system.places.addDevice(barn.id, 'Phone');
    assert.equal(await beat(t, first.api_key), 200);
    const before = counts(t);
    // The key is checked from the header; the body trickles in while an admin removes the device.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(t.url('/api/event'), { method: 'POST', headers: { authorization: `Bearer ${phone.api_key}`, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"mains":');
      setTimeout(() => {
        t.system.places
          .removeDevice(barn.id, phone.id)
          .then(() => req.end(' false}'))
          .catch(reject);
      }, 50);
    });
    assert.equal(status, 401);
    assert.deepEqual(counts(t), before);
    assert.equal((await t.place(barn.id)).status, 'on');
  });
});

describe('alerts say how they know', () => {
  test('an OFF a device on battery confirmed says so; one inferred from silence reads as before; an ON a device saw says so too', async () => {
    const { formatAlert } = await import('../../src/alerts/alert-message.js');
    const { createI18n, translatorFor } = await import('../../src/i18n/translator.js');
    const i18n = createI18n();
    const context = (locale: 'uk' | 'en') => ({ placeName: 'Дім', timeZone: 'Europe/Kyiv', now: Date.parse('2026-11-20T12:00:00Z'), t: translatorFor(i18n, locale) });
    const at = Date.parse('2026-11-20T11:00:00Z');
    const confirmedOff = formatAlert({ kind: 'power_off', at, previousMs: 3_600_000, confirmed: true }, context('uk'));
    assert.match(confirmedOff, /🔴 <b>Світло зникло<\/b>[\s\S]*\n🔋 підтверджено пристроєм на батареї$/);
    assert.match(formatAlert({ kind: 'power_off', at, previousMs: 3_600_000, confirmed: true }, context('en')), /\n🔋 confirmed by a device on battery$/);
    assert.doesNotMatch(formatAlert({ kind: 'power_off', at, previousMs: 3_600_000 }, context('uk')), /підтверджено/);
    const confirmedOn = formatAlert({ kind: 'power_on', at, fromUptime: false, offSince: at - 600_000, offMs: 600_000, confirmed: true }, context('uk'));
    assert.match(confirmedOn, /\n🔌 підтверджено пристроєм, що бачить мережу$/);
  });
});
