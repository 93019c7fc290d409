import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Message } from 'grammy/types';
import { openTestStore } from '../support/test-store.js';
import { newDeviceKey } from '../../src/places/place-rules.js';
import { PlaceStore } from '../../src/places/place-store.js';
import { SubscriberStore } from '../../src/people/subscriber-store.js';
import { AdminChat, textsOf } from '../support/admin-chat.js';
import { ManualClock } from '../support/clock.js';
import { startFakeBotApi, type FakeBotApi, type RecordedCall } from '../support/fake-bot-api.js';
import { KEYBOARD_LIMITS } from '../support/keyboard-limits.js';
import { OWNER, startTelegramTestApp, type TelegramTestApp } from '../support/telegram-app.js';
import { tempDir } from '../support/temp-dir.js';

const PLACES = 10_000;
const SUBSCRIBERS = 1_000;
const NOON = Date.UTC(2026, 10, 20, 10, 0);
const DAY = 86_400_000;
/** The named places among the numbered ones; by name, "Дача…" sorts first and "Хата/Сад" last. */
const DACHA = 'Дача Олени';
const APOSTROPHE = 'Завʼязь'; // U+02BC, as Ukrainian keyboards type it
const SLASHED = 'Хата/Сад';
const numbered = (i: number) => `Місце ${String(i).padStart(5, '0')}`;
/** Someone who follows 25 of the places. */
const FOLLOWER = { id: 6_500_000_001, is_bot: false, first_name: 'Ірина', language_code: 'uk' } as const;

/** Seeds the database before the service opens it: one transaction through the tables' owners. */
async function seed(path: string): Promise<void> {
  const store = await openTestStore(path);
  const places = new PlaceStore(store.connection);
  const subscribers = new SubscriberStore(store.connection, places);
  const place = (name: string) =>
    places.insert({ name, api_key: newDeviceKey(), timeout_s: 60, channel_id: null, language: 'uk', status: 'unknown', status_since: null, paused: 0, alerting_failed: 0, created_at: NOON - DAY });
  store.connection.transaction(() => {
    const dacha = place(DACHA);
    place(APOSTROPHE);
    place(SLASHED);
    for (let i = 1; i <= PLACES - 3; i += 1) place(numbered(i));
    for (let id = 4; id < 4 + 25; id += 1) subscribers.subscribe(id, { userId: FOLLOWER.id, displayName: FOLLOWER.first_name, language: 'uk' }, NOON - DAY);
    for (let n = 1; n <= SUBSCRIBERS; n += 1) {
      subscribers.subscribe(dacha.id, { userId: 7_000_000_000 + n, displayName: `Підписник ${String(n).padStart(4, '0')}`, language: 'uk' }, NOON - DAY + n);
    }
  })();
  await store.close();
}

const buttonsOf = (message: Message) => message.reply_markup?.inline_keyboard ?? [];
/** A message's text with numbers ungrouped ("10 000" → "10000": Fluent groups digits as the language does). */
const textOf = (message: Message) => (message.text ?? '').replace(/(\d)[\s\u00a0\u202f](?=\d{3}\b)/g, '$1');

/** What Telegram checks of a keyboard, asserted on what the fake accepted. */
function assertWithinLimits(message: Message): void {
  const rows = buttonsOf(message);
  assert.ok(rows.flat().length <= KEYBOARD_LIMITS.inlineButtons, `${rows.flat().length} buttons`);
  for (const row of rows) assert.ok(row.length >= 1 && row.length <= KEYBOARD_LIMITS.inlineButtonsPerRow, `a row of ${row.length}`);
  assert.ok([...(message.text ?? '')].length <= 4096);
}

/** No call of the bot was refused by the fake (a refusal is a keyboard or text Telegram would not take). */
function refused(calls: RecordedCall[]): string[] {
  // "Not modified" is Telegram's answer to a refresh that changed nothing (the bot expects it), not a refusal.
  return calls.filter((call) => call.failed && 'description' in call.failed && !call.failed.injected && !call.failed.description.includes('message is not modified')).map((call) => `${call.method}: ${(call.failed as { description: string }).description}`);
}

