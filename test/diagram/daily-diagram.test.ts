import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { PNG } from 'pngjs';
import type { DiagramMessageRow } from '../../src/diagram/diagram-store.js';
import type { Place } from '../../src/places/place-service.js';
import { PlaceInputError } from '../../src/places/place-rules.js';
import { ManualClock } from '../support/clock.js';
import { attachedFile, startFakeBotApi, type FakeBotApi, type RecordedCall } from '../support/fake-bot-api.js';
import { CHANNEL_ID, startTelegramTestApp, type TelegramTestApp } from '../support/telegram-app.js';
import { tempDir } from '../support/temp-dir.js';

const KYIV = 'Europe/Kyiv';
const HOUR = 3_600_000;
const kyiv = (iso: string): number => DateTime.fromISO(iso, { zone: KYIV }).toMillis();

const ok = (fake: FakeBotApi, method: string, chat: number = CHANNEL_ID): RecordedCall[] =>
  fake.callsOf(method).filter((call) => !call.failed && Number(call.params.chat_id) === chat);

function diagramRows(t: TelegramTestApp, placeId: number): DiagramMessageRow[] {
  return t.rows((db) => db.selectFrom('diagram_messages').selectAll().where('location_id', '=', placeId).orderBy('day'));
}

/** Lets the outbox deliver everything queued so far (renders in the worker, then Telegram). */
async function settle(t: TelegramTestApp): Promise<void> {
  await t.drain();
  const left = t.count((db) => db.selectFrom('outbox').where('kind', '=', 'diagram').where('sent_at', 'is', null).where('failed_at', 'is', null));
  assert.equal(left, 0, 'every diagram row was delivered');
}

/** A heartbeat from the place's board: its power is on from now, so each render differs. */
async function beat(t: TelegramTestApp, place: Place): Promise<void> {
  const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } });
  assert.ok(response.ok);
}

/** Moves the clock to `at` and lets the schedule fire, as its timer does at each hour mark. */
async function fireAt(t: TelegramTestApp, at: number): Promise<void> {
  t.clock.set(at);
  t.system.diagrams!.tick();
  await settle(t);
}

