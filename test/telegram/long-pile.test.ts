import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DateTime } from 'luxon';
import type { Place } from '../../src/places/place-service.js';
import { DEFAULT_RETRY_POLICY } from '../../src/telegram/telegram-errors.js';
import { ManualClock } from '../support/clock.js';
import type { RecordedCall } from '../support/fake-bot-api.js';
import { telegramTextLength } from '../support/telegram-limits.js';
import { CHANNEL_ID, OWNER, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';

const SECOND = 1000;
const MIN = 60_000;
const KYIV = 'Europe/Kyiv';
const kyiv = (iso: string): number => DateTime.fromISO(iso, { zone: KYIV }).toMillis();
const MARTA = { userId: 7101, displayName: 'Марта', language: 'uk' as const };

async function beat(t: TelegramTestApp, place: Place, body: object = {}): Promise<void> {
  const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` }, body: JSON.stringify(body) });
  assert.equal(response.status, 200);
}

const delivered = (calls: readonly RecordedCall[], chat: number) =>
  calls.filter((call) => call.method === 'sendMessage' && !call.failed && Number(call.params.chat_id) === chat);
const refusedForContent = (calls: readonly RecordedCall[]) =>
  calls.filter((call) => call.failed && 'error_code' in call.failed && call.failed.error_code === 400 && /too long|parse entities/.test(call.failed.description));

function flagOf(t: TelegramTestApp, placeId: number): number {
  return t.row((db) => db.selectFrom('locations').select('alerting_failed').where('id', '=', placeId))!.alerting_failed;
}

function waitingAlerts(t: TelegramTestApp): number {
  return t.count((db) => db.selectFrom('outbox').where('kind', 'in', ['alert', 'private_alert']).where('sent_at', 'is', null).where('failed_at', 'is', null));
}

describe('Telegram down for 15 minutes while a board reboots from power loss every 1.5 s', () => {
  let t: TelegramTestApp;
  // The real retry policy: doubling from 2 s, at most 5 min apart, the place flagged after 10 min.
  useTelegramApp((app) => void (t = app), { clock: () => new ManualClock(kyiv('2026-11-20T14:00')), telegram: { retryPolicy: DEFAULT_RETRY_POLICY } });

  test('the channel and a subscriber each get one short summary Telegram accepts; later alerts are not held; the warning clears with the alerts', async () => {
    const channel = CHANNEL_ID - 77;
    const place = await t.createPlace({ name: 'Дача', timeoutS: 60, channelId: String(channel), language: 'uk' });
    t.system.people.subscribers.subscribe(place.id, MARTA, t.clock.now());
    await beat(t, place, { uptime_ms: 60 * MIN, boot_id: 'boot-0', reset_reason: 'POWERON' });
    await t.drain();

    // 14:00 Telegram starts answering 500 to everything. From 14:02 the board loses power and
    // reboots every 1.5 s, 250 times; then the power holds, and it beats every 30 s until 14:15.
    t.fake.failAll({ code: 500, description: 'Internal Server Error' });
    t.clock.set(kyiv('2026-11-20T14:02'));
    await beat(t, place, { uptime_ms: 62 * MIN, boot_id: 'boot-0', reset_reason: 'POWERON' });
    for (let reboot = 1; reboot <= 250; reboot += 1) {
      t.clock.advance(1.5 * SECOND);
      await beat(t, place, { uptime_ms: 200, boot_id: `boot-${reboot}`, reset_reason: 'POWERON' });
      if (reboot % 10 === 0) await t.drain();
    }
    let bootUptime = 200;
    while (t.clock.now() < kyiv('2026-11-20T14:15')) {
      t.clock.advance(30 * SECOND);
      bootUptime += 30 * SECOND;
      await beat(t, place, { uptime_ms: bootUptime, boot_id: 'boot-250', reset_reason: 'POWERON' });
      t.sweep();
      await t.drain();
    }
    assert.equal(delivered(t.fake.calls, channel).length, 0, 'nothing got through while Telegram was down');
    assert.equal(flagOf(t, place.id), 1, 'flagged after 10 minutes of failures');
    assert.ok(waitingAlerts(t) >= 500, `250 changes for the channel and 250 for the subscriber wait: ${waitingAlerts(t)}`);

    // 14:15 Telegram is back: within the longest backoff everything waiting goes out.
    t.fake.clearFailures();
    for (let minute = 0; minute <= 5 && waitingAlerts(t) > 0; minute += 1) {
      await t.drain();
      t.clock.advance(MIN);
    }
    assert.equal(waitingAlerts(t), 0, 'nothing is left waiting');
    assert.deepEqual(refusedForContent(t.fake.calls), [], 'Telegram refused nothing for its length or markup');
    const [toChannel, ...moreToChannel] = delivered(t.fake.calls, channel);
    const [toMarta, ...moreToMarta] = delivered(t.fake.calls, MARTA.userId);
    assert.equal(moreToChannel.length, 0, 'the pile is one post in the channel');
    assert.equal(moreToMarta.length, 0, 'and one message to the subscriber');
    for (const call of [toChannel!, toMarta!]) {
      const text = String(call.params.text);
      console.log(`--- to ${call.params.chat_id} (${telegramTextLength(text, 'HTML')} characters):\n${text}`);
      assert.ok(telegramTextLength(text, 'HTML') < 1000, 'a short summary, not 250 lines');
      assert.match(text, /^⏳ <b>Сповіщення затрималися<\/b>\n📍 Дача\n⚡ 245 коротких відключень з 14:02 до 14:08, разом 1 хв 14 с без світла\n(🟡 14:08:\d\d(–14:08:\d\d)? коротке відключення\n){5}Зараз: 🟢 світло є$/);
    }
    assert.equal(toMarta!.params.text, toChannel!.params.text, 'the subscriber gets the same summary');
    assert.equal(flagOf(t, place.id), 0, 'the warning cleared once the alerts got through');
    // The admin's notices of this episode (not the board's "on the air" at its first call).
    const notices = delivered(t.fake.calls, OWNER.id).filter((call) => !/на зв'язку|on the air/.test(String(call.params.text)));
    assert.equal(notices.length, 1, 'the admin was told once');

    // Later alerts are not held behind anything: the power goes, and the channel hears of it.
    t.clock.advance(2 * MIN);
    t.sweep();
    await t.drain();
    const after = delivered(t.fake.calls, channel);
    assert.equal(after.length, 2);
    assert.match(String(after[1]!.params.text), /^🔴 <b>Світло зникло<\/b>/);
    assert.match(String(delivered(t.fake.calls, MARTA.userId).at(-1)!.params.text), /^🔴 <b>Світло зникло<\/b>/);
  });
});

describe('a refusal for content and the place warning', () => {
  let t: TelegramTestApp;
  useTelegramApp((app) => void (t = app), { clock: () => new ManualClock(kyiv('2026-11-21T12:00')), telegram: { retryPolicy: DEFAULT_RETRY_POLICY } });

  test('a post Telegram refuses as too long goes out as plain text at once, is not retried as is, and flags nothing', async () => {
    const channel = CHANNEL_ID - 78;
    const place = await t.createPlace({ name: 'Кафе <Світанок>', timeoutS: 60, channelId: String(channel), language: 'uk' });
    await beat(t, place);
    t.fake.failNext(1, { code: 400, description: 'Bad Request: message is too long' }, { method: 'sendMessage', chatId: channel });
    t.clock.advance(2 * MIN);
    t.sweep();
    await t.drain();
    const tries = t.fake.callsOf('sendMessage').filter((call) => Number(call.params.chat_id) === channel);
    assert.equal(tries.length, 2, 'one refused, one plain');
    assert.equal(tries[0]!.params.parse_mode, 'HTML');
    assert.equal(tries[1]!.failed, undefined);
    assert.equal(tries[1]!.params.parse_mode, undefined, 'the replacement has no markup to refuse');
    assert.match(String(tries[1]!.params.text), /^🔴 Світло зникло\n📍 Кафе <Світанок>\n/);
    assert.equal(flagOf(t, place.id), 0, "the text's fault, not the channel's: no warning");
    assert.equal(waitingAlerts(t), 0);

    // The next change goes out as usual.
    await beat(t, place);
    await t.drain();
    const last = delivered(t.fake.calls, channel).at(-1)!;
    assert.equal(last.params.parse_mode, 'HTML');
    assert.match(String(last.params.text), /^🟢 <b>Світло є<\/b>/);
  });

  test("a subscriber's message refused as too long reaches them as plain text", async () => {
    const place = await t.createPlace({ name: 'Дім <2>', timeoutS: 60, channelId: String(CHANNEL_ID - 81), language: 'uk' });
    const person = { userId: 7102, displayName: 'Ігор', language: 'uk' as const };
    t.system.people.subscribers.subscribe(place.id, person, t.clock.now());
    await beat(t, place);
    t.fake.failNext(1, { code: 400, description: 'Bad Request: message is too long' }, { method: 'sendMessage', chatId: person.userId });
    t.clock.advance(2 * MIN);
    t.sweep();
    await t.drain();
    const tries = t.fake.callsOf('sendMessage').filter((call) => Number(call.params.chat_id) === person.userId);
    assert.equal(tries.length, 2);
    assert.equal(tries[1]!.failed, undefined);
    assert.equal(tries[1]!.params.parse_mode, undefined);
    assert.match(String(tries[1]!.params.text), /^🔴 Світло зникло\n📍 Дім <2>\n/);
    await beat(t, place);
    await t.drain();
    const last = delivered(t.fake.calls, person.userId).at(-1)!;
    assert.equal(last.params.parse_mode, 'HTML', 'the next one is HTML again');
    assert.match(String(last.params.text), /^🟢 <b>Світло є<\/b>/);
  });

  test('a refused plain post is dropped: the alerts after it are not held', async () => {
    const channel = CHANNEL_ID - 79;
    const place = await t.createPlace({ name: 'Склад', timeoutS: 60, channelId: String(channel), language: 'uk' });
    await beat(t, place);
    t.fake.failNext(2, { code: 400, description: "Bad Request: can't parse entities: Unsupported start tag" }, { method: 'sendMessage', chatId: channel });
    t.clock.advance(2 * MIN);
    t.sweep();
    await t.drain();
    const failed = t.rows((db) =>
      db
        .selectFrom('outbox')
        .select('last_error')
        .where('kind', '=', 'alert')
        .where('location_id', '=', place.id)
        .where('failed_at', 'is not', null)
        .$narrowType<{ last_error: string }>(),
    );
    assert.equal(failed.length, 1);
    assert.match(failed[0]!.last_error, /can't parse entities/);
    await beat(t, place);
    await t.drain();
    assert.match(String(delivered(t.fake.calls, channel).at(-1)!.params.text), /^🟢 <b>Світло є<\/b>/);
    assert.equal(flagOf(t, place.id), 0);
  });

  test('a diagram getting through does not clear the warning while alerts are still stuck; the alerts getting through do', async () => {
    const channel = CHANNEL_ID - 80;
    const place = await t.createPlace({ name: 'Гараж', timeoutS: 60, channelId: String(channel), language: 'uk' });
    await beat(t, place);
    await t.drain();
    // Text posts fail (a 500 for sendMessage only) for 11 minutes; pictures still go.
    t.fake.failAll({ code: 500, description: 'Internal Server Error' }, { method: 'sendMessage', chatId: channel });
    t.clock.advance(2 * MIN);
    t.sweep();
    for (let minute = 0; minute < 12; minute += 1) {
      await t.drain();
      t.clock.advance(MIN);
    }
    assert.equal(flagOf(t, place.id), 1, 'flagged: the OFF has not got through for 10 minutes');
    await t.system.diagrams!.sendNow(place.id);
    await t.drain();
    assert.ok(t.fake.callsOf('sendPhoto').some((call) => Number(call.params.chat_id) === channel && !call.failed), 'the diagram went out');
    assert.equal(flagOf(t, place.id), 1, 'the OFF is still stuck: the warning stays');

    t.fake.clearFailures();
    for (let minute = 0; minute <= 5 && waitingAlerts(t) > 0; minute += 1) {
      await t.drain();
      t.clock.advance(MIN);
    }
    assert.equal(waitingAlerts(t), 0);
    assert.equal(flagOf(t, place.id), 0, 'the OFF got through: the warning cleared');
  });
});
