import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DateTime } from 'luxon';
import type { Place } from '../../src/places/place-service.js';
import { PNG } from 'pngjs';
import { DIAGRAM_PIXEL_RATIO, hourToX } from '../../src/diagram/layout.js';
import { planStripCenterY } from '../../src/diagram/plan-strip-series.js';
import { PLAN_STYLE } from '../../src/diagram/theme.js';
import { attachedFile, startFakeBotApi, type RecordedCall } from '../support/fake-bot-api.js';
import { ManualClock } from '../support/clock.js';
import { CHANNEL_ID, startTelegramTestApp, type TelegramTestApp } from '../support/telegram-app.js';
import { tempDir } from '../support/temp-dir.js';
import { gpvBody, type GpvValue } from './gpv-body.js';
import { startSourceServer } from './source-server.js';
import { QueueFeed, type QueueDays } from './queue-feed.js';

/**
 * Warnings before planned outages and posts about plan changes, end to end: a local server plays
 * the GPV source, the clock is moved by hand, the channel posts are read from the fake Bot API.
 * "Дім" (uk) wants warnings 30 min ahead and tomorrow's plan; "Flat" (en) keeps the defaults
 * (no warnings, no tomorrow posts), so it only hears of changes; so does "Під'їзд 2", in the same
 * channel as "Дім" on the same queue.
 */
const kyiv = (time: string, day = '2026-11-20') => DateTime.fromISO(`${day}T${time}`, { zone: 'Europe/Kyiv' }).toMillis();
const UK_CHANNEL = CHANNEL_ID;
const EN_CHANNEL = CHANNEL_ID - 1;
const off = (...hours: number[]) => Object.fromEntries(hours.map((h) => [h, 'no' as GpvValue]));

const dir = tempDir();
let server: Awaited<ReturnType<typeof startSourceServer>>;
let t: TelegramTestApp;
let fake: TelegramTestApp['fake'];
let home: Place;
let flat: Place;
let entrance: Place;
let feed: QueueFeed;

const publish = (at: number, days: QueueDays): Promise<void> => feed.publish(t, at, days);
const readAt = (at: number): Promise<void> => feed.readAt(t, at);

const postsIn = (chat: number): RecordedCall[] => t.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === chat && !c.failed);
const textsIn = (chat: number): string[] => postsIn(chat).map((c) => String(c.params.text));

before(async () => {
  server = await startSourceServer();
  feed = new QueueFeed(server, { path: '/kyiv.json', sourceId: 'kyiv', queue: 'GPV3.1' });
  server.reply('/kyiv.json', { kind: 'serve', body: gpvBody({ update: '20.11.2026 13:30', days: { '2026-11-20': { 'GPV3.1': off(19, 20, 21) } } }), etag: '"v0"' });
  // The fake Bot API outlives the service: one test restarts the service on it.
  fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
  t = await startTelegramTestApp(dir.file('monitor.db'), { clock: new ManualClock(kyiv('14:00')), fake, env: { SCHEDULE_SOURCES: `kyiv=gpv:${server.url('/kyiv.json')}` } });
  home = await t.createPlace({ name: 'Дім', timeoutS: 60, channelId: String(UK_CHANNEL), language: 'uk' });
  flat = await t.createPlace({ name: 'Flat', timeoutS: 60, channelId: String(EN_CHANNEL), language: 'en' });
  await t.system.schedules.poller.poll('kyiv');
  t.system.schedules.attach(home.id, 'kyiv', '3.1');
  t.system.schedules.attach(flat.id, 'kyiv', '3.1');
  entrance = await t.createPlace({ name: "Під'їзд 2", timeoutS: 60, channelId: String(UK_CHANNEL), language: 'uk' });
  t.system.schedules.attach(entrance.id, 'kyiv', '3.1');
  t.system.schedules.setWarnMinutes(home.id, 30);
  t.system.schedules.setPostTomorrow(home.id, true);
});
after(async () => {
  await t?.stop();
  await fake?.close();
  await server.close();
  dir.cleanup();
});

