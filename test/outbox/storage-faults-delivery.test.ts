import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import type { Place } from '../../src/places/place-service.js';
import { ManualClock } from '../support/clock.js';
import { startFakeBotApi } from '../support/fake-bot-api.js';
import { FaultInjector } from '../support/fault-injection.js';
import { CHANNEL_ID, OWNER, startTelegramTestApp, type TelegramTestApp } from '../support/telegram-app.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * Real storage faults on the delivery path (issue 20, finding 1): the database is locked by another
 * process for longer than busy_timeout, or the file is full, while posts are waiting for
 * Telegram's answer. The process lives on, nothing is sent twice, and what Telegram accepted is
 * recorded as sent once the database can be written again.
 */

const MIN = 60_000;
// 2026-11-20 12:00 in Kyiv
const NOON = Date.UTC(2026, 10, 20, 10, 0);
const SUBSCRIBERS = 12;

interface Outcome {
  unhandled: unknown[];
  stop(): void;
}

/** Any rejection or exception nobody handled: each one is a crash of the real service. */
function watchProcess(): Outcome {
  const unhandled: unknown[] = [];
  const onRejection = (reason: unknown) => unhandled.push(reason);
  const onException = (error: unknown) => unhandled.push(error);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    unhandled,
    stop() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

async function beat(t: TelegramTestApp, place: Place): Promise<number> {
  const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } });
  return response.status;
}

function outboxRows(t: TelegramTestApp) {
  return t.rows((db) => db.selectFrom('outbox').select(['id', 'kind', 'sent_at', 'message_id', 'attempts']).where('kind', '!=', 'admin_notice').orderBy('id'));
}

/** Successful sendMessage calls to `chat`. */
function postsTo(t: TelegramTestApp, chat: number | string) {
  return t.fake.callsOf('sendMessage').filter((call) => !call.failed && String(call.params.chat_id) === String(chat));
}

async function setUp(latencyMs: number) {
  const dir = tempDir();
  const path = dir.file('monitor.db');
  // Telegram answers slowly, so the fault can begin while posts are in flight.
  const fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' }, latencyMs });
  const t = await startTelegramTestApp(path, { clock: new ManualClock(NOON), fake });
  const channel = CHANNEL_ID - 7;
  const place = await t.createPlace({ name: 'Дім', timeoutS: 60, channelId: String(channel), language: 'uk' });
  for (let i = 0; i < SUBSCRIBERS; i += 1) {
    t.system.people.subscribers.subscribe(place.id, { userId: 8000 + i, displayName: `S${i}`, language: i % 2 ? 'en' : 'uk' }, t.clock.now());
  }
  assert.equal(await beat(t, place), 200);
  const cleanup = async () => {
    await t.stop();
    await fake.close();
    dir.cleanup();
  };
  return { t, path, channel, place, cleanup };
}

test('a foreign write lock held while the OFF is in flight to the channel and 12 subscribers: no crash, each sent once, recorded once the lock is gone', async () => {
  const watch = watchProcess();
  const { t, path, channel, place, cleanup } = await setUp(150);
  const foreign = new SqliteDatabase(path);
  try {
    t.clock.advance(2 * MIN);
    assert.equal(t.expire([place.id]), 1, 'the power went: one OFF');
    const draining = t.drain();
    await sleep(60); // the posts are on their way to Telegram
    foreign.exec('BEGIN IMMEDIATE');
    foreign.prepare("INSERT INTO service_state (key, value) VALUES ('foreign', 'lock')").run();
    await draining;
    // The lock is held for a while: the dispatcher keeps looking, nothing is sent twice.
    for (let i = 0; i < 5; i += 1) {
      await t.drain();
      await sleep(100);
    }
    const sentDuringLock = t.fake.callsOf('sendMessage').filter((call) => !call.failed && Number(call.params.chat_id) !== OWNER.id).length;
    assert.ok(sentDuringLock >= 1, 'at least the posts in flight got through');
    assert.ok(t.system.outbox.unrecorded > 0, 'what Telegram accepted waits in memory');
    assert.ok(outboxRows(t).every((row) => row.sent_at === null), 'nothing could be recorded while locked');

    foreign.exec('COMMIT');
    for (let i = 0; i < 20 && (t.system.outbox.unrecorded > 0 || outboxRows(t).some((row) => row.sent_at === null)); i += 1) {
      await t.drain();
      await sleep(50);
    }
    assert.equal(t.system.outbox.unrecorded, 0);
    const rows = outboxRows(t);
    assert.equal(rows.length, 1 + SUBSCRIBERS);
    assert.ok(rows.every((row) => row.sent_at !== null && row.message_id !== null), 'every row recorded as sent, with its message id');
    assert.equal(postsTo(t, channel).length, 1, 'the channel got the OFF once');
    for (let i = 0; i < SUBSCRIBERS; i += 1) assert.equal(postsTo(t, 8000 + i).length, 1, `subscriber ${i} got it once`);
    const channelRow = rows.find((row) => row.kind === 'alert')!;
    assert.equal(channelRow.message_id, (postsTo(t, channel)[0]!.result as { message_id: number }).message_id);

    // Later drains send nothing more.
    t.clock.advance(MIN);
    await t.drain();
    assert.equal(t.fake.callsOf('sendMessage').filter((call) => !call.failed && Number(call.params.chat_id) !== OWNER.id).length, 1 + SUBSCRIBERS);
    assert.deepEqual(watch.unhandled, [], 'no unhandled rejection or exception');
  } finally {
    if (foreign.inTransaction) foreign.exec('ROLLBACK');
    foreign.close();
    watch.stop();
    await cleanup();
  }
});

