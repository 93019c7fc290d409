import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DateTime } from 'luxon';
import type { Place } from '../../src/places/place-service.js';
import { snoozeUntil } from '../../src/people/snooze-summary.js';
import { ManualClock } from '../support/clock.js';
import type { RecordedCall } from '../support/fake-bot-api.js';
import { CHANNEL_ID, OWNER, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';

const MIN = 60_000;
const KYIV = 'Europe/Kyiv';
const kyiv = (iso: string): number => DateTime.fromISO(iso, { zone: KYIV }).toMillis();

const MARTA = { userId: 7001, displayName: 'Марта', language: 'uk' as const };
const JOHN = { userId: 7002, displayName: 'John', language: 'en' as const };

async function beat(t: TelegramTestApp, place: Place, body: object = {}): Promise<void> {
  const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` }, body: JSON.stringify(body) });
  assert.equal(response.status, 200);
}

/** The place's board goes silent: past the timeout the place is OFF (the sweep's decision). */
async function powerOff(t: TelegramTestApp, place: Place): Promise<void> {
  await beat(t, place);
  t.clock.advance(2 * MIN);
  assert.equal(t.expire([place.id]), 1);
  await t.drain();
}

/** A heartbeat after the outage: the place is ON again. */
async function powerOn(t: TelegramTestApp, place: Place): Promise<void> {
  t.clock.advance(10 * MIN);
  await beat(t, place);
  await t.drain();
}

const sent = (calls: readonly RecordedCall[], chat: number | string) =>
  calls.filter((call) => call.method === 'sendMessage' && !call.failed && String(call.params.chat_id) === String(chat));
const texts = (calls: readonly RecordedCall[]) => calls.map((call) => String(call.params.text));

describe("a place's alerts in its subscribers' private chats", () => {
  let t: TelegramTestApp;
  useTelegramApp((app) => void (t = app), { clock: () => new ManualClock(kyiv('2026-11-20T12:00')) });

  test('the channel and every subscriber who wants alerts get it, each in their language; quiet hours make it silent', async () => {
    const channel = CHANNEL_ID - 1;
    const place = await t.createPlace({ name: 'Дача <b>', timeoutS: 60, channelId: String(channel), language: 'uk' });
    const { subscribers } = t.system.people;
    assert.equal(subscribers.subscribe(place.id, MARTA, t.clock.now()), 'subscribed');
    assert.equal(subscribers.subscribe(place.id, JOHN, t.clock.now()), 'subscribed');
    subscribers.subscribe(place.id, { userId: 7003, displayName: 'Quiet one', language: 'uk' }, t.clock.now());
    subscribers.setChoices(7003, place.id, { alerts: false });

    await powerOff(t, place);
    const [toMarta] = sent(t.fake.calls, MARTA.userId);
    const [toJohn] = sent(t.fake.calls, JOHN.userId);
    assert.match(String(toMarta?.params.text), /^🔴 <b>Світло зникло<\/b>\n📍 Дача &lt;b&gt;\n/);
    assert.match(String(toJohn?.params.text), /^🔴 <b>Power is gone<\/b>\n📍 Дача &lt;b&gt;\n/);
    assert.equal(sent(t.fake.calls, 7003).length, 0, 'alerts turned off: nothing');
    assert.equal(sent(t.fake.calls, channel).length, 1, 'the channel still gets its post');
    // 12:02 in Kyiv: outside the default 23:00–07:00, so it rings.
    assert.equal(toMarta?.params.disable_notification, undefined);

    // Marta keeps the default night; John turns quiet hours off; it is now 23:30.
    subscribers.setQuietHours(JOHN.userId, null);
    t.clock.set(kyiv('2026-11-20T23:30'));
    await powerOn(t, place);
    const lastToMarta = sent(t.fake.calls, MARTA.userId).at(-1)!;
    const lastToJohn = sent(t.fake.calls, JOHN.userId).at(-1)!;
    assert.match(String(lastToMarta.params.text), /Світло є/);
    assert.equal(lastToMarta.params.disable_notification, true, 'inside her quiet hours: silent, but delivered now');
    assert.equal(lastToJohn.params.disable_notification, undefined, 'no quiet hours: it rings');
    assert.equal(sent(t.fake.calls, channel).at(-1)!.params.disable_notification, undefined, 'the channel has no quiet hours by default');
  });

  test("a chat's quiet hours and forum topic apply to every post of the place there", async () => {
    t.clock.set(kyiv('2026-11-22T12:00'));
    const group = -1009876543210;
    const place = await t.createPlace({ name: 'Під’їзд 3', timeoutS: 60, channelId: String(group), language: 'uk' });
    assert.ok(t.system.people.destinations.link(place.id, { chatId: String(group), chatType: 'supergroup', threadId: 42, topicName: 'Світло' }, t.clock.now()));
    t.system.people.destinations.setQuietHours(place.id, String(group), { startMin: 22 * 60, endMin: 8 * 60 }, t.clock.now());
    await powerOff(t, place);
    const [off] = sent(t.fake.calls, group);
    assert.equal(off?.params.message_thread_id, 42, 'the alert goes to the topic');
    assert.equal(off?.params.disable_notification, undefined, 'noon: outside the chat quiet hours');
    t.clock.set(kyiv('2026-11-22T22:30'));
    await beat(t, place);
    await t.drain();
    const on = sent(t.fake.calls, group).at(-1)!;
    assert.equal(on.params.message_thread_id, 42);
    assert.equal(on.params.disable_notification, true, 'inside the chat quiet hours: silent');

    await t.system.diagrams!.sendNow(place.id);
    await t.drain();
    const photos = t.fake.callsOf('sendPhoto').filter((call) => !call.failed && Number(call.params.chat_id) === group);
    assert.ok(photos.length > 0, 'the diagram was posted');
    assert.ok(photos.every((call) => Number(call.params.message_thread_id) === 42), 'the diagram goes to the topic too');
  });

  test('a subscriber who blocked the bot is marked inactive: no flag on the place, no word to the admins, nothing more sent', async () => {
    t.clock.set(kyiv('2026-11-23T12:00'));
    const place = await t.createPlace({ name: 'Офіс', timeoutS: 60, channelId: String(CHANNEL_ID - 7), language: 'uk' });
    const blocker = { userId: 7100, displayName: 'Blocker', language: 'uk' as const };
    t.system.people.subscribers.subscribe(place.id, blocker, t.clock.now());
    t.system.people.subscribers.subscribe(place.id, MARTA, t.clock.now());
    t.fake.reset();
    t.fake.failAll({ code: 403, description: 'Forbidden: bot was blocked by the user' }, { method: 'sendMessage', chatId: blocker.userId });

    await powerOff(t, place);
    assert.equal(t.fake.callsTo(blocker.userId).length, 1, 'one attempt');
    assert.equal(t.system.people.subscribers.person(blocker.userId)?.active, false);
    assert.equal(sent(t.fake.calls, MARTA.userId).length, 1, 'the others still get theirs');
    assert.equal((await t.place(place.id)).alerting_failed, 0, 'not a flag on the place');
    await t.drain();
    // (The device's first call was announced to the admins: not a notice about this subscriber.)
    assert.equal(sent(t.fake.calls, OWNER.id).filter((call) => !/на зв'язку|on the air/.test(String(call.params.text))).length, 0, 'no notice to the admins');

    await powerOn(t, place);
    assert.equal(t.fake.callsTo(blocker.userId).length, 1, 'nothing more is tried');
    assert.deepEqual(t.system.people.subscribers.recipients(place.id, 'alerts').map((r) => r.userId), [MARTA.userId]);
    t.fake.clearFailures();
  });
});

describe('quiet hours across midnight and the DST changes, by the local wall clock', () => {
  let t: TelegramTestApp;
  useTelegramApp((app) => void (t = app), { clock: () => new ManualClock(kyiv('2026-03-28T12:00')) });

  test('an alert handed over inside 23:00–07:00 goes silently, outside it rings', async () => {
    const place = await t.createPlace({ name: 'Дім', timeoutS: 60, language: 'uk' });
    t.system.people.subscribers.subscribe(place.id, MARTA, t.clock.now());
    /** The place goes off so that its alert is handed to Telegram at `iso`: silent or not? */
    const silentAt = async (iso: string): Promise<boolean> => {
      t.clock.set(kyiv(iso) - 2 * MIN);
      await beat(t, place);
      await t.drain();
      t.fake.reset();
      t.clock.set(kyiv(iso));
      assert.equal(t.expire([place.id]), 1, iso);
      await t.drain();
      const calls = sent(t.fake.calls, MARTA.userId);
      assert.equal(calls.length, 1, `one message for ${iso}`);
      assert.match(String(calls[0]!.params.text), /Світло зникло/);
      return calls[0]!.params.disable_notification === true;
    };
    assert.equal(await silentAt('2026-03-28T22:59'), false, 'before the window');
    assert.equal(await silentAt('2026-03-28T23:59'), true, 'before midnight');
    assert.equal(await silentAt('2026-03-29T00:30'), true, 'after midnight');
    // 29 March 2026: 03:00 jumps to 04:00 in Kyiv; the night still ends at 07:00 local.
    assert.equal(await silentAt('2026-03-29T04:10'), true, 'just after the jump');
    assert.equal(await silentAt('2026-03-29T06:59'), true, 'spring DST day, just before the end');
    assert.equal(await silentAt('2026-03-29T07:01'), false, 'spring DST day, after the end');
    // 25 October 2026: 04:00 goes back to 03:00; 03:30 happens twice, both inside.
    assert.equal(await silentAt('2026-10-25T03:30'), true, 'autumn, the repeated hour');
    assert.equal(await silentAt('2026-10-25T06:59'), true, 'autumn DST day, just before the end');
    assert.equal(await silentAt('2026-10-25T07:00'), false, 'autumn DST day, at the end');
  });
});

describe('snooze: posts held, one summary at the end', () => {
  let t: TelegramTestApp;
  useTelegramApp((app) => void (t = app), { clock: () => new ManualClock(kyiv('2026-11-20T10:00')) });

  test('changes during a snooze are recorded and drawn, posted as one summary to the channel and the subscribers when it ends', async () => {
    const channel = CHANNEL_ID - 20;
    const place = await t.createPlace({ name: 'Дача', timeoutS: 60, channelId: String(channel), language: 'uk' });
    t.system.people.subscribers.subscribe(place.id, JOHN, t.clock.now());
    await beat(t, place);
    assert.equal(t.system.people.snoozes.snooze(place.id, snoozeUntil(t.clock.now(), 3), { now: t.clock.now(), by: OWNER.id }), 'snoozed');

    t.clock.set(kyiv('2026-11-20T10:30'));
    assert.equal(t.expire([place.id]), 1);
    t.clock.set(kyiv('2026-11-20T11:15'));
    await beat(t, place);
    await t.drain();
    assert.equal(sent(t.fake.calls, channel).length, 0, 'nothing posted while snoozed');
    assert.equal(sent(t.fake.calls, JOHN.userId).length, 0);
    const events = await t.system.places.recentEvents(place.id, 10);
    assert.ok(events.some((event) => event.status === 'off'), 'the outage is recorded (and so drawn)');

    t.clock.set(kyiv('2026-11-20T12:59'));
    assert.equal(t.endDueSnoozes(), 0, 'not yet');
    t.clock.set(kyiv('2026-11-20T13:00'));
    assert.equal(t.endDueSnoozes(), 1);
    await t.drain();
    assert.deepEqual(texts(sent(t.fake.calls, channel)), [
      '🔕 <b>Поки адміністратор притримував сповіщення</b>: 🔴 10:00–🟢 11:15, не було 1 год 15 хв\n📍 Дача\nЗараз: 🟢 світло є з 11:15',
    ]);
    assert.deepEqual(texts(sent(t.fake.calls, JOHN.userId)), [
      '🔕 <b>While the admin held back alerts</b>: 🔴 10:00–🟢 11:15, off for 1 h 15 min\n📍 Дача\nNow: 🟢 power on since 11:15',
    ]);
    assert.equal(t.system.people.snoozes.get(place.id), undefined, 'the snooze is over');
  });

  test('a snooze with no changes ends with no post at all; a change after its end comes after the summary', async () => {
    t.clock.set(kyiv('2026-11-21T10:00'));
    const channel = CHANNEL_ID - 21;
    const quiet = await t.createPlace({ name: 'Тиша', timeoutS: 60, channelId: String(channel), language: 'uk' });
    await beat(t, quiet);
    t.system.people.snoozes.snooze(quiet.id, snoozeUntil(t.clock.now(), 1), { now: t.clock.now(), by: OWNER.id });
    t.clock.advance(30 * MIN);
    await beat(t, quiet);
    t.clock.advance(31 * MIN);
    assert.equal(t.endDueSnoozes(), 1);
    await t.drain();
    assert.equal(sent(t.fake.calls, channel).length, 0, 'nothing happened, nothing posted');

    // Held while snoozed, then the snooze runs out and the next change arrives before the periodic check.
    const busy = await t.createPlace({ name: 'Гомін', timeoutS: 60, channelId: String(channel - 1), language: 'en' });
    await beat(t, busy);
    t.system.people.snoozes.snooze(busy.id, snoozeUntil(t.clock.now(), 1), { now: t.clock.now(), by: OWNER.id });
    t.clock.advance(2 * MIN);
    assert.equal(t.expire([busy.id]), 1);
    t.clock.advance(60 * MIN);
    await beat(t, busy);
    await t.drain();
    const posts = texts(sent(t.fake.calls, channel - 1));
    assert.equal(posts.length, 2);
    assert.match(posts[0]!, /^🔕 <b>While the admin held back alerts<\/b>: 🔴 \d\d:\d\d power went out/);
    assert.match(posts[1]!, /^🟢 <b>Power is back<\/b>/);
  });

  test('an admin ends a snooze early: the summary goes at once', async () => {
    t.clock.set(kyiv('2026-11-22T10:00'));
    const channel = CHANNEL_ID - 30;
    const place = await t.createPlace({ name: 'Склад', timeoutS: 60, channelId: String(channel), language: 'uk' });
    await beat(t, place);
    t.system.people.snoozes.snooze(place.id, snoozeUntil(t.clock.now(), 12), { now: t.clock.now(), by: OWNER.id });
    t.clock.advance(2 * MIN);
    t.expire([place.id]);
    const ended = t.system.people.alerts.endSnooze(place.id, t.clock.now());
    assert.equal(ended?.alerts.length, 1);
    await t.drain();
    assert.match(texts(sent(t.fake.calls, channel)).join(), /Поки адміністратор притримував сповіщення.*світло зникло/s);
  });
});
