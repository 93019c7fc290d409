/**
 * Issue 21's closing table: for each source, how far the OFF start and the ON time the service
 * records lie from the moment the (fake) mains changed, and whether a 60 s internet loss at the
 * place (power on all along) posted anything to the channel. Each source runs against the real
 * HTTP service on its own place; the clock is the test's, advanced as the device would live it
 * (debounce, network latency, boot time), so the figures are exact and repeatable. Prints the table.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tempDir } from '../support/temp-dir.js';

const SECOND = 1000;
/** The board's heartbeat interval at the default 60 s timeout (src/devices/esp32-config.ts). */
const INTERVAL = 10 * SECOND;
/** Network latency of one request (Wi-Fi / mobile), and the firmware's debounce of the mains input. */
const WIFI_LATENCY = 150;
const MOBILE_LATENCY = 800;
const DEBOUNCE = 200;
/** From power back to the board's first heartbeat: it starts counting uptime 300 ms after power, joins Wi-Fi in 4 s. */
const BOOT_START = 300;
const FIRST_HEARTBEAT_AFTER = 4 * SECOND;

interface Row {
  source: string;
  offError: number;
  onError: number;
  lossPosted: string;
}

const dir = tempDir();
let t: TestApp;
before(async () => {
  t = await startTestApp(dir.file('monitor.db'));
});
after(async () => {
  await t.stop();
  dir.cleanup();
});

async function beat(key: string, body: object = {}): Promise<void> {
  const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200);
}

async function event(key: string, query: string): Promise<void> {
  assert.equal((await fetch(t.url(`/api/event?key=${key}&${query}`))).status, 200);
}

function alertsOf(placeId: number): Array<{ kind: string; at: number }> {
  return t
    .rows((db) => db.selectFrom('outbox').select('payload').where('kind', '=', 'alert').where('location_id', '=', placeId).orderBy('id'))
    .map((row) => (JSON.parse(row.payload) as { alert: { kind: string; at: number } }).alert);
}

/** Lets `ms` pass on the service's clock, sweeping as the worker would (every second). */
function live(ms: number): void {
  for (let left = ms; left > 0; left -= SECOND) {
    t.clock.advance(Math.min(SECOND, left));
    t.sweep();
  }
}

/** Runs `step` every INTERVAL for `ms` (a board's heartbeats), sweeping in between. */
async function heartbeatsFor(ms: number, step: () => Promise<void>): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed += INTERVAL) {
    await step();
    live(INTERVAL);
  }
}

const results: Row[] = [];

test('mains-only board (today: silence)', async () => {
  const place = await t.createPlace({ name: 'Mains-only board', timeoutS: 60 });
  const key = place.api_key;
  let uptime = 0;
  const board = () => beat(key, { uptime_ms: (uptime += INTERVAL), boot_id: 'b1', reset_reason: 'POWERON' });
  await heartbeatsFor(60 * SECOND, board);
  // A 60 s internet loss with the power on: the board is silent, nothing else speaks.
  const before = alertsOf(place.id).length;
  live(60 * SECOND + INTERVAL / 2);
  await heartbeatsFor(30 * SECOND, board);
  const lossPosted = alertsOf(place.id).length > before ? 'yes (OFF + ON)' : 'no';
  // The cut, half an interval after a heartbeat.
  await board();
  t.clock.advance(INTERVAL / 2);
  const offAt = t.clock.now();
  live(90 * SECOND);
  const backAt = t.clock.now();
  t.clock.advance(BOOT_START + FIRST_HEARTBEAT_AFTER);
  await beat(key, { uptime_ms: FIRST_HEARTBEAT_AFTER, boot_id: 'b2', reset_reason: 'POWERON' });
  const [off, on] = alertsOf(place.id).slice(-2);
  results.push({ source: 'mains-only board', offError: off!.at - offAt, onError: on!.at - backAt, lossPosted });
});

test('battery board (mains in its heartbeats)', async () => {
  const place = await t.createPlace({ name: 'Battery board', timeoutS: 60 });
  const key = place.api_key;
  await heartbeatsFor(30 * SECOND, () => beat(key, { mains: true, link: 'wifi' }));
  const before = alertsOf(place.id).length;
  live(60 * SECOND);
  await heartbeatsFor(30 * SECOND, () => beat(key, { mains: true }));
  const lossPosted = alertsOf(place.id).length > before ? 'yes (OFF + ON)' : 'no';
  // The cut: debounced, then sent at once; the request takes WIFI_LATENCY to arrive.
  t.clock.advance(3 * SECOND);
  const offAt = t.clock.now();
  t.clock.advance(DEBOUNCE + WIFI_LATENCY);
  await beat(key, { mains: false, mains_changed_ms_ago: DEBOUNCE });
  await heartbeatsFor(60 * SECOND, () => beat(key, { mains: false, mains_changed_ms_ago: t.clock.now() - offAt - WIFI_LATENCY }));
  t.clock.advance(3 * SECOND);
  const backAt = t.clock.now();
  t.clock.advance(DEBOUNCE + WIFI_LATENCY);
  await beat(key, { mains: true, mains_changed_ms_ago: DEBOUNCE });
  const [off, on] = alertsOf(place.id).slice(-2);
  results.push({ source: 'battery board', offError: off!.at - offAt, onError: on!.at - backAt, lossPosted });
});