describe('daily diagram in the channel', () => {
  const dir = tempDir();
  let fake: FakeBotApi;
  let t: TelegramTestApp;
  let home: Place;

  before(async () => {
    fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
    t = await startTelegramTestApp(dir.file('monitor.db'), { clock: new ManualClock(kyiv('2026-11-20T12:00')), fake });
    home = await t.createPlace({ name: 'Дім', channelId: String(CHANNEL_ID), language: 'uk' });
    await beat(t, home);
    await settle(t);
  });
  after(async () => {
    await t.stop();
    await fake.close();
    dir.cleanup();
  });

  test("the first run of a day posts the diagram silently, pins it, and tracks it", async () => {
    assert.equal(t.system.diagrams!.runDue(), 1);
    await settle(t);

    const [photo, ...more] = ok(fake, 'sendPhoto');
    assert.ok(photo, 'a photo was posted to the channel');
    assert.equal(more.length, 0);
    assert.equal(String(photo.params.disable_notification), 'true', 'posted silently');
    assert.equal(photo.params.caption, '<b>🟢 Світло є з 12:00</b>\nДім · 14–20 листопада\nДаних ще немає', 'the status line first; the power has only just been seen');
    assert.equal(photo.params.parse_mode, 'HTML');
    const upload = attachedFile(photo, photo.params.photo);
    assert.ok(upload, 'the PNG was uploaded');
    const png = PNG.sync.read(upload.bytes);
    assert.deepEqual([png.width, png.height], [1600, 1120]);

    const messageId = (photo.result as { message_id: number }).message_id;
    const [pin] = ok(fake, 'pinChatMessage');
    assert.equal(pin?.params.message_id, messageId);
    assert.equal(pin?.params.disable_notification, true);
    assert.deepEqual(fake.pinned(CHANNEL_ID), [messageId]);
    assert.deepEqual(
      diagramRows(t, home.id).map((row) => [row.day, row.message_id, row.pinned, row.chat_id]),
      [['2026-11-20', messageId, 1, String(CHANNEL_ID)]],
    );
  });

  test('every hour :00 the same message is edited in place, never posted again', async () => {
    const photosBefore = ok(fake, 'sendPhoto').length;
    t.clock.set(kyiv('2026-11-20T12:59'));
    t.system.diagrams!.tick();
    await settle(t);
    assert.equal(ok(fake, 'editMessageMedia').length, 0, 'nothing before the hour mark');

    await fireAt(t, kyiv('2026-11-20T13:00'));
    await fireAt(t, kyiv('2026-11-20T14:00'));
    const edits = ok(fake, 'editMessageMedia');
    assert.equal(edits.length, 2);
    const [row] = diagramRows(t, home.id);
    assert.ok(edits.every((call) => call.params.message_id === row!.message_id));
    assert.equal(ok(fake, 'sendPhoto').length, photosBefore, 'no new post');
    const shown = fake.sentMessages(CHANNEL_ID).find((message) => message.message_id === row!.message_id);
    assert.ok(shown?.edit_date, 'the channel message was edited');
    assert.equal(shown?.caption, '<b>🟢 Світло є з 12:00</b>\nДім · 14–20 листопада\nВідключень не було');
  });

  test('an edit that changes nothing ("message is not modified") counts as done', async () => {
    const editsBefore = ok(fake, 'editMessageMedia').length;
    t.clock.advance(60_000);
    await t.system.diagrams!.sendNow(home.id);
    await settle(t);
    await t.system.diagrams!.sendNow(home.id);
    await settle(t);
    const failed = fake.callsOf('editMessageMedia').filter((call) => call.failed);
    assert.equal(failed.length, 1, 'the second identical edit was refused as not modified');
    assert.match(String((failed[0]!.failed as { description: string }).description), /message is not modified/);
    assert.equal(ok(fake, 'editMessageMedia').length, editsBefore + 1);
    const failedRows = t.count((db) => db.selectFrom('outbox').where('kind', '=', 'diagram').where('failed_at', 'is not', null));
    assert.equal(failedRows, 0);
  });

  test('at local midnight the new day is posted and pinned, and the previous day unpinned', async () => {
    const [yesterday] = diagramRows(t, home.id);
    const photosBefore = ok(fake, 'sendPhoto').length;
    await fireAt(t, kyiv('2026-11-21T00:00'));

    const photos = ok(fake, 'sendPhoto');
    assert.equal(photos.length, photosBefore + 1);
    assert.equal(photos.at(-1)!.params.caption, '<b>🟢 Світло є з 12:00 учора</b>\nДім · 15–21 листопада\nВідключень не було');
    const today = diagramRows(t, home.id).find((row) => row.day === '2026-11-21');
    assert.ok(today);
    assert.equal(today.message_id, (photos.at(-1)!.result as { message_id: number }).message_id);
    assert.deepEqual(fake.pinned(CHANNEL_ID), [today.message_id], "only today's diagram is pinned");
    const [unpin] = ok(fake, 'unpinChatMessage');
    assert.equal(unpin?.params.message_id, yesterday!.message_id);
    assert.deepEqual(
      diagramRows(t, home.id).map((row) => [row.day, row.pinned]),
      [['2026-11-20', 0], ['2026-11-21', 1]],
    );
  });

  test("a deleted diagram is posted again, pinned and tracked at the next hour", async () => {
    const today = diagramRows(t, home.id).find((row) => row.day === '2026-11-21')!;
    await t.system.bot!.api.deleteMessage(CHANNEL_ID, today.message_id);
    const photosBefore = ok(fake, 'sendPhoto').length;

    await fireAt(t, kyiv('2026-11-21T01:00'));
    const refused = fake.callsOf('editMessageMedia').at(-1)!;
    assert.match(String((refused.failed as { description: string } | undefined)?.description), /message to edit not found/);
    const photos = ok(fake, 'sendPhoto');
    assert.equal(photos.length, photosBefore + 1, 'posted again');
    const newId = (photos.at(-1)!.result as { message_id: number }).message_id;
    const tracked = diagramRows(t, home.id).find((row) => row.day === '2026-11-21')!;
    assert.equal(tracked.message_id, newId);
    assert.equal(tracked.pinned, 1);
    assert.deepEqual(fake.pinned(CHANNEL_ID), [newId]);

    await fireAt(t, kyiv('2026-11-21T02:00'));
    assert.equal(ok(fake, 'editMessageMedia').at(-1)!.params.message_id, newId, 'the new message is the one edited from now on');
  });

  test('paused places and places without a channel get no diagram; "send now" says why it cannot', async () => {
    const paused = await t.createPlace({ name: 'Дача', channelId: String(CHANNEL_ID - 1) });
    await t.system.places.pause(paused.id);
    const unlinked = await t.createPlace({ name: 'Офіс' });
    assert.equal(t.system.diagrams!.runDue(), 1, 'only the home is due');
    await settle(t);
    assert.equal(fake.callsTo(CHANNEL_ID - 1).length, 0);
    assert.deepEqual([...diagramRows(t, paused.id), ...diagramRows(t, unlinked.id)], []);
    await assert.rejects(t.system.diagrams!.sendNow(unlinked.id), (error: unknown) => error instanceof PlaceInputError && /no channel/.test(error.message));
    await assert.rejects(t.system.diagrams!.sendNow(987654), PlaceInputError);
  });
});