describe('posts about the plan', () => {
  test("today's plan when first seen is remembered without a post (at once when a place is attached)", async () => {
    await t.system.schedules.notices!.idle();
    assert.equal(t.system.schedules.store.toldPlan(flat.id, '2026-11-20')?.length, 1, 'attaching looked at the plan');
    await readAt(kyiv('14:05'));
    assert.deepEqual(textsIn(UK_CHANNEL), []);
    assert.deepEqual(textsIn(EN_CHANNEL), []);
    assert.equal(t.system.schedules.store.toldPlan(home.id, '2026-11-20')?.length, 1);
  });

  test("tomorrow's plan when it first appears: posted only where it was asked for", async () => {
    await publish(kyiv('14:10'), { '2026-11-20': off(19, 20, 21), '2026-11-21': off(10, 11, 12) });
    assert.deepEqual(textsIn(UK_CHANNEL), ['📅 Графік на завтра (черга 3.1): 09:00–12:00\n📍 Дім']);
    assert.deepEqual(textsIn(EN_CHANNEL), []);
    assert.equal(postsIn(UK_CHANNEL)[0]!.params.disable_notification, false, 'in the daytime with sound');
  });

  test('a changed plan: one post with what was added and removed, to every place on the queue (one per channel)', async () => {
    await publish(kyiv('14:20'), { '2026-11-20': off(19, 20, 21), '2026-11-21': off(19, 20, 21) });
    assert.deepEqual(textsIn(UK_CHANNEL).slice(1), ["📅 Графік на завтра змінився: +18:00–21:00, −09:00–12:00\n📍 Дім, Під'їзд 2 · черга 3.1"]);
    assert.deepEqual(textsIn(EN_CHANNEL), ["📅 Tomorrow's schedule changed: +18:00–21:00, −09:00–12:00\n📍 Flat · queue 3.1"]);
    await readAt(kyiv('14:35'));
    assert.equal(textsIn(EN_CHANNEL).length, 1, 'the same plan read again: no second post');
  });

  test('today: a change to what is already over makes no post; a change ahead does', async () => {
    await publish(kyiv('14:40'), { '2026-11-20': off(11, 12, 19, 20, 21), '2026-11-21': off(19, 20, 21) });
    assert.equal(textsIn(EN_CHANNEL).length, 1);
    await publish(kyiv('14:50'), { '2026-11-20': off(11, 12, 19, 20, 21, 22), '2026-11-21': off(19, 20, 21, 24) });
    assert.deepEqual(textsIn(EN_CHANNEL).slice(1), [
      "📅 Today's schedule changed: +18:00–22:00, −18:00–21:00\n📍 Flat · queue 3.1",
      "📅 Tomorrow's schedule changed: +23:00–24:00\n📍 Flat · queue 3.1",
    ]);
  });

  test('a warning 30 min before a planned outage, once, only where warnings are on', async () => {
    const before = textsIn(UK_CHANNEL).length;
    await readAt(kyiv('17:29'));
    assert.equal(textsIn(UK_CHANNEL).length, before, 'not yet');
    await readAt(kyiv('17:30'));
    assert.deepEqual(textsIn(UK_CHANNEL).slice(before), ['⏰ О 18:00 за графіком вимкнуть світло (черга 3.1), до ~22:00\n📍 Дім']);
    assert.equal(postsIn(UK_CHANNEL).at(-1)!.params.disable_notification, false);
    await readAt(kyiv('17:31'));
    await readAt(kyiv('17:45'));
    assert.equal(textsIn(UK_CHANNEL).length, before + 1, 'once');
    assert.ok(!textsIn(EN_CHANNEL).some((text) => text.startsWith('⏰')), 'warnings are off by default');
  });

  test('once across a restart too', async () => {
    const before = textsIn(UK_CHANNEL).length;
    const clock = t.clock;
    await t.stop();
    t = await startTelegramTestApp(dir.file('monitor.db'), { clock, fake: t.fake, env: { SCHEDULE_SOURCES: `kyiv=gpv:${server.url('/kyiv.json')}` } });
    await readAt(kyiv('17:50'));
    assert.equal(textsIn(UK_CHANNEL).length, before);
  });

  test('no warning while the place is already without power; it goes if the power is back before the start', async () => {
    // Tomorrow 18:00: the power is gone at 17:20 (not in the plan), the warning is due at 17:30.
    await readAt(kyiv('17:10', '2026-11-21'));
    assert.ok(t.system.monitor.heartbeatNow(home.id, {}));
    t.clock.set(kyiv('17:20', '2026-11-21'));
    assert.ok(t.system.monitor.heartbeatNow(home.id, {}));
    t.clock.set(kyiv('17:22', '2026-11-21'));
    assert.equal(t.expire([home.id]), 1);
    const before = textsIn(UK_CHANNEL).length;
    await readAt(kyiv('17:30', '2026-11-21'));
    await readAt(kyiv('17:35', '2026-11-21'));
    assert.equal(textsIn(UK_CHANNEL).length, before + 1, 'only the OFF alert');
    assert.match(textsIn(UK_CHANNEL).at(-1)!, /^🔴/);
    t.clock.set(kyiv('17:40', '2026-11-21'));
    assert.ok(t.system.monitor.heartbeatNow(home.id, {}));
    await readAt(kyiv('17:41', '2026-11-21'));
    const after = textsIn(UK_CHANNEL).slice(before + 1).map((text) => text.split('\n')[0]!);
    assert.deepEqual(after.sort(), ['⏰ О 18:00 за графіком вимкнуть світло (черга 3.1), до ~21:00', '🟢 <b>Світло є</b>']);
  });

  test('a warning between 23:00 and 07:00 goes out silently', async () => {
    await publish(kyiv('22:50', '2026-11-21'), { '2026-11-21': off(19, 20, 21), '2026-11-22': off(1, 2) });
    const before = textsIn(UK_CHANNEL).length;
    await readAt(kyiv('23:30', '2026-11-21'));
    const warning = postsIn(UK_CHANNEL).slice(before).find((c) => String(c.params.text).startsWith('⏰'));
    assert.equal(String(warning?.params.text), '⏰ О 00:00 за графіком вимкнуть світло (черга 3.1), до ~02:00\n📍 Дім');
    assert.equal(warning?.params.disable_notification, true);
  });

  test("the diagram draws the week's plan under the bars: past days as they were told, today from the copy", async () => {
    await t.system.diagrams!.sendNow(home.id);
    await t.drain();
    const photo = t.fake.callsOf('sendPhoto').filter((c) => !c.failed && Number(c.params.chat_id) === UK_CHANNEL).at(-1)!;
    // Sun 15 … Sat 21 Nov, 23:30: Fri 20 (told: 10:00–12:00, 18:00–22:00) and Sat 21 (18:00–21:00) known.
    // The status line (the pinned post's first line) comes first, then the diagram's own caption.
    assert.match(String(photo.params.caption), /^<b>🟢 Світло є з \d\d:\d\d<\/b>\nДім · 15–21 листопада\n.+\nЗа графіком: 9 год$/);
    const png = PNG.sync.read(attachedFile(photo, photo.params.photo)!.bytes);
    const strip = (day: number, hour: number) => {
      const x = Math.round(hourToX(hour, 24) * DIAGRAM_PIXEL_RATIO);
      const y = Math.round(planStripCenterY(day) * DIAGRAM_PIXEL_RATIO);
      const offset = (y * png.width + x) * 4;
      return `#${[...png.data.subarray(offset, offset + 3)].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
    };
    assert.equal(strip(5, 19.5), PLAN_STYLE.planned, 'Fri 20, 18:00–22:00');
    assert.equal(strip(5, 15.5), PLAN_STYLE.track);
    assert.equal(strip(6, 19.5), PLAN_STYLE.planned, 'Sat 21, 18:00–21:00');
    assert.equal(strip(6, 22.5), PLAN_STYLE.track, '21:00–24:00 no longer planned');
    assert.equal(strip(4, 19.5), '#ffffff', 'Thu 19: no plan known');
  });

  test('a warning that could only arrive after its outage began (Telegram was down) is not posted, and says why', async () => {
    await publish(kyiv('02:20', '2026-11-22'), { '2026-11-22': off(1, 2, 4) });
    assert.equal(textsIn(UK_CHANNEL).at(-1), "📅 Графік на сьогодні змінився: +03:00–04:00\n📍 Дім, Під'їзд 2 · черга 3.1");
    t.fake.failAll({ code: 502, description: 'Bad Gateway' }, { method: 'sendMessage', chatId: UK_CHANNEL });
    await readAt(kyiv('02:30', '2026-11-22'));
    t.fake.clearFailures();
    await readAt(kyiv('03:05', '2026-11-22'));
    const row = t.row((db) =>
      db
        .selectFrom('outbox')
        .select(['payload', 'failed_at', 'last_error', 'attempts'])
        .where('location_id', '=', home.id)
        .where('kind', '=', 'plan_notice')
        .orderBy('id', 'desc')
        .limit(1),
    )!;
    assert.match(row.payload, /"notice":"warning"/);
    assert.ok(row.failed_at !== null && row.attempts >= 2, 'tried while Telegram failed, then given up');
    assert.match(row.last_error ?? '', /not posted: the planned outage it warned of has begun/);
    assert.ok(!textsIn(UK_CHANNEL).some((text) => text.startsWith('⏰ О 03:00')));
  });
});
