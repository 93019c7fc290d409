import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DateTime } from 'luxon';
import type { Place } from '../../src/places/place-service.js';
import type { FakeBotApi } from '../support/fake-bot-api.js';
import { ManualClock } from '../support/clock.js';
import { CHANNEL_ID, startTelegramTestApp, type TelegramTestApp } from '../support/telegram-app.js';
import { tempDir } from '../support/temp-dir.js';
import { gpvBody } from './gpv-body.js';
import { startSourceServer } from './source-server.js';

/**
 * The real service with its bot, a local server playing the GPV source and a controlled clock:
 * power changes at a place on queue 3.1 reach the channel with what the plan said.
 * Fri 20 Nov 2026 (Kyiv, UTC+2): planned 12:00–15:00, possible 16:00–17:00, planned 18:00–21:00;
 * Sat 21 Nov: planned 08:00–10:00.
 */
const kyiv = (time: string, day = '2026-11-20') => DateTime.fromISO(`${day}T${time}`, { zone: 'Europe/Kyiv' }).toMillis();
const BODY = gpvBody({
  update: '20.11.2026 11:30',
  days: { '2026-11-20': { 'GPV3.1': { 13: 'no', 14: 'no', 15: 'no', 17: 'maybe', 19: 'no', 20: 'no', 21: 'no' } }, '2026-11-21': { 'GPV3.1': { 9: 'no', 10: 'no' } } },
});
const UK_CHANNEL = CHANNEL_ID;
const EN_CHANNEL = CHANNEL_ID - 1;

const dir = tempDir();
let server: Awaited<ReturnType<typeof startSourceServer>>;
let t: TelegramTestApp;
let home: Place;
let flat: Place;

before(async () => {
  server = await startSourceServer();
  server.reply('/kyiv.json', { kind: 'serve', body: BODY, etag: '"v1"' });
  t = await startTelegramTestApp(dir.file('monitor.db'), { clock: new ManualClock(kyiv('11:50')), env: { SCHEDULE_SOURCES: `kyiv=gpv:${server.url('/kyiv.json')}` } });
  home = await t.createPlace({ name: 'Дім', timeoutS: 60, channelId: String(UK_CHANNEL), language: 'uk' });
  flat = await t.createPlace({ name: 'Flat', timeoutS: 60, channelId: String(EN_CHANNEL), language: 'en' });
  assert.equal((await t.system.schedules.poller.poll('kyiv')).result, 'updated');
  t.system.schedules.attach(home.id, 'kyiv', '3.1');
  t.system.schedules.attach(flat.id, 'kyiv', '3.1');
  beat(home, flat);
});
after(async () => {
  await t?.stop();
  await server.close();
  dir.cleanup();
});

function beat(...places: Place[]): void {
  for (const place of places) assert.ok(t.system.monitor.heartbeatNow(place.id, {}));
}

/** Heartbeats every 50 s up to `until`, as a board with power sends them; the source is read on the way, as the poller would. */
async function stayOn(until: number, ...places: Place[]): Promise<void> {
  while (t.clock.now() + 50_000 <= until) {
    t.clock.advance(50_000);
    beat(...places);
  }
  t.clock.set(until);
  beat(...places);
  await t.system.schedules.poller.poll('kyiv');
}

/** The last heartbeat was at `at`: silence past the timeout, the sweep declares the places OFF. Returns the posts. */
async function powerGoes(at: number, ...places: Place[]): Promise<[string, string]> {
  await stayOn(at, ...places);
  t.clock.advance(2 * 60_000);
  assert.equal(t.expire(places.map((p) => p.id)), places.length);
  return posted(places);
}

/** A heartbeat at `at` after an outage: the places are back. Returns the posts. */
async function powerComes(at: number, ...places: Place[]): Promise<[string, string]> {
  t.clock.set(at);
  await t.system.schedules.poller.poll('kyiv');
  beat(...places);
  return posted(places);
}

/** The latest post in the channels of the places (both always: "Дім" in Ukrainian, "Flat" in English). */
async function posted(places: Place[]): Promise<[string, string]> {
  await t.drain();
  const [uk = '', en = ''] = places.map((place) => lastPost(t.fake, Number(place.channel_id)));
  return [uk, en];
}

function lastPost(fake: FakeBotApi, chat: number): string {
  const posts = fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === chat && !c.failed);
  return String(posts[posts.length - 1]?.params.text);
}