describe('daily diagram across restarts', () => {
  const dir = tempDir();
  const clock = new ManualClock(kyiv('2026-11-20T12:00'));
  let fake: FakeBotApi;
  let t: TelegramTestApp;
  let home: Place;
  const restart = async () => {
    await t.stop();
    t = await startTelegramTestApp(dir.file('monitor.db'), { clock, fake });
    await settle(t);
  };

  before(async () => {
    fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
    t = await startTelegramTestApp(dir.file('monitor.db'), { clock, fake });
    home = await t.createPlace({ name: 'Home', channelId: String(CHANNEL_ID), language: 'en' });
    t.system.diagrams!.runDue();
    await settle(t);
  });
  after(async () => {
    await t.stop();
    await fake.close();
    dir.cleanup();
  });

  test('a restart the same day posts nothing twice (it redraws the existing message)', async () => {
    assert.equal(ok(fake, 'sendPhoto').length, 1);
    clock.advance(10 * 60_000);
    await restart();
    assert.equal(ok(fake, 'sendPhoto').length, 1, 'no second post for the same day');
    assert.equal(fake.callsOf('editMessageMedia').length, 1, 'the post was brought up to date instead');
    assert.equal(diagramRows(t, home.id).length, 1);
  });

  test('a midnight missed while down is caught up once at start, and only once', async () => {
    await t.stop();
    clock.set(kyiv('2026-11-21T03:20')); // down over midnight
    t = await startTelegramTestApp(dir.file('monitor.db'), { clock, fake });
    await settle(t);
    const photos = ok(fake, 'sendPhoto');
    assert.equal(photos.length, 2, "the missed day's diagram was posted at start");
    assert.equal(photos[1]!.params.caption, "<b>⚪ Waiting for the device's first signal</b>\nHome · 15–21 Nov\nNo data yet");
    assert.deepEqual(diagramRows(t, home.id).map((row) => [row.day, row.pinned]), [['2026-11-20', 0], ['2026-11-21', 1]]);

    clock.advance(5 * 60_000);
    await restart();
    assert.equal(ok(fake, 'sendPhoto').length, 2, 'not posted again after another restart');
    // The timer, not only the start, still follows the hour marks after a restart.
    await fireAt(t, kyiv('2026-11-21T04:00'));
    assert.equal(ok(fake, 'sendPhoto').length, 2);
  });

  test('a channel that refuses the post flags the place, like a failing alert', async () => {
    const closed = CHANNEL_ID - 7;
    fake.setChat({ id: closed, type: 'channel', title: 'Closed' });
    fake.setChatMember(closed, fake.botUser.id, { status: 'left' });
    const place = await t.createPlace({ name: 'Garage', channelId: String(closed), language: 'en' });
    await t.system.diagrams!.sendNow(place.id);
    await t.drain();
    const row = t.row((db) => db.selectFrom('locations').select(['alerting_failed', 'alerting_error']).where('id', '=', place.id))!;
    assert.equal(row.alerting_failed, 1);
    assert.match(row.alerting_error ?? '', /403/);
    t.system.diagrams!.runDue();
    const diagrams = t.count((db) => db.selectFrom('outbox').where('kind', '=', 'diagram').where('location_id', '=', place.id));
    assert.equal(diagrams, 1, 'not tried again every hour the same day');
  });
});

