import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import type { Place } from '../../src/places/place-service.js';
import { STATUS_COLORS } from '../../src/diagram/theme.js';
import { PICTURE_PIXEL_RATIO, pictureHeight, pictureHourX, pictureRowCenterY, PICTURE_WIDTH } from '../../src/reports/month-picture.js';
import { ManualClock } from '../support/clock.js';
import { attachedFile, startFakeBotApi, type FakeBotApi, type RecordedCall } from '../support/fake-bot-api.js';
import { CHANNEL_ID, startTelegramTestApp, type TelegramTestApp } from '../support/telegram-app.js';
import { tempDir } from '../support/temp-dir.js';
import { kyiv } from './sample-month.js';

const EN_CHANNEL = CHANNEL_ID - 1;
/** A forum group whose topic 7 is where one place posts. */
const FORUM = CHANNEL_ID - 2;
const TOPIC = 7;

/** Successful calls of `method` to `chat`, in order. */
const ok = (fake: FakeBotApi, method: string, chat: number): RecordedCall[] =>
  fake.callsOf(method).filter((call) => !call.failed && Number(call.params.chat_id) === chat);

/** Writes a place's recorded power history: [status, from, to (null: still so)], Kyiv wall-clock times. */
function record(t: TelegramTestApp, placeId: number, intervals: [('on' | 'off' | 'unknown'), string, string | null][]): void {
  const events = intervals.map(([status, from, to]) => ({ location_id: placeId, status, started_at: kyiv(from), ended_at: to === null ? null : kyiv(to), start_edge: 'heartbeat' as const }));
  t.write((db) => db.insertInto('power_events').values(events));
}

/** Moves the clock and lets the report schedule fire as its timer does; then delivers. */
async function fireAt(t: TelegramTestApp, iso: string): Promise<void> {
  t.clock.set(kyiv(iso));
  await t.system.reports!.tick();
  await t.drain();
}

function pixel(image: PNG, cssX: number, cssY: number): string {
  const offset = (Math.round(cssY * PICTURE_PIXEL_RATIO) * image.width + Math.round(cssX * PICTURE_PIXEL_RATIO)) * 4;
  return `#${[0, 1, 2].map((channel) => image.data[offset + channel]!.toString(16).padStart(2, '0')).join('')}`;
}

/** A month of one place: on since the 12th, a 2-hour outage the week before, 4 h on Tuesday, 3.5 h across the clock change. */
const OCTOBER: [('on' | 'off'), string, string | null][] = [
  ['on', '2026-10-12T00:00', '2026-10-15T10:00'],
  ['off', '2026-10-15T10:00', '2026-10-15T12:00'],
  ['on', '2026-10-15T12:00', '2026-10-20T10:00'],
  ['off', '2026-10-20T10:00', '2026-10-20T14:00'],
  ['on', '2026-10-20T14:00', '2026-10-25T02:30'],
  // 02:30 summer time to 05:00 winter time: 3.5 real hours (03:00–04:00 is lived twice).
  ['off', '2026-10-25T02:30', '2026-10-25T05:00'],
  ['on', '2026-10-25T05:00', null],
];

