import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DateTime } from 'luxon';
import type { Place } from '../../src/places/place-service.js';
import { ManualClock } from '../support/clock.js';
import type { RecordedCall } from '../support/fake-bot-api.js';
import { CHANNEL_ID, startTelegramTestApp, type TelegramTestApp } from '../support/telegram-app.js';
import { tempDir } from '../support/temp-dir.js';
import { gpvBody, type GpvValue } from '../schedules/gpv-body.js';
import { startSourceServer } from '../schedules/source-server.js';
import { QueueFeed, type QueueDays } from '../schedules/queue-feed.js';

/**
 * A place's schedule posts in the private chats of the subscribers who chose planned-outage
 * warnings, end to end: a local server plays the GPV source, the clock is moved by hand.
 * "Дім" posts into topic 42 of a forum group and has three subscribers: Марта (uk, default quiet
 * hours 23:00–07:00), John (en, no quiet hours) and Тихон, who turned warnings off. "Дача" has no
 * chat at all: only its subscriber hears of its plan.
 */
const kyiv = (time: string, day = '2026-11-20') => DateTime.fromISO(`${day}T${time}`, { zone: 'Europe/Kyiv' }).toMillis();
const off = (...hours: number[]) => Object.fromEntries(hours.map((h) => [h, 'no' as GpvValue]));
const GROUP = CHANNEL_ID - 5;
const TOPIC = 42;
const MARTA = { userId: 7101, displayName: 'Марта', language: 'uk' as const };
const JOHN = { userId: 7102, displayName: 'John', language: 'en' as const };
const TYKHON = { userId: 7103, displayName: 'Тихон', language: 'uk' as const };
const BLOCKER = { userId: 7104, displayName: 'Blocker', language: 'uk' as const };

const dir = tempDir();
let server: Awaited<ReturnType<typeof startSourceServer>>;
let t: TelegramTestApp;
let home: Place;
let dacha: Place;
let feed: QueueFeed;

const publish = (at: number, days: QueueDays): Promise<void> => feed.publish(t, at, days);
const readAt = (at: number): Promise<void> => feed.readAt(t, at);

const sentTo = (chat: number): RecordedCall[] => t.fake.callsOf('sendMessage').filter((call) => Number(call.params.chat_id) === chat && !call.failed);
const textsTo = (chat: number): string[] => sentTo(chat).map((call) => String(call.params.text));

before(async () => {
  server = await startSourceServer();
  feed = new QueueFeed(server, { path: '/kyiv.json', sourceId: 'kyiv', queue: 'GPV3.1' });
  server.reply('/kyiv.json', { kind: 'serve', body: gpvBody({ update: '20.11.2026 13:30', days: { '2026-11-20': { 'GPV3.1': off(19, 20, 21) } } }), etag: '"v0"' });
  t = await startTelegramTestApp(dir.file('monitor.db'), { clock: new ManualClock(kyiv('14:00')), env: { SCHEDULE_SOURCES: `kyiv=gpv:${server.url('/kyiv.json')}` } });
  home = await t.createPlace({ name: 'Дім', timeoutS: 60, channelId: String(GROUP), language: 'uk' });
  assert.ok(t.system.people.destinations.link(home.id, { chatId: String(GROUP), chatType: 'supergroup', threadId: TOPIC, topicName: 'Світло' }, t.clock.now()));
  dacha = await t.createPlace({ name: 'Дача', timeoutS: 60, language: 'uk' });
  const { subscribers } = t.system.people;
  for (const person of [MARTA, JOHN, TYKHON, BLOCKER]) assert.equal(subscribers.subscribe(home.id, person, t.clock.now()), 'subscribed');
  subscribers.setQuietHours(JOHN.userId, null);
  subscribers.setChoices(TYKHON.userId, home.id, { plan_warnings: false });
  assert.equal(subscribers.subscribe(dacha.id, MARTA, t.clock.now()), 'subscribed');
  await t.system.schedules.poller.poll('kyiv');
  t.system.schedules.attach(home.id, 'kyiv', '3.1');
  t.system.schedules.attach(dacha.id, 'kyiv', '3.1');
  t.system.schedules.setWarnMinutes(home.id, 30);
  await t.system.schedules.notices!.idle();
});
after(async () => {
  await t?.stop(); // the service, then the fake Bot API it was started with
  await server?.close();
  dir.cleanup();
});