describe('alerts with the plan, in the channel', () => {
  test('OFF inside a planned interval: planned, until its end (uk and en)', async () => {
    const [uk, en] = await powerGoes(kyiv('12:05'), home, flat);
    assert.equal(uk, '🔴 <b>Світло зникло</b>\n📍 Дім\n🕒 12:05 · світло було 15 хв\n📅 За графіком, до ~15:00 (черга 3.1)');
    assert.equal(en, '🔴 <b>Power is gone</b>\n📍 Flat\n🕒 12:05 · was on for 15 min\n📅 Scheduled outage, until ~15:00 (queue 3.1)');
  });

  test('ON 25 min after the planned end, with the next (possible) outage', async () => {
    const [uk, en] = await powerComes(kyiv('15:25'), home, flat);
    assert.equal(uk, '🟢 <b>Світло є</b>\n📍 Дім\n🕒 15:25 · не було 3 год 20 хв\n📅 На 25 хв пізніше графіка (до 15:00)\n⏭ Наступне: 16:00–17:00 (можливе)');
    assert.equal(en, '🟢 <b>Power is back</b>\n📍 Flat\n🕒 15:25 · was off for 3 h 20 min\n📅 25 min later than scheduled (until 15:00)\n⏭ Next: 16:00–17:00 (possible)');
  });

  test('OFF inside a possible interval, ON before its end', async () => {
    const [offUk, offEn] = await powerGoes(kyiv('16:30'), home, flat);
    assert.match(offUk, /\n📅 Можливе за графіком, до ~17:00 \(черга 3\.1\)$/);
    assert.match(offEn, /\n📅 Possible under the schedule, until ~17:00 \(queue 3\.1\)$/);
    const [onUk, onEn] = await powerComes(kyiv('16:45'), home, flat);
    assert.match(onUk, /\n📅 На 15 хв раніше можливого відключення \(до 17:00\)\n⏭ Наступне: 18:00–21:00$/);
    assert.match(onEn, /\n📅 15 min earlier than the possible outage \(until 17:00\)\n⏭ Next: 18:00–21:00$/);
  });

  test('OFF outside the plan: not planned; its return names the next planned outage only', async () => {
    const [offUk, offEn] = await powerGoes(kyiv('17:30'), home, flat);
    assert.match(offUk, /\n🕒 17:30 · світло було 45 хв\n⚠️ Поза графіком \(черга 3\.1\)$/);
    assert.match(offEn, /\n⚠️ Not in the schedule \(queue 3\.1\)$/);
    const [onUk] = await powerComes(kyiv('17:40'), home, flat);
    assert.match(onUk, /не було 10 хв\n⏭ Наступне: 18:00–21:00$/);
  });

  test('OFF 10 min before a planned start counts as that planned outage; an early return names tomorrow', async () => {
    const [offUk] = await powerGoes(kyiv('17:50'), home, flat);
    assert.match(offUk, /\n📅 За графіком, до ~21:00 \(черга 3\.1\)$/);
    const [onUk, onEn] = await powerComes(kyiv('20:30'), home, flat);
    assert.match(onUk, /\n📅 На 30 хв раніше графіка \(до 21:00\)\n⏭ Наступне: завтра 08:00–10:00$/);
    assert.match(onEn, /\n📅 30 min earlier than scheduled \(until 21:00\)\n⏭ Next: tomorrow 08:00–10:00$/);
  });

  test('the plan is taken when the power changes and travels in the alert row', () => {
    const row = t.row((db) => db.selectFrom('outbox').select('payload').where('location_id', '=', home.id).where('kind', '=', 'alert').orderBy('id', 'desc').limit(1))!;
    const payload = JSON.parse(row.payload) as { plan?: { queue: { id: string }; on?: { comparison: { verdict: string } } } };
    assert.equal(payload.plan?.queue.id, 'GPV3.1');
    assert.equal(payload.plan?.on?.comparison.verdict, 'earlier');
  });

  test('a source that stopped answering: no plan line at all (never "no outages")', async () => {
    server.reply('/kyiv.json', { kind: 'status', status: 503 });
    // Power on for an hour while every read of the source fails: its last good copy gets too old to trust.
    await stayOn(kyiv('21:30'), home, flat);
    assert.equal(t.system.schedules.view(home.id)?.plan.blocked, 'fetch-failing');
    const [uk, en] = await powerGoes(kyiv('21:35'), home, flat);
    assert.equal(uk, '🔴 <b>Світло зникло</b>\n📍 Дім\n🕒 21:35 · світло було 1 год 5 хв');
    assert.equal(en, '🔴 <b>Power is gone</b>\n📍 Flat\n🕒 21:35 · was on for 1 h 5 min');
    const [back] = await powerComes(kyiv('22:00'), home, flat);
    assert.equal(back, '🟢 <b>Світло є</b>\n📍 Дім\n🕒 22:00 · не було 25 хв');
  });
});