describe('weekly summary and monthly report in the channel', () => {
  const dir = tempDir();
  let fake: FakeBotApi;
  let t: TelegramTestApp;
  let home: Place;

  before(async () => {
    fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
    t = await startTelegramTestApp(dir.file('monitor.db'), { clock: new ManualClock(kyiv('2026-10-12T00:00')), fake });
    home = await t.createPlace({ name: 'Дім', channelId: String(CHANNEL_ID), language: 'uk' });
    const away = await t.createPlace({ name: 'Home', channelId: String(EN_CHANNEL), language: 'en' });
    const entrance = await t.createPlace({ name: 'Під’їзд 1', channelId: String(FORUM), language: 'uk' });
    assert.ok(t.system.people.destinations.link(entrance.id, { chatId: String(FORUM), chatType: 'supergroup', threadId: TOPIC, topicName: 'Світло' }, t.clock.now()));
    for (const place of [home, away, entrance]) record(t, place.id, OCTOBER);
  });
  after(async () => {
    await t.stop();
    await fake.close();
    dir.cleanup();
  });

  test('nothing before Monday 09:00, which across the autumn clock change is 07:00 UTC', async () => {
    await fireAt(t, '2026-10-26T08:59');
    assert.equal(new Date(t.system.reports!.nextFireAt).toISOString(), '2026-10-26T07:00:00.000Z');
    assert.equal(fake.callsOf('sendMessage').length, 0);
  });

  test('Monday 09:00: one short message per place, silently, in the place’s language', async () => {
    await fireAt(t, '2026-10-26T09:00');
    const [uk, ...moreUk] = ok(fake, 'sendMessage', CHANNEL_ID);
    const [en, ...moreEn] = ok(fake, 'sendMessage', EN_CHANNEL);
    assert.ok(uk && en);
    assert.equal(moreUk.length + moreEn.length, 0, 'one message each');
    assert.equal(uk.params.parse_mode, 'HTML');
    assert.equal(uk.params.disable_notification, true);
    // 169 hours, 7.5 of them without power: 161.5 / 169 = 95.6 %.
    assert.equal(
      uk.params.text,
      [
        '📊 <b>Тиждень 19–25 жовтня</b> · Дім',
        '🔴 Без світла: 7 год 30 хв · 2 відключення',
        '⏱ Найдовше: 4 год (вт, 20 жовтня, з 10:00)',
        '💡 Світло було 96% часу',
        '📈 Без світла на 5 год 30 хв більше, ніж минулого тижня (тоді 2 год)',
      ].join('\n'),
    );
    assert.equal(
      en.params.text,
      [
        '📊 <b>Week 19–25 Oct</b> · Home',
        '🔴 Without power: 7 h 30 min · 2 outages',
        '⏱ Longest: 4 h (Tue 20 Oct, from 10:00)',
        '💡 Power was on 96% of the time',
        '📈 5 h 30 min more without power than the week before (2 h then)',
      ].join('\n'),
    );
    assert.equal(uk.params.message_thread_id, undefined);
    const [inTopic] = ok(fake, 'sendMessage', FORUM);
    assert.equal(inTopic?.params.message_thread_id, TOPIC, "into the place's forum topic, as its alerts and diagrams");
  });

  test('the 1st, 09:00: the month picture with its totals, rendered in the worker', async () => {
    await fireAt(t, '2026-11-01T08:00');
    assert.equal(fake.callsOf('sendPhoto').length, 0);
    await fireAt(t, '2026-11-01T09:00');
    const [photo, ...more] = ok(fake, 'sendPhoto', CHANNEL_ID);
    assert.ok(photo);
    assert.equal(more.length, 0);
    assert.equal(String(photo.params.disable_notification), 'true');
    assert.equal(photo.params.parse_mode, 'HTML');
    const caption = String(photo.params.caption);
    assert.match(caption, /^📅 <b>Жовтень 2026<\/b> · Дім\n/);
    assert.match(caption, /🔴 Без світла: 9 год 30 хв · 3 відключення/);
    assert.match(caption, /💡 Світло було 98% часу\n❔ Без даних: 264 год/, '1–11 October, before the place existed, is not counted as power');
    assert.match(String(ok(fake, 'sendPhoto', EN_CHANNEL)[0]?.params.caption), /^📅 <b>October 2026<\/b> · Home\n/);
    assert.equal(String(ok(fake, 'sendPhoto', FORUM)[0]?.params.message_thread_id), String(TOPIC), "into the place's forum topic");

    const upload = attachedFile(photo, photo.params.photo);
    assert.ok(upload, 'a PNG was uploaded');
    const image = PNG.sync.read(upload.bytes);
    assert.deepEqual([image.width, image.height], [PICTURE_WIDTH * PICTURE_PIXEL_RATIO, pictureHeight(31) * PICTURE_PIXEL_RATIO]);
    // Row 0 is 1 October; the 25th is 25 hours long, so every row has a 25-hour axis. Sampled
    // between hour marks (a faint line marks each hour on the bars).
    const at = (day: number, hour: number) => pixel(image, pictureHourX(hour, 25), pictureRowCenterY(day - 1));
    assert.equal(at(20, 12.5), STATUS_COLORS.off, 'Tuesday 20th, 12:30: no power');
    assert.equal(at(20, 8.5), STATUS_COLORS.on);
    assert.equal(at(15, 11.5), STATUS_COLORS.off);
    assert.equal(at(5, 12.5), STATUS_COLORS.unknown, 'before the place existed');
    assert.equal(at(28, 12.5), STATUS_COLORS.on);
  });

  test('switched off in the place menu: no more reports for that place', async () => {
    await t.system.places.setReports(home.id, { weekly: false });
    const before = ok(fake, 'sendMessage', CHANNEL_ID).length;
    await fireAt(t, '2026-11-02T09:00');
    assert.equal(ok(fake, 'sendMessage', CHANNEL_ID).length, before, 'the weekly summary is off');
    assert.equal(ok(fake, 'sendMessage', EN_CHANNEL).length, 2, 'the other place still gets it');
  });
});

