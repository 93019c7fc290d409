import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Message } from 'grammy/types';
import type { Place } from '../../src/places/place-service.js';
import type { RecordedCall } from '../support/fake-bot-api.js';
import { AdminChat, textsOf } from '../support/admin-chat.js';
import { ManualClock } from '../support/clock.js';
import { CHANNEL_ID, OWNER, useTelegramApp, type TelegramTestApp } from '../support/telegram-app.js';

const JOHN = { id: 6001, is_bot: false, first_name: 'John', last_name: 'Smith', language_code: 'en' } as const;
const MARTA = { id: 6002, is_bot: false, first_name: 'Марта', language_code: 'uk' } as const;
const PETRO = { id: 6003, is_bot: false, first_name: 'Петро', language_code: 'uk' } as const;
const NOON = Date.UTC(2026, 10, 20, 10, 0); // 12:00 in Kyiv

const answers = (calls: RecordedCall[]) => calls.filter((call) => call.method === 'answerCallbackQuery').map((call) => String(call.params.text ?? ''));
const edits = (calls: RecordedCall[]) => calls.filter((call) => call.method.startsWith('edit') && !call.failed);
const dataOf = (message: Message, label: string) => {
  const button = message.reply_markup?.inline_keyboard.flat().find((candidate) => candidate.text === label);
  assert.ok(button && 'callback_data' in button && button.callback_data, `no button ${label} in ${AdminChat.labels(message).join(' | ')}`);
  return button.callback_data;
};
const TOKEN = /https:\/\/t\.me\/power_monitor_bot\?start=([A-Za-z0-9_-]{32})/;