// A tiny sanity check that the hour after the spring-forward gap is handled by the live schedule.
describe('daily diagram on the DST days', () => {
  const dir = tempDir();
  let t: TelegramTestApp;
  before(async () => {
    t = await startTelegramTestApp(dir.file('monitor.db'), { clock: new ManualClock(kyiv('2026-03-28T23:30')) });
    await beat(t, await t.createPlace({ name: 'Home', channelId: String(CHANNEL_ID), language: 'en' }));
    t.system.diagrams!.runDue();
    await settle(t);
  });
  after(async () => {
    await t.stop();
    dir.cleanup();
  });

  test('spring forward: midnight posts, 02:00 edits, the next mark is 04:00 an hour later', async () => {
    assert.equal(t.system.diagrams!.nextFireAt, kyiv('2026-03-29T00:00'));
    await fireAt(t, kyiv('2026-03-29T00:00'));
    assert.equal(ok(t.fake, 'sendPhoto').length, 2);
    await fireAt(t, kyiv('2026-03-29T02:00'));
    assert.equal(t.system.diagrams!.nextFireAt - t.clock.now(), HOUR);
    assert.equal(DateTime.fromMillis(t.system.diagrams!.nextFireAt, { zone: KYIV }).toFormat('HH:mm'), '04:00');
    assert.equal(ok(t.fake, 'editMessageMedia').length, 1);
    assert.equal(ok(t.fake, 'sendPhoto').length, 2);
  });

  test('fall back: both 03:00s fire, and the 25-hour day ends with one midnight post', async () => {
    await fireAt(t, kyiv('2026-10-25T02:00'));
    const photos = ok(t.fake, 'sendPhoto').length;
    const firstThree = DateTime.fromISO('2026-10-25T00:00', { zone: 'utc' }).toMillis(); // 03:00 EEST
    const secondThree = firstThree + HOUR; // 03:00 EET
    assert.equal(t.system.diagrams!.nextFireAt, firstThree);
    await fireAt(t, firstThree);
    assert.equal(t.system.diagrams!.nextFireAt, secondThree);
    await fireAt(t, secondThree);
    const edits = ok(t.fake, 'editMessageMedia').length;
    await fireAt(t, kyiv('2026-10-26T00:00'));
    assert.equal(ok(t.fake, 'sendPhoto').length, photos + 1);
    assert.equal(ok(t.fake, 'editMessageMedia').length, edits);
  });
});

describe('deleting a place', () => {
  const dir = tempDir();
  let t: TelegramTestApp;
  before(async () => {
    t = await startTelegramTestApp(dir.file('monitor.db'), { clock: new ManualClock(kyiv('2026-11-20T12:00')) });
  });
  after(async () => {
    await t.stop();
    dir.cleanup();
  });

  test('unpins its diagram in the channel, although its own outbox rows are gone with it', async () => {
    const channel = CHANNEL_ID - 50;
    const place = await t.createPlace({ name: 'Old flat', channelId: String(channel), language: 'en' });
    const neighbour = await t.createPlace({ name: 'Neighbour', channelId: String(channel), language: 'en' });
    await t.system.diagrams!.sendNow(place.id);
    await t.system.diagrams!.sendNow(neighbour.id);
    await settle(t);
    const [posted] = diagramRows(t, place.id);
    const [kept] = diagramRows(t, neighbour.id);
    assert.deepEqual(t.fake.pinned(channel), [posted!.message_id, kept!.message_id]);

    await t.system.places.delete(place.id);
    await t.drain();
    assert.deepEqual(t.fake.pinned(channel), [kept!.message_id], "only the deleted place's diagram was unpinned");
    const unpin = ok(t.fake, 'unpinChatMessage', channel);
    assert.equal(unpin.length, 1);
    assert.equal(unpin[0]!.params.message_id, posted!.message_id);
    const row = t.row((db) => db.selectFrom('outbox').select(['location_id', 'sent_at']).where('kind', '=', 'unpin'));
    assert.equal(row?.location_id, null);
    assert.ok(row?.sent_at);
  });
});