test('phone event (charger connected / disconnected, no time of its own)', async () => {
  const place = await t.createPlace({ name: 'Phone', timeoutS: 60 });
  const key = place.api_key;
  await event(key, 'mains=on');
  const before = alertsOf(place.id).length;
  live(60 * SECOND);
  const lossPosted = alertsOf(place.id).length > before ? 'yes' : 'no';
  live(5 * SECOND);
  const offAt = t.clock.now();
  t.clock.advance(MOBILE_LATENCY);
  await event(key, 'mains=off');
  live(60 * SECOND);
  const backAt = t.clock.now();
  t.clock.advance(MOBILE_LATENCY);
  await event(key, 'mains=on');
  const [off, on] = alertsOf(place.id).slice(-2);
  results.push({ source: 'phone event', offError: off!.at - offAt, onError: on!.at - backAt, lossPosted });
});

test('two devices: a mains-only board on Wi-Fi, a phone on mobile data (events with ms_ago)', async () => {
  const place = await t.createPlace({ name: 'Two devices', timeoutS: 60 });
  const board = place.api_key;
  const phone = (await t.system.places.addDevice(place.id, 'Phone')).api_key;
  await event(phone, 'mains=on');
  let uptime = 0;
  const boardBeat = () => beat(board, { uptime_ms: (uptime += INTERVAL), boot_id: 'b1', reset_reason: 'POWERON' });
  await heartbeatsFor(30 * SECOND, boardBeat);
  // The Wi-Fi router reboots: the board is silent 60 s, the phone (mobile data) still says the mains are there.
  const before = alertsOf(place.id).length;
  live(60 * SECOND + INTERVAL / 2);
  await heartbeatsFor(30 * SECOND, boardBeat);
  const lossPosted = alertsOf(place.id).length > before ? 'yes' : 'no';
  // The cut, half an interval after the board's heartbeat: the board dies with it; the phone reports at once.
  await boardBeat();
  t.clock.advance(INTERVAL / 2);
  const offAt = t.clock.now();
  t.clock.advance(DEBOUNCE + MOBILE_LATENCY);
  await event(phone, `mains=off&ms_ago=${DEBOUNCE}`);
  live(90 * SECOND);
  const backAt = t.clock.now();
  t.clock.advance(DEBOUNCE + MOBILE_LATENCY);
  await event(phone, `mains=on&ms_ago=${DEBOUNCE}`);
  t.clock.advance(BOOT_START + FIRST_HEARTBEAT_AFTER - DEBOUNCE - MOBILE_LATENCY);
  await beat(board, { uptime_ms: FIRST_HEARTBEAT_AFTER, boot_id: 'b2', reset_reason: 'POWERON' });
  const [off, on] = alertsOf(place.id).slice(-2);
  assert.equal(off!.kind, 'power_off');
  assert.equal(on!.kind, 'power_on');
  results.push({ source: 'two devices (Wi-Fi board + phone on mobile)', offError: off!.at - offAt, onError: on!.at - backAt, lossPosted });
});

test('the table, and the goals: within 1 s for any device that sees the mains; nothing posted for a lost connection while a device proves power', () => {
  const seconds = (ms: number) => `${ms >= 0 ? '+' : '−'}${(Math.abs(ms) / 1000).toFixed(2)} s`;
  const width = Math.max(...results.map((row) => row.source.length));
  const lines = [
    `${'source'.padEnd(width)}  OFF start error  ON error   60 s internet loss posted`,
    ...results.map((row) => `${row.source.padEnd(width)}  ${seconds(row.offError).padStart(15)}  ${seconds(row.onError).padStart(8)}   ${row.lossPosted}`),
  ];
  console.log(`\n${lines.join('\n')}\n`);
  for (const row of results.filter((one) => one.source !== 'mains-only board')) {
    assert.ok(Math.abs(row.offError) <= SECOND, `${row.source}: OFF within 1 s (${row.offError} ms)`);
    assert.ok(Math.abs(row.onError) <= SECOND, `${row.source}: ON within 1 s (${row.onError} ms)`);
  }
  const two = results.find((row) => row.source.startsWith('two devices'))!;
  assert.equal(two.lossPosted, 'no');
  assert.equal(results.find((row) => row.source === 'phone event')!.lossPosted, 'no');
});