describe('invite links and subscribers', () => {
  let t: TelegramTestApp;
  let owner: AdminChat;
  let john: AdminChat;
  let marta: AdminChat;
  let dacha: Place;
  useTelegramApp(
    async (app) => {
      t = app;
      owner = new AdminChat(t.fake, OWNER);
      john = new AdminChat(t.fake, JOHN);
      marta = new AdminChat(t.fake, MARTA);
      dacha = await t.createPlace({ name: 'Дача', timeoutS: 60, channelId: String(CHANNEL_ID), language: 'uk' });
    },
    { clock: () => new ManualClock(NOON) },
  );

  /** The owner opens the place's invite view; returns its message and the token in the link. */
  async function openInvite(place = dacha): Promise<{ view: Message; token: string }> {
    await owner.send('/start');
    await owner.press(owner.lastMenu(), `⚪ ${place.name}`);
    await owner.press(owner.lastMenu(), '🔗 Запросити');
    const view = owner.lastMenu();
    const token = TOKEN.exec(view.text ?? '')?.[1];
    assert.ok(token, `an invite link in: ${view.text}`);
    return { view, token };
  }

  test('an admin gets the link with a share button; opening it makes the person a subscriber, in their language', async () => {
    const { view, token } = await openInvite();
    assert.match(view.text ?? '', /Запрошення до місця «Дача»/);
    const share = view.reply_markup?.inline_keyboard.flat().find((button) => button.text === '📤 Поділитися');
    assert.ok(share && 'url' in share, 'a share button');
    assert.equal(share.url, `https://t.me/share/url?url=${encodeURIComponent(`https://t.me/power_monitor_bot?start=${token}`)}&text=${encodeURIComponent('Сповіщення про світло в місці «Дача»')}`);
    assert.equal((await openInvite()).token, token, 'the same link until it is renewed');

    const joined = await john.send(`/start ${token}`);
    assert.deepEqual(textsOf(joined).slice(0, 1), ['🔔 Done: power alerts for “Дача” will now come here.\nNow: 🌙 quiet hours 23:00–07:00 (to change: /settings).']);
    const home = john.lastMenu();
    assert.match(home.text ?? '', /Your places[\s\S]*Дача/);
    assert.deepEqual(AdminChat.labels(home), ['⚪ Дача', '⚙️ Settings', '🔄 Refresh']);
    assert.deepEqual(t.system.people.subscribers.placeIdsOf(JOHN.id), [dacha.id]);
    assert.equal(t.system.people.subscribers.person(JOHN.id)?.displayName, 'John Smith');

    assert.deepEqual(textsOf(await john.send(`/start ${token}`)).slice(0, 1), ['🔔 You already get alerts for “Дача”.']);
    const uk = await marta.send(`/start ${token}`);
    assert.match(textsOf(uk)[0] ?? '', /^🔔 Готово: сповіщення про світло в місці «Дача» тепер надходитимуть сюди\./);
  });

  test('admins see the subscribers (name, since) and remove one; a renewed link stops working, politely', async () => {
    await owner.send('/start');
    await owner.press(owner.lastMenu(), '⚪ Дача');
    assert.match(owner.lastMenu().text ?? '', /👥 Підписників: 2/);
    await owner.press(owner.lastMenu(), '👥 Підписники');
    const list = owner.lastMenu();
    assert.match(list.text ?? '', /Підписники місця «Дача»<\/b> · 2\n• John Smith · з 20\.11\.2026\n• Марта · з 20\.11\.2026/);
    await owner.press(list, '➖ Марта');
    assert.match(owner.lastMenu().text ?? '', /Прибрати <b>Марта<\/b>/);
    await owner.press(owner.lastMenu(), '➖ Так, прибрати');
    assert.match(owner.lastMenu().text ?? '', /Марта більше не отримує сповіщень/);
    assert.deepEqual(t.system.people.subscribers.placeIdsOf(MARTA.id), []);

    const { token: old } = await openInvite();
    await owner.press(owner.lastMenu(), '🔄 Нове посилання');
    const renewed = owner.lastMenu();
    assert.match(renewed.text ?? '', /старе більше не діє/);
    const fresh = TOKEN.exec(renewed.text ?? '')?.[1];
    assert.ok(fresh && fresh !== old);
    assert.deepEqual(textsOf(await marta.send(`/start ${old}`)), [
      '🔗 Посилання на місце «Дача» уже замінили новим, тож це більше не діє. Попросіть свіже в того, хто вам його надіслав.',
    ]);
    assert.deepEqual(t.system.people.subscribers.placeIdsOf(MARTA.id), [], 'the old link subscribes nobody');
    assert.deepEqual(textsOf(await marta.send(`/start ${'x'.repeat(32)}`)), [
      '🔗 Я не знаю такого посилання. Можливо, його скопіювали не повністю або місця вже немає. Попросіть нове посилання.',
    ]);
    await marta.send(`/start ${fresh}`);
    assert.deepEqual(t.system.people.subscribers.placeIdsOf(MARTA.id), [dacha.id], 'the new link works');
    assert.ok(t.system.people.subscribers.subscribersOf(dacha.id).some((person) => person.userId === JOHN.id), 'John, already subscribed, keeps his alerts');
  });

  test('a subscriber gets nothing of the admin chat: commands and forged admin buttons are refused', async () => {
    await owner.send('/start');
    await owner.press(owner.lastMenu(), '⚪ Дача');
    await owner.press(owner.lastMenu(), '🗑 Видалити');
    const confirm = owner.lastMenu();
    const before = t.fake.calls.length;
    for (const command of ['/locations', '/add', '/backup', '/admins', '/export', '/diagram', '/language']) {
      assert.deepEqual(textsOf(await john.send(command)), ['Only admins can do this.'], command);
    }
    assert.equal(t.fake.calls.slice(before).filter((call) => call.method === 'sendDocument').length, 0, 'no backup, no export');
    for (const label of ['🗑 Так, видалити', '⬅️ Ні, назад']) {
      const forged = await john.deliver(t.fake.callbackQuery(JOHN, confirm, dataOf(confirm, label)));
      assert.deepEqual(answers(forged), ['Only admins can do this.'], label);
      assert.deepEqual(edits(forged), []);
    }
    for (const data of ['p/0/0/1/fxx', 'm/0/0//f', 'iv/1/0/1/f', 'sv/0/0/1/f', 'sz/0/0/1/h', 'cv:x', 'garbage']) {
      const calls = await john.pressData(john.lastMenu(), data);
      assert.deepEqual(answers(calls), ['Only admins can do this.'], data);
      assert.deepEqual(edits(calls), [], data);
    }
    assert.equal((await t.places()).length, 1, 'nothing was deleted');
    assert.deepEqual(t.system.people.subscribers.placeIdsOf(JOHN.id), [dacha.id]);
  });

  test("a subscriber's own menus: the place, what they get, quiet hours, language; never another place", async () => {
    const other = await t.createPlace({ name: 'Чужий дім', timeoutS: 60, language: 'uk' });
    await john.send('/start');
    await john.press(john.lastMenu(), '⚪ Дача');
    const card = john.lastMenu();
    assert.match(card.text ?? '', /<b>Дача<\/b>\n⚪ Waiting for the first heartbeat/);
    assert.doesNotMatch(card.text ?? '', /key|ключ|ESP32|config/i, 'no keys, no configs');
    assert.deepEqual(AdminChat.labels(card), ['🖼 Diagram', '📈 Statistics', '✅ Outages and returns', '✅ Weekly summary', '🚪 Unsubscribe', '⬅️ My places']);

    await john.press(card, '✅ Outages and returns');
    assert.ok(AdminChat.labels(john.lastMenu()).includes('⬜ Outages and returns'));
    assert.deepEqual(t.system.people.subscribers.recipients(dacha.id, 'alerts').map((r) => r.userId), [MARTA.id]);
    await john.press(john.lastMenu(), '⬜ Outages and returns');
    assert.equal(t.system.people.subscribers.recipients(dacha.id, 'alerts').length, 2);

    const drawn = await john.press(john.lastMenu(), '🖼 Diagram');
    const photo = drawn.find((call) => call.method === 'sendPhoto');
    assert.ok(photo && !photo.failed, "today's diagram, in their chat");
    assert.match(String(photo.params.caption), /Дача/);
    assert.equal(t.fake.callsOf('sendPhoto').filter((call) => Number(call.params.chat_id) === CHANNEL_ID && call.at >= photo.at).length, 0, 'not posted to the channel');

    // The same menu with another place's id in its payload: refused before any handler runs.
    const forgedPlace = dataOf(card, '🖼 Diagram').replace(`/${dacha.id}/`, `/${other.id}/`);
    const forged = await john.pressData(card, forgedPlace);
    assert.deepEqual(answers(forged), ['You no longer follow this place. /start shows your places.']);
    assert.deepEqual(forged.filter((call) => call.method === 'sendPhoto' || call.method.startsWith('edit')), []);

    await john.send('/settings');
    assert.match(john.lastMenu().text ?? '', /Your settings[\s\S]*🌙 quiet hours 23:00–07:00/);
    await john.press(john.lastMenu(), '🌙 22:00–08:00');
    assert.deepEqual(t.system.people.subscribers.person(JOHN.id)?.quiet, { startMin: 22 * 60, endMin: 8 * 60 });
    await john.send('22:30-6:30');
    assert.deepEqual(t.system.people.subscribers.person(JOHN.id)?.quiet, { startMin: 22 * 60 + 30, endMin: 6 * 60 + 30 });
    assert.match(john.lastMenu().text ?? '', /^Now: 🌙 quiet hours 22:30–06:30\. Alerts in those hours still arrive, but silently\./);
    assert.deepEqual(textsOf(await john.send('25:00-07:00')), ["I couldn't read that time. Send a range such as 23:00-07:00 or 22-6, or “off”."]);
    await john.press(john.lastMenu(), '🔔 Always with sound');
    assert.equal(t.system.people.subscribers.person(JOHN.id)?.quiet, null);
    await john.press(john.lastMenu(), '🇺🇦 Українська');
    assert.match(john.lastMenu().text ?? '', /Тепер українською[\s\S]*Ваші налаштування/);
    assert.match(john.lastMenu().text ?? '', /🗣 Мова: українська\n/);
    assert.equal(t.system.people.subscribers.person(JOHN.id)?.language, 'uk');
    await john.press(john.lastMenu(), '🇬🇧 English');
    assert.equal(t.system.people.subscribers.person(JOHN.id)?.language, 'en');
    assert.match(john.lastMenu().text ?? '', /🗣 Language: English\n/);

    // /stats offers only the places they follow.
    await john.send('/stats');
    assert.deepEqual(AdminChat.labels(john.lastMenu()), ['⚪ Дача']);
    await t.system.places.delete(other.id);
  });

  test('a subscriber who blocked the bot is reactivated by /start; leaving ends the subscription', async () => {
    assert.ok(t.system.people.subscribers.markInactive(MARTA.id, t.clock.now()));
    assert.deepEqual(textsOf(await marta.send('/start')).slice(0, 1), ['👋 З поверненням! Сповіщення знову надходитимуть сюди.']);
    assert.equal(t.system.people.subscribers.person(MARTA.id)?.active, true);
    assert.match(marta.lastMenu().text ?? '', /Ваші місця/);

    await marta.press(marta.lastMenu(), '⚪ Дача');
    await marta.press(marta.lastMenu(), '🚪 Відписатися');
    assert.match(marta.lastMenu().text ?? '', /Більше не отримувати сповіщень про місце «Дача»/);
    const confirm = marta.lastMenu();
    await marta.press(confirm, '🚪 Так, відписатися');
    assert.deepEqual(t.system.people.subscribers.placeIdsOf(MARTA.id), []);
    const left = marta.last();
    assert.match(left.text ?? '', /Ви відписалися від місця «Дача»/);
    assert.equal(left.message_id, confirm.message_id);
    assert.deepEqual(AdminChat.labels(left), [], 'the question is answered: its buttons are gone');
    assert.doesNotMatch(left.text ?? '', /Запросити/, 'no pointer to a button only admins have');
    // A button of the menu she had before: she is told she left, not that it is for admins.
    const old = await marta.pressData(confirm, dataOf(confirm, '⬅️ Ні, назад'));
    assert.deepEqual(answers(old), ['Ви більше не стежите за цим місцем.']);
    assert.deepEqual(textsOf(await marta.send('/start')), [
      'Цей бот надсилає сповіщення про світло лише тим, кого запросили. Попросіть посилання-запрошення в того, хто стежить за місцем.',
    ], 'now a stranger again');
  });

  test('the language a subscriber chose outlives their last subscription: as a stranger, and when they come back', async () => {
    const petro = new AdminChat(t.fake, PETRO);
    const { token } = await openInvite();
    await petro.send(`/start ${token}`);
    await petro.send('/settings');
    await petro.press(petro.lastMenu(), '🇬🇧 English');
    await petro.send('/start');
    await petro.press(petro.lastMenu(), '⚪ Дача');
    await petro.press(petro.lastMenu(), '🚪 Unsubscribe');
    await petro.press(petro.lastMenu(), '🚪 Yes, unsubscribe');
    assert.match(petro.last().text ?? '', /You have unsubscribed from “Дача”/);
    assert.deepEqual(textsOf(await petro.send('/start')), ['This bot sends power alerts only to people who were invited. Ask whoever watches the place for an invite link.']);
    assert.match(textsOf(await petro.send(`/start ${token}`))[0] ?? '', /^🔔 Done: power alerts for “Дача” will now come here\./);
    assert.equal(t.system.people.subscribers.person(PETRO.id)?.language, 'en');
  });

  test('an admin may follow a place too: the link subscribes them, /settings and typed quiet hours are theirs', async () => {
    const { token } = await openInvite();
    const joined = await owner.send(`/start ${token}`);
    assert.match(textsOf(joined)[0] ?? '', /^🔔 Готово/);
    assert.deepEqual(t.system.people.subscribers.placeIdsOf(OWNER.id), [dacha.id]);
    await owner.send('/settings');
    assert.match(owner.lastMenu().text ?? '', /Ваші налаштування/);
    await owner.press(owner.lastMenu(), '✏️ Інший час');
    assert.match(owner.last().text ?? '', /Коли надсилати сповіщення без звуку/);
    await owner.send('21-6');
    assert.deepEqual(t.system.people.subscribers.person(OWNER.id)?.quiet, { startMin: 21 * 60, endMin: 6 * 60 });
    await owner.send('/locations');
    assert.match(owner.lastMenu().text ?? '', /Місця/, 'still the admin chat');
    t.system.people.subscribers.unsubscribe(dacha.id, OWNER.id);
  });

  test('snooze from the place menu: held posts, "notify again" posts what happened', async () => {
    await owner.send('/start');
    await owner.press(owner.lastMenu(), '⚪ Дача');
    await owner.press(owner.lastMenu(), '🔕 Не сповіщати…');
    assert.deepEqual(AdminChat.labels(owner.lastMenu()), ['🔕 Не сповіщати 1 год', '🔕 Не сповіщати 3 год', '🔕 Не сповіщати 12 год', '⬅️ Назад']);
    await owner.press(owner.lastMenu(), '🔕 Не сповіщати 3 год');
    const card = owner.lastMenu();
    assert.match(card.text ?? '', /сповіщення вимкнено до 15:00/);
    assert.match(card.text ?? '', /🔕 Сповіщення вимкнено до 15:00/);
    assert.ok(AdminChat.labels(card).includes('🔔 Сповіщати знову'));
    assert.ok(t.system.people.snoozes.active(dacha.id, t.clock.now()));

    const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${dacha.api_key}` } });
    assert.equal(response.status, 200);
    t.clock.advance(5 * 60_000);
    assert.equal(t.expire([dacha.id]), 1);
    await t.drain();
    const toChannel = () => t.fake.callsOf('sendMessage').filter((call) => Number(call.params.chat_id) === CHANNEL_ID && !call.failed);
    assert.equal(toChannel().length, 0, 'held while snoozed');

    await owner.press(card, '🔔 Сповіщати знову');
    assert.match(owner.lastMenu().text ?? '', /«Дача»: сповіщення знову увімкнено/);
    await t.drain();
    assert.match(String(toChannel().at(-1)?.params.text), /^🔕 <b>Поки адміністратор притримував сповіщення<\/b>: 🔴 12:00 світло зникло/);
    assert.match(String(t.fake.callsTo(JOHN.id).filter((call) => call.method === 'sendMessage').at(-1)?.params.text), /While the admin held back alerts/);
  });
});

describe('groups and forum topics as destinations', () => {
  const FORUM = { id: -1005550001111, type: 'supergroup', title: 'Будинок 7', is_forum: true } as const;
  const GROUP = { id: -1005550002222, type: 'supergroup', title: 'Сусіди' } as const;
  let t: TelegramTestApp;
  let owner: AdminChat;
  let place: Place;
  useTelegramApp(
    async (app) => {
      t = app;
      owner = new AdminChat(t.fake, OWNER);
      t.fake.setChat(FORUM);
      t.fake.setChat(GROUP);
      t.fake.addForumTopic(FORUM.id, 42);
      place = await t.createPlace({ name: 'Під’їзд 2', timeoutS: 60, language: 'uk' });
    },
    { clock: () => new ManualClock(NOON) },
  );

  async function toChannelQuestion(name: string): Promise<void> {
    await owner.send('/start');
    await owner.press(owner.lastMenu(), `⚪ ${name}`);
    await owner.press(owner.lastMenu(), '📢 Канал');
  }

  test('a forum group picked with the picker asks for its topic; a missing topic is refused; the topic is kept', async () => {
    await toChannelQuestion(place.name);
    const prompt = t.fake.callsOf('sendMessage').findLast((call) => String(call.params.text).includes('Канал для'));
    const keyboard = (prompt?.params.reply_markup as { keyboard?: { text: string; request_chat?: { chat_is_channel: boolean } }[][] } | undefined)?.keyboard;
    assert.equal(keyboard?.flat().find((button) => button.text === '👥 Обрати групу')?.request_chat?.chat_is_channel, false, 'a picker for groups');

    await owner.send('', { chat_shared: { request_id: 3, chat_id: FORUM.id, title: FORUM.title } });
    assert.match(owner.last().text ?? '', /У групі Будинок 7 є теми/);
    await owner.send('https://t.me/c/5550001111/77');
    assert.match(owner.last().text ?? '', /У групі Будинок 7 немає такої теми/);
    await owner.send('https://t.me/c/5550001111/42');
    assert.match(textsOf(t.fake.calls.slice(-6)).join('\n'), /Сповіщення про місце <b>Під’їзд 2<\/b> тепер ідуть у чат Будинок 7\.\n🧵 Тема «#42» у групі Будинок 7/);
    assert.equal((await t.place(place.id)).channel_id, String(FORUM.id));
    const settings = t.system.people.destinations.settingsFor(place.id, String(FORUM.id));
    assert.deepEqual([settings.chatType, settings.threadId], ['supergroup', 42]);
    assert.match(owner.lastMenu().text ?? '', /🧵 Тема «#42» у групі Будинок 7/);

    const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } });
    assert.equal(response.status, 200);
    t.clock.advance(5 * 60_000);
    t.expire([place.id]);
    await t.drain();
    const posted = t.fake.callsOf('sendMessage').filter((call) => Number(call.params.chat_id) === FORUM.id);
    assert.equal(posted.length, 1);
    assert.equal(posted[0]!.failed, undefined, 'Telegram took it: the topic exists');
    assert.equal(posted[0]!.params.message_thread_id, 42);
  });

  test("a group where the bot may not write is named as such; the chat's quiet hours are set from the place menu", async () => {
    const place = await t.createPlace({ name: 'Під’їзд 3', timeoutS: 60, language: 'uk' });
    t.fake.setChatMember(GROUP.id, t.fake.botUser.id, { status: 'left' });
    await toChannelQuestion(place.name);
    await owner.send('', { chat_shared: { request_id: 3, chat_id: GROUP.id, title: GROUP.title } });
    assert.match(owner.last().text ?? '', /Бота немає в групі Сусіди/);
    t.fake.setChatMember(GROUP.id, t.fake.botUser.id, { status: 'member' });
    await owner.send('@nonexistent_group');
    assert.match(owner.last().text ?? '', /не бачу/);
    await owner.send(String(GROUP.id));
    assert.match(textsOf(t.fake.calls.slice(-6)).join('\n'), /тепер ідуть у чат Сусіди\.\n👥 Група Сусіди/);
    assert.equal(t.system.people.destinations.settingsFor(place.id, String(GROUP.id)).threadId, null, 'another chat: no topic carried over');

    await owner.press(owner.lastMenu(), '🌙 Тихі години чату');
    assert.match(owner.last().text ?? '', /Тихі години чату Сусіди для місця <b>Під’їзд 3<\/b>: зараз 🔔 тихі години вимкнено/);
    await owner.send('23-23');
    assert.match(owner.last().text ?? '', /Початок і кінець збігаються/);
    await owner.send('22-8');
    assert.deepEqual(t.system.people.destinations.settingsFor(place.id, String(GROUP.id)).quiet, { startMin: 22 * 60, endMin: 8 * 60 });
    assert.match(owner.lastMenu().text ?? '', /🌙 Без звуку 22:00–08:00/);
  });
});
