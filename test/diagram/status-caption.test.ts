import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DateTime } from 'luxon';
import type { DiagramMessageRow } from '../../src/diagram/diagram-store.js';
import type { Place } from '../../src/places/place-service.js';
import { ManualClock } from '../support/clock.js';
import { startFakeBotApi, type FakeBotApi, type RecordedCall } from '../support/fake-bot-api.js';
import { CHANNEL_ID, startTelegramTestApp, type TelegramTestApp } from '../support/telegram-app.js';
import { tempDir } from '../support/temp-dir.js';

const KYIV = 'Europe/Kyiv';
const kyiv = (iso: string): number => DateTime.fromISO(iso, { zone: KYIV }).toMillis();

/** Successful calls of `method` to the channel, in the order they were made. */
const ok = (fake: FakeBotApi, method: string): RecordedCall[] =>
  fake.callsOf(method).filter((call) => !call.failed && Number(call.params.chat_id) === CHANNEL_ID);

describe('the status line of the pinned diagram', () => {
  const dir = tempDir();
  let fake: FakeBotApi;
  let t: TelegramTestApp;
  let home: Place;
  let pinned: DiagramMessageRow;

  /** The place's diagram message of today, as stored. */
  const today = (): DiagramMessageRow =>
    t.row((db) => db.selectFrom('diagram_messages').selectAll().where('location_id', '=', home.id).where('day', '=', '2026-11-20'))!;
  /** The caption the channel shows now on the pinned message. */
  const shownCaption = (): string | undefined => fake.sentMessages(CHANNEL_ID).find((message) => message.message_id === pinned.message_id)?.caption;
  /** Position of a call among all calls the fake got. */
  const indexOf = (call: RecordedCall): number => fake.calls.indexOf(call);
  const heartbeat = () => {
    assert.ok(t.system.monitor.heartbeatNow(home.id, {}));
  };

  before(async () => {
    fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
    t = await startTelegramTestApp(dir.file('monitor.db'), { clock: new ManualClock(kyiv('2026-11-20T12:00')), fake });
    home = await t.createPlace({ name: 'Дім & сад', channelId: String(CHANNEL_ID), language: 'uk' });
    heartbeat(); // on since 12:00, quietly (the first heartbeat)
    t.system.diagrams!.runDue();
    await t.drain();
    pinned = today();
    assert.deepEqual(fake.pinned(CHANNEL_ID), [pinned.message_id]);
  });
  after(async () => {
    await t.stop();
    await fake.close();
    dir.cleanup();
  });

  test('the posted diagram starts with the state and since when; the rest of its caption is kept for edits', () => {
    const [post] = ok(fake, 'sendPhoto');
    assert.equal(post?.params.caption, `<b>🟢 Світло є з 12:00</b>\n${pinned.caption}`);
    assert.equal(post?.params.parse_mode, 'HTML');
    assert.match(pinned.caption ?? '', /^Дім &amp; сад · 14–20 листопада\n/, 'the name is escaped once, and shown as typed');
  });

  test('an outage: the alert goes out first, then the caption says "no power since"', async () => {
    t.clock.set(kyiv('2026-11-20T12:01'));
    heartbeat();
    t.clock.set(kyiv('2026-11-20T12:03'));
    assert.equal(t.sweep(), 1);
    await t.drain();

    const alert = ok(fake, 'sendMessage').at(-1)!;
    assert.match(String(alert.params.text), /Світло зникло/);
    const [edit, ...more] = ok(fake, 'editMessageCaption');
    assert.ok(edit, 'the caption was edited');
    assert.equal(more.length, 0);
    assert.ok(indexOf(edit) > indexOf(alert), 'after the alert');
    assert.equal(edit.params.message_id, pinned.message_id);
    assert.equal(edit.params.parse_mode, 'HTML');
    assert.equal(edit.params.caption, `<b>🔴 Світла немає з 12:01</b>\n${today().caption}`);
    assert.equal(shownCaption(), edit.params.caption);
    assert.deepEqual(fake.pinned(CHANNEL_ID), [pinned.message_id], 'still the one pinned message');
  });

  test('never before the alert: while the alert cannot get through, the caption waits for it', async () => {
    const editsBefore = ok(fake, 'editMessageCaption').length;
    fake.failNext(1, { code: 502, description: 'Bad Gateway' }, { method: 'sendMessage' });
    t.clock.set(kyiv('2026-11-20T12:10'));
    heartbeat(); // power is back
    await t.drain();
    assert.equal(fake.callsOf('sendMessage').at(-1)!.failed !== undefined, true, 'the alert failed');
    assert.equal(ok(fake, 'editMessageCaption').length, editsBefore, 'no caption edit ahead of the alert');
    assert.match(shownCaption() ?? '', /Світла немає/);

    t.clock.advance(2_000); // past the retry
    await t.drain();
    const alert = ok(fake, 'sendMessage').at(-1)!;
    assert.match(String(alert.params.text), /Світло є/);
    const edit = ok(fake, 'editMessageCaption').at(-1)!;
    assert.equal(ok(fake, 'editMessageCaption').length, editsBefore + 1);
    assert.ok(indexOf(edit) > indexOf(alert));
    assert.equal(shownCaption(), `<b>🟢 Світло є з 12:10</b>\n${today().caption}`);
  });

  test('several changes in a row: each alert goes out, then ONE caption edit shows the latest state', async () => {
    const editsBefore = fake.callsOf('editMessageCaption').length;
    const alertsBefore = ok(fake, 'sendMessage').length;
    t.clock.set(kyiv('2026-11-20T12:15'));
    assert.equal(t.sweep(), 1); // off since 12:10
    t.clock.set(kyiv('2026-11-20T12:16'));
    heartbeat(); // on
    t.clock.set(kyiv('2026-11-20T12:18'));
    assert.equal(t.sweep(), 1); // off since 12:16
    await t.drain();

    const alerts = ok(fake, 'sendMessage').slice(alertsBefore);
    assert.equal(alerts.length, 3, 'every change was posted');
    const edits = fake.callsOf('editMessageCaption').slice(editsBefore);
    assert.equal(edits.length, 1, 'one edit for the three changes');
    assert.ok(indexOf(edits[0]!) > indexOf(alerts.at(-1)!), 'after the last alert');
    assert.equal(shownCaption(), `<b>🔴 Світла немає з 12:16</b>\n${today().caption}`);
  });

  test('caption rows waiting together are one edit; "message is not modified" counts as done', async () => {
    const editsBefore = fake.callsOf('editMessageCaption').length;
    for (let i = 0; i < 3; i += 1) t.enqueue({ kind: 'status_caption', placeId: home.id, payload: { at: t.clock.now() } });
    await t.drain();
    const edits = fake.callsOf('editMessageCaption').slice(editsBefore);
    assert.equal(edits.length, 1, 'three rows, one call');
    assert.match(String((edits[0]!.failed as { description?: string } | undefined)?.description), /message is not modified/);
    const left = t.count((db) => db.selectFrom('outbox').where('kind', '=', 'status_caption').where((eb) => eb.or([eb('sent_at', 'is', null), eb('failed_at', 'is not', null)])));
    assert.equal(left, 0, 'all settled as delivered');
  });

  test('pausing and resuming the place show on the status line at once', async () => {
    t.clock.set(kyiv('2026-11-20T12:30'));
    await t.system.places.pause(home.id);
    await t.drain();
    assert.equal(shownCaption(), `<b>⏸ Стеження призупинене з 12:30</b>\n${today().caption}`);
    t.clock.set(kyiv('2026-11-20T12:40'));
    await t.system.places.resume(home.id);
    await t.drain();
    assert.equal(shownCaption(), `<b>⚪ Стан невідомий з 12:30</b>\n${today().caption}`);
  });

  test('the hourly edit redraws with the status line as it is then', async () => {
    heartbeat(); // on again (quietly: the first heartbeat after a pause)
    await t.drain();
    t.clock.set(kyiv('2026-11-20T13:00'));
    t.system.diagrams!.tick();
    await t.drain();
    const edit = ok(fake, 'editMessageMedia').at(-1)!;
    const media = edit.params.media as { caption: string; parse_mode: string };
    assert.equal(media.caption, `<b>🟢 Світло є з 12:40</b>\n${today().caption}`);
    assert.equal(media.parse_mode, 'HTML');
  });

  test('a deleted diagram message is left to the hourly diagram job', async () => {
    await t.system.bot!.api.deleteMessage(CHANNEL_ID, today().message_id);
    t.clock.set(kyiv('2026-11-20T13:05'));
    assert.equal(t.sweep(), 1); // silent since 12:40
    await t.drain();
    const refused = fake.callsOf('editMessageCaption').at(-1)!;
    assert.match(String((refused.failed as { description?: string } | undefined)?.description), /message to edit not found/);
    const failed = t.count((db) => db.selectFrom('outbox').where('kind', '=', 'status_caption').where('failed_at', 'is not', null));
    assert.equal(failed, 0, 'not a failure: the next hour posts a new diagram');
    const photos = ok(fake, 'sendPhoto').length;
    t.clock.set(kyiv('2026-11-20T14:00'));
    t.system.diagrams!.tick();
    await t.drain();
    const post = ok(fake, 'sendPhoto');
    assert.equal(post.length, photos + 1);
    assert.equal(post.at(-1)!.params.caption, `<b>🔴 Світла немає з 12:40</b>\n${today().caption}`);
  });
});