describe('admin lists at 10,000 places and 1,000 subscribers', () => {
  const dir = tempDir();
  const path = dir.file('monitor.db');
  let fake: FakeBotApi;
  let t: TelegramTestApp;
  let owner: AdminChat;

  before(async () => {
    await seed(path);
    fake = await startFakeBotApi({ bot: { id: 999, first_name: 'Monitor', username: 'power_monitor_bot' } });
    t = await startTelegramTestApp(path, { fake, clock: new ManualClock(NOON) });
    owner = new AdminChat(fake, OWNER);
  });
  after(async () => {
    await t.stop();
    await fake.close();
    dir.cleanup();
  });

  test('the places: ten a page with "page 1 of 1000", ◀️ ▶️ ⏮ ⏭, the last page, and nothing Telegram would refuse', async () => {
    const calls = await owner.send('/start');
    assert.deepEqual(refused(calls), []);
    let menu = owner.lastMenu();
    assertWithinLimits(menu);
    assert.match(textOf(menu), /<b>Місця<\/b> · 10000[\s\S]*Сторінка 1 з 1000/);
    const labels = AdminChat.labels(menu);
    assert.deepEqual(labels.slice(0, 3), [`⚪ ${DACHA}`, `⚪ ${APOSTROPHE}`, `⚪ ${numbered(1)}`]);
    assert.equal(labels.filter((label) => label.startsWith('⚪')).length, 10);
    assert.deepEqual(labels.slice(10), ['▶️', '⏭', '🔎 Пошук', '➕ Додати місце', '👥 Адміністратори', '🌐 Мова / Language', '📅 Джерела графіків', '🔄 Оновити']);

    const started = Date.now();
    await owner.press(menu, '▶️');
    const pressMs = Date.now() - started;
    console.log(`a page of 10,000 places: ${pressMs} ms from the press to the edited list`);
    await owner.press(owner.lastMenu(), '▶️');
    menu = owner.lastMenu();
    assert.match(textOf(menu), /Сторінка 3 з 1000/);
    assert.equal(AdminChat.labels(menu)[0], `⚪ ${numbered(19)}`);
    assert.deepEqual(AdminChat.labels(menu).slice(10, 14), ['⏮', '◀️', '▶️', '⏭']);

    await owner.press(menu, '⏭');
    menu = owner.lastMenu();
    assert.match(textOf(menu), /Сторінка 1000 з 1000/);
    assert.equal(AdminChat.labels(menu)[9], `⚪ ${SLASHED}`);
    assert.ok(!AdminChat.labels(menu).includes('▶️'));
    assertWithinLimits(menu);
    await owner.press(menu, '🔄 Оновити');
    assert.match(textOf(owner.lastMenu()), /Сторінка 1000 з 1000/, 'refresh keeps the page');

    // A place from the last page opens, and "back" is the list.
    await owner.press(owner.lastMenu(), `⚪ ${SLASHED}`);
    assert.match(textOf(owner.lastMenu()), /<b>Хата\/Сад<\/b>/);
    assert.deepEqual(refused(fake.calls), []);
  });

  test('search by a part of the name: typed in any case, with any apostrophe, a slash; its results page too', async () => {
    await owner.send('ДАЧА');
    let menu = owner.lastMenu();
    assert.match(textOf(menu), /🔎 Пошук «ДАЧА»: знайдено 1/);
    assert.deepEqual(AdminChat.labels(menu).slice(0, 3), [`⚪ ${DACHA}`, '🔎 Шукати інше', '✖️ Показати всі']);

    // The 🔎 button asks; the answer is searched with its apostrophe made one.
    await owner.press(menu, '🔎 Шукати інше');
    assert.match(textOf(owner.last()), /Надішліть частину назви/);
    await owner.send("зав'язь");
    assert.deepEqual(AdminChat.labels(owner.lastMenu()).slice(0, 1), [`⚪ ${APOSTROPHE}`]);

    await owner.send('хата/с');
    menu = owner.lastMenu();
    assert.deepEqual(AdminChat.labels(menu).slice(0, 1), [`⚪ ${SLASHED}`]);
    await owner.press(menu, `⚪ ${SLASHED}`);
    assert.match(textOf(owner.lastMenu()), /<b>Хата\/Сад<\/b>/, 'a slash in the search survives the button data');

    await owner.send('місце 09');
    menu = owner.lastMenu();
    assert.match(textOf(menu), /знайдено 998[\s\S]*Сторінка 1 з 100/);
    await owner.press(menu, '⏭');
    menu = owner.lastMenu();
    assert.match(textOf(menu), /Пошук «місце 09»: знайдено 998\nСторінка 100 з 100/);
    assert.deepEqual(AdminChat.labels(menu).slice(0, 7), [9990, 9991, 9992, 9993, 9994, 9995, 9996].map((i) => `⚪ ${numbered(i)}`));
    await owner.press(menu, '✖️ Показати всі');
    assert.match(textOf(owner.lastMenu()), /^<b>Місця<\/b> · 10000[\s\S]*Сторінка 1 з 1000$/);

    assert.match(textsOf(await owner.send('немає такого'))[0] ?? '', /За запитом «немає такого» нічого не знайдено/);
    assert.deepEqual(refused(fake.calls), []);
  });

  test('/stats: the chooser pages and searches the same way, and the place found leads to its periods', async () => {
    await owner.send('/stats');
    let menu = owner.lastMenu();
    assert.match(textOf(menu), /Статистику якого місця показати\?\nСторінка 1 з 1000/);
    assertWithinLimits(menu);
    await owner.press(menu, '⏭');
    assert.equal(AdminChat.labels(owner.lastMenu())[9], `⚪ ${SLASHED}`);
    await owner.press(owner.lastMenu(), '🔎 Пошук');
    await owner.send('олени');
    menu = owner.lastMenu();
    assert.match(textOf(menu), /Статистику якого місця показати\?\n🔎 Пошук «олени»: знайдено 1/);
    await owner.press(menu, `⚪ ${DACHA}`);
    assert.match(textOf(owner.lastMenu()), /Дача Олени/);
    assert.ok(AdminChat.labels(owner.lastMenu()).includes('⬅️ Інше місце'));
    assert.deepEqual(refused(fake.calls), []);
  });

  test('1,000 subscribers: every page is drawn and accepted, the last one holds #1000, who is removed', async () => {
    await owner.send('дача');
    await owner.press(owner.lastMenu(), `⚪ ${DACHA}`);
    await owner.press(owner.lastMenu(), '👥 Підписники');
    let menu = owner.lastMenu();
    assert.match(textOf(menu), /Підписники місця «Дача Олени»<\/b> · 1000\nСторінка 1 з 100/);
    const pages: string[] = [];
    for (let page = 1; ; page += 1) {
      assertWithinLimits(menu);
      const people = AdminChat.labels(menu).filter((label) => label.startsWith('➖'));
      assert.equal(people.length, 10, `page ${page}`);
      pages.push(people[0]!);
      if (!AdminChat.labels(menu).includes('▶️')) break;
      const calls = await owner.press(menu, '▶️');
      assert.deepEqual(refused(calls), [], `page ${page + 1}`);
      menu = owner.lastMenu();
    }
    assert.equal(pages.length, 100);
    assert.match(textOf(menu), /Сторінка 100 з 100[\s\S]*Підписник 1000/);

    await owner.press(menu, '➖ Підписник 1000');
    assert.match(textOf(owner.lastMenu()), /Підписник 1000/);
    await owner.press(owner.lastMenu(), '➖ Так, прибрати');
    menu = owner.lastMenu();
    assert.match(textOf(menu), /Підписник 1000[\s\S]*· 999\nСторінка 100 з 100/);
    assert.equal(AdminChat.labels(menu).filter((label) => label.startsWith('➖')).length, 9);
    assert.ok(!AdminChat.labels(menu).includes('➖ Підписник 1000'));
    assert.equal(t.system.people.subscribers.subscribersOf(1).length, 999);

    await owner.press(menu, '🔎 Пошук');
    await owner.send('ПІДПИСНИК 0500');
    assert.deepEqual(AdminChat.labels(owner.lastMenu()).slice(0, 1), ['➖ Підписник 0500']);
    assert.deepEqual(refused(fake.calls), []);
  });

  test("a subscriber's own places and /stats page too, and their guard lets the pages through", async () => {
    const follower = new AdminChat(fake, FOLLOWER);
    await follower.send('/start');
    let menu = follower.lastMenu();
    assertWithinLimits(menu);
    assert.match(textOf(menu), /Сторінка 1 з 3/);
    assert.equal(AdminChat.labels(menu).filter((label) => label.startsWith('⚪')).length, 10);
    await follower.press(menu, '⏭');
    menu = follower.lastMenu();
    assert.match(textOf(menu), /Сторінка 3 з 3/);
    assert.deepEqual(AdminChat.labels(menu).slice(0, 5), [21, 22, 23, 24, 25].map((i) => `⚪ ${numbered(i)}`));
    await follower.press(menu, `⚪ ${numbered(25)}`);
    assert.match(textOf(follower.lastMenu()), new RegExp(numbered(25)));

    await follower.send('/stats');
    menu = follower.lastMenu();
    assert.match(textOf(menu), /Сторінка 1 з 3/);
    assert.ok(!AdminChat.labels(menu).some((label) => label.startsWith('🔎')), 'no search where nobody can type one');
    await follower.press(menu, '▶️');
    assert.match(textOf(follower.lastMenu()), /Сторінка 2 з 3/);
    assert.deepEqual(refused(fake.calls), []);
  });

  test('a page survives a restart: ▶️ on a list drawn before it goes on from there', async () => {
    await owner.send('/start');
    await owner.press(owner.lastMenu(), '▶️');
    const drawn = owner.lastMenu();
    assert.match(textOf(drawn), /Сторінка 2 з 1000/);
    await t.stop();
    t = await startTelegramTestApp(path, { fake, clock: new ManualClock(NOON) });
    await owner.press(drawn, '▶️');
    assert.match(textOf(owner.lastMenu()), /Сторінка 3 з 1000/);
    assert.equal(owner.lastMenu().message_id, drawn.message_id, 'the same message, edited');
  });
});