test('a full database while the ON is in flight (one post failing with a long reason to record): no crash, sent once, recorded once there is room', async () => {
  const watch = watchProcess();
  const { t, channel, place, cleanup } = await setUp(120);
  try {
    t.clock.advance(2 * MIN);
    assert.equal(t.expire([place.id]), 1);
    await t.drain();
    assert.equal(postsTo(t, channel).length, 1, 'the OFF went out');

    t.clock.advance(10 * MIN);
    assert.equal(await beat(t, place), 200, 'the power is back: ON queued');
    // The channel's first try fails with a reason long enough that recording it needs a new page.
    t.fake.failNext(1, { code: 500, description: `Internal Server Error: ${'x'.repeat(3000)}` }, { method: 'sendMessage', chatId: channel });
    const draining = t.drain();
    await sleep(40);
    // Fill the file: no page more may be added, and the free pages are used up.
    t.diskFull(true);
    for (let i = 0; ; i += 1) {
      try {
        t.write((db) => db.insertInto('service_state').values({ key: `filler-${i}`, value: sql<string>`hex(randomblob(2000))` }));
      } catch (error) {
        assert.equal((error as { code?: string }).code, 'SQLITE_FULL');
        break;
      }
    }
    await draining;
    for (let i = 0; i < 3; i += 1) {
      await t.drain();
      await sleep(50);
    }
    assert.equal(postsTo(t, channel).length, 1, 'the failed ON is not tried again before it is recorded');
    assert.ok(t.system.outbox.unrecorded > 0, 'what happened waits in memory for room');

    t.write((db) => db.deleteFrom('service_state').where('key', 'like', 'filler-%'));
    t.diskFull(false);
    for (let i = 0; i < 20 && t.system.outbox.unrecorded > 0; i += 1) {
      await t.drain();
      await sleep(50);
    }
    assert.equal(t.system.outbox.unrecorded, 0);
    const failedOn = outboxRows(t).find((row) => row.kind === 'alert' && row.sent_at === null);
    assert.equal(failedOn?.attempts, 1, 'the failed try is recorded');
    t.clock.advance(MIN); // past its backoff
    await t.drain();
    assert.ok(outboxRows(t).every((row) => row.sent_at !== null), 'every row recorded as sent');
    assert.equal(postsTo(t, channel).length, 2, 'the ON went out once');
    for (let i = 0; i < SUBSCRIBERS; i += 1) assert.equal(postsTo(t, 8000 + i).length, 2, `subscriber ${i}: the OFF and the ON, once each`);

    // The next outage is delivered as usual.
    t.clock.advance(2 * MIN);
    assert.equal(t.expire([place.id]), 1);
    await t.drain();
    assert.equal(postsTo(t, channel).length, 3);
    assert.deepEqual(watch.unhandled, []);
  } finally {
    watch.stop();
    await cleanup();
  }
});

test('the diagram posted while its record cannot be written: posted once, recorded later, the next run edits it and pins it', async () => {
  const watch = watchProcess();
  const injector = FaultInjector.install();
  const { t, channel, place, cleanup } = await setUp(0);
  try {
    await t.system.diagrams!.sendNow(place.id);
    injector.fail({ kind: 'full', table: 'diagram_messages' });
    await t.drain();
    const photos = () => t.fake.callsOf('sendPhoto').filter((call) => !call.failed && String(call.params.chat_id) === String(channel));
    assert.equal(photos().length, 1, 'Telegram got the diagram');
    assert.ok(injector.injected.some((fault) => fault.table === 'diagram_messages'), 'its record failed');
    assert.ok(t.system.outbox.unrecorded > 0, 'the record waits in memory');
    assert.equal(t.fake.callsOf('pinChatMessage').length, 0, 'no pin for a message not recorded yet');

    injector.clear();
    await t.drain();
    assert.equal(t.system.outbox.unrecorded, 0);
    const messageId = (photos()[0]!.result as { message_id: number }).message_id;
    const saved = t.rows((db) => db.selectFrom('diagram_messages').select(['message_id', 'pinned']).where('location_id', '=', place.id));
    assert.deepEqual(saved, [{ message_id: messageId, pinned: 0 }], 'recorded once storage works, unpinned');
    const diagramRow = t.row((db) => db.selectFrom('outbox').select(['sent_at', 'message_id']).where('kind', '=', 'diagram'))!;
    assert.equal(diagramRow.message_id, messageId);

    t.clock.advance(60 * 60_000);
    await t.system.diagrams!.sendNow(place.id);
    await t.drain();
    assert.equal(photos().length, 1, 'never posted twice');
    assert.equal(t.fake.callsOf('editMessageMedia').filter((call) => !call.failed).length, 1, 'the next run edits the recorded message');
    assert.deepEqual(t.fake.pinned(channel), [messageId], 'and pins it');
    assert.deepEqual(watch.unhandled, []);
  } finally {
    injector.uninstall();
    watch.stop();
    await cleanup();
  }
});