describe('a place added during the week', () => {
  const dir = tempDir();
  let fake: FakeBotApi;
  let t: TelegramTestApp;

  before(async () => {
    fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
    t = await startTelegramTestApp(dir.file('monitor.db'), { clock: new ManualClock(kyiv('2026-11-18T12:00')), fake });
  });
  after(async () => {
    await t.stop();
    await fake.close();
    dir.cleanup();
  });

  test('its summary counts only what was known: the time before it was added is not power', async () => {
    const cottage = await t.createPlace({ name: 'Дача', channelId: String(CHANNEL_ID), language: 'uk' });
    record(t, cottage.id, [
      ['on', '2026-11-18T12:00', '2026-11-20T08:00'],
      ['off', '2026-11-20T08:00', '2026-11-20T18:00'],
      ['on', '2026-11-20T18:00', null],
    ]);
    t.clock.set(kyiv('2026-11-23T08:00'));
    // Added after the week ended: nothing of that week to tell.
    await t.createPlace({ name: 'Новий', channelId: String(EN_CHANNEL), language: 'uk' });

    await fireAt(t, '2026-11-23T09:00');
    const [summary, ...more] = ok(fake, 'sendMessage', CHANNEL_ID);
    assert.equal(more.length, 0);
    // Known: Wednesday 12:00 to Monday 00:00 = 108 h, 10 of them without power: 98 / 108 = 91 %
    // (counting the unknown 60 h as power would say 94 %).
    assert.equal(
      summary?.params.text,
      [
        '📊 <b>Тиждень 16–22 листопада</b> · Дача',
        '🔴 Без світла: 10 год · 1 відключення',
        '⏱ Найдовше: 10 год (пт, 20 листопада, з 08:00)',
        '💡 Світло було 91% часу',
        '❔ Без даних: 60 год — цей час не враховано.',
      ].join('\n'),
    );
    assert.equal(fake.callsTo(EN_CHANNEL).length, 0, 'the place added on Monday morning got no summary');
  });
});