describe("a place's schedule posts in its subscribers' private chats", () => {
  test('a warning before a planned outage: the topic and every subscriber who chose warnings, each in their language', async () => {
    t.fake.failAll({ code: 403, description: 'Forbidden: bot was blocked by the user' }, { method: 'sendMessage', chatId: BLOCKER.userId });
    await readAt(kyiv('17:30'));
    const [inTopic] = sentTo(GROUP);
    assert.equal(inTopic?.params.text, '⏰ О 18:00 за графіком вимкнуть світло (черга 3.1), до ~21:00\n📍 Дім');
    assert.equal(inTopic?.params.message_thread_id, TOPIC, "into the place's topic, as its alerts");
    // Дача's own warnings are off (it has no chat), but Марта chose warnings: she gets hers, 30 min ahead.
    assert.deepEqual(textsTo(MARTA.userId), [
      '⏰ О 18:00 за графіком вимкнуть світло (черга 3.1), до ~21:00\n📍 Дім',
      '⏰ О 18:00 за графіком вимкнуть світло (черга 3.1), до ~21:00\n📍 Дача',
    ]);
    assert.match(textsTo(JOHN.userId)[0] ?? '', /^⏰ .*18:00.*\n📍 Дім$/);
    assert.notEqual(textsTo(JOHN.userId)[0], textsTo(MARTA.userId)[0], 'in English for John');
    assert.equal(sentTo(MARTA.userId)[0]!.params.disable_notification, undefined, 'outside her quiet hours: it rings');
    assert.deepEqual(textsTo(TYKHON.userId), [], 'warnings turned off: nothing');

    // The person who blocked the bot is inactive now: nothing more is queued for them, the place is not flagged.
    assert.equal(t.system.people.subscribers.recipient(home.id, BLOCKER.userId, 'plan_warnings'), undefined);
    assert.equal(t.fake.callsOf('sendMessage').filter((call) => Number(call.params.chat_id) === BLOCKER.userId).length, 1);
    t.fake.clearFailures();

    await readAt(kyiv('17:40'));
    assert.equal(textsTo(MARTA.userId).length, 2, 'once each');
  });

  test("a change of tomorrow's plan at night: delivered silently inside quiet hours, with sound outside them", async () => {
    await publish(kyiv('22:00'), { '2026-11-20': off(19, 20, 21), '2026-11-21': off(10, 11) });
    const martaBefore = textsTo(MARTA.userId).length;
    const johnBefore = textsTo(JOHN.userId).length;
    await publish(kyiv('23:30'), { '2026-11-20': off(19, 20, 21), '2026-11-21': off(10, 11, 12) });
    const toMarta = sentTo(MARTA.userId).slice(martaBefore);
    // Марта follows both places on the same queue: one message about each.
    assert.deepEqual(
      toMarta.map((call) => String(call.params.text)),
      ['📅 Графік на завтра змінився: +09:00–12:00, −09:00–11:00\n📍 Дім · черга 3.1', '📅 Графік на завтра змінився: +09:00–12:00, −09:00–11:00\n📍 Дача · черга 3.1'],
    );
    assert.ok(toMarta.every((call) => call.params.disable_notification === true), 'inside 23:00–07:00: silent, but sent now');
    const toJohn = sentTo(JOHN.userId).slice(johnBefore);
    assert.equal(toJohn.length, 1);
    assert.equal(toJohn[0]!.params.disable_notification, undefined, 'no quiet hours: it rings');
  });

  test('a place with no chat: its subscribers are told, and no post fails for want of a channel', async () => {
    const rows = t.rows((db) =>
      db
        .selectFrom('outbox')
        .select((eb) => ['kind', eb('sent_at', 'is not', null).as('sent'), 'failed_at'])
        .where('location_id', '=', dacha.id)
        .where('kind', 'in', ['plan_notice', 'private_plan_notice']),
    );
    assert.ok(rows.length > 0);
    assert.deepEqual(new Set(rows.map((row) => `${row.kind} sent=${row.sent} failed=${row.failed_at !== null}`)), new Set(['private_plan_notice sent=1 failed=false']));
  });

  test('a subscriber who leaves hears nothing more, even of a post queued for them before they left', async () => {
    const johnBefore = textsTo(JOHN.userId).length;
    const martaBefore = textsTo(MARTA.userId).length;
    // Queued, not yet delivered: the source changes, the service looks, and John leaves before delivery.
    await feed.publish(t, kyiv('23:40'), { '2026-11-20': off(19, 20, 21), '2026-11-21': off(10, 11, 12, 13) }, { deliver: false });
    assert.ok(t.system.people.subscribers.unsubscribe(home.id, JOHN.userId));
    await t.drain();
    assert.equal(textsTo(JOHN.userId).length, johnBefore);
    assert.equal(textsTo(MARTA.userId).length, martaBefore + 2, 'the others still hear of it');
  });
});
