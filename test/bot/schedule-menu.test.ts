import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Message } from 'grammy/types';
import type { Place } from '../../src/places/place-service.js';
import { startFakeBotApi, type FakeBotApi, type RecordedCall } from '../support/fake-bot-api.js';
import { OWNER, startTelegramTestApp, type TelegramTestApp } from '../support/telegram-app.js';
import { AdminChat, textsOf } from '../support/admin-chat.js';
import { tempDir } from '../support/temp-dir.js';
import { startSourceServer } from '../schedules/source-server.js';
import { gpvBody, USUAL_QUEUES } from '../schedules/gpv-body.js';

const MIN = 60_000;
const STRANGER = { id: 5555, is_bot: false, first_name: 'Stranger', language_code: 'en' } as const;
const answers = (calls: RecordedCall[]) => calls.filter((call) => call.method === 'answerCallbackQuery').map((call) => String(call.params.text ?? ''));

// The test clock starts at 2026-11-20 10:00 UTC, 12:00 in Kyiv.
const KYIV_BODY = gpvBody({
  update: '20.11.2026 11:30',
  queues: USUAL_QUEUES,
  days: {
    '2026-11-20': { 'GPV1.2': { 15: 'no', 16: 'no', 20: 'first' }, 'GPV3.1': { 9: 'no' } },
    '2026-11-21': { 'GPV1.2': { 9: 'no', 10: 'maybe' } },
  },
});
/** A source with more queues than one page of buttons holds. */
const BIG_QUEUES = Array.from({ length: 30 }, (_, i) => `GPV${i + 1}.1`);
const BIG_BODY = gpvBody({ update: '20.11.2026 11:30', queues: BIG_QUEUES, days: { '2026-11-20': { 'GPV27.1': { 23: 'no', 24: 'no' } } } });

/**
 * A place's outage schedule in the admin chat, against a local HTTP server playing the sources:
 * SCHEDULE_SOURCES points three built-in regions at it (as a self-hoster's mirror would).
 */