describe('reports across restarts', () => {
  const dir = tempDir();
  const clock = new ManualClock(kyiv('2026-11-16T10:00'));
  let fake: FakeBotApi;
  let t: TelegramTestApp;
  const restartAt = async (iso: string) => {
    await t.stop();
    clock.set(kyiv(iso));
    t = await startTelegramTestApp(dir.file('monitor.db'), { clock, fake });
    await t.system.reports!.runDue();
    await t.drain();
  };

  before(async () => {
    fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
    t = await startTelegramTestApp(dir.file('monitor.db'), { clock, fake });
    const place = await t.createPlace({ name: 'Home', channelId: String(CHANNEL_ID), language: 'en' });
    record(t, place.id, [
      ['on', '2026-11-16T10:00', '2026-11-19T20:00'],
      ['off', '2026-11-19T20:00', '2026-11-19T23:00'],
      ['on', '2026-11-19T23:00', null],
    ]);
  });
  after(async () => {
    await t.stop();
    await fake.close();
    dir.cleanup();
  });

  test('down over Monday 09:00: the summary goes out once at the next start, and never again', async () => {
    clock.set(kyiv('2026-11-23T08:00'));
    await restartAt('2026-11-23T11:00');
    const summaries = () => ok(fake, 'sendMessage', CHANNEL_ID);
    assert.equal(summaries().length, 1, 'caught up at start');
    assert.match(String(summaries()[0]!.params.text), /^📊 <b>Week 16–22 Nov<\/b> · Home\n🔴 Without power: 3 h · one outage/);

    await restartAt('2026-11-23T12:00');
    assert.equal(summaries().length, 1, 'not twice');
    await fireAt(t, '2026-11-23T13:00');
    assert.equal(summaries().length, 1);
  });

  test('down for days: a stale weekly summary is left out, the monthly report still goes out, once', async () => {
    clock.set(kyiv('2026-11-30T08:00'));
    await restartAt('2026-12-02T10:00'); // Wednesday, 49 hours after Monday 09:00
    assert.equal(ok(fake, 'sendMessage', CHANNEL_ID).length, 1, 'no summary of 23–29 November two days late');
    // The daily diagram is posted at start too: the report is the photo captioned with the month.
    const photos = () => ok(fake, 'sendPhoto', CHANNEL_ID).filter((call) => String(call.params.caption).startsWith('📅'));
    assert.equal(photos().length, 1, 'the November report, a day late');
    assert.match(String(photos()[0]!.params.caption), /^📅 <b>November 2026<\/b> · Home\n/);
    await restartAt('2026-12-02T11:00');
    assert.equal(photos().length, 1, 'not twice');
  });
});

describe('a weekly summary for a subscriber (the seam for subscriptions)', () => {
  const dir = tempDir();
  let fake: FakeBotApi;
  let t: TelegramTestApp;

  before(async () => {
    fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
    t = await startTelegramTestApp(dir.file('monitor.db'), { clock: new ManualClock(kyiv('2026-11-16T00:00')), fake });
  });
  after(async () => {
    await t.stop();
    await fake.close();
    dir.cleanup();
  });

  test('goes privately, in their language, silently inside their quiet hours', async () => {
    const place = await t.createPlace({ name: 'Дім', language: 'uk' });
    record(t, place.id, [['on', '2026-11-16T00:00', null]]);
    t.clock.set(kyiv('2026-11-23T06:30'));
    const quiet = { startMin: 23 * 60, endMin: 7 * 60 };
    t.enqueue({ kind: 'weekly_report', placeId: place.id, payload: { week: '2026-11-16', to: { userId: 5005, language: 'en', quiet } } });
    t.enqueue({ kind: 'weekly_report', placeId: place.id, payload: { week: '2026-11-16', to: { userId: 5006, language: 'uk', quiet: null } } });
    await t.drain();
    const [english] = ok(fake, 'sendMessage', 5005);
    assert.equal(english?.params.text, '📊 <b>Week 16–22 Nov</b> · Дім\n🟢 No outages.');
    assert.equal(english?.params.disable_notification, true, 'inside 23:00–07:00');
    const [ukrainian] = ok(fake, 'sendMessage', 5006);
    assert.equal(ukrainian?.params.text, '📊 <b>Тиждень 16–22 листопада</b> · Дім\n🟢 Відключень не було.');
    assert.equal(ukrainian?.params.disable_notification, false);
  });
});
