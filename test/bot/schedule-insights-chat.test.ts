import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Place } from '../../src/places/place-service.js';
import type { QueueHintNotice } from '../../src/outbox/messages.js';
import { queueHintData } from '../../src/schedules/queue-hint-text.js';
import { startFakeBotApi, type FakeBotApi, type RecordedCall } from '../support/fake-bot-api.js';
import { OWNER, startTelegramTestApp, type TelegramTestApp } from '../support/telegram-app.js';
import { AdminChat } from '../support/admin-chat.js';
import { tempDir } from '../support/temp-dir.js';
import { startSourceServer } from '../schedules/source-server.js';
import { gpvBody, USUAL_QUEUES } from '../schedules/gpv-body.js';

const STRANGER = { id: 5555, is_bot: false, first_name: 'Stranger', language_code: 'en' } as const;
const answers = (calls: RecordedCall[]) => calls.filter((call) => call.method === 'answerCallbackQuery').map((call) => String(call.params.text ?? ''));
const sent = (calls: RecordedCall[]) => calls.filter((call) => call.method === 'sendMessage').map((call) => String(call.params.text ?? ''));

// The test clock starts at 2026-11-20 10:00 UTC, 12:00 in Kyiv.
const KYIV_BODY = gpvBody({ update: '20.11.2026 11:30', queues: USUAL_QUEUES, days: { '2026-11-20': { 'GPV3.1': { 9: 'no' } } } });

describe('schedule insights in the admin chat', () => {
  const dir = tempDir();
  let server: Awaited<ReturnType<typeof startSourceServer>>;
  let fake: FakeBotApi;
  let t: TelegramTestApp;
  let chat: AdminChat;
  let place: Place;

  before(async () => {
    server = await startSourceServer();
    server.reply('/kyiv.json', { kind: 'serve', body: KYIV_BODY, etag: '"k1"' });
    server.reply('/broken.json', { kind: 'status', status: 503 });
    fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
    t = await startTelegramTestApp(dir.file('monitor.db'), { fake, env: { SCHEDULE_SOURCES: `kyiv=gpv:${server.url('/kyiv.json')},dnipro=gpv:${server.url('/broken.json')}` } });
    chat = new AdminChat(fake, OWNER);
    place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
  });
  after(async () => {
    await t.stop();
    await fake.close();
    await server.close();
    dir.cleanup();
  });

  test('"📅 Джерела графіків": each source in use with its copy, failures of the day and places', async () => {
    await chat.send('/start');
    await chat.press(chat.lastMenu(), '📅 Джерела графіків');
    assert.match(chat.lastMenu().text ?? '', /Жодне місце ще не стежить за графіком/);

    await t.system.schedules.queueChoices('kyiv');
    t.system.schedules.attach(place.id, 'kyiv', '1.1');
    const other = await t.createPlace({ name: 'Дача', timeoutS: 60 });
    t.system.schedules.setRegion(other.id, 'dnipro');
    await t.system.schedules.queueChoices('dnipro', 2000);
    await chat.press(chat.lastMenu(), '🔄 Оновити');
    const text = chat.lastMenu().text ?? '';
    assert.match(text, /Київ \(ДТЕК\)<\/b> · kyiv\nОстання добра копія: дані на 20\.11 11:30 \(30 хв тому\), прочитано 0 с тому\n✅ У дописах використовується\nЗбоїв за добу: 0 · місць: 1/);
    assert.match(text, /Дніпропетровська область \(ДТЕК\)<\/b> · dnipro\nДоброї копії ще немає\.\n⚠️ У дописах не використовується: джерело не відповідає\nЗбоїв за добу: 1 · місць: 1\nНевдалих спроб поспіль: 1; остання помилка: HTTP 503/);
    await chat.press(chat.lastMenu(), '⬅️ Усі місця');
  });

  test('"I don\'t know the queue": the place is put in the region only, and its card says the queue will be found', async () => {
    await chat.send('/start');
    await chat.press(chat.lastMenu(), AdminChat.labels(chat.lastMenu()).find((label) => label.includes('Дім'))!);
    await chat.press(chat.lastMenu(), '📅 Графік відключень');
    const menu = chat.lastMenu();
    await chat.press(menu, '🗺 Змінити регіон чи чергу');
    await chat.press(menu, '✓ Київ (ДТЕК)');
    await chat.press(menu, '❓ Не знаю черги — визначити за відключеннями');
    assert.deepEqual(t.system.schedules.settings(place.id), { placeId: place.id, source: null, queue: null, region: 'kyiv', warnMinutes: 0, postTomorrow: false });
    const text = chat.messages().find((m) => m.message_id === menu.message_id)!.text ?? '';
    assert.match(text, /📍 <b>Дім<\/b>: регіон Київ \(ДТЕК\), черга поки невідома\./);
    assert.match(text, /📍 Регіон: Київ \(ДТЕК\); черга визначиться за відключеннями\./);
  });

  test('a queue hint reaches every admin as a message of its own, with the button, beside other notices', async () => {
    const hint: QueueHintNotice = { notice: 'queue_hint', hint: 'suggest', placeId: place.id, placeName: 'Дім', source: 'kyiv', queue: 'GPV3.1', current: null, matched: 11, outages: 12, days: 5 };
    t.enqueue({ kind: 'admin_notice', placeId: place.id, payload: { notice: 'alerting_failed', placeName: 'Дім', channel: '@home', reason: 'no rights' } });
    t.enqueue({ kind: 'admin_notice', placeId: place.id, payload: hint });
    t.system.outbox.wake();
    const call = await fake.waitForCall('sendMessage', (c) => String(c.params.text ?? '').includes('🔎'));
    assert.equal(call.params.text, '🔎 <b>Дім</b> (kyiv): схоже, ваша черга — 3.1: збіг 11 з 12 відключень за 5 днів. Підписатися на неї?');
    const markup = (typeof call.params.reply_markup === 'string' ? JSON.parse(call.params.reply_markup) : call.params.reply_markup) as { inline_keyboard: { text: string; callback_data: string }[][] };
    assert.deepEqual(markup.inline_keyboard, [[{ text: 'Підписатися на чергу 3.1', callback_data: queueHintData(place.id, 'kyiv', 'GPV3.1') }]]);
    const other = await fake.waitForCall('sendMessage', (c) => String(c.params.text ?? '').includes('@home') || String(c.params.text ?? '').includes('no rights'));
    assert.ok(!String(other.params.text).includes('🔎'), 'the other notice goes without the hint');
  });

  test('the button under a queue hint puts the place on that queue; a bad one changes nothing; a stranger is refused', async () => {
    await t.system.schedules.queueChoices('kyiv');
    const menu = chat.lastMenu();
    const calls = await chat.pressData(menu, queueHintData(place.id, 'kyiv', 'GPV3.1'));
    assert.equal(t.system.schedules.settings(place.id)?.queue, 'GPV3.1');
    assert.deepEqual(answers(calls), ['✅ Дім: тепер черга 3.1.']);
    assert.deepEqual(sent(calls), ['✅ Дім: тепер черга 3.1.']);

    const bad = await chat.pressData(menu, queueHintData(place.id, 'kyiv', 'GPV9.9'));
    assert.match(answers(bad)[0] ?? '', /^Не вдалося: /);
    assert.equal(t.system.schedules.settings(place.id)?.queue, 'GPV3.1');

    const stranger = new AdminChat(fake, STRANGER);
    await stranger.pressData(menu, queueHintData(place.id, 'kyiv', 'GPV1.1'));
    assert.equal(t.system.schedules.settings(place.id)?.queue, 'GPV3.1', 'a forged press from someone else does nothing');
  });
});