describe("a place's outage schedule in the chat", () => {
  const dir = tempDir();
  let server: Awaited<ReturnType<typeof startSourceServer>>;
  let fake: FakeBotApi;
  let t: TelegramTestApp;
  let chat: AdminChat;
  let place: Place;
  let env: Record<string, string>;

  before(async () => {
    server = await startSourceServer();
    server.reply('/kyiv.json', { kind: 'serve', body: KYIV_BODY, etag: '"k1"' });
    server.reply('/big.json', { kind: 'serve', body: BIG_BODY, etag: '"b1"' });
    server.reply('/broken.json', { kind: 'status', status: 503 });
    env = { SCHEDULE_SOURCES: `kyiv=gpv:${server.url('/kyiv.json')},odesa=gpv:${server.url('/big.json')},dnipro=gpv:${server.url('/broken.json')}` };
    fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
    t = await startTelegramTestApp(dir.file('monitor.db'), { fake, env });
    chat = new AdminChat(fake, OWNER);
    place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
  });
  after(async () => {
    await t.stop();
    await fake.close();
    await server.close();
    dir.cleanup();
  });

  const settings = () => t.system.schedules.settings(place.id)!;
  /** /start, the place, then the schedule button: the menu message, now showing the place's schedule. */
  async function openSchedule(): Promise<Message> {
    await chat.send('/start');
    const main = chat.lastMenu();
    await chat.press(main, AdminChat.labels(main).find((label) => label.includes('Дім'))!);
    await chat.press(chat.lastMenu(), '📅 Графік відключень');
    return chat.lastMenu();
  }
  const current = (menu: Message) => chat.messages().find((message) => message.message_id === menu.message_id)!;
  const textOf = (menu: Message) => current(menu).text ?? '';

  test('the card says when no schedule is chosen; region then queue attaches one, and the card shows the plan', async () => {
    await chat.send('/start');
    await chat.press(chat.lastMenu(), '⚪ Дім');
    assert.match(chat.lastMenu().text ?? '', /📅 Графік відключень не вибрано/);

    const menu = await openSchedule();
    assert.match(textOf(menu), /<b>Дім<\/b>: графік відключень/);
    assert.match(textOf(menu), /Виберіть регіон, а потім свою чергу/);
    await chat.press(menu, '🗺 Вибрати регіон і чергу');
    const regions = AdminChat.labels(current(menu));
    assert.ok(regions.includes('Київ (ДТЕК)') && regions.includes('Львівська область'), regions.join(', '));
    assert.ok(!regions.includes('◀️') && !regions.includes('▶️'), 'the built-in list fits one page');

    await chat.press(menu, 'Київ (ДТЕК)');
    assert.match(textOf(menu), /Київ \(ДТЕК\): виберіть чергу/);
    assert.deepEqual(AdminChat.labels(current(menu)).slice(0, 12), ['1.1', '1.2', '2.1', '2.2', '3.1', '3.2', '4.1', '4.2', '5.1', '5.2', '6.1', '6.2']);
    const data = current(menu).reply_markup!.inline_keyboard.flat().map((button) => ('callback_data' in button ? button.callback_data : ''));
    assert.ok(data.every((d) => Buffer.byteLength(d ?? '') <= 64), 'button data within 64 bytes');

    await chat.press(menu, '1.2');
    assert.deepEqual([settings().source, settings().queue], ['kyiv', 'GPV1.2']);
    const text = textOf(menu);
    assert.match(text, /✅ <b>Дім<\/b> тепер за графіком: Київ \(ДТЕК\), черга 1\.2\./);
    assert.match(text, /📅 Графік: Київ \(ДТЕК\), черга 1\.2 · оновлено 30 хв тому/);
    assert.match(text, /Сьогодні: 14:00–16:00, 19:00–19:30/);
    assert.match(text, /Завтра: 08:00–09:00, 09:00–10:00 \(можливе\)/);
    assert.match(text, /Попередження перед відключенням: не надсилати/, 'warnings are off by default');

    await chat.press(menu, '⬅️ Назад');
    assert.match(textOf(menu), /Останній сигнал|Сигналів ще не було/, 'back on the place card');
    assert.match(textOf(menu), /Сьогодні: 14:00–16:00, 19:00–19:30/);
  });

  test('warnings 0/15/30/60 and "post tomorrow" are set by buttons; the current choice is ticked', async () => {
    const menu = await openSchedule();
    await chat.press(menu, '⏰ За 30 хв');
    assert.equal(settings().warnMinutes, 30);
    assert.ok(AdminChat.labels(current(menu)).includes('✓ ⏰ За 30 хв'));
    assert.match(textOf(menu), /Попереджатиму за 30 хв до відключення за графіком/);
    await chat.press(menu, '⏰ За 60 хв');
    assert.equal(settings().warnMinutes, 60);
    await chat.press(menu, '🔕 Не попереджати');
    assert.equal(settings().warnMinutes, 0);

    await chat.press(menu, '⬜ Публікувати графік на завтра');
    assert.equal(settings().postTomorrow, true);
    assert.ok(AdminChat.labels(current(menu)).includes('☑️ Публікувати графік на завтра'));
    await chat.press(menu, '☑️ Публікувати графік на завтра');
    assert.equal(settings().postTomorrow, false);
  });

  test('a long list of queues is paged, and a queue on the second page is the one attached', async () => {
    const menu = await openSchedule();
    await chat.press(menu, '🗺 Змінити регіон чи чергу');
    await chat.press(menu, 'Одеська область (ДТЕК)');
    const first = AdminChat.labels(current(menu));
    assert.ok(first.includes('24.1') && !first.includes('25.1') && first.includes('▶️'), first.join(', '));
    assert.match(textOf(menu), /Сторінка 1 з 2/);
    await chat.press(menu, '▶️');
    const second = AdminChat.labels(current(menu));
    assert.ok(second.includes('27.1') && !second.includes('1.1') && second.includes('◀️'), second.join(', '));
    await chat.press(menu, '27.1');
    assert.deepEqual([settings().source, settings().queue], ['odesa', 'GPV27.1']);
    assert.match(textOf(menu), /Сьогодні: 22:00–24:00/);
  });

  test('a source that cannot be read is said so when picked, and nothing changes', async () => {
    const menu = await openSchedule();
    await chat.press(menu, '🗺 Змінити регіон чи чергу');
    await chat.press(menu, 'Дніпропетровська область (ДТЕК)');
    assert.match(textOf(menu), /Не вдалося прочитати «Дніпропетровська область \(ДТЕК\)»: HTTP 503/);
    assert.match(textOf(menu), /виберіть регіон/, 'still choosing a region');
    assert.equal(settings().source, 'odesa');
  });

  test('a stranger replaying a schedule button changes nothing; "no schedule" detaches', async () => {
    const menu = await openSchedule();
    const button = current(menu).reply_markup!.inline_keyboard.flat().find((b) => b.text === '🚫 Не стежити за графіком');
    assert.ok(button && 'callback_data' in button);
    const forged = await chat.deliver(t.fake.callbackQuery(STRANGER, current(menu), button.callback_data!));
    assert.deepEqual(answers(forged), ['Only admins can do this.']);
    assert.equal(settings().source, 'odesa');

    await chat.press(menu, '🚫 Не стежити за графіком');
    assert.deepEqual([settings().source, settings().queue], [null, null]);
    assert.match(textOf(menu), /Графік від'єднано/);
    assert.match(textOf(menu), /Графік відключень не вибрано/);
  });

  test('a failing source: the card drops the plan and says why, with the data age and the error', async () => {
    t.system.schedules.attach(place.id, 'kyiv', '1.2');
    server.reply('/kyiv.json', { kind: 'status', status: 500 });
    t.clock.advance(46 * MIN);
    assert.equal((await t.system.schedules.poller.poll('kyiv')).result, 'failed');
    const menu = await openSchedule();
    const text = textOf(menu);
    assert.match(text, /📅 Графік: Київ \(ДТЕК\), черга 1\.2 — у дописах не показую: джерело не відповідає/);
    assert.match(text, /Дані оновлено 1 год 16 хв тому\./);
    assert.match(text, /Невдалих спроб поспіль: 1; остання помилка: HTTP 500 Internal Server Error/);
    assert.doesNotMatch(text, /Сьогодні:/, 'no plan is shown from a failing source');
  });

  test('a stale source: the card says it has not been updated, with its age', async () => {
    server.reply('/kyiv.json', { kind: 'serve', body: KYIV_BODY.replace('20.11.2026 11:30', '17.11.2026 09:00'), etag: '"k-old"' });
    assert.equal((await t.system.schedules.poller.poll('kyiv')).result, 'updated');
    const menu = await openSchedule();
    const text = textOf(menu);
    assert.match(text, /у дописах не показую: джерело давно не оновлювалося/);
    assert.match(text, /Дані оновлено 3 д \d+ год( \d+ хв)? тому\./);
    assert.doesNotMatch(text, /Сьогодні:/);
    server.reply('/kyiv.json', { kind: 'serve', body: KYIV_BODY, etag: '"k1"' });
    await t.system.schedules.poller.poll('kyiv');
  });

  test('the schedule menu still works after a restart', async () => {
    const menu = await openSchedule();
    await t.stop();
    t = await startTelegramTestApp(dir.file('monitor.db'), { fake, env });
    await chat.press(menu, '⏰ За 15 хв');
    assert.equal(settings().warnMinutes, 15);
    assert.match(textOf(menu), /Попереджатиму за 15 хв/);
  });

  test('"add location" offers the schedule after the channel: region, then queue', async () => {
    await chat.send('/add');
    await chat.send('Дача');
    await chat.press(chat.last(), '2 хв');
    await chat.send('Пропустити: типовий канал');
    const picker = chat.lastMenu();
    assert.match(picker.text ?? '', /Виберіть регіон/);
    for (let i = 0; i < 2; i++) {
      const calls = await chat.press(picker, 'Дніпропетровська область (ДТЕК)');
      assert.deepEqual(calls.filter((call) => call.failed && !('description' in call.failed && /not modified/.test(call.failed.description))).map((c) => c.method), []);
      assert.match(current(picker).text ?? '', /Не вдалося прочитати «Дніпропетровська область \(ДТЕК\)»: HTTP 503/);
    }
    await chat.press(picker, 'Одеська область (ДТЕК)');
    assert.ok(AdminChat.labels(current(picker)).includes('▶️'));
    await chat.press(picker, '▶️');
    await chat.press(picker, '⬅️ Інший регіон');
    await chat.press(picker, 'Київ (ДТЕК)');
    const calls = await chat.press(picker, '3.1');
    assert.ok(textsOf(calls).some((text) => text.includes('додано') && text.includes('📅 Графік: Київ (ДТЕК), черга 3.1.')), textsOf(calls).join('\n---\n'));
    const added = (await t.places()).find((p) => p.name === 'Дача')!;
    assert.deepEqual([t.system.schedules.settings(added.id)?.source, t.system.schedules.settings(added.id)?.queue], ['kyiv', 'GPV3.1']);
    assert.match(chat.lastMenu().text ?? '', /📅 Графік: Київ \(ДТЕК\), черга 3\.1/, 'the new place card shows it');
  });
});
