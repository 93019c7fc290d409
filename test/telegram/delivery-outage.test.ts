import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RETRY_POLICY } from '../../src/telegram/telegram-errors.js';
import { CHANNEL_ID, OWNER, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';
import { ManualClock } from '../support/clock.js';

// 2026-11-20 12:00 in Kyiv
const NOON = Date.UTC(2026, 10, 20, 10, 0);
const MIN = 60_000;

describe('a two-hour Telegram outage', () => {
  let t: TelegramTestApp;
  // The real retry policy: doubling from 2 s, at most 5 min apart, flag after 10 min.
  useTelegramApp((app) => void (t = app), { clock: () => new ManualClock(NOON), telegram: { retryPolicy: DEFAULT_RETRY_POLICY } });

  test('every alert is delivered, the pile as one post; the place is flagged after 10 min and the admin told once', async () => {
    const channel = CHANNEL_ID - 40;
    const place = await t.createPlace({ name: 'Дім', timeoutS: 60, channelId: String(channel), language: 'uk' });
    const beat = async () => {
      const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } });
      assert.equal(response.status, 200);
    };
    const flagged = () => t.row((db) => db.selectFrom('locations').select(['alerting_failed', 'alerting_error']).where('id', '=', place.id))!;
    const undelivered = () =>
      t.rows((db) => db.selectFrom('outbox').select(['next_attempt_at', 'failing_since']).where('kind', '=', 'alert').where('sent_at', 'is', null).where('failed_at', 'is', null));

    t.fake.failAll({ code: 502, description: 'Bad Gateway' }, { method: 'sendMessage' });
    // Minute by minute for two hours: the power goes at 12:00, is back 12:30–13:09, and back again at 13:40.
    let flaggedAtMinute: number | null = null;
    for (let minute = 0; minute <= 120; minute += 1) {
      if (minute === 0 || (minute >= 30 && minute <= 69) || minute >= 100) await beat();
      t.sweep();
      await t.drain();
      for (const row of undelivered()) assert.ok(row.next_attempt_at - t.clock.now() <= 5 * MIN, `minute ${minute}: the next try is at most 5 min away`);
      if (flaggedAtMinute === null && flagged().alerting_failed === 1) flaggedAtMinute = minute;
      t.clock.advance(MIN);
    }
    const firstFailure = Math.min(...undelivered().map((row) => row.failing_since ?? Infinity));
    assert.equal(flaggedAtMinute, (firstFailure - NOON) / MIN + 10, 'flagged 10 minutes after the first failure');
    assert.match(flagged().alerting_error ?? '', /502/);
    const channelTries = t.fake.callsOf('sendMessage').filter((call) => Number(call.params.chat_id) === channel);
    assert.ok(channelTries.every((call) => call.failed), 'nothing got through during the outage');
    assert.ok(channelTries.length < 45, `backed off: ${channelTries.length} tries in two hours`);
    assert.equal(undelivered().length, 4, 'four changes waiting, none dropped');

    // Telegram is back. Within the longest backoff everything goes out.
    t.fake.clearFailures();
    for (let minute = 0; minute <= 5; minute += 1) {
      await t.drain();
      t.clock.advance(MIN);
    }
    const posts = t.fake.callsOf('sendMessage').filter((call) => Number(call.params.chat_id) === channel && !call.failed);
    assert.equal(posts.length, 1, 'the pile went out as one post');
    assert.equal(
      String(posts[0]!.params.text),
      '⏳ <b>Сповіщення затрималися</b>\n📍 Дім\n🔴 12:00–🟢 12:30, не було 30 хв\n🔴 13:09–🟢 13:40, не було 31 хв\nЗараз: 🟢 світло є',
    );
    const messageId = (posts[0]!.result as { message_id: number }).message_id;
    const rows = t.rows((db) => db.selectFrom('outbox').select('message_id').where('kind', '=', 'alert'));
    assert.deepEqual(rows.map((row) => row.message_id), [messageId, messageId, messageId, messageId]);

    // The device's "on the air" notice waited out the outage too and may share the message.
    const notices = t.fake.callsOf('sendMessage').filter((call) => Number(call.params.chat_id) === OWNER.id && !call.failed && /затримуються/.test(String(call.params.text)));
    assert.equal(notices.length, 1, 'the admin is told once');
    assert.match(String(notices[0]!.params.text), /^⏳ <b>Сповіщення про місце «Дім» затримуються<\/b>: Telegram не приймає їх у чат -\d+ уже 10 хв\.\nПричина: 502: Bad Gateway/m);
    assert.equal(flagged().alerting_failed, 0, 'the warning cleared with the post');
  });
});
